"""Time `kg viz` pages: Python (select, layout, render) and headless Chromium (first draw, a click).

Usage: python bench/viz.py [--store STORE] [--sizes 500,1500,5000] [--papers 6000]

Also counts the labels drawn on the first frame and how long drawing them took.
Views are overviews of a synthetic scholarly graph (Zipf-skewed authors, methods, benchmarks)
asking for the N most connected nodes; requests above kg.views.data.MAX_NODES are capped, so the last
size shows the cap at work. With --store, the seeds' own overview is timed as well. Each page
is opened from file:// with every other request aborted, as in tests/test_viz.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.views import data as views, html as viz  # noqa: E402
from kg.views.layout import layout  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def synthetic(papers: int, seed: int = 1):
    """A MultiDiGraph shaped like kg.views.graph.load's: authors → papers → methods, benchmarks, categories."""
    import networkx as nx

    rng = random.Random(seed)
    G = nx.MultiDiGraph()

    def zipf(prefix: str, kind: str, pool: int) -> str:
        n = min(int(rng.paretovariate(1.1)), pool)
        node = f"https://example.org/{prefix}/{n}"
        G.add_node(node, kind=kind, label=f"{prefix} {n}")
        return node

    for i in range(papers):
        p = f"https://arxiv.org/abs/2601.{i:05d}"
        G.add_node(p, kind="paper", label=f"Paper {i} on something", date="2026-01-01")
        for _ in range(4):
            G.add_edge(zipf("author", "author", papers), p, key="authored", relation="authored")
        for rel in ("uses_method", "uses_method", "evaluated_on", "in_category"):
            kind = {"uses_method": "method", "evaluated_on": "benchmark", "in_category": "category"}[rel]
            G.add_edge(p, zipf(kind, kind, {"category": 40}.get(kind, papers // 5)), key=rel, relation=rel)
    return G


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


def measure(browser, G, top: int | None, out: Path) -> dict:
    t0 = time.perf_counter()
    view = views.overview(G, top=top)
    t1 = time.perf_counter()
    layout(view.graph)
    t2 = time.perf_counter()
    path = viz.write(view, out)
    t3 = time.perf_counter()
    hub = max(view.graph, key=lambda n: (view.graph.degree(n), n))
    return {"asked": top or len(G), "nodes": view.nodes, "edges": view.edges, "select": t1 - t0, "layout": t2 - t1,
            "render": t3 - t2, "size": path.stat().st_size, **browser_times(browser, path, hub)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="also time the overview of this store")
    ap.add_argument("--sizes", default="500,1500,5000")
    ap.add_argument("--papers", type=int, default=6000)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    G = synthetic(args.papers)
    print(f"synthetic graph: {len(G):,} nodes, {G.number_of_edges():,} edges")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in map(int, args.sizes.split(",")):
            rows.append(("synthetic", measure(browser, G, n, Path(tmp) / f"s{n}.html")))
        if args.store:
            from kg.views.graph import load
            from kg.store import Store

            with Store(args.store) as db:
                S = load(db)
            rows.append(("store", measure(browser, S, None, Path(tmp) / "store.html")))
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
