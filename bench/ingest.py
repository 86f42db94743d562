"""Ingest benchmarks: `kg build` as a whole fresh process, timed with its peak RSS.

    python bench/ingest.py [--papers 100000] [--data DIR] [--work DIR] [--seeds DIR] [--extract]
    python bench/ingest.py --lookups STORE
    python bench/ingest.py --noop STORE --data DIR [--extract]
    python bench/ingest.py --seeds-only RUNS
    python bench/ingest.py --plus-one STORE RUNS [--papers N] [--own-names]
    python bench/ingest.py --upgrade STORE --data DIR

Measures (wall time, CPU time, peak RSS): the five seeds end to end (with and without
extraction); a fresh build of the synthetic set, without extraction unless ``--extract``; an incremental build adding one new
300-paper digest to that store (the transactional path); and a no-op rebuild of the same files
(must add nothing); then, on that store, ``kg neighbors`` and ``kg viz method`` of the most
connected method (a hub) and of a least connected one (a leaf), each a fresh process (``--lookups
STORE`` times only these, on a store built before; ``--noop STORE`` times only the no-op rebuild of
``--data`` into a store already holding it; ``--plus-one STORE RUNS`` adds RUNS new 300-paper
digests to STORE, one build each, timing each: STORE keeps them, and a later run makes other
ones, so use a scratch copy; ``--upgrade STORE`` rebuilds ``--data`` into STORE, which holds it, as
the next extractor version would: every digest is read again and replaced; STORE is left under
that version, so use a scratch copy). Synthetic digests come from
``bench/synthetic.py`` (generated into the work directory unless ``--data`` points at a set made
earlier). Nothing is written into the repo.
"""

from __future__ import annotations

import argparse
import hashlib
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
KG = [sys.executable, "-m", "kg"]
TARGETS = {"seeds": 3.0, "papers_per_s": 5000, "rss_gib": 2.0}


# kg as it would run after an extractor upgrade: the same code under another extractor name
UPGRADED = [sys.executable, "-c", "import sys, kg.extract as e; e.EXTRACTOR += '+next'; "
            "from kg.__main__ import main; sys.argv[0] = 'kg'; main()"]


def build_child(paths: list[Path], store: Path, *extra: str, kg: list[str] = KG) -> dict:
    """Run ``kg build --json`` in a child process: its report, wall and CPU time, peak RSS.

    The child is reaped with ``wait4`` so the RSS is its own, not the largest of all children so far.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*kg, "build", *map(str, paths), "--store", str(store), "--json", *extra],
                                stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"kg build failed ({proc.returncode}): {err.read().decode()[-2000:]}")
        report = json.loads(out.read())
    report.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=usage.ru_maxrss / 1024)
    return report


def run_child(args: list[str]) -> dict:
    """Run ``kg ARGS`` in a child process: wall and CPU time, peak RSS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*KG, *args], stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"kg {' '.join(args)} failed: {err.read().decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def lookups(store: Path, work: Path) -> list[tuple[str, str, str, str, str]]:
    """Rows timing ``kg neighbors`` and ``kg viz`` of a hub and a leaf of ``store``: its most and least
    connected method (``kg viz method``), or author when it has no methods (``kg viz node``)."""
    import sqlite3

    with sqlite3.connect(f"{(store / 'index.sqlite').resolve().as_uri()}?mode=ro", uri=True) as sql:
        kind = "method" if sql.execute("SELECT 1 FROM types WHERE kind = 'method' LIMIT 1").fetchone() else "author"
        # counted from the edges, not the degree table, so that an index of an older kg is timed too
        ends = [sql.execute("SELECT n.iri, COUNT(*) FROM edges e JOIN nodes n ON n.id = e.dst WHERE n.kind = ?"
                            f" AND n.label IS NOT NULL GROUP BY e.dst ORDER BY 2 {order}, n.iri LIMIT 1", (kind,)).fetchone()
                for order in ("DESC", "ASC")]
    view = "method" if kind == "method" else "node"
    rows = []
    for (iri, degree), what in zip(ends, ("hub", "leaf")):
        for name, args in (("kg neighbors", ["neighbors", iri]),
                           (f"kg viz {view}", ["viz", view, iri, "--output", str(work / "view.html")])):
            r = run_child([*args, "--store", str(store)])
            rows.append((f"{name}, {what} {kind}", f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s", f"{r['rss_mib']:.0f} MiB",
                         f"{iri.rsplit('/', 1)[-1]}: {degree} edges in"))
    return rows + ranking(store, ends[0][0], kind)  # last: a child forked from a bigger parent reports its RSS


def ranking(store: Path, hub: str, kind: str) -> list[tuple[str, str, str, str, str]]:
    """In-process CPU times of what a view of ``hub`` does: rank its neighbours (1,500 of them kept),
    rank the whole graph (an overview), count the tooltips' edges of 1,500 nodes, build the view."""
    sys.path.insert(0, str(ROOT))
    from kg.store import index as ix
    from kg.views import data, subgraph as sub

    rows = []
    with ix.open_index(store) as index:
        x = sub.node(index, hub)[0]
        ring = sorted(sub.adjacent(index, {x}))
        view = data.method_view if kind == "method" else data.node_view
        for name, call in ((f"rank the hub's {len(ring):,} neighbours", lambda: sub.ranked(index, ring, 1500)),
                           ("rank every node (overview)", lambda: sub.ranked(index, None, 1500)),
                           ("edge counts of 1,500 nodes", lambda: sub.groups(index, ring[:1500])),
                           (f"whole {kind} view of the hub", lambda: view(index, hub))):
            start = time.process_time()
            call()
            rows.append((f"in process: {name}", "", f"{time.process_time() - start:.3f} s", "", ""))
    return rows


def seeds(folder: Path, work: Path, runs: int, figures: dict | None = None) -> list[tuple[str, str, str, str, str]]:
    """Rows timing the seeds built end to end into an empty store, without and with extraction,
    ``runs`` times each way in turn."""
    variants = [("seeds, --no-extract", ("--no-extract",))]
    if has_extractor():
        variants.append(("seeds, with extraction", ()))
    rows = []
    for n in range(runs):
        for name, extra in variants:
            store = work / "seeds-store"
            shutil.rmtree(store, ignore_errors=True)
            r = build_child([folder], store, *extra)
            if figures is not None:
                figures[name] = r
            rows.append((name + (f" (run {n + 1})" if runs > 1 else ""), f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s",
                         f"{r['rss_mib']:.0f} MiB", f"{r['papers']} papers, {r['triples_after']} triples "
                         f"(target < {TARGETS['seeds']:.0f} s)"))
    return rows


def has_extractor() -> bool:
    return subprocess.run([sys.executable, "-c", "import kg.extract"], capture_output=True, cwd=ROOT).returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--data", type=Path, help="synthetic digests made earlier with bench/synthetic.py")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one, removed)")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--extract", action="store_true", help="build the synthetic set with extraction too")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--lookups", type=Path, metavar="STORE", help="only time the hub and leaf lookups on STORE")
    ap.add_argument("--noop", type=Path, metavar="STORE", help="only time rebuilding --data into STORE, which holds it")
    ap.add_argument("--seeds-only", type=int, metavar="RUNS", help="only time the seeds, RUNS times each way, alternating")
    ap.add_argument("--plus-one", nargs=2, metavar=("STORE", "RUNS"),
                    help="only time adding RUNS new 300-paper digests to STORE (built from --papers papers), one build each")
    ap.add_argument("--own-names", action="store_true",
                    help="with --plus-one: digests of the synthetic set's own names (bench/synthetic.py's default seed)")
    ap.add_argument("--upgrade", type=Path, metavar="STORE",
                    help="only time rebuilding --data into STORE, which holds it, under the next extractor version")
    args = ap.parse_args()
    if args.upgrade:
        if not args.data:
            ap.error("--upgrade needs --data, the files STORE was built from")
        r = build_child([args.data], args.upgrade, kg=UPGRADED)
        replaced = sum(f["status"] == "replaced" for f in r["files"])
        if replaced != len(r["files"]):
            raise SystemExit(f"only {replaced} of {len(r['files'])} files replaced: was STORE upgraded before? Use a fresh copy")
        show([("rebuild after an extractor upgrade", f"{r['wall']:.1f} s", f"{r['cpu']:.1f} s", f"{r['rss_mib']:.0f} MiB",
               f"{len(r['files'])} files, {replaced} replaced, triples {r['triples_before']} -> {r['triples_after']}")])
        return
    if args.noop:
        if not args.data:
            ap.error("--noop needs --data, the files STORE was built from")
        r = build_child([args.data], args.noop, *(() if args.extract else ("--no-extract",)))
        added = sum(f["status"] != "unchanged" for f in r["files"])
        show([("no-op rebuild", f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s", f"{r['rss_mib']:.0f} MiB",
               f"{len(r['files'])} files, {added} not unchanged, {r['triples_after']} triples")])
        return
    if args.seeds_only:
        with tempfile.TemporaryDirectory() as tmp:
            show(seeds(args.seeds, Path(tmp), args.seeds_only))
        return
    if args.lookups:
        with tempfile.TemporaryDirectory() as tmp:
            show(lookups(args.lookups, Path(tmp)))
        return
    if args.plus_one:
        with tempfile.TemporaryDirectory() as tmp:
            show(plus_one(Path(args.plus_one[0]), int(args.plus_one[1]), args.papers, Path(tmp), args.own_names))
        return
    sys.path.insert(0, str(HERE))
    from synthetic import generate

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str, str]] = []
    figures: dict[str, dict] = {}
    try:
        if args.seeds.is_dir():
            rows += seeds(args.seeds, work, 1, figures)

        data = args.data or work / "synthetic"
        if not args.data:
            t = time.perf_counter()
            generate(args.papers, data)
            print(f"generated {args.papers} papers in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        extra_dir = work / "one-more"
        shutil.rmtree(extra_dir, ignore_errors=True)
        generate(300, extra_dir, seed=7, sizes=(300, 300), start=10 * args.papers, vocab_size=args.papers)

        store = work / "store"
        shutil.rmtree(store, ignore_errors=True)
        mode = () if args.extract else ("--no-extract",)
        label = "with extraction" if args.extract else "--no-extract"
        r = figures["fresh"] = build_child([data], store, *mode)
        rate = r["papers"] / r["wall"]
        rows.append((f"fresh build, {label}", f"{r['wall']:.1f} s", f"{r['cpu']:.1f} s", f"{r['rss_mib']:.0f} MiB",
                     f"{r['papers']} papers, {rate:,.0f} papers/s, {r['triples_after']} triples "
                     f"(targets >= {TARGETS['papers_per_s']:,}/s, < {TARGETS['rss_gib']:.0f} GiB)"))
        r = figures["incremental"] = build_child([extra_dir], store, *mode)
        rows.append(("+1 digest (300 papers)", f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s", f"{r['rss_mib']:.0f} MiB",
                     f"triples {r['triples_before']} -> {r['triples_after']}"))
        r = figures["noop"] = build_child([data], store, *mode)
        same = "same" if r["triples_after"] == r["triples_before"] else "CHANGED"
        rows.append(("no-op rebuild", f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s", f"{r['rss_mib']:.0f} MiB",
                     f"{r['papers']} papers added, triples {same} ({r['triples_after']})"))
        disk = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
        rows.append(("store on disk", "", "", "", f"{disk / 2**20:.0f} MiB"))
        rows += lookups(store, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    show(rows)
    if args.json:
        print(json.dumps({k: {x: v[x] for x in ("wall", "cpu", "rss_mib", "papers", "triples_before", "triples_after")}
                          for k, v in figures.items()}, indent=1))


def plus_one(store: Path, runs: int, papers: int, work: Path, own: bool = False) -> list[tuple[str, str, str, str, str]]:
    """Add ``runs`` new 300-paper digests to ``store``, one build each, made like the +1 digest
    of a full run but with seeds the store does not hold yet (their papers' ids lie past the
    synthetic set's). ``own``: drawn from the names of a synthetic set made with the default
    seed, as a real day's digest names GRPO and LoRA (the same entries each time, under new ids)."""
    sys.path.insert(0, str(HERE))
    from synthetic import generate

    from kg.store import Store

    with Store(store) as db:
        held = {d["sha"] for d in db.digests().values()}
    rows, seed = [], 100
    while len(rows) < runs:
        seed += 1
        one = work / f"one-{seed}"
        generate(300, one, seed=1 if own else seed, sizes=(300, 300), start=(20 if own else 10) * papers + 1000 * seed,
                 vocab_size=papers)
        (path,) = one.iterdir()
        if hashlib.sha256(path.read_bytes()).hexdigest() in held:
            continue
        r = build_child([one], store)
        rows.append((f"+1 digest ({'own names, ids ' if own else 'seed '}{seed}, {path.name})", f"{r['wall']:.2f} s", f"{r['cpu']:.2f} s",
                     f"{r['rss_mib']:.0f} MiB", f"{r['papers']} papers, triples {r['triples_before']} -> {r['triples_after']}"))
    walls = sorted(float(r[1].split()[0]) for r in rows)
    rows.append(("+1 digest, median", f"{walls[len(walls) // 2]:.2f} s", "", "", f"of {runs} (target <= 3 s)"))
    return rows


def show(rows: list[tuple[str, str, str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'wall':>8}  {'CPU':>8}  {'peak RSS':>9}  notes")
    for name, wall, cpu, rss, note in rows:
        print(f"{name:<{width}}  {wall:>8}  {cpu:>8}  {rss:>9}  {note}")


if __name__ == "__main__":
    main()
