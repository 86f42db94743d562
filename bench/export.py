"""``kg export`` in every format against Oxigraph's own ``dump`` of the same store (bench/README.md, "Export").

    python bench/export.py STORE [--formats turtle,nt,…] [--out DIR]

Each run is a child process: first ``Store.read_only(<STORE>/oxigraph).dump(file, N-Quads)``
(the floor: Oxigraph's serializer, nothing of kg), then ``kg export --store STORE --format F``
for each format, into DIR (default a temporary directory, deleted at the end). Wall time, CPU
time (user + system) and peak RSS are those of that child alone (``os.wait4``). The read index
is brought up to date before anything is timed, so the graph formats do not pay for a rebuild.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.store.layout import DB

FORMATS = ["nquads", "trig", "turtle", "nt", "jsonld", "rdfxml", "graphml", "gexf", "jsonl"]
DUMP = ("import sys, pyoxigraph as ox\n"
        "with open(sys.argv[2], 'wb') as fh:\n"
        "    ox.Store.read_only(sys.argv[1]).dump(fh, format=ox.RdfFormat.N_QUADS)\n")
WARM = ("import sys\nfrom kg.store import Store, index\n"
        "with Store(sys.argv[1]) as db:\n    index.of(db).close()\n")


def run(cmd: list[str]) -> dict:
    """Wall s, CPU s and peak RSS (MiB) of one child process; raises if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    print("| what | wall s | CPU s | peak RSS MiB | output MB | wall / dump | CPU / dump |")
    print("|---|---:|---:|---:|---:|---:|---:|", flush=True)
    with tempfile.TemporaryDirectory(dir=args.out.parent if args.out else None) as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-c", WARM, str(args.store)])
        path = out / "dump.nq"
        floor = run([sys.executable, "-c", DUMP, str(args.store / DB), str(path)])
        row("Oxigraph `dump` (N-Quads)", floor, floor, path)
        for fmt in args.formats.split(","):
            path = out / f"kg.{fmt}"
            got = run([sys.executable, "-m", "kg", "export", "--store", str(args.store), "--format", fmt, "-o", str(path)])
            row(f"`kg export --format {fmt}`", got, floor, path)


def row(what: str, got: dict, floor: dict, path: Path) -> None:
    """Print one line of the table (as soon as it is measured) and delete the output."""
    print(f"| {what} | {got['wall']:.1f} | {got['cpu']:.1f} | {got['rss']:.0f} | {path.stat().st_size / 1e6:.0f} "
          f"| {got['wall'] / floor['wall']:.2f} | {got['cpu'] / floor['cpu']:.2f} |", flush=True)
    path.unlink()


if __name__ == "__main__":
    main()
