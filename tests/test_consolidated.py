"""The consolidated default graph holds every named graph's triples once, after any sequence of writes."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.store import Store
from kg.store.layout import MANIFEST

TOP_METHODS = ("SELECT ?m (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:usesMethod|kg:proposesMethod ?m } "
               "GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 20")


def _graphs(path) -> tuple[set, set]:
    """(the default graph's triples, the union of the named graphs' triples) of the store at ``path``."""
    with Store(path) as store:
        default = {q.triple for q in store.db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        named = {q.triple for g in store.db.named_graphs() for q in store.db.quads_for_pattern(None, None, None, g)}
    return default, named


@pytest.mark.parametrize("steps", [
    "one digest at a time, last first",
    "some without extraction, then all (replaced)",
])
def test_any_build_sequence_keeps_it_the_union(steps, seeds_dir, seeds_store, tmp_path):
    seeds = sorted(seeds_dir.iterdir())
    batches = {
        "one digest at a time, last first": [([s], True) for s in reversed(seeds)],
        "some without extraction, then all (replaced)": [(seeds[1:3], False), (seeds, True)],
    }[steps]
    store = tmp_path / "store"
    for files, extract in batches:
        build(files, store=store, extract=extract)
        default, named = _graphs(store)
        assert default == named and default
    assert default == _graphs(seeds_store)[0]


def test_edits_keep_it_the_union(kg, store):
    with Store(store) as db:
        paper, title = next((r["p"], r["t"]) for r in db.select(
            "SELECT ?p ?t WHERE { ?p a schema:ScholarlyArticle ; dcterms:title ?t } ORDER BY ?p LIMIT 1"))
    delete = f"DELETE DATA {{ <{paper}> dcterms:title {json.dumps(title)} }}"
    insert = "INSERT DATA { <urn:kg:a> rdfs:label 'one' }"
    for update in (delete, insert):
        assert kg(store, "sparql", "--update", update).exit_code == 0
        default, named = _graphs(store)
        assert default == named
    title_triple = ox.Triple(ox.NamedNode(paper), ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(title))
    assert title_triple not in default
    assert ox.Triple(ox.NamedNode("urn:kg:a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                     ox.Literal("one")) in default


def test_a_schema_2_store_is_read_as_a_union_and_consolidated_by_the_next_writer(kg, seeds_store, tmp_path):
    store = shutil.copytree(seeds_store, tmp_path / "store")
    with Store(store, write=True) as db:
        expected = [tuple(r.values()) for r in db.select(TOP_METHODS)]
        db.db.clear_graph(ox.DefaultGraph())
    manifest = json.loads((store / MANIFEST).read_text())
    (store / MANIFEST).write_text(json.dumps({**manifest, "schema": 2}))
    assert expected and int(expected[0][1]) > 1
    with Store(store) as db:  # a reader: the union of the digest graphs
        assert [tuple(r.values()) for r in db.select(TOP_METHODS)] == expected
    with Store(store, write=True) as db:  # the writer consolidates it
        assert db.consolidated
    assert json.loads((store / MANIFEST).read_text()) == {**manifest, "schema": 3}
    default, named = _graphs(store)
    assert default == named
    with Store(store) as db:
        assert [tuple(r.values()) for r in db.select(TOP_METHODS)] == expected


def test_sparql_answers_from_the_default_graph_and_graph_still_gives_provenance(kg, seeds_store):
    union = json.loads(kg(seeds_store, "sparql", "--format", "json",
                          "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }").stdout)
    default = json.loads(kg(seeds_store, "sparql", "--format", "json",
                            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").stdout)
    count = lambda answer: int(answer["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert count(default) == count(union) > 40_000


def test_check_finds_a_default_graph_out_of_step_and_repair_mends_it(kg, store):
    with Store(store, write=True) as db:
        stray = next(iter(db.db.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        db.db.remove(stray)
        db.db.add(ox.Quad(ox.NamedNode("urn:kg:nowhere"), ox.NamedNode("urn:kg:p"), ox.Literal("x"), ox.DefaultGraph()))
    findings = {f["check"]: f for f in json.loads(kg(store, "check", "--json").stdout)}
    assert findings["consolidated"]["status"] == "error"
    assert " 1 of them in no digest graph" in findings["consolidated"]["detail"]
    assert findings["consolidated"]["todo"] == "rebuild it from the digest graphs: kg check --repair"
    assert kg(store, "check", "--repair").exit_code == 0
    findings = {f["check"]: f for f in json.loads(kg(store, "check", "--json").stdout)}
    assert findings["consolidated"]["status"] == "ok"
    default, named = _graphs(store)
    assert default == named and stray.triple in default


def test_the_default_copy_of_a_chunk_is_its_triples_whatever_graphs_it_mixes(seed):
    """What each build loads into the default graph is the chunk's triples as Oxigraph reads them:
    a digest's chunk (one graph), several graphs mixed, a literal holding " <g> .", a last line
    without its newline."""
    import hashlib

    from kg.reading import Job, read_file
    from kg.store.consolidated import default_copy

    path = seed("001")
    text = read_file(Job(path, hashlib.sha256(path.read_bytes()).hexdigest(), None, "none", False)).text
    lines = text.splitlines(keepends=True)
    other = '<https://example.org/s> <https://example.org/p> "ends <https://example.org/g> .\\n" <https://example.org/g> .\n'
    two = "".join(lines[:30]) + "".join(line.replace("https://w3id.org/kg/id/digest/", "https://example.org/g/") for line in lines[:30])
    assert two.splitlines()[0].rsplit(" ", 2)[1] != two.splitlines()[-1].rsplit(" ", 2)[1]  # first and last graphs differ
    for chunk in (text, two, "".join(lines[:40]) + other + "".join(lines[40:80]), other + "".join(lines[:30]).rstrip("\n"), ""):
        quads = list(ox.parse(chunk, format=ox.RdfFormat.N_QUADS))
        copy = default_copy(chunk)
        assert [q.triple for q in ox.parse(copy, format=ox.RdfFormat.N_TRIPLES)] == [q.triple for q in quads]
        assert copy.count("\n") == len(quads)


def test_a_fresh_load_makes_the_next_chunk_while_the_loader_works(tmp_path):
    """The loader thread loads a chunk and its default-graph copy while the caller's generator
    makes the next chunk (a loader that waited for each chunk would never see the second one
    asked for during its first load), and every chunk lands with its copy."""
    import threading

    from kg.store import database

    asked_second, overlapped = threading.Event(), []

    class Loader:
        def __init__(self, db):
            self.db = db

        def bulk_load(self, data, **kw):
            if not overlapped:
                overlapped.append(asked_second.wait(10))
            self.db.bulk_load(data, **kw)

    def chunks():
        for n in range(3):
            if n == 1:
                asked_second.set()
            yield f"<http://x/s{n}> <http://x/p> \"{n}\" <http://x/g{n}> .\n"

    db = ox.Store(str(tmp_path / "db"))
    database._bulk_load(Loader(db), chunks())
    assert overlapped == [True]
    default = {str(q.triple) for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == {f'<http://x/s{n}> <http://x/p> "{n}"' for n in range(3)}
    assert len(list(db)) == 6
