"""How far one new digest's candidates reach into a store: what a build adding it decides again.

    python bench/reach.py STORE DIGEST

Prints how many candidates DIGEST gives and how many distinct keys they have, how many of
STORE's candidates share one of those keys, and how many stored candidates the revision of the
entities decision (``kg.extract.revision``, run on STORE's candidate cache, which must be
current) decides again, with its time. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("digest", type=Path)
    a = ap.parse_args()
    from kg.extract import revise
    from kg.parse import parse_file
    from kg.reading import candidates
    from kg.store import Store, candidate_cache

    new = [candidate_cache.slim(c) for c in candidates(parse_file(a.digest))]
    keys = {c.key for c in new}
    with Store(a.store) as db:
        cache = candidate_cache.open_cache(db, set(db.digests()))
        if cache is None:
            raise SystemExit(f"{a.store}: no current candidate cache (build into it once first)")
        try:
            stored = cache.sql.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
            reached = len(cache.with_keys(keys))
            start = time.perf_counter()
            revision = revise([((f"new-{n}", "new", n), c) for n, c in enumerate(new)], cache)
            took = time.perf_counter() - start
        finally:
            cache.close()
    again = len(revision.refs) - len(new)
    print(f"{len(new):,} candidates, {len(keys):,} keys; {reached:,} of the store's {stored:,} candidates share one;"
          f" the revision decides {again:,} of them again ({again / max(stored, 1):.2%}) in {took:.2f} s")


if __name__ == "__main__":
    main()
