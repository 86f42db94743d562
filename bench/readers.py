"""Reader benchmarks: papers/s per digest family, and the whole corpus read end to end.

    python bench/readers.py [--shared DIR] [--repeat 3] [--build]

For every file of ``shared/seeds`` and ``shared/corpus``: the format detected, the entries and
distinct papers read against MANIFEST.tsv's hand count, problems, and the best of ``--repeat``
parse times (decoding, detection, parsing and validation — everything ``parse_file`` does).
Then papers/s per family, and the corpus read as one pile. ``--build`` also times ``kg build
--no-extract`` of seeds + corpus into a temporary store, as a child process. Nothing is written
into the repo.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KGError  # noqa: E402
from kg.parse import parse_file  # noqa: E402


def manifest(corpus: Path) -> dict[str, set[int]]:
    """File name → the accepted paper counts (one, or two where the manifest allows either)."""
    out = {}
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            out[row[0]] = {int(row[1])}
    return out


def timed(path: Path, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = parse_file(path)
        except KGError as exc:
            return time.perf_counter() - start, exc
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--build", action="store_true", help="also time kg build --no-extract of everything")
    args = ap.parse_args()
    expected = manifest(args.shared / "corpus")
    files = sorted((args.shared / "seeds").iterdir()) + [
        args.shared / "corpus" / name for name in sorted(expected)]
    per_family: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])  # papers, seconds, bytes
    total_s = total_papers = 0
    print(f"{'file':<48} {'format':<12} {'papers':>7} {'expect':>7} {'probl.':>6} {'ms':>8} {'papers/s':>9}")
    for path in files:
        seconds, result = timed(path, args.repeat)
        if isinstance(result, Exception):
            print(f"{path.name:<48} {'FAILED':<12} {str(result)[:60]}")
            continue
        papers = len({p.arxiv_id for p in result.papers})
        want = expected.get(path.name)
        mark = "" if want is None or papers in want else " ≠"
        print(f"{path.name[:48]:<48} {result.format:<12} {papers:>7} {(min(want) if want else '-'):>7}{mark:<2}"
              f"{len(result.problems):>4} {seconds * 1000:>8.1f} {papers / seconds:>9,.0f}")
        fam = per_family[result.format]
        fam[0] += papers
        fam[1] += seconds
        fam[2] += path.stat().st_size
        total_s += seconds
        total_papers += papers
    print("\nper family:")
    for name, (papers, seconds, size) in sorted(per_family.items()):
        print(f"  {name:<14} {papers:>6} papers {seconds:>7.3f} s  {papers / seconds:>9,.0f} papers/s  "
              f"{size / seconds / 1e6:>6.1f} MB/s")
    print(f"all {len(files)} files: {total_papers} papers in {total_s:.2f} s ({total_papers / total_s:,.0f} papers/s)")
    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "kg", "build", *map(str, files), "--store", f"{tmp}/s",
                                   "--no-extract", "--quiet"], capture_output=True, text=True, cwd=ROOT)
            wall = time.perf_counter() - start
            tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-300:]
            print(f"kg build --no-extract of seeds + corpus: {wall:.1f} s, exit {proc.returncode}: {tail}")


if __name__ == "__main__":
    main()
