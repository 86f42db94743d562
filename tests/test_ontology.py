"""The ontology declares every term kg writes; exports validate against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.vocab import KG

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl")


def declared(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}


def test_every_kg_term_is_declared_with_label_and_comment(ontology):
    terms = {URIRef(str(KG._NS) + name) for name in KG.__annotations__}
    missing = terms - declared(ontology)
    assert not missing
    for term in declared(ontology):
        if term == URIRef("https://w3id.org/kg/ontology"):
            continue
        assert ontology.value(term, RDFS.label), f"{term} has no rdfs:label"
        assert ontology.value(term, RDFS.comment), f"{term} has no rdfs:comment"


def test_every_emitted_term_is_declared(ontology, seeds_store):
    from kg.store import Store

    with Store(seeds_store) as db:
        predicates = {r["p"] for r in db.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
        classes = {r["c"] for r in db.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    known = {str(t) for t in declared(ontology)} | {str(RDF.type)}
    assert predicates - known == set()
    assert classes - known == set()


def test_own_terms_map_to_standard_vocabularies(ontology):
    for cls in (KG.Method, KG.Benchmark, KG.Digest, KG.Category, KG.Topic):
        assert ontology.value(cls, RDFS.subClassOf) is not None, cls
    for prop in (KG.usesMethod, KG.evaluatesOn, KG.affiliation, KG.tldr):
        assert ontology.value(prop, RDFS.subPropertyOf) is not None, prop
    assert (None, OWL.equivalentClass, None) in ontology


def test_turtle_export_round_trips_and_validates(seeds_store, tmp_path):
    import pyoxigraph
    import pyshacl

    from kg.export import export
    from kg.store import Store

    with Store(seeds_store) as db:
        path = export(db, "turtle", tmp_path / "kg.ttl")
        count = db.triple_count()
    g = Graph().parse(path)
    assert len(g) == count
    assert len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))) == count
    conforms, _, report = pyshacl.validate(g, shacl_graph=str(ONTOLOGY / "shapes.ttl"), inference="none")
    assert conforms, report[:2000]


def test_shapes_catch_a_broken_paper():
    import pyshacl

    g = Graph().parse(data="""
        @prefix schema: <https://schema.org/> . @prefix fabio: <http://purl.org/spar/fabio/> .
        <https://arxiv.org/abs/x> a schema:ScholarlyArticle, fabio:Preprint ; fabio:hasArXivId "not an id" .
    """, format="turtle")
    conforms, _, report = pyshacl.validate(g, shacl_graph=str(ONTOLOGY / "shapes.ttl"), inference="none")
    assert not conforms and "hasArXivId" in report
