"""Time the extractor: pipeline load, the five seed digests, and throughput at scale.

Usage: python bench/extraction_speed.py [SEEDS_DIR] [CORPUS_DIR]

Wall-clock and CPU times are both printed: the machines this runs on are shared and noisy.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "corpus"
    (_, w, c) = _timed(lambda: __import__("kg.extract"))
    from kg.extract import extract
    from kg.parse import parse_file

    print(f"import kg.extract: {w:.2f}s wall")
    _, w, c = _timed(lambda: extract([]))
    print(f"pipeline + gazetteer load: {w:.2f}s wall, {c:.2f}s cpu")
    papers = [p for f in sorted(seeds.glob("*.txt")) for p in parse_file(f).papers]
    chars = sum(len(t) for p in papers for _, t in p.texts())
    links, w, c = _timed(lambda: extract(papers))
    print(f"seeds, first run: {len(papers)} papers, {chars / 1e6:.2f} M chars -> {len(links)} links "
          f"in {w:.2f}s wall / {c:.2f}s cpu ({len(papers) / w:.0f} papers/s)")
    more = []
    for f in sorted(corpus.glob("*.md")):
        try:
            more += parse_file(f).papers
        except Exception:  # SOURCES.md and other non-digests
            continue
    scale = papers * 3 + more
    links, w, c = _timed(lambda: extract(scale))
    print(f"at scale (seeds x3 + corpus): {len(scale)} papers -> {len(links)} links "
          f"in {w:.2f}s wall / {c:.2f}s cpu ({len(scale) / w:.0f} papers/s wall, {len(scale) / c:.0f}/s cpu)")


if __name__ == "__main__":
    main()
