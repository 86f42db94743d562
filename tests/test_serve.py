"""kg serve: the SPARQL 1.1 Protocol endpoint, the JSON API (the CLI's --json, byte for byte), the
live views, errors as HTTP statuses, answers that are never half a build — in process with
Starlette's TestClient, then a real server on a loopback port with SPARQLWrapper, curl and Chromium."""

from __future__ import annotations

import csv
import io
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app as cli
from kg.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
METHODS = "SELECT DISTINCT ?m ?l WHERE { ?m a kg:Method ; skos:prefLabel ?l } ORDER BY ?m"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def served(seeds_store, tmp_path_factory) -> Path:
    """A copy of the seeds store for the servers of this module (they write snapshots beside it)."""
    dest = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(seeds_store, dest, ignore=shutil.ignore_patterns("lock", "snapshots"))
    return dest


@pytest.fixture(scope="module")
def client(served):
    from starlette.testclient import TestClient

    from kg.serve import create_app

    with TestClient(create_app(served, timeout=6, max_rows=5000)) as c:
        yield c


@pytest.fixture(scope="module")
def db(served):
    with Store(served) as store:
        yield store


def rows(db, query: str) -> list[dict]:
    return db.select(query)


# ---- SPARQL 1.1 Protocol ---------------------------------------------------------------------

@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_query_by_get_form_and_body(client, db, how):
    if how == "get":
        r = client.get("/sparql", params={"query": METHODS})
    elif how == "form":
        r = client.post("/sparql", data={"query": METHODS})
    else:
        r = client.post("/sparql", content=METHODS.encode(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    got = [(b["m"]["value"], b["l"]["value"]) for b in r.json()["results"]["bindings"]]
    assert got == [(x["m"], x["l"]) for x in rows(db, METHODS)] and got


def test_results_formats_by_accept(client, db):
    expected = [(x["m"], x["l"]) for x in rows(db, METHODS)]
    r = client.get("/sparql", params={"query": METHODS}, headers={"accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert [tuple(row) for row in csv.reader(io.StringIO(r.text))] == [("m", "l"), *expected]
    r = client.get("/sparql", params={"query": METHODS}, headers={"accept": "text/tab-separated-values"})
    lines = r.text.splitlines()
    assert lines[0] == "?m\t?l" and len(lines) == len(expected) + 1 and lines[1].startswith(f"<{expected[0][0]}>\t")
    r = client.get("/sparql", params={"query": METHODS},
                   headers={"accept": "text/html, application/sparql-results+xml;q=0.9"})
    from lxml import etree

    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    uris = etree.fromstring(r.content).xpath("//r:binding[@name='m']/r:uri/text()", namespaces=ns)
    assert r.headers["content-type"].startswith("application/sparql-results+xml") and uris == [m for m, _ in expected]
    r = client.get("/sparql", params={"query": "ASK { ?m a kg:Method }"})
    assert r.json()["boolean"] is True


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld")])
def test_construct_as_turtle_ntriples_jsonld(client, db, accept, fmt):
    query = "CONSTRUCT { ?m a kg:Method ; skos:prefLabel ?l } WHERE { ?m a kg:Method ; skos:prefLabel ?l }"
    r = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    labels = {(str(s), str(o)) for s, o in g.subject_objects(rdflib.SKOS.prefLabel)}
    assert labels == {(x["m"], x["l"]) for x in rows(db, METHODS)}


def test_service_description(client, db):
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert str(g.value(service, SD.endpoint)) == "http://testserver/sparql"
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}  # no update: read-only
    names = {str(n) for n in g.objects(None, SD.name)}
    assert names == {str(x.value) for x in db.db.named_graphs()} and set(db.digests()) <= names


@pytest.mark.parametrize("request_, status, message", [
    (("get", {"query": "SELEC ?x"}, {}), 400, "Error: SPARQL syntax error"),
    (("get", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5001"}, {}), 413, "more than this server returns (5,000)"),
    (("get", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}, {}), 503,
     "Error: query timed out after 6 s"),
    (("get", {"query": "DROP ALL"}, {}), 400, "DROP is an update: send it as `update`"),
    (("post", {"update": "DROP ALL"}, {}), 403, "this server is read-only"),
    (("get", {"update": "DROP ALL"}, {}), 400, "an update must be sent with POST"),
    (("get", {"query": "ASK {}"}, {"accept": "image/png"}), 406, "cannot answer as image/png"),
    (("get", {"query": "ASK {}", "default-graph-uri": "http://e/g"}, {}), 400, "dataset parameters are not supported"),
    (("post", {"query": "ASK {}", "update": "DROP ALL"}, {}), 400, "give either `query` or `update`"),
    (("post", {"query": "ASK {} #" + "x" * (1 << 20)}, {}), 413, "longer than"),
])
def test_protocol_errors_are_http_errors_with_a_message(client, request_, status, message):
    method, params, headers = request_
    r = client.get("/sparql", params=params, headers=headers) if method == "get" else \
        client.post("/sparql", data=params, headers=headers)
    assert r.status_code == status
    assert message in r.text and r.text.count("\n") == 1


def test_post_without_a_known_content_type(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.text


def test_server_still_answers_after_a_timeout(client):
    client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    r = client.get("/sparql", params={"query": "ASK { ?m a kg:Method }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_query_past_its_memory_cap_is_an_error_and_the_server_goes_on(served):
    from starlette.testclient import TestClient

    from kg.serve import create_app

    with TestClient(create_app(served, timeout=60, memory=600 << 20)) as c:
        r = c.get("/sparql", params={"query": "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f"})
        assert r.status_code == 400 and "past its memory cap of 600 MiB" in r.text
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_a_snapshot_shares_the_read_index_of_the_store(client, served):
    snapshots = client.app.state.snapshots
    snap = snapshots.use()
    try:  # a hard link, proven current: rebuilding it takes minutes at 100k papers
        assert (snap.path / "index.sqlite").stat().st_ino == (served / "index.sqlite").stat().st_ino
    finally:
        snapshots.release(snap)


def test_two_servers_on_one_store_keep_their_own_snapshots(client, served):
    from starlette.testclient import TestClient

    from kg.serve import create_app

    snapshots = client.app.state.snapshots
    mine = snapshots.use()
    snapshots.release(mine)
    with TestClient(create_app(served, workers=1)) as other:
        assert other.get("/api/search", params={"q": "learning"}).status_code == 200
    assert (mine.path / "oxigraph").is_dir()  # the other server deleted only its own
    assert client.get("/api/search", params={"q": "learning", "limit": 2}).status_code == 200


def test_answers_are_kept_per_snapshot_unless_volatile(client):
    volatile = "SELECT (STRUUID() AS ?u) WHERE {}"
    first, second = (client.get("/sparql", params={"query": volatile}).json() for _ in range(2))
    assert first != second  # not answered from memory
    snap = client.app.state.snapshots.use()
    try:
        before = len(snap.responses._items)
        same = [client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a kg:Method } LIMIT 3"}).content
                for _ in range(3)]
        assert len(set(same)) == 1 and len(snap.responses._items) == before + 1
    finally:
        client.app.state.snapshots.release(snap)


def test_update_only_with_allow_update(store_copy):
    from starlette.testclient import TestClient

    from kg.serve import create_app

    insert = "INSERT DATA { <https://example.org/x> rdfs:label 'Synthetic X' }"
    ask = "ASK { <https://example.org/x> rdfs:label 'Synthetic X' }"
    with TestClient(create_app(store_copy, allow_update=True)) as c:
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is False
        r = c.post("/sparql", content=insert.encode(), headers={"content-type": "application/sparql-update"})
        assert r.status_code == 200, r.text
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True  # a new snapshot
        g = rdflib.Graph().parse(data=c.get("/sparql").text, format="turtle")
        assert SD.SPARQL11Update in set(g.objects(None, SD.supportedLanguage))
    with Store(store_copy) as db:
        assert db.query(ask)


# ---- JSON API: the CLI's --json, byte for byte -----------------------------------------------

@pytest.fixture(scope="module")
def names(db) -> dict:
    """Names to ask about, taken from the store: the busiest method and author whose names are
    unique, and a label several nodes share."""
    from kg.store.index import open_index

    with open_index(db.path) as index:
        def unique(labels):
            return next(x for x in labels if len({r[0] for r in index.rows(
                "SELECT node FROM names WHERE lower = ? AND tier != 'arxiv'", x.lower())}) == 1)

        method = unique(r["l"] for r in db.select(
            "SELECT ?l (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:usesMethod|kg:proposesMethod ?m ."
            " ?m skos:prefLabel ?l } GROUP BY ?l ORDER BY DESC(?n) ?l LIMIT 20"))
        author = unique(r["l"] for r in db.select(
            "SELECT ?l (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:creator ?a . ?a foaf:name ?l }"
            " GROUP BY ?l ORDER BY DESC(?n) ?l LIMIT 20"))
        ambiguous = index.rows("SELECT value FROM names WHERE exact AND tier = 'label' GROUP BY value"
                               " HAVING COUNT(DISTINCT node) > 1 ORDER BY value LIMIT 1")[0][0]
    user = db.select("SELECT ?a ?m WHERE { ?p kg:usesMethod/skos:prefLabel ?m ; dcterms:creator ?a } ORDER BY ?a LIMIT 1",
                     m=method)[0]["a"]
    return {"method": method, "author": author, "ambiguous": ambiguous, "user": user}


@pytest.mark.parametrize("command", ["neighbors", "neighbors2", "show", "search", "path", "picked"])
def test_api_is_the_cli_json_byte_for_byte(client, served, names, command):
    m, a = names["method"], names["author"]
    cases = {
        "neighbors": (["neighbors", m, "--limit", "3"], "/api/neighbors", {"name": m, "limit": 3}),
        "neighbors2": (["neighbors", a, "--depth", "2", "--limit", "2"], "/api/neighbors",
                       {"name": a, "depth": 2, "limit": 2}),
        "show": (["show", m, "--limit", "5"], "/api/show", {"name": m, "limit": 5}),
        "search": (["search", "reinforcement learning policy", "--limit", "5"], "/api/search",
                   {"q": "reinforcement learning policy", "limit": 5}),
        "path": (["path", names["user"], m], "/api/path", {"from": names["user"], "to": m}),
        "picked": (["neighbors", names["ambiguous"], "--pick", "2"], "/api/neighbors",
                   {"name": names["ambiguous"], "pick": 2}),
    }
    args, url, params = cases[command]
    result = CliRunner().invoke(cli, [*args, "--json", "--store", str(served)])
    assert result.exit_code == 0, result.output
    r = client.get(url, params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.content == result.stdout_bytes and len(r.content) > 50


def test_api_unknown_name_is_404_with_suggestions(client, names):
    typo = names["method"][:-2] + names["method"][-1] + names["method"][-2]  # two letters swapped
    r = client.get("/api/neighbors", params={"name": typo})
    assert r.status_code == 404
    assert r.json()["error"].startswith(f"No node '{typo}'. Did you mean:") and names["method"] in r.json()["error"]


def test_api_ambiguous_name_is_409_with_choices(client, db, names):
    r = client.get("/api/show", params={"name": names["ambiguous"]})
    assert r.status_code == 409
    body = r.json()
    assert body["error"].startswith(f"'{names['ambiguous']}' matches")
    iris = {c["iri"] for c in body["choices"]}
    labelled = {x["n"] for x in db.select("SELECT DISTINCT ?n ?v WHERE { ?n rdfs:label|skos:prefLabel|foaf:name|skos:notation ?l"
                                           " FILTER(STR(?l) = ?v) }", v=names["ambiguous"])}
    assert len(iris) > 1 and iris <= labelled


@pytest.mark.parametrize("url,status", [("/api/neighbors", 400), ("/api/neighbors?name=x&depth=3", 400),
                                        ("/api/search?q=x&limit=0", 400), ("/api/path?from=x", 400)])
def test_api_bad_parameters(client, url, status):
    r = client.get(url)
    assert r.status_code == status and r.json()["error"]


# ---- live views ------------------------------------------------------------------------------

def test_views_are_pages_of_the_store(client, names):
    for url in (f"/view/method/{names['method']}", f"/view/coauthors/{names['author']}", "/view/overview?top=40",
                f"/view/node/{names['method']}?depth=2"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), url
        assert "vis.Network" in r.text and "window.kgView" in r.text
    assert names["method"] in client.get(f"/view/method/{names['method']}").text
    r = client.get(f"/view/method/{names['author']}")  # not a method
    assert r.status_code == 404 and r.text.startswith("Error: No method")


def test_view_of_an_ambiguous_name_lists_choices(client, names):
    r = client.get(f"/view/node/{names['ambiguous']}")
    assert r.status_code == 409 and "(add ?pick=N)" in r.text
    assert client.get(f"/view/node/{names['ambiguous']}?pick=1").status_code == 200


def test_index_page_has_search_query_box_and_links(client, names):
    r = client.get("/", params={"q": "reinforcement learning"})
    assert r.status_code == 200
    from lxml import html

    page = html.fromstring(r.text)
    assert page.xpath("//form[@action='/']//input[@name='q']/@value") == ["reinforcement learning"]
    assert page.xpath("//form[@action='/sparql']//textarea[@name='query']")
    links = page.xpath("//a/@href")
    assert any(h.startswith("/view/node/https%3A%2F%2Farxiv.org%2Fabs%2F") for h in links)  # search hits
    assert "/view/overview?top=300" in links
    for href in [h for h in links if h.startswith("/view/")][:6]:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("path", ["/view/../../etc/passwd", "/view/method/../../../etc/passwd", "/etc/passwd",
                                  "/view/%2e%2e/%2e%2e/etc/passwd", "/view/method/..%2f..%2fetc%2fpasswd",
                                  "/view/node/%2Fetc%2Fpasswd", "/view/file/etc/passwd", "/static/../pyproject.toml"])
def test_nothing_outside_the_store_is_reachable(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "root:" not in r.text and "[project]" not in r.text


# ---- readers see the store before or after a build, never between ------------------------------

def synthetic_digest(n: int, start: int) -> str:
    entries = [f"### [{i}] [Zqxwv synthetic paper number {start + i}](https://arxiv.org/abs/2612.{start + i:05d})\n"
               f"*Ada Synthetic{i % 7}, Bo Example{i % 5}*\n\nMain category: cs.DB\n\nTL;DR: A made-up entry {i}.\n"
               for i in range(1, n + 1)]
    return "# cs.DB [[Back]](#toc)\n\n" + "\n".join(entries)


def test_answers_are_before_or_after_a_build(store_copy, tmp_path):
    from starlette.testclient import TestClient

    from kg.build import build
    from kg.serve import create_app

    digest = tmp_path / "digest-synthetic.md"
    digest.write_text(synthetic_digest(300, 1000), encoding="utf-8")
    with TestClient(create_app(store_copy)) as c:
        def count() -> tuple[int, int]:
            r = c.get("/sparql", params={"query": COUNT})
            s = c.get("/api/search", params={"q": "zqxwv", "limit": 1000})
            assert r.status_code == 200 and s.status_code == 200, (r.text, s.text)
            return int(r.json()["results"]["bindings"][0]["n"]["value"]), len(s.json())

        before = count()
        seen, done = [], threading.Event()
        thread = threading.Thread(target=lambda: (build([digest], store=store_copy, extract=False), done.set()))
        thread.start()
        while not done.is_set():
            seen.append(count())
        thread.join()
        after = count()
    assert before[1] == 0 and after[1] == 300 and after[0] > before[0]
    assert len(seen) > 3
    for i in (0, 1):  # each request sees one state (two requests may straddle the switch)
        assert {s[i] for s in seen} <= {before[i], after[i]}, sorted({s[i] for s in seen})


# ---- a real server on a loopback port ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``kg serve`` in a subprocess on a free loopback port, stopped at the end."""

    def __init__(self, store: Path, *args: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port",
                                      str(self.port), *args], stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        if f"127.0.0.1:{self.port}" not in line:
            self.stop()
            pytest.fail(f"kg serve did not start: {line}{self.proc.stderr.read()}")
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("kg serve did not accept connections within 20 s")

    def stop(self) -> int:
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


@pytest.fixture(scope="module")
def server(served):
    s = Server(served, "--timeout", "5")
    yield s
    workers = children(s.proc.pid)
    assert len(workers) == 2  # the query processes
    assert s.stop() == -signal.SIGTERM  # uvicorn shuts down, then re-raises the signal
    assert not list((served / "snapshots").glob(f"{s.proc.pid}-*")), "snapshots left behind"
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "query processes left behind"


def children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "30", *args], capture_output=True, text=True, check=True)


def test_sparqlwrapper_against_the_server(server, db):
    from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(METHODS)  # kg's prefixes are predeclared
    expected = [(x["m"], x["l"]) for x in rows(db, METHODS)]
    for method in ("GET", "POST"):
        client.setMethod(method)
        client.setReturnFormat(JSON)
        got = [(b["m"]["value"], b["l"]["value"]) for b in client.queryAndConvert()["results"]["bindings"]]
        assert got == expected
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == len(expected)
    client.setReturnFormat(CSV)
    assert [tuple(r) for r in csv.reader(io.StringIO(client.queryAndConvert().decode()))][1:] == expected
    client.setReturnFormat(TSV)
    assert len(client.queryAndConvert().decode().splitlines()) == len(expected) + 1
    client.setQuery("CONSTRUCT { ?m a kg:Method } WHERE { ?m a kg:Method }")
    client.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert {str(s) for s in g.subjects()} == {m for m, _ in expected}


def test_curl_against_the_server(server, names, served):
    out = curl("-H", "Accept: text/csv", "--data-urlencode", f"query={COUNT}", f"{server.url}/sparql").stdout
    with Store(served) as db:
        assert out.splitlines() == ["n", db.select(COUNT)[0]["n"]]
    out = curl("-G", "--data-urlencode", f"name={names['method']}", f"{server.url}/api/neighbors").stdout
    result = CliRunner().invoke(cli, ["neighbors", names["method"], "--json", "--store", str(served)])
    assert out == result.stdout
    status = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-urlencode", "update=DROP ALL",
                  f"{server.url}/sparql").stdout
    assert status == "403"
    for path in ("/view/../../etc/passwd", "/view/method/../../../etc/passwd", "/view/%2e%2e/%2e%2e/etc/passwd",
                 "/view/method/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..%2f..%2fetc/passwd", "/view/node/..%252f..%252fetc"):
        r = curl("--path-as-is", "-w", "\n%{http_code}", server.url + path).stdout
        assert r.endswith("\n404") and "root:" not in r, path


def test_binds_to_loopback_by_default(served):
    s = Server(served)
    try:
        listening = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.split(":")[1], 16) == s.port:  # 0A: LISTEN
                listening.add(local.split(":")[0])
        assert listening == {"0100007F"}  # 127.0.0.1, little-endian hex
    finally:
        s.stop()


@pytest.mark.browser
def test_method_view_from_the_server_in_chromium(server):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail(f"{chromium} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            outside, errors = [], []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url)
                       else (outside.append(r.request.url), r.abort()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            response = page.goto(f"{server.url}/view/method/GRPO")
            assert response.status == 200
            page.wait_for_function("() => window.kgView && window.kgView.ready", timeout=20_000)
            assert page.evaluate("kgView.nodes") > 5 and page.inner_text("#title").startswith("Method GRPO")
            page.goto(f"{server.url}/?q=policy")
            page.fill("input[name=q]", "reinforcement")
            page.press("input[name=q]", "Enter")
            page.wait_for_load_state()
            assert page.url.endswith("/?q=reinforcement") and page.locator("ol li a").count() > 0
            assert errors == [] and outside == []
        finally:
            browser.close()
