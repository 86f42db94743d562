"""Which RDF store: rdflib's own stores vs Oxigraph through oxrdflib vs pyoxigraph native.

    python bench/store_choice.py [--papers 20000] [--seeds DIR] [--work DIR]

Each store loads the same N-Quads (the seeds store and a synthetic one, built with `kg build
--no-extract`) in its own child process, which reports: load time, a 1-hop neighbours query
around the busiest author, a GROUP BY (top-20 categories by papers), a Turtle export of the union
graph, reopening the persisted store (and running one query), and peak RSS. rdflib's persistent
store (BerkeleyDB) is tried and reported as unavailable when the ``berkeleydb`` module is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STORES = ["rdflib-memory", "rdflib-berkeleydb", "oxrdflib-memory", "oxrdflib-disk", "pyoxigraph-memory", "pyoxigraph-disk"]
PREFIX = "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
GROUP_BY = PREFIX + ("SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:subject ?c } "
                     "GROUP BY ?c ORDER BY DESC(?n) LIMIT 20")
NEIGHBOURS = "SELECT DISTINCT ?n WHERE { { ?hub ?p ?n } UNION { ?n ?p ?hub } }"
HUB = PREFIX + "SELECT ?a (COUNT(*) AS ?n) WHERE { ?p dcterms:creator ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 1"
PROBE = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?p dcterms:creator ?hub }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _bind(query: str, hub: str) -> str:
    """The query with the hub IRI written in, so every engine sees the same text."""
    return query.replace("?hub", f"<{hub}>")


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def measure(kind: str, nq: Path, hub: str, scratch: Path) -> dict:
    """Run every operation on one store kind (called in a child process)."""
    if kind.startswith("rdflib"):
        return _rdflib(kind, nq, hub, scratch)
    if kind.startswith("oxrdflib"):
        return _oxrdflib(kind, nq, hub, scratch)
    return _pyoxigraph(kind, nq, hub, scratch)


def _rdflib(kind, nq, hub, scratch):
    from rdflib import Dataset

    if kind == "rdflib-berkeleydb":
        try:
            import berkeleydb  # noqa: F401
        except ImportError:
            return {"error": "unavailable: the berkeleydb module (and libdb) is not installed"}
        ds = Dataset(store="BerkeleyDB", default_union=True)
        ds.open(str(scratch / "bdb"), create=True)
    else:
        ds = Dataset(default_union=True)
    out = {"load": timed(lambda: ds.parse(str(nq), format="nquads"))[0]}
    out["neighbours"], rows = timed(lambda: list(ds.query(_bind(NEIGHBOURS, hub))))
    out["neighbours_rows"] = len(rows)
    out["group_by"], rows = timed(lambda: list(ds.query(GROUP_BY)))
    out["turtle"] = timed(lambda: ds.serialize(str(scratch / "out.ttl"), format="turtle"))[0]
    if kind == "rdflib-berkeleydb":
        ds.close()
        out["reopen"] = timed(lambda: _rdflib_reopen(scratch / "bdb", hub))[0]
    return out


def _rdflib_reopen(path, hub):
    from rdflib import Dataset

    ds = Dataset(store="BerkeleyDB", default_union=True)
    ds.open(str(path), create=False)
    return list(ds.query(_bind(PROBE, hub)))


def _oxrdflib(kind, nq, hub, scratch):
    from oxrdflib import OxigraphStore
    from pyoxigraph import Store
    from rdflib import Dataset

    path = scratch / "ox"
    db = Store(str(path)) if kind == "oxrdflib-disk" else Store()
    ds = Dataset(store=OxigraphStore(store=db), default_union=True)
    out = {"load": timed(lambda: ds.parse(str(nq), format="ox-nquads"))[0]}
    # query strings (not prepared queries) so they run on Oxigraph's engine
    out["neighbours"], rows = timed(lambda: list(ds.query(_bind(NEIGHBOURS, hub))))
    out["neighbours_rows"] = len(rows)
    out["group_by"], rows = timed(lambda: list(ds.query(GROUP_BY)))
    # ox-turtle cannot write a Dataset's union: CONSTRUCT it, then rdflib's Turtle writer
    out["turtle"] = timed(lambda: ds.query(CONSTRUCT).graph.serialize(str(scratch / "out.ttl"), format="turtle"))[0]
    if kind == "oxrdflib-disk":
        del ds, db
        out["reopen"] = timed(lambda: list(Dataset(store=OxigraphStore(store=Store.read_only(str(path))),
                                                   default_union=True).query(_bind(PROBE, hub))))[0]
    return out


def _pyoxigraph(kind, nq, hub, scratch):
    import pyoxigraph as ox

    path = scratch / "ox"
    db = ox.Store(str(path)) if kind == "pyoxigraph-disk" else ox.Store()
    out = {"load": timed(lambda: db.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))[0]}
    out["neighbours"], rows = timed(lambda: list(db.query(_bind(NEIGHBOURS, hub), use_default_graph_as_union=True)))
    out["neighbours_rows"] = len(rows)
    out["group_by"], rows = timed(lambda: list(db.query(GROUP_BY, use_default_graph_as_union=True)))
    triples = lambda: db.query(CONSTRUCT, use_default_graph_as_union=True)  # noqa: E731
    out["turtle"] = timed(lambda: ox.serialize(triples(), str(scratch / "out.ttl"), format=ox.RdfFormat.TURTLE))[0]
    if kind == "pyoxigraph-disk":
        db.flush()
        del db
        out["reopen"] = timed(lambda: list(ox.Store.read_only(str(path)).query(
            _bind(PROBE, hub), use_default_graph_as_union=True)))[0]
    return out


def child(kind: str, nq: Path, hub: str) -> dict:
    """Run ``measure`` in a fresh process; add its peak RSS."""
    with tempfile.TemporaryDirectory(prefix="kg-store-") as scratch, tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(nq), hub, scratch], stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        return {"error": f"failed (exit {proc.returncode})"}
    result = json.loads(text)
    result["rss_mib"] = usage.ru_maxrss / 1024
    return result


def prepare(name: str, inputs: list[Path], work: Path) -> tuple[Path, str, int]:
    """Build a kg store from ``inputs``, dump it as N-Quads; returns (file, hub author IRI, quads)."""
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from kg.build import build
    from kg.store import Store

    store = work / f"{name}-store"
    shutil.rmtree(store, ignore_errors=True)
    build(inputs, store=store, extract=False)
    nq = work / f"{name}.nq"
    with Store(store) as db:
        db.db.dump(str(nq), format=ox.RdfFormat.N_QUADS)
        hub = db.select(HUB)[0]["a"]
        n = len(db.db)
    return nq, hub, n


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        kind, nq, hub, scratch = sys.argv[2:6]
        print(json.dumps(measure(kind, Path(nq), hub, Path(scratch))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=20_000)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one, removed)")
    ap.add_argument("--stores", default=",".join(STORES), help="comma-separated subset of: " + ", ".join(STORES))
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from synthetic import generate

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-store-choice-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        datasets = []
        if args.seeds.is_dir():
            datasets.append(("seeds", [args.seeds]))
        synthetic = work / "synthetic"
        if not synthetic.exists():
            generate(args.papers, synthetic, seed=3)
        datasets.append((f"{args.papers // 1000}k synthetic", [synthetic]))
        cols = ["load", "neighbours", "group_by", "turtle", "reopen", "rss_mib"]
        print(f"{'data':<16} {'store':<18} " + " ".join(f"{c:>10}" for c in cols))
        for name, inputs in datasets:
            nq, hub, n = prepare(name.split()[0], inputs, work)
            print(f"{name} ({n:,} quads, {nq.stat().st_size / 2**20:.0f} MiB N-Quads)")
            for kind in args.stores.split(","):
                r = child(kind, nq, hub)
                if "error" in r:
                    print(f"{'':<16} {kind:<18} {r['error']}")
                    continue
                cells = [f"{r[c]:.0f} MiB" if c == "rss_mib" else (f"{r[c]:.3f} s" if c in r else "-") for c in cols]
                print(f"{'':<16} {kind:<18} " + " ".join(f"{c:>10}" for c in cells), flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
