"""`kg sparql --update` acts on what queries see, and its edits (the curation graph) outlast
rebuilds: a deleted fact stays deleted when its digest is read again or another digest repeats it,
a merge of two authors stays. Stores are built from examples/, edited through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.store import Store
from kg.store.curation import GRAPH

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DAILY = EXAMPLES / "arxivdaily-2026-03-02.txt"


@pytest.fixture
def count(kg):
    """``count(store, pattern)``: distinct solutions of ``pattern`` (a fact held by two digests counts once)."""
    def distinct(store: Path, pattern: str) -> int:
        out = kg(store, "sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT * WHERE {{ {pattern} }} }}",
                 "--format", "json")
        return int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"])
    return distinct


def repeat_of(path: Path, tmp_path: Path) -> Path:
    """Another digest file saying the same things (one more blank line: other bytes, same entries)."""
    copy = tmp_path / f"again-{path.name}"
    copy.write_bytes(path.read_bytes() + b"\n")
    return copy


def test_delete_where_acts_on_what_queries_see_and_stats_follow(kg, count, store):
    comments = count(store, "?s kg:comments ?o")
    assert comments > 0
    triples = json.loads(kg(store, "stats", "--json").stdout)["triples"]
    done = kg(store, "sparql", "--update", "DELETE WHERE { ?s kg:comments ?o }")
    assert done.exit_code == 0, done.output
    assert done.stderr.strip() == (f"update applied: {comments} triple(s) deleted, 0 added "
                                   "(kept in the curation graph, so they outlast rebuilds)")
    assert count(store, "?s kg:comments ?o") == 0
    # one retraction per deleted triple, four triples each, in the curation graph
    assert count(store, f"GRAPH <{GRAPH}> {{ ?r a kg:Retraction }}") == comments
    after = json.loads(kg(store, "stats", "--json").stdout)["triples"]
    assert after == triples - comments + 4 * comments  # not the count cached before the update
    assert after == count(store, "?s ?p ?o")


def test_a_deletion_outlasts_a_rebuild_with_a_new_digest_repeating_it(kg, count, store, tmp_path):
    paper = "<https://arxiv.org/abs/2603.01001>"
    comment = count(store, f"{paper} kg:comments ?o")
    assert comment == 1
    assert kg(store, "sparql", "--update", f"DELETE WHERE {{ {paper} kg:comments ?o }}").exit_code == 0
    report = kg(store, "build", str(EXAMPLES), str(repeat_of(DAILY, tmp_path)), "--no-extract", "--json")
    assert report.exit_code == 0, report.output
    assert [f["status"] for f in json.loads(report.stdout)["files"]] == ["unchanged", "unchanged", "unchanged", "added"]
    assert count(store, f"{paper} kg:comments ?o") == 0  # the new digest said it again; still deleted
    assert count(store, f"{paper} rdfs:label ?t") > 0  # the rest of the paper is there
    assert json.loads(kg(store, "stats", "--json").stdout)["triples"] == count(store, "?s ?p ?o")


def test_a_deletion_outlasts_its_digest_being_replaced(kg, count, store):
    """A digest read by an older parser is replaced by the next build: the deletion holds."""
    paper = "<https://arxiv.org/abs/2603.01001>"
    assert kg(store, "sparql", "--update", f"DELETE WHERE {{ {paper} kg:comments ?o }}").exit_code == 0
    with Store(store, write=True) as db:  # make the stored digest look read by an older parser
        db.db.update("DELETE { GRAPH ?g { ?g kg:parser ?v } } INSERT { GRAPH ?g { ?g kg:parser 'arxivdaily.v0' } } "
                     "WHERE { GRAPH ?g { ?g kg:parser ?v FILTER(STRSTARTS(?v, 'arxivdaily')) } }",
                     prefixes={"kg": "https://w3id.org/kg/ontology#"})
    report = json.loads(kg(store, "build", str(DAILY), "--no-extract", "--json").stdout)
    assert [f["status"] for f in report["files"]] == ["replaced"]
    assert count(store, f"{paper} kg:comments ?o") == 0
    assert count(store, f"{paper} rdfs:label ?t") > 0


def test_merging_two_authors_outlasts_a_rebuild(kg, count, store, tmp_path):
    """Two spellings of one person: move one's authorships to the other, and say they are the same."""
    wei, priya = "<https://w3id.org/kg/id/person/wei-zhang>", "<https://w3id.org/kg/id/person/priya-raman>"
    assert count(store, f"?a kg:author {priya}") == 2  # authorships in two papers
    merge = (f"DELETE {{ ?a kg:author {priya} }} INSERT {{ ?a kg:author {wei} . {priya} owl:sameAs {wei} }} "
             f"WHERE {{ ?a kg:author {priya} }}")
    done = kg(store, "sparql", "--update", merge)
    assert done.exit_code == 0 and done.stderr.startswith("update applied: 2 triple(s) deleted, 3 added"), done.output
    build([EXAMPLES, repeat_of(DAILY, tmp_path)], store=store, extract=False)
    assert count(store, f"?a kg:author {priya}") == 0
    assert count(store, f"{priya} owl:sameAs {wei}") == 1
    papers = json.loads(kg(store, "neighbors", "Wei Zhang", "--relation", "papers", "--json").stdout)
    assert "https://arxiv.org/abs/2603.01001" in {i["iri"] for i in papers["groups"][0]["items"]}


def test_inserting_a_retracted_triple_withdraws_the_retraction(kg, count, store, tmp_path):
    triple = "<https://arxiv.org/abs/2603.01001> kg:comments ?o"
    value = json.loads(kg(store, "sparql", f"SELECT ?o WHERE {{ {triple} }}", "--format", "json").stdout)
    text = value["results"]["bindings"][0]["o"]["value"]
    assert kg(store, "sparql", "--update", f"DELETE WHERE {{ {triple} }}").exit_code == 0
    again = kg(store, "sparql", "--update", f"INSERT DATA {{ <https://arxiv.org/abs/2603.01001> kg:comments {json.dumps(text)} }}")
    assert again.exit_code == 0 and again.stderr.startswith("update applied: 0 triple(s) deleted, 1 added")
    assert count(store, f"GRAPH <{GRAPH}> {{ ?r a kg:Retraction }}") == 0
    build([EXAMPLES, repeat_of(DAILY, tmp_path)], store=store, extract=False)
    assert count(store, triple) == 1


@pytest.mark.parametrize("update, words", [
    ("DROP ALL", "DROP removes whole graphs"),
    ("CLEAR DEFAULT", "CLEAR empties whole graphs"),
    ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD fetches a document from the network"),
    ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }", "GRAPH in what an update inserts or deletes"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH names a graph to edit"),
    ("INSERT DATA { <urn:a> <urn:b> 'c' } ; DELETE DATA { <urn:a> <urn:b> 'c' }", "one operation per update"),
    ("DELETE WHERE { ?s ?p }", "SPARQL syntax error: error at 1:"),
])
def test_refused_updates_change_nothing(kg, count, store, update, words):
    before = sorted(p.name for p in (store / "oxigraph").iterdir()), count(store, "?s ?p ?o")
    result = kg(store, "sparql", "--update", update)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr
    assert count(store, "?s ?p ?o") == before[1]


def test_an_edit_is_one_transaction(kg, store):
    """Inserted triples land in the curation graph (and the consolidated default graph), all together."""
    insert = "INSERT DATA { <urn:kg:a> rdfs:label 'one' . <urn:kg:b> rdfs:label 'two' }"
    assert kg(store, "sparql", "--update", insert).exit_code == 0
    with Store(store) as db:
        graphs = {str(q.graph_name) for q in db.db.quads_for_pattern(None, ox.NamedNode(
            "http://www.w3.org/2000/01/rdf-schema#label"), None, None) if str(q.subject).startswith("<urn:kg:")}
    assert graphs == {f"<{GRAPH}>", "DEFAULT"}


def test_update_on_no_store(kg, tmp_path):
    result = kg(tmp_path / "none", "sparql", "--update", "INSERT DATA { <urn:a> <urn:b> 'c' }")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no kg store at {tmp_path / 'none'} to update (run `kg build` first, or pass --store)"
    assert not (tmp_path / "none" / "oxigraph").exists()


def test_stats_triple_count_follows_every_update(kg, count, store):
    """The kept count is keyed by what the store holds, curation graph included, and dropped by an update."""
    triples = lambda: json.loads(kg(store, "stats", "--json").stdout)["triples"]  # noqa: E731
    before = triples()
    assert kg(store, "sparql", "--update", "INSERT DATA { <urn:kg:new> rdfs:label 'new' }").exit_code == 0
    assert triples() == before + 1
    assert kg(store, "sparql", "--update", "DELETE DATA { <urn:kg:new> rdfs:label 'new' }").exit_code == 0
    assert triples() == before + 4  # the triple is gone; its retraction (four triples) is kept
    assert triples() == count(store, "?s ?p ?o")


def test_a_store_with_retractions_decides_from_its_candidates_as_edited(tmp_path):
    """A deleted cue stays deleted for the entities decision, even when the edit and the next
    build share one session: the candidate cache, which holds candidates as extracted, is not
    used (and not kept) once the store retracts anything."""
    from kg import keys
    from kg.extract import decide
    from kg.store.candidate_cache import FILE
    from kg.store.curation import edit
    from kg.store.entities import GRAPH as ENTITIES, stored_candidates

    store = tmp_path / "store"
    build([EXAMPLES], store=store)
    assert (store / FILE).is_file()
    cue = 'https://w3id.org/kg/ontology#cue'
    with Store(store, write=True) as db:
        assert edit(db.db, f'DELETE WHERE {{ ?c <{cue}> "method" }}')["deleted"] > 0
        build([repeat_of(DAILY, tmp_path)], store=db)
    assert not (store / FILE).exists()
    with Store(store) as db:
        rows = stored_candidates(db.db)
        got = {(r["m"], r["e"]) for r in db.select(f"SELECT ?m ?e WHERE {{ GRAPH <{ENTITIES}> {{ ?m kg:entity ?e }} }}")}
    want = {(m, keys.iri(e.kind, e.key)) for (m, _, _), e in zip(rows, decide([c for _, _, c in rows])) if e is not None}
    assert got == want and len(got) > 10
