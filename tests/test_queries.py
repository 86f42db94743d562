"""Every example query in queries/ runs on the seeds and gives answers checked against the files.

Expected values were read from the seed files (grep and eye), not computed by kg; names are sliced
from the seeds' raw lines in the tests (tests/seed_entries.py), not copied into them.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

from seed_entries import affiliations, daily_entry, entry_text, markdown_bylines_with, query_on_seeds

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def run(store: Path, name: str, text: str | None = None) -> list[dict]:
    """The CSV rows of queries/NAME (or of ``text``, that file rewritten) asked of the store."""
    query = [text] if text else ["--file", str(QUERIES / name)]
    result = CliRunner().invoke(app, ["sparql", *query, "--format", "csv", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_query_is_documented_and_runs(seeds_store):
    files = sorted(QUERIES.glob("*.rq"))
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    assert len(files) >= 10
    for f in files:
        assert f.read_text(encoding="utf-8").startswith("# Question: ")
        assert f"`{f.name}`" in readme
        run(seeds_store, f.name)


def test_papers_per_digest(seeds_store):
    # arXivDaily entries start "<id> <date>"; the markdown and topic-table digests list distinct arxiv.org/abs links
    rows = {r["digest"][:3]: int(r["papers"]) for r in run(seeds_store, "papers-per-digest.rq")}
    assert rows == {"000": 30, "001": 30, "002": 30, "003": 335, "004": 465}


def test_authors_of_paper_in_order(seeds_store, seed):
    rows = run(seeds_store, "authors-of-paper.rq")  # 2506.06006: 002, line 10
    assert [r["name"] for r in rows] == daily_entry(seed("002"), "2506.06006")["authors"]
    assert [int(r["position"]) for r in rows] == [1, 2, 3, 4, 5]


def test_coauthors(examples_store):
    # as written, the query asks about the first author of the examples' arXivDaily entry, who has a
    # second paper in the markdown digest with one of her two coauthors there and someone new
    rows = run(examples_store, "coauthors.rq")
    assert [(r["name"], int(r["shared"])) for r in rows][:1] == [("Priya Raman", 2)]
    assert {(r["name"], int(r["shared"])) for r in rows} == {("Priya Raman", 2), ("Wei Zhang", 1), ("Jonas Berg", 1)}


def test_coauthors_on_the_seeds(seeds_store, seed, seeds_dir):
    # asked about the third author of 2506.06006 (002, line 10), on one paper in 003 with eleven others
    authors = daily_entry(seed("002"), "2506.06006")["authors"]
    [byline] = markdown_bylines_with(seed("003"), authors[2])
    expected = (set(authors) | set(byline)) - {authors[2]}
    rows = run(seeds_store, "coauthors.rq", query_on_seeds(QUERIES / "coauthors.rq", seeds_dir))
    assert {r["name"] for r in rows} == expected and len(expected) == 15
    assert {int(r["shared"]) for r in rows} == {1}


def test_institutions_by_papers(seeds_store, seed):
    # only 002 has 发表机构 lines; the university of the lab on 2506.06006's line counts the lab's papers too
    [lab] = [en for en, _ in affiliations(seed("002"), "2506.06006") if en.count(", ") == 1]  # "Lab, University"
    university = lab.split(", ")[1]
    lines = [line for line in seed("002").read_text(encoding="utf-8").split("\n") if line.startswith("发表机构 * ")]
    rows = {r["label"]: int(r["papers"]) for r in run(seeds_store, "institutions-by-papers.rq")}
    assert rows[university] == sum(university in line for line in lines) == 2


def test_new_in_digest(seeds_store, seeds_dir):
    ids = {}
    for f in sorted(seeds_dir.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        ids[f.name[:3]] = set(re.findall(r"^(\d{4}\.\d{4,5}) \d{4}-", text, re.M)) | set(
            re.findall(r"arxiv\.org/abs/(\d{4}\.\d{4,5})\)", text))
    others = set().union(*(v for k, v in ids.items() if k != "002"))
    rows = run(seeds_store, "new-in-digest.rq")
    assert {r["paper"].rsplit("/", 1)[1] for r in rows} == ids["002"] - others


def test_code_at_venue(seeds_store, seeds_dir, seed):
    text = "".join(f.read_text(encoding="utf-8") for f in seeds_dir.glob("*.txt"))
    rows = run(seeds_store, "code-at-venue.rq")
    # 2502.12119 (000): venue ACL 2026 (in its Comments line), one GitHub repository linked from its abstracts
    [url] = set(re.findall(r"https://github\.com/[\w.-]+/[\w-]+", entry_text(seed("000"), "2502.12119")))
    assert {(r["venue"], r["code"]) for r in rows if r["paper"].endswith("/2502.12119")} == {("ACL 2026", url)}
    for r in rows:
        assert r["code"].split("://", 1)[1] in text


@pytest.mark.parametrize("name", ["most-used-methods.rq", "methods-per-category.rq"])
def test_method_queries_name_real_methods(seeds_store, seeds_dir, name):
    text = "".join(f.read_text(encoding="utf-8") for f in seeds_dir.glob("*.txt")).casefold()
    rows = run(seeds_store, name)
    assert rows
    for r in rows:
        label = r.get("label") or r["method"]
        assert label.casefold() in text, label


def test_most_used_methods_counts_grpo(seeds_store, seeds_dir):
    # topic-table rows of 004 whose title names GRPO — each such paper uses or proposes it
    rows_004 = [line for line in next(seeds_dir.glob("004_*")).read_text(encoding="utf-8").splitlines()
                if re.search(r"\|\[[^\]]*GRPO", line)]
    counts = {r["label"]: int(r["papers"]) for r in run(seeds_store, "most-used-methods.rq")}
    assert counts["GRPO"] >= len(rows_004) > 0


def test_propose_and_evaluate(seeds_store):
    # 2509.18851 (004) proposes NGRPO and reports AIME2025 results (AIME 2025 is its own benchmark, not AIME)
    rows = run(seeds_store, "propose-and-evaluate.rq")
    assert ("https://arxiv.org/abs/2509.18851", "NGRPO") in {(r["paper"], r["method"]) for r in rows}


def test_evidence_sentences_come_from_the_seeds(seeds_store, seeds_dir):
    text = "".join(f.read_text(encoding="utf-8") for f in seeds_dir.glob("*.txt"))
    rows = run(seeds_store, "papers-with-evidence.rq")
    assert rows
    for r in rows:
        sentence = r["evidence"].split("] ", 1)[1]
        # GRPO is written as an acronym, spelled out, or in Chinese
        assert re.search(r"grpo|group relative policy optimization|组相对策略优化", sentence.casefold()), sentence
        assert sentence[:40] in text


def test_venues(seeds_store):
    rows = run(seeds_store, "venues.rq")
    assert rows[0]["venue"] == "ICML 2026"
    # "ICML 2026" is written 19 times in 000–004 outside workshop names, plus "ICML '26" and "ICML (2026)" once each
    assert 19 <= int(rows[0]["papers"]) <= 21
