"""Exports in every format, and the jsonl contract."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.export import FORMATS, export
from kg.store import Store

JSONL_KEYS = ["arxiv_id", "title", "title_zh", "authors", "institutions", "categories", "topics", "venue", "code",
              "methods", "benchmarks", "sources"]


@pytest.fixture(scope="module")
def exported(seeds_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    with Store(seeds_store) as db:
        return {fmt: export(db, fmt, out / f"kg.{fmt}") for fmt in FORMATS}


def test_jsonl_records(exported):
    records = {r["arxiv_id"]: r for r in map(json.loads, exported["jsonl"].read_text(encoding="utf-8").splitlines())}
    assert len(records) == 886
    assert all(list(r) == JSONL_KEYS for r in records.values())
    dg = records["2601.22985"]
    assert dg["authors"] == ["Pyo Min Hong", "Albert No"]
    assert dg["venue"] == "ICML 2026" and dg["categories"] == ["cs.LG"]
    assert dg["title_zh"] == "dgMARK: 面向扩散语言模型的解码引导水印方法"
    assert dg["sources"] == ["000_b9db59897b87019b.txt"]
    lmm = records["2510.08564"]
    assert lmm["code"] == ["https://github.com/jessemelpolio/LMM_CL"] and lmm["topics"] == ["多模态"]
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
    assert len({q.graph_name for q in quads}) == 5  # one named graph per digest
    assert len({q.triple for q in quads}) == count


def test_graphml_and_gexf_round_trip(exported):
    G = nx.read_graphml(exported["graphml"])
    H = nx.read_gexf(exported["gexf"])
    assert G.number_of_nodes() == H.number_of_nodes() > 886
    assert G.number_of_edges() == H.number_of_edges()
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"paper", "author", "institution", "category", "topic", "venue", "code"} <= kinds
