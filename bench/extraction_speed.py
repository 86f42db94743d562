"""Time the extractor: pipeline load, the five seed digests, and throughput at scale.

Usage: python bench/extraction_speed.py [--copies N]

At scale: every entry of the seeds and of every corpus file (each format), the seeds repeated
``--copies`` times (default 3). Reading each entry (``candidates``) and deciding the entities
from all of them (``decide``) are timed apart. Wall-clock and CPU times are both printed: the
machines this runs on are shared and noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _papers(folder: Path) -> list:
    from kg.errors import KGError
    from kg.parse import parse_file

    out = []
    for f in sorted(folder.iterdir()):
        if f.name in ("SOURCES.md", "MANIFEST.tsv"):
            continue  # the corpus's notes, not digests
        try:
            out += parse_file(f).papers
        except KGError:
            continue
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=3, help="how many times the seed entries are repeated")
    args = ap.parse_args()
    _, w, _ = _timed(lambda: __import__("kg.extract"))
    from kg.extract import candidates, decide

    print(f"import kg.extract: {w:.2f}s wall")
    _, w, c = _timed(lambda: candidates([]))
    print(f"pipeline + gazetteer load: {w:.2f}s wall, {c:.2f}s cpu")
    seeds = _papers(SHARED / "seeds")
    chars = sum(len(t) for p in seeds for _, t in p.texts())
    found, w, c = _timed(lambda: candidates(seeds))
    print(f"seeds, first run: {len(seeds)} entries, {chars / 1e6:.2f} M chars -> {sum(map(len, found))} candidates "
          f"in {w:.2f}s wall / {c:.2f}s cpu ({len(seeds) / w:.0f} entries/s)")
    scale = seeds * args.copies + _papers(SHARED / "corpus")
    chars = sum(len(t) for p in scale for _, t in p.texts())
    found, w, c = _timed(lambda: candidates(scale))
    flat = [x for cs in found for x in cs]
    print(f"at scale: {len(scale)} entries ({chars / 1e6:.1f} M chars) -> {len(flat)} candidates "
          f"in {w:.2f}s wall / {c:.2f}s cpu ({len(scale) / w:.0f} entries/s wall, {len(scale) / c:.0f}/s cpu)")
    decided, w2, c2 = _timed(lambda: decide(flat))
    print(f"decide over all {len(flat)} candidates: {w2:.2f}s wall / {c2:.2f}s cpu; "
          f"{sum(e is not None for e in decided)} links")
    print(f"total: {len(scale) / (w + w2):.0f} entries/s wall, {len(scale) / (c + c2):.0f}/s cpu")


if __name__ == "__main__":
    main()
