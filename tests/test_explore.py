"""neighbors, show, search, path and sparql through the CLI, on a store built from the seeds.

Facts (authors, co-authors, line numbers) were read from the seed files by hand; names and titles
are sliced from the seeds' raw lines in the tests (tests/seed_entries.py), not copied into them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kg.cli import app

from seed_entries import affiliations, daily_entry, markdown_bylines_with

PAPER = "2506.06006"  # 002, line 4: five authors, the third of whom has one more paper, in 003


@pytest.fixture(scope="session")
def entry(seed):
    """Title, Chinese title and authors of PAPER, from seed 002's raw lines."""
    return daily_entry(seed("002"), PAPER)


@pytest.fixture(scope="session")
def author(entry):
    """PAPER's third author, and the IRI her name gives (it has no accents or punctuation)."""
    name = entry["authors"][2]
    return name, "https://w3id.org/kg/id/person/" + name.lower().replace(" ", "-")


@pytest.fixture
def kg(kg, seeds_store):
    """``kg(*args)``: the CLI on the seeds store."""
    return lambda *args: kg(seeds_store, *args)


def test_prefixes_match_vocab():
    from kg.prefixes import PREFIXES
    from kg.vocab import PREFIXES as VOCAB

    assert PREFIXES == VOCAB


# ---- resolution -------------------------------------------------------------------------------
@pytest.mark.parametrize("spell", [str, str.lower, lambda name: f"  {name.replace(' ', '   ')} "],
                         ids=["as written", "lower case", "spaced"])
def test_resolve_label_and_case(seeds_store, author, spell):
    from kg.explore.resolve import resolve
    from kg.store import Store

    name, iri = author
    with Store(seeds_store) as db:
        node = resolve(db, spell(name))
    assert (node.kind, node.label, node.iri) == ("author", name, iri)


@pytest.mark.parametrize("name", [PAPER, f"arXiv:{PAPER}v2", f"https://arxiv.org/abs/{PAPER}"])
def test_resolve_paper_ids(seeds_store, entry, name):
    from kg.explore.resolve import resolve
    from kg.store import Store

    with Store(seeds_store) as db:
        assert resolve(db, name).label == entry["title"]


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
def test_paper_neighbors(kg, seed, entry):
    data = json.loads(kg("neighbors", PAPER, "--json").stdout)
    groups = {g["relation"]: g for g in data["groups"]}
    assert [(i["label"], i["position"]) for i in groups["authors"]["items"]] == list(zip(entry["authors"], range(1, 6)))
    # 发表机构 line of the entry: an institute and a lab of two universities, and two institutions named alone
    alone = {en for en, _ in affiliations(seed("002"), PAPER) if ", " not in en}
    assert len(alone) == 2 and alone <= {i["label"] for i in groups["institutions"]["items"]}
    assert groups["institutions"]["total"] == 4
    cats = groups["categories"]["items"]
    assert cats[0]["iri"].endswith("/cs.CV") and cats[0]["role"] == "primary"
    assert {c["iri"].rsplit("/", 1)[1] for c in cats} == {"cs.CV", "cs.AI", "cs.CL"}


def test_author_coauthors(kg, seed, entry, author):
    name, _ = author
    data = json.loads(kg("neighbors", name, "--relation", "co_authors", "--limit", "50", "--json").stdout)
    [group] = data["groups"]
    [byline] = markdown_bylines_with(seed("003"), name)  # her other paper, with eleven others
    expected = (set(entry["authors"]) | set(byline)) - {name}
    assert group["total"] == len(expected) == 15
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


def test_depth_two_and_bad_relation(kg, entry):
    data = json.loads(kg("neighbors", PAPER, "--depth", "2", "--relation", "authors", "--limit", "2", "--json").stdout)
    [authors] = data["groups"]
    assert [i["label"] for i in authors["items"]] == entry["authors"][:2]
    assert all("groups" in i and i["groups"][0]["relation"] == "papers" for i in authors["items"])
    bad = kg("neighbors", "GRPO", "--relation", "authored")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: a method has no relation 'authored' (one of: proposed_by, used_by,")


def test_neighbors_plain_text_when_piped(kg, entry, author):
    name, iri = author
    out = kg("neighbors", name, "--relation", "papers").stdout.splitlines()
    assert out[0] == f"{name} (author) {iri}"
    assert out[1] == "# papers: papers (2)"
    assert out[2].split("\t") == ["2026-06-04", "3", entry["title"], f"https://arxiv.org/abs/{PAPER}"]


def test_neighbors_path_does_not_import_rdflib(seeds_store):
    code = ("import sys; from typer.testing import CliRunner; from kg.cli import app; "
            f"r = CliRunner().invoke(app, ['neighbors', 'GRPO', '--store', {str(seeds_store)!r}]); "
            "assert r.exit_code == 0, r.output; print(sorted(m for m in ('rdflib', 'networkx', 'spacy') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"



def _plain_groups(index, node, limit):
    """A node's papers and counted groups by plain SQL: every row fetched, sorted in Python."""
    from kg.explore import neighbors as nb
    from kg.relations import OVER_PAPERS, PAPERS_OF
    from kg.store.index import REL

    x = index.rows("SELECT id FROM nodes WHERE iri = ?", node.iri)[0][0]
    out = {}
    for g in nb.GROUPS[node.kind]:
        if g.shape == "papers":
            rows = index.rows(f"SELECT DISTINCT n.iri, n.date FROM edges e JOIN nodes n ON n.id = e.src WHERE e.dst = ?"
                              f" AND e.rel IN ({', '.join(str(REL[r]) for r in g.edges)})"
                              f"{' AND e.pos > 0' if g.positions else ''}", x)
            ranked = sorted(rows, key=lambda r: (r[1] is None, [-ord(c) for c in r[1] or ""], r[0]))
        elif g.shape == "count":
            papers = {r[0] for r in index.rows("SELECT src FROM edges WHERE dst = ? AND rel = ?", x, REL[PAPERS_OF[node.kind]])}
            counts: dict[str, int] = {}
            for p in papers:
                for (iri,) in index.rows("SELECT n.iri FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ?"
                                         " AND e.rel = ? AND e.dst != ?", p, REL[OVER_PAPERS[g.kind]], x):
                    counts[iri] = counts.get(iri, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        else:
            continue
        out[g.relation] = (len(ranked), {r[0] for r in ranked[:limit]})
    return out


@pytest.mark.parametrize("walk_from, budget", [(1_000, 20_000), (0, 20_000), (0, 3)])
def test_neighbors_groups_match_plain_sql(seeds_store, monkeypatch, walk_from, budget):
    """Papers (sorted, or found by the date walk forced on every node, or a walk that gives up) and
    counted groups pick the items and totals that sorting every row picks."""
    from kg.explore import neighbors as nb
    from kg.explore.resolve import Node
    from kg.store.index import open_index

    monkeypatch.setattr(nb, "WALK_FROM", walk_from)
    monkeypatch.setattr(nb, "WALK_BUDGET", budget)
    with open_index(seeds_store) as index:
        nodes = [Node(*row[:3]) for row in index.rows(  # the three most connected of each kind
            "SELECT * FROM (SELECT n.iri, n.kind, n.label, ROW_NUMBER() OVER (PARTITION BY n.kind ORDER BY d.n DESC,"
            " n.iri) AS r FROM degree d JOIN nodes n ON n.id = d.node WHERE n.kind != 'paper') WHERE r <= 3")]
        assert {n.kind for n in nodes} >= {"author", "category", "method", "institution"}
        for node in nodes:
            for limit in (1, 3, 10):
                got = {g["relation"]: (g["total"], {i["iri"] for i in g["items"]})
                       for g in nb.neighbors(index, node, limit=limit)["groups"]}
                for relation, want in _plain_groups(index, node, limit).items():
                    assert got[relation] == want, (node.iri, relation, limit)


def test_hub_counts_kept_in_the_index_match_plain_sql_after_a_full_and_an_incremental_build(seed, tmp_path, monkeypatch):
    """A hub's counted groups and papers per date come from the index's kept counts (a full build
    counts every hub, the next build recounts the hubs near what it added) and are what counting
    every row gives."""
    from collections import Counter

    from kg.build import build
    from kg.explore import neighbors as nb
    from kg.explore.resolve import Node
    from kg.relations import PAPERS_OF
    from kg.store import index as ix
    from kg.store import tops
    from kg.store.index import open_index

    monkeypatch.setattr(tops, "HUB", 10)
    monkeypatch.setattr(tops, "TOP", 5)
    store = tmp_path / "store"
    build([seed("003"), seed("000")], store=store, extract=False)
    with open_index(store) as index:
        before = {(n, o): t for n, o, t in index.rows("SELECT node, over, total FROM tops")}
    build([seed("004"), seed("001")], store=store, extract=False)
    with open_index(store) as index:
        after = {(n, o): t for n, o, t in index.rows("SELECT node, over, total FROM tops")}
        assert len(after) > len(before) >= 5 and any(after.get(k) != t for k, t in before.items()), (before, after)
        hubs = [Node(*row) for row in index.rows(
            "SELECT iri, kind, label FROM nodes WHERE id IN (SELECT node FROM tops) ORDER BY iri")]
        assert {h.kind for h in hubs} >= {"category", "topic"}
        brought = 0  # each kept list, brought forward, is the one counting the hub's rows gives, counts and order too
        for node, kind, over, total, items in index.rows(
                "SELECT t.node, n.kind, t.over, t.total, t.items FROM tops t JOIN nodes n ON n.id = t.node WHERE t.over != ?",
                tops.DATES):
            assert [tuple(i) for i in json.loads(items)] == tops.shared(index.rows, node, ix.REL[PAPERS_OF[kind]], over, 5)[0]
            assert total == tops.shared(index.rows, node, ix.REL[PAPERS_OF[kind]], over, 5)[1]
            brought += before.get((node, over)) not in (None, total)
        assert brought >= 5
        for hub in hubs:
            for limit in (1, 5, 8):  # 8: more than the index keeps, so counted when asked
                got = {g["relation"]: (g["total"], {i["iri"] for i in g["items"]})
                       for g in nb.neighbors(index, hub, limit=limit)["groups"]}
                for relation, want in _plain_groups(index, hub, limit).items():
                    assert got[relation] == want, (hub.iri, relation, limit)
        # each hub's kept papers per date, brought forward by the second build, are what counting
        # its papers now gives (a paper's date, else its first dated digest's)
        for hub, (node,) in zip(hubs, index.rows("SELECT node FROM tops WHERE over = ? ORDER BY"
                                                 " (SELECT iri FROM nodes WHERE id = node)", tops.DATES)):
            rel = ix.REL[PAPERS_OF[hub.kind]]
            kept = tops.dated(index.rows, node, rel)
            papers = index.rows("SELECT p.id, p.date FROM edges e JOIN nodes p ON p.id = e.src"
                                " WHERE e.dst = ? AND e.rel = ? GROUP BY p.id", node, rel)
            want = Counter(day or min((d for (d,) in index.rows(
                "SELECT d.date FROM seen s JOIN digests d ON d.id = s.digest WHERE s.node = ? AND d.date IS NOT NULL",
                paper)), default=None) for paper, day in papers)
            want.pop(None, None)
            assert kept and dict(kept) == want, hub.iri


# ---- show, search, path -----------------------------------------------------------------------
def test_show_paper_provenance_and_evidence(kg, entry):
    data = json.loads(kg("show", PAPER, "--json").stdout)
    assert data["sources"] == [{"digest": "002_f2da8318debe1b6b.txt", "line": entry["line"]}] and entry["line"] == 4
    titles = {(f["value"], f.get("lang")) for f in data["facts"] if f["predicate"] == "dcterms:title"}
    assert (entry["title_zh"], "zh") in titles
    mention = next(m for m in data["mentions"] if m["label"].casefold() == "aurora-bench")
    assert mention["role"] == "used"
    assert any("Aurora-Bench" in ev for ev in mention["evidence"])


def test_show_author_incoming(kg, author):
    data = json.loads(kg("show", author[0], "--json").stdout)
    assert data["incoming"]["total"] == 2  # dcterms:creator from her two papers
    assert {i["predicate"] for i in data["incoming"]["items"]} == {"dcterms:creator"}


@pytest.mark.parametrize("words", [lambda e: " ".join(e["title"].split()[1:3]).lower(), lambda e: e["title_zh"][-3:]],
                         ids=["two words of the title, lower case", "the Chinese title's last three characters"])
def test_search_english_and_chinese(kg, seed, words):
    hits = json.loads(kg("search", words(daily_entry(seed("002"), "2511.13391")), "--json").stdout)
    assert hits[0]["iri"] == "https://arxiv.org/abs/2511.13391"
    assert set(hits[0]) == {"iri", "label", "date", "score"}


def test_path_between_coauthors(kg, seed, entry, author):
    name, last = author[0], entry["authors"][-1]
    out = kg("path", name, last)
    assert out.exit_code == 0
    assert out.stdout.strip() == f"{name} —authored→ {entry['title']} ←authored— {last}"
    [lab] = [en for en, _ in affiliations(seed("002"), PAPER) if en.count(", ") == 1]  # "Lab, University"
    steps = json.loads(kg("path", name, lab.split(", ")[1], "--json").stdout)
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
