"""Exports in every format, and the jsonl contract."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.export import FORMATS, export
from kg.store import Store

from fingerprints import joined, sha1, spotcheck
from seed_entries import daily_entry

JSONL_KEYS = ["arxiv_id", "title", "title_zh", "authors", "institutions", "categories", "topics", "venue", "code",
              "methods", "benchmarks", "sources"]


@pytest.fixture(scope="module")
def exported(seeds_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    with Store(seeds_store) as db:
        return {fmt: export(db, fmt, out / f"kg.{fmt}") for fmt in FORMATS}


def test_jsonl_records(exported, seed):
    records = {r["arxiv_id"]: r for r in map(json.loads, exported["jsonl"].read_text(encoding="utf-8").splitlines())}
    assert len(records) == 886
    assert all(list(r) == JSONL_KEYS for r in records.values())
    dg = records["2601.22985"]
    entry = daily_entry(seed("000"), "2601.22985")  # two authors, a Chinese title
    assert (dg["title"], dg["title_zh"], dg["authors"]) == (entry["title"], entry["title_zh"], entry["authors"])
    assert len(dg["authors"]) == 2 and dg["venue"] == "ICML 2026" and dg["categories"] == ["cs.LG"]
    assert dg["sources"] == ["000_b9db59897b87019b.txt"]
    lmm = records["2510.08564"]
    assert sha1(joined(lmm["code"])) == spotcheck("004", "2510.08564")["code_urls_sha1"] and lmm["topics"] == ["多模态"]
    for r in records.values():
        for item in r["methods"] + r["benchmarks"]:
            assert set(item) == {"name", "aliases", "role"} and item["role"] in {"proposed", "used"}


def test_rdf_formats_parse_back(exported, seeds_store):
    import pyoxigraph as ox

    with Store(seeds_store) as db:
        count = db.triple_count()
    for fmt, rdf_format in [("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD),
                            ("rdfxml", ox.RdfFormat.RDF_XML)]:
        assert len(set(ox.parse(path=str(exported[fmt]), format=rdf_format))) == count, fmt
    quads = list(ox.parse(path=str(exported["nquads"]), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert len(graphs) == 6 and "https://w3id.org/kg/id/graph/entities" in graphs  # one per digest, and the entities graph
    assert len({q.triple for q in quads}) == count


def test_graphml_and_gexf_round_trip(exported):
    G = nx.read_graphml(exported["graphml"])
    H = nx.read_gexf(exported["gexf"])
    assert G.number_of_nodes() == H.number_of_nodes() > 886
    assert G.number_of_edges() == H.number_of_edges()
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"paper", "author", "institution", "category", "topic", "venue", "code"} <= kinds


HOSTILE = "ctl\x00nul\x01soh\x08bs\x0bvt\x0cff\x1fus\x7fdel\ufffe\uffff\ttab\nlf\rcr \"q\" <t> & end"
XML_READ = "ctlnulsohbsvtffus\x7fdel\ttab\nlf\ncr \"q\" <t> & end"  # what XML 1.0 carries of it (a CR reads as LF)


@pytest.fixture
def hostile_store(store):
    """The examples store with texts that carry NUL and other controls, put in by a SPARQL update (ingest drops them)."""
    from kg.explore.sparql import sparql

    text = json.dumps(HOSTILE)  # a JSON string is a valid SPARQL string literal
    update = (f"INSERT DATA {{ <https://arxiv.org/abs/2699.00001> a schema:ScholarlyArticle ; rdfs:label {text} ; "
              f"dcterms:title {text}@en ; dcterms:abstract {text} ; fabio:hasArXivId \"2699.00001\" ; "
              f"prov:wasDerivedFrom kgid:digest\\/x ; kg:authorship <urn:kg:a1> . <urn:kg:a1> kg:position 1 ; "
              f"kg:author <https://w3id.org/kg/id/person/x> . <https://w3id.org/kg/id/person/x> a schema:Person ; "
              f"foaf:name {text} ; rdfs:label {text} . kgid:digest\\/x rdfs:label {text} }}")
    with Store(store, write=True) as db:
        sparql(db, update, update=True)
    return store


def test_every_format_is_valid_whatever_the_text(hostile_store, tmp_path):
    import rdflib
    from lxml import etree

    with Store(hostile_store) as db:
        files = {fmt: export(db, fmt, tmp_path / f"out.{fmt}") for fmt in FORMATS}
    assert not list(tmp_path.glob("*.part"))
    paper = rdflib.URIRef("https://arxiv.org/abs/2699.00001")
    for fmt, parser in [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml"),
                        ("nquads", "nquads"), ("trig", "trig")]:
        g = rdflib.Dataset(default_union=True) if fmt in ("nquads", "trig") else rdflib.Graph()
        g.parse(files[fmt], format=parser)
        assert {str(o) for o in g.objects(paper, rdflib.RDFS.label)} == {XML_READ if fmt == "rdfxml" else HOSTILE}, fmt
    for fmt in ("graphml", "gexf"):
        etree.parse(str(files[fmt]))  # well-formed XML
        G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(files[fmt])
        assert G.nodes[str(paper)]["label"].replace("\r", "\n") == XML_READ, fmt  # graphml keeps the CR
    record = next(json.loads(line) for line in files["jsonl"].read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["arxiv_id"] == "2699.00001")
    assert record["title"] == HOSTILE and record["authors"] == [HOSTILE]


def test_a_failed_export_leaves_no_file(hostile_store, tmp_path):
    from kg.errors import KGError
    from kg.explore.sparql import sparql

    with Store(hostile_store, write=True) as db:
        sparql(db, "INSERT DATA { <urn:kg:s> <http://example.com/p/> 'no XML name for this predicate' }", update=True)
    out = tmp_path / "kg.rdf"
    with Store(hostile_store) as db, pytest.raises(KGError, match=r"RDF/XML cannot write the predicate <http://example\.com/p/>"):
        export(db, "rdfxml", out)
    assert not list(tmp_path.glob("kg.rdf*"))  # neither the file nor its .part


# ---- streamed exports hold what the store holds ------------------------------------------------

def _quads(store) -> list:
    """Every quad of the digest graphs, read straight from Oxigraph."""
    with Store(store) as db:
        return [q for g in db.db.named_graphs() for q in db.db.quads_for_pattern(None, None, None, g)]


def test_rdf_exports_hold_exactly_the_stored_triples(exported, seeds_store):
    import pyoxigraph as ox

    quads = _quads(seeds_store)
    triples = {q.triple for q in quads}
    for fmt, rdf_format in [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                            ("jsonld", ox.RdfFormat.JSON_LD), ("rdfxml", ox.RdfFormat.RDF_XML)]:
        assert {q.triple for q in ox.parse(path=str(exported[fmt]), format=rdf_format)} == triples, fmt
    for fmt, rdf_format in [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)]:
        assert set(ox.parse(path=str(exported[fmt]), format=rdf_format)) == set(quads), fmt


def test_jsonl_is_the_stored_graph_paper_by_paper(exported, seeds_store):
    """Every record rebuilt by hand from the stored quads (subject → predicate → objects)."""
    import pyoxigraph as ox

    from kg.prefixes import expand

    facts: dict = {}
    for q in _quads(seeds_store):
        facts.setdefault(q.subject.value, {}).setdefault(q.predicate.value, set()).add(q.object)

    def objs(node, curie):
        return facts.get(node.value if not isinstance(node, str) else node, {}).get(expand(curie), set())

    def vals(nodes, curie):
        return sorted({o.value for n in nodes for o in objs(n, curie)})

    def typed(node, curie):
        return ox.NamedNode(expand(curie)) in objs(node, "rdf:type")

    expected = []
    for s in facts:
        ids, titles, sources = objs(s, "fabio:hasArXivId"), objs(s, "rdfs:label"), vals(objs(s, "prov:wasDerivedFrom"), "rdfs:label")
        if not (typed(s, "schema:ScholarlyArticle") and ids and titles and sources):
            continue
        ships = sorted((int(pos.value), a) for a in objs(s, "kg:authorship") for pos in objs(a, "kg:position"))
        names = [name for _, a in ships for w in objs(a, "kg:author") for name in vals([w], "foaf:name")]
        items: dict = {}
        for m in objs(s, "kg:mention"):
            for e in objs(m, "kg:entity"):
                for kind in [k for c, k in (("kg:Method", "methods"), ("kg:Benchmark", "benchmarks")) if typed(e, c)]:
                    for label in objs(e, "skos:prefLabel"):
                        for role in objs(m, "kg:role"):
                            items.setdefault((kind, label.value, role.value), set()).update(vals([e], "skos:altLabel"))
        subjects = objs(s, "dcterms:subject")
        expected.append({
            "arxiv_id": min(i.value for i in ids), "title": min(t.value for t in titles),
            "title_zh": min((t.value for t in objs(s, "dcterms:title") if t.language == "zh"), default=None),
            "authors": list(dict.fromkeys(names)), "institutions": vals(objs(s, "kg:affiliation"), "rdfs:label"),
            "categories": vals(subjects, "skos:notation"),
            "topics": vals([t for t in subjects if typed(t, "kg:Topic")], "skos:prefLabel"),
            "venue": (vals(objs(s, "bibo:presentedAt"), "rdfs:label") or [None])[0],
            "code": vals([s], "kg:code"),
            **{kind: [{"name": label, "aliases": sorted(aliases), "role": role}
                      for (k, label, role), aliases in sorted(items.items()) if k == kind]
               for kind in ("methods", "benchmarks")},
            "sources": sources,
        })
    got = [json.loads(line) for line in exported["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert got == sorted(expected, key=lambda r: r["arxiv_id"])
    assert sum(len(r["methods"]) for r in got) > 100 and sum(bool(r["institutions"]) for r in got) > 10


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_are_the_networkx_projection(exported, seeds_store, fmt):
    """Read back, GraphML and GEXF are kg.views.graph's projection folded into one edge per pair."""
    from kg.views.graph import load

    with Store(seeds_store) as db:
        G = nx.DiGraph(load(db))  # a pair's relations fold into its last one, as networkx folds them
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(exported[fmt])
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    drop = {"key", "id"}  # networkx's multigraph key; GEXF's edge ids
    assert ({(u, v): {k: x for k, x in d.items() if k not in drop} for u, v, d in back.edges(data=True)}
            == {(u, v): {k: x for k, x in d.items() if k not in drop} for u, v, d in G.edges(data=True)})
    assert {d["relation"] for _, _, d in back.edges(data=True)} >= {"authored", "uses_method", "in_category"}
