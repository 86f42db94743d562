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
