"""How far one new digest's candidates reach into a store: the stored candidates sharing a key with them.

    python bench/reach.py STORE DIGEST

Prints how many candidates DIGEST gives, how many distinct keys they have, and how many of
STORE's candidates (read from its candidate cache, else by SPARQL) have one of those keys: the
part of the entities decision an added digest touches, if decisions were made per key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("digest", type=Path)
    a = ap.parse_args()
    from kg.reading import candidates
    from kg.parse import parse_file
    from kg.store import Store, candidate_cache
    from kg.store.entities import stored_candidates

    new = candidates(parse_file(a.digest))
    keys = {c.key for c in new}
    with Store(a.store) as db:
        cached = candidate_cache.load(db, set(db.digests()))
        rows = cached if cached is not None else stored_candidates(db.db)
    reached = sum(c.key in keys for _, _, c in rows)
    print(f"{len(new):,} candidates, {len(keys):,} keys; {reached:,} of the store's {len(rows):,} candidates"
          f" share one ({reached / max(len(rows), 1):.0%})")


if __name__ == "__main__":
    main()
