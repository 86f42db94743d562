"""The floor of a build: parse + extract in one process, plus Oxigraph's ``bulk_load`` of the quads kg stored.

    python bench/floor.py DATA STORE [--no-extract]

DATA: the digest files a store was built from; STORE: that store (built by ``kg build DATA``).
Three fresh child processes, each timed alone (wall, CPU = user + system, peak RSS, ``os.wait4``):

1. *parse + extract*: every file of DATA parsed, its candidates extracted, its N-Quads text
   made and dropped, then the entities decided — kg's own code, nothing stored;
2. the store's quads (digest graphs and consolidated default graph) dumped as N-Quads (not
   part of the floor: it only makes the file);
3. *bulk_load*: that file loaded into an empty on-disk Oxigraph store by one ``bulk_load``.

The floor is 1 + 3: what a build costs if storing were nothing more than Oxigraph loading the
same quads. Prints a Markdown table (bench/README.md, "Build against its floor").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from export import run

PARSE_EXTRACT = """
import sys
from kg.build import digest_files
from kg.reading import candidates
from kg.extract import decide
from kg.model import Digest
from kg.parse import parse_file
from kg.store.quads import nquads
kept = []
for n, path in enumerate(digest_files([sys.argv[1]])):
    result = parse_file(path)
    cands = candidates(result) if sys.argv[2] == "extract" else []
    nquads(Digest(path.name, str(n), result.parser, "x", len(result.papers), result.date), result.papers, cands)
    kept += cands
decide(kept)
"""
DUMP = "import sys, pyoxigraph as ox\nox.Store.read_only(sys.argv[1]).dump(sys.argv[2], format=ox.RdfFormat.N_QUADS)\n"
LOAD = ("import sys, pyoxigraph as ox\nstore = ox.Store(sys.argv[1])\n"
        "store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)\nstore.flush()\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--no-extract", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.store.parent) as tmp:
        quads = Path(tmp) / "store.nq"
        rows = [("parse + extract (no store)", run([sys.executable, "-c", PARSE_EXTRACT, str(args.data),
                                                     "none" if args.no_extract else "extract"]))]
        run([sys.executable, "-c", DUMP, str(args.store / "oxigraph"), str(quads)])
        rows.append((f"Oxigraph bulk_load of the store's {quads.stat().st_size / 1e6:,.0f} MB of N-Quads",
                     run([sys.executable, "-c", LOAD, str(Path(tmp) / "db"), str(quads)])))
    rows.append(("floor (sum)", {k: sum(r[k] for _, r in rows) for k in ("wall", "cpu")}
                 | {"rss": max(r["rss"] for _, r in rows)}))
    print("| step | wall s | CPU s | peak RSS MiB |\n|---|---:|---:|---:|")
    for what, r in rows:
        print(f"| {what} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss']:.0f} |")


if __name__ == "__main__":
    main()
