"""neighbors, show, search, path and sparql through the CLI, on a store built from the seeds.

Facts (authors, co-authors, line numbers) were read from the seed files by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kg.cli import app

PAPER = "2506.06006"  # 002, line 4: "Can VLMs Predict Future States? …", five authors
AUTHORS = ["Yifu Qiu", "Yftah Ziser", "Anna Korhonen", "Shay B. Cohen", "Edoardo M. Ponti"]


@pytest.fixture
def kg(kg, seeds_store):
    """``kg(*args)``: the CLI on the seeds store."""
    return lambda *args: kg(seeds_store, *args)


def test_prefixes_match_vocab():
    from kg.prefixes import PREFIXES
    from kg.vocab import PREFIXES as VOCAB

    assert PREFIXES == VOCAB


# ---- resolution -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Anna Korhonen", "anna korhonen", "  Anna   Korhonen "])
def test_resolve_label_and_case(seeds_store, name):
    from kg.explore.resolve import resolve
    from kg.store import Store

    with Store(seeds_store) as db:
        node = resolve(db, name)
    assert (node.kind, node.label, node.iri) == ("author", "Anna Korhonen", "https://w3id.org/kg/id/person/anna-korhonen")


@pytest.mark.parametrize("name", [PAPER, f"arXiv:{PAPER}v2", f"https://arxiv.org/abs/{PAPER}"])
def test_resolve_paper_ids(seeds_store, name):
    from kg.explore.resolve import resolve
    from kg.store import Store

    with Store(seeds_store) as db:
        assert resolve(db, name).label.startswith("Can VLMs Predict Future States?")


def test_resolve_category_code_and_alias(seeds_store):
    from kg.explore.resolve import resolve
    from kg.store import Store

    with Store(seeds_store) as db:
        assert resolve(db, "cs.CV").kind == "category"
        # 004 spells it "AURORA-Bench", 002 "Aurora-Bench": one node either way
        assert resolve(db, "Aurora-Bench").iri == resolve(db, "AURORA-Bench").iri


def test_unknown_name_suggests(kg):
    result = kg("neighbors", "GPRO")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: No node 'GPRO'. Did you mean: GRPO?"


def test_ambiguous_name_lists_choices(kg):
    result = kg("neighbors", "Transformer")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Error: 'Transformer' matches 2 nodes; choose one with --pick N or --type:"
    assert lines[1].split("\t")[:2] == ["  1. method", "Transformer"]
    assert lines[2].split("\t")[:2] == ["  2. topic", "Transformer"]
    assert kg("neighbors", "Transformer", "--pick", "2", "--json").exit_code == 0
    picked = json.loads(kg("neighbors", "Transformer", "--type", "method", "--json").stdout)
    assert picked["node"]["kind"] == "method"


@pytest.mark.parametrize("name", ['x"}; DROP ALL; {', "a' } ; DROP GRAPH <urn:x> ; #", "<http://x> } UNION {", "\\u0022"])
def test_injection_is_just_a_name(kg, name):
    result = kg("neighbors", name)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: No node {name!r}")
    assert "syntax" not in result.stderr
    assert json.loads(kg("neighbors", "GRPO", "--json").stdout)["groups"]  # store intact


# ---- neighbors --------------------------------------------------------------------------------
def test_paper_neighbors(kg):
    data = json.loads(kg("neighbors", PAPER, "--json").stdout)
    groups = {g["relation"]: g for g in data["groups"]}
    assert [(i["label"], i["position"]) for i in groups["authors"]["items"]] == list(zip(AUTHORS, range(1, 6)))
    # 发表机构 line of the entry: Edinburgh institute, Cambridge lab, NVIDIA, Groningen
    assert {"NVIDIA", "University of Groningen"} <= {i["label"] for i in groups["institutions"]["items"]}
    assert groups["institutions"]["total"] == 4
    cats = groups["categories"]["items"]
    assert cats[0]["iri"].endswith("/cs.CV") and cats[0]["role"] == "primary"
    assert {c["iri"].rsplit("/", 1)[1] for c in cats} == {"cs.CV", "cs.AI", "cs.CL"}


def test_author_coauthors(kg):
    data = json.loads(kg("neighbors", "Anna Korhonen", "--relation", "co_authors", "--limit", "50", "--json").stdout)
    [group] = data["groups"]
    expected = set(AUTHORS) - {"Anna Korhonen"} | {"Chengzu Li", "Zanyi Wang", "Jiaang Li", "Yi Xu", "Han Zhou",
                                                   "Huanyu Zhang", "Ruichuan An", "Dengyang Jiang", "Zhaochong An",
                                                   "Ivan Vulić", "Serge Belongie"}
    assert group["total"] == 15
    assert {i["label"] for i in group["items"]} == expected
    assert all(i["count"] == 1 for i in group["items"])


def test_method_neighbors_shape_and_order(kg):
    data = json.loads(kg("neighbors", "GRPO", "--json").stdout)
    assert data["node"] == {"iri": "https://w3id.org/kg/id/method/grpo", "kind": "method", "label": "GRPO"}
    assert [g["relation"] for g in data["groups"]] == ["proposed_by", "used_by", "used_with", "evaluated_on",
                                                       "authors", "institutions", "categories"]
    used = next(g for g in data["groups"] if g["relation"] == "used_by")
    dates = [i["date"] for i in used["items"] if "date" in i]
    assert dates == sorted(dates, reverse=True) and len(used["items"]) == 10 <= used["total"]
    with_ = next(g for g in data["groups"] if g["relation"] == "used_with")
    counts = [i["count"] for i in with_["items"]]
    assert counts == sorted(counts, reverse=True) and "grpo" not in {i["iri"].rsplit("/", 1)[1] for i in with_["items"]}


def test_depth_two_and_bad_relation(kg):
    data = json.loads(kg("neighbors", PAPER, "--depth", "2", "--relation", "authors", "--limit", "2", "--json").stdout)
    [authors] = data["groups"]
    assert [i["label"] for i in authors["items"]] == AUTHORS[:2]
    assert all("groups" in i and i["groups"][0]["relation"] == "papers" for i in authors["items"])
    bad = kg("neighbors", "GRPO", "--relation", "authored")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: a method has no relation 'authored' (one of: proposed_by, used_by,")


def test_neighbors_plain_text_when_piped(kg):
    out = kg("neighbors", "Anna Korhonen", "--relation", "papers").stdout.splitlines()
    assert out[0] == "Anna Korhonen (author) https://w3id.org/kg/id/person/anna-korhonen"
    assert out[1] == "# papers: papers (2)"
    assert out[2].split("\t") == ["2026-06-04", "3", "Can VLMs Predict Future States? Bootstrapping World Models "
                                  "from Inverse Dynamics", f"https://arxiv.org/abs/{PAPER}"]


def test_neighbors_path_does_not_import_rdflib(seeds_store):
    code = ("import sys; from typer.testing import CliRunner; from kg.cli import app; "
            f"r = CliRunner().invoke(app, ['neighbors', 'GRPO', '--store', {str(seeds_store)!r}]); "
            "assert r.exit_code == 0, r.output; print(sorted(m for m in ('rdflib', 'networkx', 'spacy') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


# ---- show, search, path -----------------------------------------------------------------------
def test_show_paper_provenance_and_evidence(kg):
    data = json.loads(kg("show", PAPER, "--json").stdout)
    assert data["sources"] == [{"digest": "002_f2da8318debe1b6b.txt", "line": 4}]
    titles = {(f["value"], f.get("lang")) for f in data["facts"] if f["predicate"] == "dcterms:title"}
    assert ("视觉语言模型能预测未来状态吗?从逆动力学引导世界模型", "zh") in titles
    mention = next(m for m in data["mentions"] if m["label"].casefold() == "aurora-bench")
    assert mention["role"] == "used"
    assert any("Aurora-Bench" in ev for ev in mention["evidence"])


def test_show_author_incoming(kg):
    data = json.loads(kg("show", "Anna Korhonen", "--json").stdout)
    assert data["incoming"]["total"] == 2  # dcterms:creator from her two papers
    assert {i["predicate"] for i in data["incoming"]["items"]} == {"dcterms:creator"}


@pytest.mark.parametrize("text", ["kissing numbers", "亲吻数"])
def test_search_english_and_chinese(kg, text):
    hits = json.loads(kg("search", text, "--json").stdout)
    assert hits[0]["iri"] == "https://arxiv.org/abs/2511.13391"  # 002: "Finding Kissing Numbers …", 用博弈论强化学习寻找亲吻数
    assert set(hits[0]) == {"iri", "label", "date", "score"}


def test_path_between_coauthors(kg):
    out = kg("path", "Anna Korhonen", "Edoardo M. Ponti")
    assert out.exit_code == 0
    assert out.stdout.strip() == ("Anna Korhonen —authored→ Can VLMs Predict Future States? Bootstrapping World Models "
                                  "from Inverse Dynamics ←authored— Edoardo M. Ponti")
    steps = json.loads(kg("path", "Anna Korhonen", "University of Cambridge", "--json").stdout)
    assert [s["relation"] for s in steps] == ["authored", "affiliated_with", "unit_of"]


# ---- sparql -----------------------------------------------------------------------------------
def test_sparql_select_formats(kg):
    q = "SELECT ?id WHERE { ?p fabio:hasArXivId ?id . FILTER(?id = '2506.06006') }"
    assert kg("sparql", q).stdout == "2506.06006\n"
    data = json.loads(kg("sparql", q, "--format", "json").stdout)
    assert data == {"head": {"vars": ["id"]}, "results": {"bindings": [{"id": {"type": "literal", "value": PAPER}}]}}
    assert kg("sparql", q, "--format", "csv").stdout.splitlines() == ["id", PAPER]
    assert kg("sparql", "ASK { ?m a kg:Method }").stdout == "true\n"


def test_sparql_construct_prints_turtle(kg):
    out = kg("sparql", f"CONSTRUCT {{ ?p fabio:hasArXivId ?id }} WHERE {{ ?p fabio:hasArXivId ?id . FILTER(?id = '{PAPER}') }}")
    assert "@prefix fabio: <http://purl.org/spar/fabio/> ." in out.stdout
    assert f'<https://arxiv.org/abs/{PAPER}> fabio:hasArXivId "{PAPER}" .' in out.stdout


def test_sparql_errors(kg):
    bad = kg("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: SPARQL syntax error: error at 1:26:")
    assert len(bad.stderr.strip().splitlines()) == 1
    slow = kg("sparql", "--timeout", "0.3", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert slow.exit_code == 1
    assert slow.stderr.strip() == "Error: query timed out after 0.3 s (raise it with --timeout)"
    for update in ["DROP ALL", "PREFIX ex: <http://e/>\n# comment\nINSERT DATA { ex:a ex:b ex:c }", "clear default"]:
        refused = kg("sparql", update)
        assert refused.exit_code == 1
        assert refused.stderr.strip().endswith("changes the store; kg sparql is read-only unless you pass --update")
    assert kg("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--update").exit_code == 1


def test_sparql_update_applies(store_copy):
    runner = CliRunner()
    insert = "INSERT DATA { <urn:x> rdfs:label 'inserted' }"  # into the curation graph (test_store_curation.py)
    assert runner.invoke(app, ["sparql", insert, "--update", "--store", str(store_copy)]).exit_code == 0
    ask = runner.invoke(app, ["sparql", "ASK { <urn:x> rdfs:label 'inserted' }", "--store", str(store_copy)])
    assert ask.stdout == "true\n"
