"""Time `kg viz` pages: Python (select, layout, render), headless Chromium (first draw, a click),
and `kg viz` as a whole process.

Usage: python bench/viz.py --store STORE [--sizes 500,1500,5000]
       python bench/viz.py --process STORE|INDEX_FILE [--runs 3]

--store: overviews of STORE asking for the N most connected nodes; requests above
kg.views.data.MAX_NODES are capped, so the last size shows the cap at work. Also counts the
labels drawn on the first frame and how long drawing them took. Each page is opened from file://
with every other request aborted, as in tests/test_viz.py.

--process: `kg viz method` on the method the most papers use, `kg viz coauthors` on the author
with the most papers, and `kg viz overview`, each run as a fresh process: median wall and CPU
seconds and the largest peak RSS of --runs runs. Given an index file (``index.sqlite`` kept from
an older build, its store not at hand), the same views are drawn by this script in a fresh
process from that file as it is, since `kg viz` would first rebuild an index of another version.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.views import data as views, html as viz  # noqa: E402
from kg.views.layout import layout  # noqa: E402

KG = [sys.executable, "-m", "kg"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def opened(store: str):
    """The read index of ``store``, or the index file ``store`` read as it is (no proof that it
    matches a store: for an index kept from an older build whose store is not at hand)."""
    import sqlite3

    from kg.store.index import Index, open_index

    if Path(store).is_file():
        return Index(Path(store).parent, sqlite3.connect(f"{Path(store).resolve().as_uri()}?mode=ro", uri=True))
    return open_index(store)


def draw(view: str, name: str, store: str, out: str) -> None:
    """What `kg viz method|coauthors|overview` does, on :func:`opened`'s index."""
    from kg.explore.resolve import resolve

    with opened(store) as index:
        if view == "overview":
            drawn = views.overview(index)
        else:
            iri = resolve(index, name, kind="method" if view == "method" else "author").iri
            drawn = (views.method_view if view == "method" else views.coauthor_view)(index, iri)
    viz.write(drawn, out)
    print(f"wrote {out}: {drawn.nodes:,} nodes, {drawn.edges:,} edges")


def busiest(store: str) -> dict[str, str]:
    """The label of the method the most papers use or propose, and of the author with the most papers."""
    from kg.store.index import REL

    with opened(store) as index:
        return {kind: index.rows("SELECT n.label FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.rel = ?"
                                 " GROUP BY e.dst ORDER BY COUNT(*) DESC, n.iri LIMIT 1", REL[rel])[0][0]
                for kind, rel in (("method", "method"), ("author", "creator"))}


def run(args: list[str]) -> tuple[float, float, float, str]:
    """Wall s, CPU s (user + system) and peak RSS MiB of ``args`` as a fresh process, and its output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode().strip()
    if proc.returncode:
        raise SystemExit(f"kg {' '.join(args)} failed: {text}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def processes(store: str, runs: int) -> None:
    names = busiest(store)
    print(f"store {store}: hub method {names['method']!r}, top author {names['author']!r}")
    print("| command | wall s | CPU s | peak RSS MiB | drawn |")
    print("|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for what, args in (("viz method <hub>", ["method", names["method"]]),
                           ("viz coauthors <top author>", ["coauthors", names["author"]]),
                           ("viz overview", ["overview"])):
            out = str(Path(tmp) / "v.html")
            command = ([sys.executable, __file__, "--draw", *args, *([""] if len(args) == 1 else []), store, out]
                       if Path(store).is_file() else [*KG, "viz", *args, "--store", store, "-o", out])
            got = [run(command) for _ in range(runs)]
            drawn = got[-1][3].split(": ", 1)[-1].split(";")[0]
            print(f"| `kg {what}` | {statistics.median(g[0] for g in got):.2f} | {statistics.median(g[1] for g in got):.2f}"
                  f" | {max(g[2] for g in got):,.0f} | {drawn} |")


def browser_times(browser, path: Path, hub: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function("window.kgView && window.kgView.ready", timeout=120_000)
    wall = time.perf_counter() - start
    first = page.evaluate("kgView.firstDrawMs") / 1000
    labels = page.evaluate("[kgView.labels().length, kgView.labelMs]")
    x, y = page.evaluate("""id => { const net = kgView.network, p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.querySelector('#graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""", hub)
    start = time.perf_counter()
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelector('#details .label') !== null")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # the redraw is painted
    click = time.perf_counter() - start
    page.close()
    return {"first": first, "wall": wall, "click": click, "labels": labels[0], "label_ms": labels[1]}


def measure(browser, index, top: int | None, out: Path) -> dict:
    t0 = time.perf_counter()
    view = views.overview(index, top=top)
    t1 = time.perf_counter()
    layout(view.graph)
    t2 = time.perf_counter()
    path = viz.write(view, out)
    t3 = time.perf_counter()
    hub = max(view.graph, key=lambda n: (view.graph.degree(n), n))
    return {"asked": top or view.total_nodes, "nodes": view.nodes, "edges": view.edges, "select": t1 - t0,
            "layout": t2 - t1, "render": t3 - t2, "size": path.stat().st_size, **browser_times(browser, path, hub)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="time overviews of this store in Chromium")
    ap.add_argument("--sizes", default="500,1500,5000")
    ap.add_argument("--process", help="time kg viz on this store (or index file) as whole processes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--draw", nargs=4, metavar=("VIEW", "NAME", "STORE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.draw:
        return draw(*args.draw)
    if args.process:
        processes(args.process, args.runs)
    if not args.store:
        return
    from playwright.sync_api import sync_playwright

    from kg.store.index import open_index

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p, open_index(args.store) as index:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in map(int, args.sizes.split(",")):
            rows.append((Path(args.store).name, measure(browser, index, n, Path(tmp) / f"s{n}.html")))
        browser.close()
    print("| graph | asked | nodes | edges | select s | layout s | render s (incl. layout) | HTML MB "
          "| first draw s | load wall s | click → panel s | labels drawn | labels ms per frame |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['asked']:,} | {r['nodes']:,} | {r['edges']:,} | {r['select']:.2f} | {r['layout']:.2f} "
              f"| {r['render']:.2f} | {r['size'] / 1e6:.1f} | {r['first']:.2f} | {r['wall']:.2f} | {r['click']:.2f} "
              f"| {r['labels']} | {r['label_ms']:.1f} |")


if __name__ == "__main__":
    main()
