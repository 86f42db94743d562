"""The time axis on the seeds: digest dates, first/last seen, `kg new`, `kg trends`, `kg diff`.

Expected values were counted by hand from the seed files (grep for their id lines, dates and
headings), never computed with kg:
- 000 lists 30 papers dated 2026-06-01, 001 30 dated 2026-06-10, 002 30 dated 2026-06-04 (their
  ``ID DATE categories`` lines); 003 (digest-md) has 335 distinct arXiv ids and no date anywhere;
  004 (topic table, "## Updated on 2025.10.11") has 465 distinct ids, Publish Dates 2025-09-10 to
  2025-10-09.
- 2601.21461, 2601.21645, 2601.21686 and 2601.22068 are in both 002 and 003.
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
IN_002_AND_003 = ["2601.21461", "2601.21645", "2601.21686", "2601.22068"]


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
