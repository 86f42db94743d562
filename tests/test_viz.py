"""kg viz: what each view selects (checked against SPARQL), the page it writes (self-contained,
escaped), the page in a real headless Chromium with the network blocked, and the GraphML/GEXF
exports Gephi reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.views import data as views, html as viz
from kg.cli import app
from kg.views.graph import load
from kg.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
EVIL_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> Evil title'
EVIL_NAME = 'Alice <img src=y onerror="window.__pwned=2">'
EVIL_DIGEST = f"""# cs.CV [[Back]](#toc)

### [1] [{EVIL_TITLE}](https://arxiv.org/abs/2601.99999)
*Alice Example, Bob Example*

Main category: cs.CV

TL;DR: A test entry.

### [2] [A benign neighbour](https://arxiv.org/abs/2601.99998)
*Alice Example*

Main category: cs.CV

TL;DR: Another entry.
"""


@pytest.fixture(scope="module")
def G(seeds_store):
    with Store(seeds_store) as db:
        return load(db)


@pytest.fixture(scope="module")
def db(seeds_store):
    with Store(seeds_store) as store:
        yield store


@pytest.fixture(scope="module")
def top_method(db) -> str:
    """The method the most papers propose or use."""
    rows = db.select("SELECT ?m (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:proposesMethod|kg:usesMethod ?m } "
                     "GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 1")
    return rows[0]["m"]


@pytest.fixture(scope="module")
def busy_author(db) -> str:
    """An author with at least two papers and the most co-authors, institutions on some paper."""
    rows = db.select("""SELECT ?a (COUNT(DISTINCT ?b) AS ?n) WHERE {
        ?p dcterms:creator ?a, ?b . FILTER EXISTS { ?q dcterms:creator ?a ; kg:affiliation ?i }
        { SELECT ?a WHERE { ?x dcterms:creator ?a } GROUP BY ?a HAVING (COUNT(DISTINCT ?x) > 1) }
    } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1""")
    return rows[0]["a"]


# ---- selection -----------------------------------------------------------------------------

def test_method_view_holds_papers_their_methods_benchmarks_and_authors(G, db, top_method):
    rows = db.select("""SELECT DISTINCT ?n ?m WHERE {
        { ?n kg:proposesMethod|kg:usesMethod ?m }
        UNION { ?p kg:proposesMethod|kg:usesMethod ?m ; kg:proposesMethod|kg:usesMethod|kg:proposesBenchmark|kg:evaluatesOn ?n }
        UNION { ?p kg:proposesMethod|kg:usesMethod ?m ; dcterms:creator ?n } }""", m=_iri(top_method))
    expected = {r["n"] for r in rows} | {top_method}
    view = views.method_view(db, top_method)
    assert set(view.graph) == expected
    assert view.total_nodes == len(expected) and not view.cut
    assert views.method_view(db, top_method, depth=2).nodes > view.nodes


def test_method_view_is_the_neighbourhood_kg_neighbors_reports(db, top_method):
    from kg.explore.neighbors import neighbors

    def groups(iri: str, kind: str) -> dict[str, set[str]]:
        found = neighbors(db, iri, kind=kind, limit=10**6)["groups"]
        return {g["relation"]: {item["iri"] for item in g["items"]} for g in found}

    around = groups(top_method, "method")
    papers = around["proposed_by"] | around["used_by"]
    expected = {top_method} | papers | around["used_with"] | around["evaluated_on"] | around["authors"]
    links = {frozenset((p, n)) for p in papers for relation, nodes in groups(p, "paper").items()
             if relation in ("authors", "methods", "benchmarks") for n in nodes}
    view = views.method_view(db, top_method)
    assert set(view.graph) == expected and len(expected) > 100
    assert views.pairs(view.graph) == links and (view.total_nodes, view.total_edges) == (len(expected), len(links))
    # capped just past its papers: the method and every paper, nothing further out
    capped = views.method_view(db, top_method, limit=1 + len(papers))
    assert set(capped.graph) == {top_method} | papers
    assert (capped.total_nodes, capped.total_edges) == (len(expected), len(links))
    assert capped.cut.startswith(f"{len(expected) - len(papers) - 1:,} nodes and ")


def test_coauthor_view_weights_are_shared_papers(G, db, busy_author):
    view = views.coauthor_view(db, busy_author)
    coauthors = {r["b"] for r in db.select("SELECT DISTINCT ?b ?a WHERE { ?p dcterms:creator ?a, ?b }", a=_iri(busy_author))}
    insts = {r["i"] for r in db.select("SELECT DISTINCT ?i ?a WHERE { ?p dcterms:creator ?a ; kg:affiliation ?i }",
                                       a=_iri(busy_author))}
    assert set(view.graph) == coauthors | insts and insts
    for b in coauthors - {busy_author}:
        shared = db.select("SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:creator ?a, ?b } GROUP BY ?a ?b",
                           a=_iri(busy_author), b=_iri(b))
        assert view.graph[busy_author][b]["weight"] == int(shared[0]["n"])
    from kg.explore.neighbors import neighbors

    co = neighbors(db, busy_author, kind="author", relation="co_authors", limit=10**6)["groups"][0]["items"]
    assert {(i["iri"], i["count"]) for i in co} == {(b, view.graph[busy_author][b]["weight"]) for b in view.graph[busy_author]
                                                    if view.graph.nodes[b]["kind"] == "author"}
    assert {view.graph.nodes[n]["kind"] for n in view.graph} == {"author", "institution"}


def test_overview_top_n_and_cap(G, db):
    top = views.overview(db, top=50)
    degrees = sorted((G.degree(n) for n in G), reverse=True)
    assert top.nodes == 50 and min(G.degree(n) for n in top.graph) == degrees[49]
    capped = views.overview(db, top=10 * len(G))
    assert capped.nodes == min(len(G), views.MAX_NODES)
    assert capped.total_nodes == len(G)
    if len(G) > views.MAX_NODES:
        assert f"{len(G) - views.MAX_NODES:,} nodes" in capped.cut


def test_node_view_depth_and_cap(G, db):
    pid = db.select("SELECT ?p WHERE { ?p a schema:ScholarlyArticle ; kg:code ?c } ORDER BY ?p LIMIT 1")[0]["p"]
    rows = db.select("SELECT DISTINCT ?n ?p WHERE { { ?p ?r ?n } UNION { ?n ?r ?p } FILTER(isIRI(?n)) }", p=_iri(pid))
    rows = [r for r in rows if r["n"] in G]  # only the node kinds the projection has
    view = views.node_view(db, pid)
    assert set(view.graph) == {r["n"] for r in rows} | {pid}
    small = views.node_view(db, pid, depth=2, limit=5)
    assert small.nodes == 5 and pid in small.graph and small.cut
    facts = view.facts[pid]
    assert ("arXiv", pid) in [tuple(link) for link in facts["links"]]
    assert any(text == "code" for text, _ in facts["links"])


def test_unknown_and_wrong_kind(G, db, top_method):
    from kg.errors import NotFound

    with pytest.raises(NotFound):
        views.method_view(db, "https://example.org/nothing")
    with pytest.raises(NotFound, match="not a author"):
        views.coauthor_view(db, top_method)


# ---- the page --------------------------------------------------------------------------------

def test_page_loads_nothing_from_outside(G, db, top_method):
    from lxml import html

    page = viz.render(views.method_view(db, top_method))
    doc = html.fromstring(page)
    assert not doc.xpath("//script[@src] | //link[@href] | //img | //iframe")
    assert not re.search(r"url\((?![\"']?data:)|@import", " ".join(doc.xpath("//style/text()")))
    bundled = set(re.findall(r"https?://[^\s\"'<>()\\]+", viz._asset("vis-9.1.2/vis-network.min.js")))
    data_links = set(G) | {url for n in G for url in re.findall(r"https?://\S+", n)}
    outside = {u for u in re.findall(r"https?://[^\s\"'<>()\\]+", page) if u not in bundled and u not in data_links}
    assert not outside


def test_cli_writes_page_and_reports_errors(seeds_store, top_method, G, tmp_path, monkeypatch):
    runner = CliRunner()
    label = G.nodes[top_method]["label"]
    out = tmp_path / "m.html"
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    result = runner.invoke(app, ["viz", "method", label, "--store", str(seeds_store), "-o", str(out), "--open"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: ") and out.read_text().startswith("<!DOCTYPE html>")
    assert opened == [out.resolve().as_uri()]
    wrong = label[:-1] + "#"
    result = runner.invoke(app, ["viz", "method", wrong, "--store", str(seeds_store), "-o", str(out)])
    assert result.exit_code == 1 and result.output.startswith(f"Error: No method '{wrong}'")
    result = runner.invoke(app, ["viz", "coauthors", "x", "--depth", "3", "--store", str(seeds_store)])
    assert result.exit_code == 2


def test_cli_default_file_name(seeds_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["viz", "overview", "--top", "20", "--store", str(seeds_store)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "exports" / "viz-overview-top20.html").exists()


# ---- in the browser --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Loaded:
    """A view opened from file:// with every other request aborted and recorded."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        url = path.resolve().as_uri()

        def route(r):
            if r.request.url == url:
                r.continue_()
            else:
                self.requests.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        # predicates are written as functions: a string predicate is eval()ed while polling, which the views' CSP forbids
        self.page.wait_for_function("() => window.kgView && window.kgView.ready", timeout=20_000)

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def drawn_pixels(self) -> int:
        return self.js("""(() => { const c = document.querySelector('#graph canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
            return n; })()""")

    def click_node(self, node: str) -> None:
        x, y = self.js(f"""(() => {{ const net = kgView.network, id = {_js(node)};
            const p = net.canvasToDOM(net.getPositions([id])[id]); const r = document.querySelector('#graph').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }})()""")
        self.page.mouse.click(x, y)


def _views(G, db, top_method, busy_author):
    paper = next(n for n in G if G.nodes[n]["kind"] == "paper")
    return {
        "method": views.method_view(db, top_method),
        "coauthors": views.coauthor_view(db, busy_author, depth=2),
        "paper": views.node_view(db, paper),
        "overview": views.overview(db),
    }


@pytest.mark.browser
@pytest.mark.parametrize("name", ["method", "coauthors", "paper", "overview"])
def test_view_in_chromium(browser, G, db, top_method, busy_author, tmp_path, name):
    view = _views(G, db, top_method, busy_author)[name]
    page = Loaded(browser, viz.write(view, tmp_path / f"{name}.html"))
    assert page.errors == [] and page.requests == []
    assert page.js("[kgView.nodes, kgView.edges]") == [view.nodes, view.edges]
    assert page.js("[kgView.network.body.data.nodes.length, kgView.network.body.data.edges.length]") == [view.nodes, view.edges]
    assert page.drawn_pixels() > 2000
    shown = page.page.inner_text("#counts")
    assert shown == f"{view.nodes:,} nodes, {view.edges:,} edges shown"
    assert page.page.inner_text("#title") == view.title


@pytest.mark.browser
def test_large_view_draws_and_responds(browser, G, db, tmp_path):
    # how fast is bench/viz.py's question; here a page that never draws or never answers a click fails
    view = views.overview(db, top=views.MAX_NODES)
    assert view.nodes == min(len(G), views.MAX_NODES)
    page = Loaded(browser, viz.write(view, tmp_path / "big.html"))
    assert 0 < page.js("kgView.firstDrawMs") < 30_000
    hub = max(view.graph, key=lambda n: (view.graph.degree(n), n))
    page.click_node(hub)
    page.page.wait_for_function("() => document.querySelector('#details .label') !== null", timeout=30_000)
    assert page.page.inner_text("#details .label") == G.nodes[hub]["label"]


@pytest.mark.browser
def test_click_search_filter_and_tooltip(browser, G, db, top_method, tmp_path):
    view = views.method_view(db, top_method)
    page = Loaded(browser, viz.write(view, tmp_path / "m.html"))
    H = view.graph
    paper = max((n for n in H if H.nodes[n]["kind"] == "paper"), key=lambda n: (H.degree(n), n))
    page.click_node(paper)
    assert page.js("kgView.network.getSelectedNodes()") == [paper]
    neighbours = set(H.successors(paper)) | set(H.predecessors(paper)) | {paper}
    colours = page.js("Object.fromEntries(kgView.network.body.data.nodes.get().map(n => [n.id, n.color]))")
    dim = {n for n, c in colours.items() if c.startswith("rgba(200")}
    assert dim == set(H) - neighbours
    links = page.page.eval_on_selector_all("#details a", "as => as.map(a => a.href)")
    assert paper in links
    # search: typing a label and Enter selects that node
    label = G.nodes[top_method]["label"]
    page.page.fill("#search", label)
    page.page.press("#search", "Enter")
    assert page.js("kgView.network.getSelectedNodes()") == [top_method]
    # filter: unticking "author" hides exactly the authors
    page.page.uncheck("#legend input[data-kind=author]")
    hidden = page.js("kgView.network.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert set(hidden) == {n for n in H if H.nodes[n]["kind"] == "author"}
    # tooltip: hovering a node shows its facts
    page.page.mouse.move(0, 0)
    x, y = page.js(f"""(() => {{ const net = kgView.network, p = net.canvasToDOM(net.getPositions([{_js(paper)}])[{_js(paper)}]);
        const r = document.querySelector('#graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.page.mouse.move(x, y)
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert G.nodes[paper]["label"] in page.page.inner_text("div.vis-tooltip")
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_markup_in_titles_is_shown_as_text(browser, tmp_path):
    # the readers strip markup from titles and reject it in names, but labels can reach the graph
    # other ways (a curation edit, an old store): the page must show whatever it is given as text
    import json

    digest = tmp_path / "evil.md"
    digest.write_text(EVIL_DIGEST, encoding="utf-8")
    store = tmp_path / "store"
    from kg.build import build

    build([digest], store=store, extract=False)
    with Store(store) as db:
        G = load(db)
    paper = next(n for n in G if n.endswith("2601.99999"))
    alice = next(n for n, data in G.nodes(data=True) if data["label"] == "Alice Example")
    for node, label in ((paper, EVIL_TITLE), (alice, EVIL_NAME)):  # a curation edit relabels them
        update = (f"DELETE {{ <{node}> rdfs:label ?old }} INSERT {{ <{node}> rdfs:label {json.dumps(label)} }}"
                  f" WHERE {{ <{node}> rdfs:label ?old }}")
        result = CliRunner().invoke(app, ["sparql", "--update", update, "--store", str(store)])
        assert result.exit_code == 0, result.output
    with Store(store) as db:
        out = viz.write(views.node_view(db, paper), tmp_path / "evil.html")
    page = Loaded(browser, out)
    assert page.js("window.__pwned") is None
    assert page.page.inner_text("#title") == f"Paper {EVIL_TITLE} (depth 1)"
    assert page.page.inner_text("#details .label") == EVIL_TITLE
    assert page.page.locator("img").count() == 0
    assert page.errors == [] and page.requests == []
    page.click_node(alice)
    assert page.page.inner_text("#details .label") == EVIL_NAME
    assert page.js("window.__pwned") is None


# ---- exports for Gephi -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_round_trip(seeds_store, G, tmp_path, fmt):
    import networkx as nx
    from lxml import etree

    from kg.export import export

    with Store(seeds_store) as db:
        path = export(db, fmt, tmp_path / f"kg.{fmt}")
    root = etree.parse(str(path)).getroot()
    if fmt == "graphml":
        ns = "http://graphml.graphdrawing.org/xmlns"
        assert root.tag == f"{{{ns}}}graphml"
        declared = {k.get("id") for k in root.iter(f"{{{ns}}}key")}
        assert {d.get("key") for d in root.iter(f"{{{ns}}}data")} <= declared
        back = nx.read_graphml(path)
    else:
        ns = root.nsmap[None]
        assert root.tag == f"{{{ns}}}gexf" and re.fullmatch(r"http://(www\.)?gexf\.net/1\.\d+(draft)?", ns)
        assert all(n.get("id") and n.get("label") is not None for n in root.iter(f"{{{ns}}}node"))
        back = nx.read_gexf(path)
    simple = nx.DiGraph(G)
    assert (back.number_of_nodes(), back.number_of_edges()) == (simple.number_of_nodes(), simple.number_of_edges())
    for n in list(G)[:: max(1, len(G) // 50)]:
        assert back.nodes[n]["kind"] == G.nodes[n]["kind"]
        assert back.nodes[n]["label"] == G.nodes[n]["label"]
    for u, v, data in list(simple.edges(data=True))[:: max(1, simple.number_of_edges() // 50)]:
        assert back[u][v]["relation"] == data["relation"]


def _iri(value: str):
    import pyoxigraph as ox

    return ox.NamedNode(value)


def _js(value: str) -> str:
    import json

    return json.dumps(value)


def test_views_are_deterministic_across_processes(seeds_store, tmp_path):
    """Set iteration order changes with the hash seed; a view must not."""
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"grpo-{seed}.html"
        subprocess.run([sys.executable, "-m", "kg", "viz", "method", "GRPO", "--store", str(seeds_store), "-o", str(out)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


# ---- pictures people can read --------------------------------------------------------------

SHOTS = {}


@pytest.fixture(scope="module")
def grpo(db) -> str:
    from kg.explore.resolve import resolve

    return resolve(db, "GRPO", kind="method").iri


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where the browser tests leave their screenshots (look at them: legibility is judged by eye)."""
    return tmp_path_factory.getbasetemp() / "screenshots"


def _overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def _ink(page: Loaded, box: dict) -> int:
    """Dark pixels the canvas has inside a label's box (text is drawn in #222)."""
    return page.js(f"""(() => {{ const c = document.querySelector('#graph canvas'), r = window.devicePixelRatio || 1;
        const d = c.getContext('2d').getImageData({box['x']} * r, {box['y']} * r, Math.max(1, {box['w']} * r),
                                                  {box['h']} * r).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) n++;
        return n; }})()""")


@pytest.mark.browser
@pytest.mark.parametrize("name", ["overview", "grpo"])
def test_hub_labels_are_drawn_and_never_overlap(browser, G, db, grpo, tmp_path, screenshots, name):
    view = views.overview(db) if name == "overview" else views.method_view(db, grpo)
    page = Loaded(browser, viz.write(view, tmp_path / f"{name}.html"))
    screenshots.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(screenshots / f"{name}-{view.nodes}-nodes.png"))
    hubs = page.js("kgView.hubs")
    # the most connected nodes (the focus first) are the hubs
    ranked = sorted(view.graph, key=lambda n: (n != view.focus, -G.degree(n), n))
    assert hubs == ranked[:len(hubs)] and 6 <= len(hubs) <= 30
    labels = page.js("kgView.labels()")
    drawn = [b for b in labels if b["hub"]]
    assert sorted(b["id"] for b in drawn) == sorted(hubs)
    assert not [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlaps(a, b)]
    width, height = page.js("[document.querySelector('#graph').clientWidth, document.querySelector('#graph').clientHeight]")
    assert all(0 <= b["x"] and b["x"] + b["w"] <= width and 0 <= b["y"] and b["y"] + b["h"] <= height for b in labels)
    assert all(_ink(page, b) > 10 for b in drawn)
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_zooming_in_labels_more_nodes_without_overlap(browser, G, db, tmp_path, screenshots):
    view = views.overview(db)
    page = Loaded(browser, viz.write(view, tmp_path / "zoom.html"))
    before = len(page.js("kgView.labels()"))
    hub = page.js("kgView.hubs[0]")
    page.js(f"kgView.network.focus({_js(hub)}, {{scale: kgView.network.getScale() * 5, animation: false}})")
    page.page.wait_for_timeout(200)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(screenshots / "overview-zoomed.png"))
    labels = page.js("kgView.labels()")
    assert len([b for b in labels if not b["hub"] and b["id"]]) > before
    assert not [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlaps(a, b)]


@pytest.mark.browser
def test_hover_names_the_neighbours(browser, G, db, grpo, tmp_path):
    view = views.method_view(db, grpo)
    page = Loaded(browser, viz.write(view, tmp_path / "hover.html"))
    H = view.graph
    paper = min((n for n in H if H.nodes[n]["kind"] == "paper"), key=lambda n: (H.degree(n), n))
    x, y = page.js(f"""(() => {{ const net = kgView.network, p = net.canvasToDOM(net.getPositions([{_js(paper)}])[{_js(paper)}]);
        const r = document.querySelector('#graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.page.mouse.move(x, y)
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    labelled = {b["id"] for b in page.js("kgView.labels()")}
    assert {paper, *H.successors(paper), *H.predecessors(paper)} <= labelled


def test_regions_are_named_after_their_clusters(G, db, grpo):
    from kg.views.layout import layout, regions

    view = views.method_view(db, grpo)
    pos, clusters = layout(view.graph)
    assert sorted(n for c in clusters for n in c) == sorted(view.graph)
    found = regions(view.graph, pos, clusters)
    assert found and all(r["nodes"] >= 4 for r in found)
    kinds = ("method", "topic", "benchmark", "category")
    for region, members in zip(found, (c for c in clusters if len(c) >= 4)):
        named = [n for n in members if view.graph.nodes[n]["kind"] in kinds] or members
        assert region["name"].rstrip("…") in {view.graph.nodes[n]["label"][:len(region["name"].rstrip("…"))] for n in named}
        for n in members:  # the outline holds every member
            assert _inside(pos[n], region["outline"])


def _inside(point, polygon) -> bool:
    """Ray casting: is ``point`` inside (or on) ``polygon``."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 - 1e-6:
            inside = not inside
    return inside or any(abs(x - px) < 1 and abs(y - py) < 1 for px, py in polygon)


def test_title_line_says_what_was_cut_and_why(G, db):
    top = views.overview(db, top=200)
    assert top.cut == (f"{len(G) - 200:,} nodes and {len(views.pairs(G)) - top.edges:,} edges not shown: "
                       "the 200 most connected were asked for")
    capped = views.overview(db, top=len(G))
    assert capped.cut.endswith(f": {len(G):,} were asked for, but at most 1,500 nodes are drawn, most connected first")
    paper = next(n for n in G if G.nodes[n]["kind"] == "paper")
    assert views.node_view(db, paper, depth=2, limit=5).cut.endswith(
        ": at most 5 nodes are drawn, nearest and most connected first")


@pytest.mark.browser
def test_edges_are_styled_per_relation_with_a_legend(browser, G, db, tmp_path):
    view = views.overview(db, top=300)
    page = Loaded(browser, viz.write(view, tmp_path / "edges.html"))
    edges = page.js("kgView.network.body.data.edges.get().map(e => [e.rel, e.color.color, String(e.dashes)])")
    style = {}
    for rel, colour, dashes in edges:
        style.setdefault(rel, set()).add((colour, dashes))
    assert all(len(s) == 1 for s in style.values())  # one look per relation
    assert len({next(iter(s)) for s in style.values()}) == len(style)  # and no two relations look alike
    legend = page.page.eval_on_selector_all("#relations label:has(input[data-rel])", "ls => ls.map(l => l.textContent.trim())")
    counts = {rel: sum(1 for e in edges if e[0] == rel) for rel in style}
    assert sorted(legend) == sorted(f"{viz.RELATIONS[rel][0]} ({n})" for rel, n in counts.items())
    rel = max(counts, key=counts.get)
    page.page.uncheck(f"#relations input[data-rel={rel}]")
    hidden = page.js("kgView.network.body.data.edges.get({filter: e => e.hidden}).map(e => e.rel)")
    assert len(hidden) == counts[rel] and set(hidden) == {rel}
    assert page.errors == []


@pytest.mark.browser
def test_time_slider_shows_the_graph_as_it_stood(browser, G, db, grpo, tmp_path):
    view = views.method_view(db, grpo)
    page = Loaded(browser, viz.write(view, tmp_path / "time.html"))
    times = page.js("Array.from(new Set(kgView.network.body.data.nodes.get().map(n => n.t).filter(Boolean))).sort()")
    cutoff = max(t for t in times if t < "2026-01-01")
    page.js(f"kgView.setUntil({times.index(cutoff)})")
    hidden = set(page.js("kgView.hidden()"))
    papers = {n for n in view.graph if view.graph.nodes[n]["kind"] == "paper"}
    dated = {r["p"]: r["d"] for r in db.select("SELECT ?p (MAX(?d) AS ?d) WHERE { ?p dcterms:issued ?d } GROUP BY ?p")}
    assert hidden & papers == {p for p in papers if dated.get(p, "") > cutoff}  # a paper's own date places it
    assert page.page.inner_text("#until").startswith(f"{cutoff} (")
    page.js(f"kgView.setUntil({len(times)})")
    assert page.js("kgView.hidden()") == [] and page.page.inner_text("#until") == "every date"


@pytest.mark.browser
def test_node_list_is_saved_as_csv_and_copied(browser, G, db, tmp_path):
    import csv
    import io

    view = views.overview(db, top=400)
    page = Loaded(browser, viz.write(view, tmp_path / "list.html"))
    page.page.click("#list summary")
    # the list is filled on the details' toggle event, which the browser fires after the click returns
    page.page.wait_for_function("() => document.querySelectorAll('#rows tr').length > 0", timeout=10_000)
    assert page.page.locator("#rows tr").count() == view.nodes
    with page.page.expect_download() as download:
        page.page.click("#csv")
    saved = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(saved)))
    assert len(rows) == view.nodes and {r["iri"] for r in rows} == set(view.graph)
    code = {r["p"]: r["c"] for r in db.select("SELECT ?p (MIN(STR(?c)) AS ?c) WHERE { ?p kg:code ?c } GROUP BY ?p")}
    for r in rows:
        assert r["label"] == G.nodes[r["iri"]]["label"] and r["kind"] == G.nodes[r["iri"]]["kind"]
        if r["kind"] == "paper":
            assert r["arXiv"] == r["iri"]
            assert (code[r["iri"]] in r["code"].split()) if r["iri"] in code else r["code"] == ""
    assert any(r["code"] for r in rows)
    page.js("window.__copied = null; navigator.clipboard.writeText = t => { window.__copied = t; return Promise.resolve(); }")
    page.page.click("#copy")
    page.page.wait_for_function("() => window.__copied !== null")
    copied = page.js("window.__copied").splitlines()
    assert copied[0].split("\t") == list(rows[0]) and len(copied) == view.nodes + 1
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_fonts_fall_back_to_cjk(browser, G, db, tmp_path):
    topic = next(n for n in G if G.nodes[n]["kind"] == "topic" and any("\u4e00" <= ch <= "\u9fff" for ch in G.nodes[n]["label"]))
    view = views.node_view(db, topic)
    page = Loaded(browser, viz.write(view, tmp_path / "cjk.html"))
    face = page.js("getComputedStyle(document.body).fontFamily")
    assert all(f in face for f in ('"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"', '"WenQuanYi Micro Hei"'))
    # the canvas labels use the same stack: the topic's Chinese label is drawn, not as boxes of one width
    box = next(b for b in page.js("kgView.labels()") if b["id"] == topic)
    assert _ink(page, box) > 10
    # and its characters come out as glyphs, not as the missing-glyph box a private-use character gets
    same = page.js(f"""(() => {{ const face = getComputedStyle(document.documentElement).getPropertyValue('--face');
        function ink(ch) {{ const c = document.createElement('canvas'); c.width = c.height = 32;
            const x = c.getContext('2d'); x.font = '24px ' + face; x.fillText(ch, 2, 26);
            return Array.from(x.getImageData(0, 0, 32, 32).data).join(); }}
        const box = ink('\\ue000'); return [...{_js(G.nodes[topic]['label'])}].filter(ch => ink(ch) === box).length; }})()""")
    assert same == 0


def test_projection_carries_the_time_axis(G):
    # 2601.21461: in 002 (2026-06-04) and undated 003; 2601.20881: only in 003
    assert {k: G.nodes["https://arxiv.org/abs/2601.21461"].get(k) for k in ("first_seen", "last_seen", "first_date")} == {
        "first_seen": "2026-06-04", "last_seen": "2026-06-04", "first_date": "2026-06-04"}
    assert "first_seen" not in G.nodes["https://arxiv.org/abs/2601.20881"]
    # an edge is seen and dated with its paper
    edges = [d for _, _, d in G.in_edges("https://arxiv.org/abs/2601.21461", data=True)]
    assert edges and all((d["relation"], d["first_seen"], d["first_date"]) == ("authored", "2026-06-04", "2026-06-04")
                         for d in edges)
