"""kg.explore.show: incoming edges picked in the read index, mentions cut without sorting a hub's."""

from __future__ import annotations

import pytest

from kg.explore.show import HIDDEN, SEP, show
from kg.store import Store


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
