"""The time axis on the seeds: digest dates, first/last seen, `kg new`, `kg trends`, `kg diff`.

Expected values were counted by hand from the seed files (grep for their id lines, dates and
headings), never computed with kg:
- 000 lists 30 papers dated 2026-06-01, 001 30 dated 2026-06-10, 002 30 dated 2026-06-04 (their
  ``ID DATE categories`` lines); 003 (digest-md) has 335 distinct arXiv ids and no date anywhere;
  004 (topic table, "## Updated on 2025.10.11") has 465 distinct ids, Publish Dates 2025-09-10 to
  2025-10-09.
- 003 shares four papers with the dated digests: 2601.21461 with 002, and 2601.21645, 2601.21686
  and 2601.22068 with 000; no other paper is in two digests. Of 000-002's 90 papers, 555 - 90 =
  465 are 004's and 335 - 4 = 331 are only in (undated) 003.
- 004's topics (## headings, distinct ids): 多模态 100, 大模型PEFT 75, 大模型强化学习 100, 大模型持续学习 50
  (2 of them dated 2025-09-10), Transformer 71, 生成模型 100; 2 papers in all are dated 2025-09-10.
- cs.AI is on 13 id lines of 000, 24 of 001 and 14 of 002. "GRPO" occurs in 001, 003 and 004,
  not in 000 or 002; "Monte Carlo Dropout" only in 001.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.explore import timeline
from kg.store import index as ix

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arxivdaily-2026-03-02.txt"
PAPER = "https://arxiv.org/abs/{}".format
SEED_DATES = {"000": "2026-06-01", "001": "2026-06-10", "002": "2026-06-04", "003": None, "004": "2025-10-11"}
SEED_PAPERS = {"000": 30, "001": 30, "002": 30, "003": 335, "004": 465}


@pytest.fixture(scope="module")
def index(seeds_store):
    with ix.open_index(seeds_store) as opened:
        yield opened


def test_digests_have_their_dates_and_papers(index):
    found = timeline.digests(index)
    assert {d["name"][:3]: d["date"] for d in found} == SEED_DATES
    assert {d["name"][:3]: d["papers"] for d in found} == SEED_PAPERS
    assert [d["name"][:3] for d in found] == ["004", "000", "002", "001", "003"]  # oldest first, undated last


def test_first_and_last_seen_of_papers(index):
    got = timeline.when(index, [PAPER(i) for i in ["2601.21461", "2601.20881", "2510.08567", "2606.09940"]])
    # in 002 (dated) and 003 (undated): only 002 places it
    assert got[PAPER("2601.21461")] == timeline.When("2026-06-04", "2026-06-04", "2026-06-04", "2026-06-04")
    # only in 003: no date on either clock
    assert got[PAPER("2601.20881")] == timeline.When(None, None, None, None)
    # 004's first row: published 2025-10-09, listed in the digest of 2025-10-11
    assert got[PAPER("2510.08567")] == timeline.When("2025-10-11", "2025-10-11", "2025-10-09", "2025-10-09")
    assert got[PAPER("2606.09940")] == timeline.When("2026-06-10", "2026-06-10", "2026-06-10", "2026-06-10")


def test_a_node_is_dated_by_its_papers(index):
    # cs.AI is on id lines of 000, 001 and 002 (2026-06-01 … 2026-06-10); 004 has no categories
    iri = "https://w3id.org/kg/id/category/cs.AI"
    assert timeline.when(index, [iri])[iri] == timeline.When("2026-06-01", "2026-06-10", "2026-06-01", "2026-06-10")


def test_a_nodes_history_counts_each_dated_paper_once(index):
    """GRPO's periods hold each of its dated papers once and its span is theirs (its papers and
    their dates read here with plain SQL: the node's own date, else its first digest's)."""
    iri = "https://w3id.org/kg/id/method/grpo"
    dates = [d for (d,) in index.rows(
        "SELECT COALESCE(p.date, (SELECT MIN(g.date) FROM seen s JOIN digests g ON g.id = s.digest WHERE s.node = p.id))"
        " FROM nodes m JOIN edges e ON e.dst = m.id AND e.rel IN (?, ?) JOIN nodes p ON p.id = e.src WHERE m.iri = ?",
        ix.REL["proposes_method"], ix.REL["uses_method"], iri) if d]
    got = timeline.history(index, iri, "method")
    assert len(dates) > len(set(dates)) > 3  # several papers share a day
    assert sum(p["papers"] for p in got["periods"]) == len(dates)
    assert (got["first_date"], got["last_date"]) == (min(dates), max(dates))


def test_adding_a_digest_keeps_the_time_axis_as_a_full_rebuild(store_copy):
    from kg.build import build

    build([EXAMPLE], store=store_copy)

    def dump():
        with ix.open_index(store_copy) as opened:
            return (sorted(opened.rows("SELECT iri, name, date FROM digests")),
                    sorted(opened.rows("SELECT n.iri, d.iri FROM seen s JOIN nodes n ON n.id = s.node"
                                       " JOIN digests d ON d.id = s.digest")))

    incremental = dump()
    (store_copy / ix.FILE).unlink()
    assert dump() == incremental
    with ix.open_index(store_copy) as opened:
        added = [d for d in timeline.digests(opened) if d["name"] == EXAMPLE.name]
        assert [(d["date"], d["papers"]) for d in added] == [("2026-03-02", 2)]


def test_find_digests_by_file_name_path_and_date(index, seeds_dir):
    from kg.errors import NotFound

    path = next(seeds_dir.glob("002_*"))
    assert [d["name"] for d in timeline.find_digests(index, str(path))] == [path.name]
    assert [d["name"] for d in timeline.find_digests(index, path.name)] == [path.name]
    assert [d["name"][:3] for d in timeline.find_digests(index, "2026-06-04")] == ["002"]
    with pytest.raises(NotFound, match=r"no digest is dated 2026-06-05 \(digest dates: 2025-10-11, 2026-06-01, "
                                       r"2026-06-04, 2026-06-10\)"):
        timeline.find_digests(index, "2026-06-05")
    with pytest.raises(NotFound, match=f"Did you mean: {path.name}"):
        timeline.find_digests(index, path.name[:-5] + ".txt")
    with pytest.raises(NotFound, match="not in the store"):
        timeline.find_digests(index, str(EXAMPLE))


# ---- kg new ----------------------------------------------------------------------------------

def test_new_in_the_latest_digest(index):
    from kg.explore.changes import new

    data = new(index)
    assert data["digests"] == [{"name": "001_c422ae2b7ecba479.txt", "date": "2026-06-10"}]
    assert data["papers"] == 30  # none of 001's papers is in another seed
    assert data["kinds"]["institution"]["total"] == 0  # 001 has no 发表机构 line
    methods = {i["label"]: i for i in new(index, kinds=("method",), limit=1000)["kinds"]["method"]["items"]}
    assert methods["Monte Carlo Dropout"]["first_seen"] == "2026-06-10"
    assert "GRPO" not in methods  # 004 (2025-10-11) has it already
    papers = [i["papers"] for i in methods.values()]
    assert papers == sorted(papers, reverse=True)


def test_new_since_a_date_and_in_an_undated_digest(index, seeds_dir):
    from kg.explore.changes import new

    assert new(index, since="2026-06-01")["papers"] == 90
    assert new(index, since="2026-06-05")["papers"] == 30
    assert new(index, since="2025-01-01")["papers"] == 555  # the 331 papers only 003 has are undated
    assert new(index, digest="2026-06-04")["papers"] == 30  # 003 is undated, so it is not before 002
    undated = new(index, digest=str(next(seeds_dir.glob("003_*"))))
    assert undated["digests"] == [{"name": "003_7e57a61666cf7777.txt", "date": None}] and undated["papers"] == 331


def test_new_rejects_bad_options(index):
    from kg.errors import KGError
    from kg.explore.changes import new

    with pytest.raises(KGError, match="not both"):
        new(index, since="2026-06-01", digest="2026-06-01")
    with pytest.raises(KGError, match="--since takes a date like 2026-06-01, not 'June'"):
        new(index, since="June")
    with pytest.raises(KGError, match="unknown type 'venue'"):
        new(index, kinds=("venue",))


# ---- kg trends -------------------------------------------------------------------------------

def test_trends_counts_papers_per_period(index):
    from kg.explore.trends import trends

    data = trends(index, kind="topic", window="30d")
    assert [(p["start"], p["end"]) for p in (data["periods"][0], data["periods"][-1])] == [
        ("2025-08-15", "2025-09-13"), ("2026-05-12", "2026-06-10")]
    assert [p["papers"] for p in data["periods"]] == [2, 463, 0, 0, 0, 0, 0, 0, 0, 90]
    assert data["undated"] == 331 and data["total"] == 6
    counts = {i["label"]: i["counts"] for i in data["items"]}
    assert counts["大模型持续学习"] == [2, 48] + [0] * 8
    assert {label: sum(c) for label, c in counts.items()} == {
        "多模态": 100, "大模型PEFT": 75, "大模型强化学习": 100, "大模型持续学习": 50, "Transformer": 71, "生成模型": 100}
    cs_ai = next(i for i in trends(index, kind="category", window="7d", top=100)["items"] if i["label"].startswith("cs.AI"))
    assert cs_ai["counts"][-2:] == [13, 24 + 14]  # 000 (2026-06-01) in the week before 2026-06-04 … 06-10


def test_trends_rank_what_bursts_now_first(index):
    from kg.explore.trends import trends

    data = trends(index, kind="method", window="7d", top=50)
    keys = [(-i["score"], -i["peak"], -i["papers"]) for i in data["items"]]
    assert keys == sorted(keys)
    for item in data["items"]:
        assert len(item["counts"]) == len(data["periods"])
        for b in item["bursts"]:
            assert b["weight"] > 0 and b["start"] <= b["end"]


def test_trends_rejects_bad_options(index):
    from kg.errors import KGError
    from kg.explore.trends import trends

    with pytest.raises(KGError, match="window '0d' is not a number of days or weeks"):
        trends(index, window="0d")
    with pytest.raises(KGError, match="no trends for 'paper'"):
        trends(index, kind="paper")


def test_bursts_find_a_rising_share_not_a_big_day():
    from kg.explore.bursts import bursts

    # a steady 2 % share, then 20 % for two periods: one burst over those two
    found = bursts([1, 1, 1, 1, 10, 10], [50, 50, 50, 50, 50, 50])
    assert [(b.start, b.end) for b in found] == [(4, 5)]
    # ten times the papers on a day ten times as big is the same share: no burst
    assert bursts([1, 1, 1, 10], [50, 50, 50, 500]) == []
    assert bursts([0, 0, 0], [10, 10, 10]) == []


# ---- kg diff ---------------------------------------------------------------------------------

def test_diff_of_two_days(index):
    from kg.explore.changes import diff

    data = diff(index, "2026-06-01", "2026-06-04")
    papers = data["kinds"]["paper"]
    assert (papers["a"], papers["b"], papers["both"]) == (30, 30, 0)
    assert (papers["gained"]["total"], papers["lost"]["total"]) == (30, 30)
    assert {i["date"] for i in papers["gained"]["items"]} == {"2026-06-04"}


def test_diff_of_two_digests(index, seeds_dir):
    from kg.explore.changes import diff

    data = diff(index, str(next(seeds_dir.glob("003_*"))), "000_b9db59897b87019b.txt", limit=5)
    papers = data["kinds"]["paper"]
    assert (papers["a"], papers["b"], papers["both"]) == (335, 30, 3)
    assert (papers["gained"]["total"], papers["lost"]["total"]) == (27, 332)
    assert len(papers["lost"]["items"]) == 5
    methods = data["kinds"]["method"]
    assert methods["a"] == methods["both"] + methods["lost"]["total"]
    assert methods["b"] == methods["both"] + methods["gained"]["total"]
    grpo = diff(index, "2026-06-04", "2026-06-10", limit=1000)["kinds"]["method"]["gained"]["items"]
    assert "GRPO" in {i["label"] for i in grpo}  # in 001, not in 002


# ---- the commands ----------------------------------------------------------------------------

def test_cli_new_trends_diff(kg, seeds_store):
    result = kg(seeds_store, "new", "--type", "method", "-n", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "new in 001_c422ae2b7ecba479.txt (2026-06-10): 30 papers"
    assert lines[1].startswith("# method: ") and lines[1].endswith(" new, 2 shown") and len(lines) == 4
    result = kg(seeds_store, "trends", "--type", "topic", "--window", "30d", "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("topic papers per 30d, 2025-08-15 … 2026-06-10 (10 periods, 555 dated papers; "
                        "331 undated papers not counted)")
    assert lines[1] == "all papers\t▁█·······▂"  # 2, 463, 0 × 7, 90
    assert len(lines) == 3 + 3 and all(line.split("\t")[4] == "·█········" for line in lines[3:])
    result = kg(seeds_store, "diff", "2026-06-01", "2026-06-04", "--json")
    assert result.exit_code == 0, result.output
    import json

    papers = json.loads(result.output)["kinds"]["paper"]
    assert (papers["gained"]["total"], papers["lost"]["total"], papers["both"]) == (30, 30, 0)


def test_cli_neighbors_shows_first_seen_and_papers_per_period(kg, seeds_store):
    result = kg(seeds_store, "neighbors", "GRPO", "--limit", "1")
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[1]
    # 004 (2025-10-11) is the oldest digest naming GRPO, 001 (2026-06-10) the newest
    assert line.startswith("first seen 2025-10-11, last seen 2026-06-10 (papers dated ")
    assert line.endswith("(2025-08-15 … 2026-06-10)") and "papers per 30d: ·█·······" in line


@pytest.mark.parametrize("args, error", [
    (["new", "--since", "June"], "Error: --since takes a date like 2026-06-01, not 'June'"),
    (["new", "--digest", "nope.md"], "Error: No digest 'nope.md'"),
    (["diff", "2026-06-01", "2027-01-01"], "Error: no digest is dated 2027-01-01 (digest dates: 2025-10-11, "
                                           "2026-06-01, 2026-06-04, 2026-06-10)"),
    (["trends", "--window", "week"], "Error: window 'week' is not a number of days or weeks, like 7d, 30d or 2w"),
    (["trends", "--chart", "t.pdf"], "Error: t.pdf: a chart is written as .html, .png or .svg, not .pdf"),
])
def test_cli_errors_are_one_line(kg, seeds_store, args, error):
    result = kg(seeds_store, *args)
    assert result.exit_code == 1 and result.output == error + "\n"


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_trends_chart(kg, seeds_store, tmp_path, suffix):
    out = tmp_path / f"trends{suffix}"
    result = kg(seeds_store, "trends", "--top", "4", "--chart", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        from lxml import etree, html

        doc = etree.fromstring(data) if suffix == ".svg" else html.fromstring(data)
        text = " ".join(doc.itertext())
        labels = [line.split("\t")[5] for line in result.output.splitlines()[3:] if "\t" in line]
        assert len(labels) == 4 and all(label in text for label in labels)  # the legend names the lines
        if suffix == ".html":
            assert doc.xpath("//svg") and not doc.xpath("//script | //link | //img")


def test_matplotlib_loads_only_for_a_chart(seeds_store, tmp_path):
    import subprocess
    import sys

    code = ("import sys; from typer.testing import CliRunner; from kg.cli import app; "
            f"r = CliRunner().invoke(app, ['trends', '--store', {str(seeds_store)!r}] + sys.argv[1:]); "
            "assert r.exit_code == 0, r.output; print('matplotlib' in sys.modules)")
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    drawn = subprocess.run([sys.executable, "-c", code, "--chart", str(tmp_path / "t.svg")], capture_output=True,
                           text=True, check=True).stdout
    assert (plain.strip(), drawn.strip()) == ("False", "True")
