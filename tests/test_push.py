"""kg push and kg sparql --endpoint against two real SPARQL servers the tests start themselves on
loopback ports: Oxigraph server and OpenLink Virtuoso. The seeds store goes in graph by graph;
counts per graph and the answers of every query in queries/ must match the local store."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app as cli
from kg.explore.remote import sparql as remote_sparql
from kg.explore.sparql import sparql as local_sparql
from kg.store import Store
from kg.store.remote import STATE, Remote, RemoteError, push

from seed_entries import query_on_seeds

QUERIES = sorted((Path(__file__).resolve().parents[1] / "queries").glob("*.rq"))
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def serving(server: str, name: str):
    """Yield the URL of a private instance of ``triplestores.<server>``; fail if it cannot start."""
    import triplestores

    try:
        with getattr(triplestores, server)() as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(f"{name} could not start: {exc}")


@pytest.fixture(scope="module")
def oxigraph():
    yield from serving("oxigraph_server", "Oxigraph server")


@pytest.fixture(scope="module")
def virtuoso():
    yield from serving("virtuoso_server", "Virtuoso")


@pytest.fixture(scope="module")
def local(seeds_store, tmp_path_factory) -> Path:
    """A copy of the seeds store (a push records its progress in the store directory)."""
    dest = tmp_path_factory.mktemp("pushed") / "store"
    shutil.copytree(seeds_store, dest, ignore=shutil.ignore_patterns("lock"))
    return dest


def per_graph(rows, graphs) -> dict[str, int]:
    return {r["g"]: int(r["n"]) for r in rows if r["g"] in graphs}


def remote_rows(url: str, query: str) -> list[dict]:
    with Remote(url) as remote:
        result = remote_sparql(remote, query)
    data = json.loads(result.data)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def answers(result) -> Counter:
    """A result's solutions as a multiset of (variable, term) rows: order-free, types kept."""
    data = json.loads(result.data)
    if "boolean" in data:
        return Counter([data["boolean"]])
    return Counter(tuple(sorted((k, v["type"].replace("typed-literal", "literal"), v["value"], v.get("datatype", ""),
                                 v.get("xml:lang", "")) for k, v in b.items())) for b in data["results"]["bindings"])


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def pushed(request, local):
    """(server name, query URL, push report) after pushing the seeds store into that server."""
    url = request.getfixturevalue(request.param)
    with Store(local) as db, Remote(url) as remote:
        report = push(db, remote, batch=7000)
    return request.param, url, report


def test_push_keeps_every_digest_graph_and_its_triples(pushed, local):
    name, url, report = pushed
    with Store(local) as db:
        graphs = {str(g.value) for g in db.db.named_graphs()}
        expected = per_graph(db.select(PER_GRAPH), graphs)
        assert set(db.digests()) <= graphs
    assert report.method == "gsp" and sorted(report.graphs) == sorted(graphs) and not report.skipped
    assert report.triples == sum(expected.values())
    assert per_graph(remote_rows(url, PER_GRAPH), graphs) == expected


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_queries_answer_the_same_on_the_server(pushed, local, seeds_dir, query):
    name, url, _ = pushed
    text = query_on_seeds(query, seeds_dir)
    with Store(local) as db:
        here = answers(local_sparql(db, text, timeout=None))
    with Remote(url) as remote:
        there = answers(remote_sparql(remote, text))
    assert sum(here.values()) > 0
    assert there == here


def test_push_again_sends_nothing_and_resumes_after_a_failure(oxigraph, local, tmp_path, monkeypatch):
    copy = tmp_path / "store"
    shutil.copytree(local, copy, ignore=shutil.ignore_patterns("lock", STATE))
    target = "https://example.org/resumed"
    sent = []
    real = Remote.send_graph

    def failing(self, graph, data, *, replace):
        if len(sent) == 2:
            raise RemoteError("connection reset (injected)")
        sent.append(graph)
        return real(self, graph, data, replace=replace)

    with Store(copy) as db:
        graphs = sorted(str(g.value) for g in db.db.named_graphs())
        monkeypatch.setattr(Remote, "send_graph", failing)
        with Remote(oxigraph) as remote, pytest.raises(RemoteError, match="injected"):
            push(db, remote, graph=target, replace=True, batch=10**6)
        monkeypatch.setattr(Remote, "send_graph", real)
        state = json.loads((copy / STATE).read_text())
        assert [sorted(s["done"]) for s in state.values()] == [graphs[:2]]
        with Remote(oxigraph) as remote:
            report = push(db, remote, graph=target, replace=True, batch=10**6)
        assert report.skipped == graphs[:2] and report.graphs == graphs[2:]
        distinct = int(db.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]["n"])
        with Remote(oxigraph) as remote:
            again = push(db, remote, graph=target, replace=True)
    assert again.graphs == [] and again.skipped == graphs
    one = remote_rows(oxigraph, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
    assert int(one[0]["n"]) == distinct  # the resumed run did not clear what the first one sent


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_replace_drops_what_the_server_had_and_add_keeps_it(request, server, local, tmp_path):
    url = request.getfixturevalue(server)
    copy = tmp_path / "store"
    shutil.copytree(local, copy, ignore=shutil.ignore_patterns("lock", STATE))
    with Store(copy) as db:
        graph = sorted(db.digests())[0]
        size = per_graph(db.select(PER_GRAPH), {graph})[graph]
        stray = "<https://example.org/stray> <https://example.org/p> 'left over' ."
        with Remote(url) as remote:
            push(db, remote)
            remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {stray} }} }}")
        (copy / STATE).unlink()
        with Remote(url) as remote:
            push(db, remote)  # adds: the stray triple stays
        assert per_graph(remote_rows(url, PER_GRAPH), {graph})[graph] == size + 1
        with Remote(url) as remote:
            report = push(db, remote, replace=True)
        assert report.graphs and per_graph(remote_rows(url, PER_GRAPH), {graph})[graph] == size


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_sparql_update_where_there_is_no_graph_store(request, server, local, tmp_path):
    url = request.getfixturevalue(server)
    copy = tmp_path / "store"
    shutil.copytree(local, copy, ignore=shutil.ignore_patterns("lock", STATE))
    target = f"https://example.org/by-update-{server}"
    with Store(copy) as db:
        distinct = int(db.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]["n"])
        with Remote(url, gsp_url=url.rsplit("/", 1)[0] + "/no-graph-store-here") as remote:
            report = push(db, remote, graph=target, batch=3000)
    assert report.method == "update"
    rows = remote_rows(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == distinct


def test_cli_push_and_sparql_endpoint(oxigraph, local, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(local, copy, ignore=shutil.ignore_patterns("lock", STATE))
    with Store(copy) as db:
        graphs = len(list(db.db.named_graphs()))
    runner = CliRunner()
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph, "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"pushed {graphs} graph(s), ") and "by Graph Store Protocol" in result.stdout
    again = runner.invoke(cli, ["push", "--endpoint", oxigraph, "--store", str(copy)])
    assert again.stdout == f"nothing to push: the {graphs} graph(s) are on {oxigraph} already\n"
    for args in (["--file", str(QUERIES[0])], ["--file", str(QUERIES[0]), "--format", "csv"],
                 ["ASK { ?m a kg:Method }"], ["CONSTRUCT { ?m a kg:Method } WHERE { ?m a kg:Method }"]):
        here = runner.invoke(cli, ["sparql", *args, "--store", str(copy)])
        there = runner.invoke(cli, ["sparql", *args, "--endpoint", oxigraph])
        assert there.exit_code == 0, there.output
        if args[0].startswith("CONSTRUCT"):
            assert sorted(there.stdout.splitlines()) == sorted(here.stdout.splitlines())
        else:
            assert Counter(there.stdout.splitlines()) == Counter(here.stdout.splitlines()) and here.stdout


def test_a_build_need_not_wait_for_a_push(oxigraph, local, tmp_path, monkeypatch):
    import threading
    import time

    from kg.build import build

    copy = tmp_path / "store"
    shutil.copytree(local, copy, ignore=shutil.ignore_patterns("lock", STATE))
    with Store(copy) as db:
        graphs = len(list(db.db.named_graphs()))
    real = Remote.send_graph

    def slow(self, graph, data, *, replace):
        time.sleep(1.5)
        return real(self, graph, data, replace=replace)

    monkeypatch.setattr(Remote, "send_graph", slow)
    done = {}

    def pushing():
        done["result"] = CliRunner().invoke(cli, ["push", "--endpoint", oxigraph, "--store", str(copy)])
        done["push"] = time.monotonic()

    thread = threading.Thread(target=pushing)
    thread.start()
    time.sleep(1.0)
    digest = tmp_path / "digest-new.md"
    digest.write_text("# cs.DB [[Back]](#toc)\n\n### [1] [A made-up paper](https://arxiv.org/abs/2612.77777)\n"
                      "*Ada Example*\n\nMain category: cs.DB\n\nTL;DR: Made up.\n", encoding="utf-8")
    report = build([digest], store=copy, extract=False)
    built = time.monotonic()
    thread.join()
    assert report.papers == 1 and built < done["push"]  # the build did not wait for the push to end
    assert done["result"].exit_code == 0 and done["result"].stdout.startswith(f"pushed {graphs} graph(s)")


@pytest.mark.parametrize("args,message", [
    (["sparql", "SELEC ?x", "--endpoint", "{url}"], "Error: POST {url}: HTTP 400"),
    (["sparql", "DROP ALL", "--endpoint", "{url}"], "Error: DROP changes data: kg sparql --endpoint only queries"),
    (["sparql", "ASK {}", "--endpoint", "http://127.0.0.1:9/query"], "Error: POST http://127.0.0.1:9/query: "),
    (["sparql", "ASK {}", "--endpoint", "ftp://example.org/q"], "Error: endpoint 'ftp://example.org/q' is not an http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1:9/query"], "Error: "),
])
def test_endpoint_errors_are_one_line(oxigraph, local, args, message):
    result = CliRunner().invoke(cli, [a.replace("{url}", oxigraph) for a in args] + ["--store", str(local)])
    assert result.exit_code == 1 and result.stderr.startswith(message.replace("{url}", oxigraph))
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
