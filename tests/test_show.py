"""kg.explore.show: incoming edges picked in the read index, mentions cut without sorting a hub's."""

from __future__ import annotations

import pytest

from kg.explore import show as show_module
from kg.explore.show import HIDDEN, SEP, _indexed_incoming, show
from kg.store import Store
from kg.store import index as ix
from kg.store.index_rows import EDGES


@pytest.fixture(scope="module")
def db(seeds_store):
    with Store(seeds_store) as db:
        yield db


def plain_incoming(db, iri: str, limit: int) -> tuple[int, list[tuple]]:
    """Every incoming (subject, predicate) pair by SPARQL alone: the total and the first ``limit``."""
    rows = db.select(f"SELECT ?s ?p (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{ GRAPH ?g"
                     f" {{ ?s ?p <{iri}> }} ?g rdfs:label ?d . FILTER(?p NOT IN ({', '.join(HIDDEN)}) && isIRI(?s)) }}"
                     " GROUP BY ?s ?p ORDER BY ?p ?s")
    return len(rows), [(r["s"], sorted(r["digests"].split(SEP))) for r in rows[:limit]]


@pytest.mark.parametrize("name", ["cs.CV", "GRPO", "cs.LG"])
@pytest.mark.parametrize("limit", [3, 50])
def test_incoming_is_every_edge_in_order(db, name, limit):
    data = show(db, name, limit=limit)
    total, first = plain_incoming(db, data["node"]["iri"], limit)
    assert total > 0
    assert data["incoming"]["total"] == total
    assert [(i["iri"], i["digests"]) for i in data["incoming"]["items"]] == first


def test_coauthors_count_as_incoming(db):
    iri = db.select("SELECT ?a WHERE { ?b dblp:coAuthorWith ?a } LIMIT 1")[0]["a"]
    data = show(db, iri, limit=1000)
    assert "dblp:coAuthorWith" in {i["predicate"] for i in data["incoming"]["items"]}
    assert data["incoming"]["total"] == plain_incoming(db, iri, 0)[0]


def test_an_entitys_mentions_are_cut_at_the_limit_and_sorted(db):
    every = show(db, "GRPO", limit=10_000)["mentions"]
    some = show(db, "GRPO", limit=4)["mentions"]
    assert len(every) > 4 and len(some) == 4
    assert all(m in every for m in some)
    assert some == sorted(some, key=lambda m: (m["paper"], m["entity"], m["role"], m["extractor"]))


@pytest.mark.parametrize("span", [0.05, 1, 4])
def test_first_incoming_found_by_a_walk_in_iri_order_are_those_a_sort_of_all_gives(db, monkeypatch, span):
    """Walked in IRI order (enough found, or too few and then sorted) or sorted, the first incoming
    pairs and their total are those of one sort and count of all the node's edges in SQL."""
    walks: list[bool] = []  # whether each walk found all it wanted
    walk = show_module._walked

    def walked(index, node, rel, need, span):
        found = walk(index, node, rel, need, span)
        walks.append(len(found) == need)
        return found

    monkeypatch.setattr(show_module, "WALK_SPAN", span)
    monkeypatch.setattr(show_module, "_walked", walked)
    index = ix.of(db)
    rels = ", ".join(str(r) for r in EDGES.values())
    preds = ", ".join(f"({rel}, '{p}')" for p, rel in EDGES.items())
    iris = [r[0] for r in index.rows(f"SELECT n.iri FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.rel IN ({rels})"
                                     " GROUP BY e.dst ORDER BY COUNT(*) DESC, n.iri LIMIT 40")]
    for iri in iris:
        for limit in (1, 2, 3, 7, 50):
            want = index.rows(f"WITH p(rel, iri) AS (VALUES {preds}) SELECT DISTINCT p.iri, n.iri FROM edges e"
                              " JOIN p ON p.rel = e.rel JOIN nodes n ON n.id = e.src WHERE e.dst = (SELECT id FROM nodes"
                              " WHERE iri = ?) ORDER BY 1, 2 LIMIT ?", iri, limit)
            [(total,)] = index.rows(f"SELECT COUNT(*) FROM (SELECT DISTINCT src, rel FROM edges WHERE rel IN ({rels})"
                                    " AND dst = (SELECT id FROM nodes WHERE iri = ?))", iri)
            assert _indexed_incoming(index, iri, limit) == (want, total), (iri, limit)
    assert walks.count(False) >= 20 if span < 1 else walks.count(True) >= 3


def plain_facts(db, iri: str) -> list[tuple]:
    """Every (predicate, object, language, digests) of ``iri`` by one SPARQL query over its graphs."""
    rows = db.query(f"SELECT ?p ?o (GROUP_CONCAT(DISTINCT ?d; SEPARATOR='{SEP}') AS ?digests) WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }}"
                    f" ?g rdfs:label ?d . FILTER(?p NOT IN ({', '.join(HIDDEN)})) }} GROUP BY ?p ?o")
    return sorted((p.value, o.value, getattr(o, "language", None) or None, tuple(sorted(d.value.split(SEP))))
                  for p, o, d in rows)


def shown_facts(data) -> list[tuple]:
    from kg.prefixes import PREFIXES

    def expand(curie):
        prefix, _, local = curie.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES and not curie.startswith("http") else curie

    return sorted((expand(f["predicate"]), f.get("iri") or (f["value"] if "iri" not in f else None), f.get("lang"),
                   tuple(f["digests"])) for f in data["facts"])


@pytest.fixture(scope="module")
def crowded_paper(db):
    """The seeds' paper with the most authors (at least six)."""
    [row] = db.select("SELECT ?x (COUNT(DISTINCT ?a) AS ?n) WHERE { ?x dcterms:creator ?a } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1")
    assert int(row["n"]) >= 6
    return row["x"]


def test_facts_are_every_statement_with_its_digests_and_language(db, crowded_paper):
    data = show(db, crowded_paper, limit=1000)
    assert shown_facts(data) == plain_facts(db, crowded_paper)
    assert data["facts_total"] == len(data["facts"])
    assert any(f.get("lang") == "zh" for f in show(db, "2506.06006")["facts"])


@pytest.mark.parametrize("sort_max", [2, 1000])
def test_a_predicate_with_more_values_than_the_limit_shows_the_limit(db, crowded_paper, monkeypatch, sort_max):
    """Cut at the limit: the first authors by IRI (or, past SORT_MAX, some of them, sorted); the total counts all."""
    monkeypatch.setattr(show_module, "SORT_MAX", sort_max)
    every = plain_facts(db, crowded_paper)
    creators = sorted(o for p, o, _, _ in every if p.endswith("/creator"))
    data = show(db, crowded_paper, limit=3)
    shown = [f["iri"] for f in data["facts"] if f["predicate"] == "dcterms:creator"]
    assert len(shown) == 3 and shown == sorted(shown) and set(shown) <= set(creators)
    if sort_max > len(creators):
        assert shown == creators[:3]
    assert data["facts_total"] == len(every)
    assert set(shown_facts(data)) <= set(every)
