"""``kg sparql`` on a store: the top-20 methods GROUP BY and every query in queries/ (bench/README.md, "SPARQL").

    python bench/sparql.py STORE [--runs 3] [--union top|all|none]

Each query runs as ``kg sparql --format json -f FILE --timeout 600`` in a fresh child process
(median of ``--runs``; wall, CPU and peak RSS of the child, ``os.wait4``) on the store's
consolidated default graph, as kg runs it; then the same query in a child that asks Oxigraph for
the union of all graphs (``use_default_graph_as_union``), as kg ran queries before the default
graph was consolidated (by default for the GROUP BY only: over 100k papers some queries take
minutes that way). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from export import run

ROOT = Path(__file__).resolve().parent.parent
TOP_METHODS = ("SELECT ?method (COUNT(DISTINCT ?paper) AS ?papers) WHERE { ?paper kg:usesMethod|kg:proposesMethod ?method } "
               "GROUP BY ?method ORDER BY DESC(?papers) ?method LIMIT 20")
UNION = ("import sys, pyoxigraph as ox\nfrom kg.prefixes import PREFIXES\n"
         "db = ox.Store.read_only(sys.argv[1])\n"
         "r = db.query(open(sys.argv[2]).read(), prefixes=PREFIXES, use_default_graph_as_union=True)\n"
         "list(r) if isinstance(r, ox.QueryTriples) else r.serialize(format=ox.QueryResultsFormat.JSON)\n")


def timed(cmd: list[str], runs: int) -> dict:
    got = [run(cmd) for _ in range(runs)]
    return {k: statistics.median(g[k] for g in got) for k in ("wall", "cpu", "rss")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--union", choices=("top", "all", "none"), default="top",
                        help="run the union of graphs for the GROUP BY only (default), every query, or none")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / "top-methods.rq"
        top.write_text(TOP_METHODS)
        queries = [("top-20 methods (GROUP BY)", top)] + [(q.stem, q) for q in sorted((ROOT / "queries").glob("*.rq"))]
        print("| query | kg sparql wall s | CPU s | peak RSS MiB | union of graphs wall s | CPU s |")
        print("|---|---:|---:|---:|---:|---:|", flush=True)
        run([sys.executable, "-m", "kg", "stats", "--store", str(args.store)])  # the read index, before timing
        for name, path in queries:
            kg = timed([sys.executable, "-m", "kg", "sparql", "--store", str(args.store), "--format", "json",
                        "--timeout", "600", "-f", str(path)], args.runs)
            union = None if args.union == "none" or (args.union == "top" and path != top) else timed(
                [sys.executable, "-c", UNION, str(args.store / "oxigraph"), str(path)], args.runs)
            tail = f"| {union['wall']:.2f} | {union['cpu']:.2f} |" if union else "| – | – |"
            print(f"| {name} | {kg['wall']:.2f} | {kg['cpu']:.2f} | {kg['rss']:.0f} {tail}", flush=True)


if __name__ == "__main__":
    main()
