"""The arXiv e-mail, feed, Hugging Face JSON, JSON-store and generic readers on the real corpus files
and on small hostile inputs."""

from __future__ import annotations

import time

import pytest

from kg.errors import ParseError
from kg.parse import detect_format, parse_file, parse_text


@pytest.fixture(scope="session")
def corpus(shared_dir):
    return lambda name: next((shared_dir / "corpus").glob(f"{name}*"))


@pytest.fixture(scope="session")
def manifest(shared_dir) -> dict[str, int]:
    """Paper counts from corpus/MANIFEST.tsv, by file-name prefix."""
    rows = (line.split("\t") for line in (shared_dir / "corpus" / "MANIFEST.tsv").read_text().splitlines())
    return {row[0]: int(row[1]) for row in rows if not row[0].startswith("#")}


def by_id(result):
    return {p.arxiv_id: p for p in result.papers}


# --- the arXiv mailing-list e-mail -------------------------------------------------------------

def test_email_counts_and_kinds(corpus, manifest):
    path = corpus("formatX_email_")
    result = parse_file(path)
    assert result.format == "arxiv-email" and result.problems == []
    assert len({p.arxiv_id for p in result.papers}) == manifest[path.name] == 382
    kinds = [p.source.section for p in result.papers]
    assert (kinds.count("new"), kinds.count("cross-list"), kinds.count("replaced"),
            kinds.count("replaced cross-list")) == (116, 109, 140, 17)


def test_email_fields(corpus):
    papers = by_id(parse_file(corpus("formatX_email_")))
    p = papers["2601.15305"]
    assert p.title == ("Gated Sparse Attention: Combining Computational Efficiency with Training "
                       "Stability for Long-Context Language Models")
    assert p.authors == ("Alfred Shen", "Aaron Shen") and p.published == "2026-01-12"
    assert p.comments == "15 pages, 1 figure, attention mechanism, sparse attention, gating, long-context"
    assert p.abstract_en.startswith("The computational burden of attention in long-context language models has")
    assert p.abstract_en.endswith("with loss spikes reduced by 98%.")
    cross = papers["2601.15280"]  # authors joined by "and", wrapped onto a continuation line
    assert cross.source.section == "cross-list"
    assert cross.authors[0] == "Chloe Qianhui Zhao" and cross.authors[-1] == "Kenneth R. Koedinger"
    assert cross.categories == ("cs.HC", "cs.AI") and cross.primary_category == "cs.HC"
    replaced = papers["2504.03729"]  # no abstract; TeX accents in names
    assert replaced.authors == ("Jim W. Barrett", "Nils Erlanson", "Joana Félix China", "G. Niklas Norén")
    assert replaced.abstract_en is None and replaced.published is None
    assert replaced.title == "A Scalable Predictive Modelling Approach to Identifying Duplicate Adverse Event Reports for Drugs and Vaccines"
    last = papers["2511.13520"]
    assert last.source.section == "replaced cross-list" and last.categories == ("quant-ph", "cs.SE")
    assert last.doi == "10.1145/3786150.3788611"
    assert last.journal_ref.startswith("Proceedings of the 48th International Conference of Software Engineering 2026, Workshop")


EMAIL = """\
------------------------------------------------------------------------------
\\\\
arXiv:2601.00001
Date: Fri, 2 Jan 2026 10:00:00 GMT   (10kb)

Title: A Made-Up Paper
Authors: Ann Lee
Categories: cs.LG
\\\\
  An abstract.
\\\\ ( https://arxiv.org/abs/2601.00001 ,  10kb)
------------------------------------------------------------------------------
\\\\
arXiv:2601.00002
Date: Fri, 2 Jan 2026 11:00:00 GMT   (10kb)

Authors: Bo Wu
Categories: cs.CL
\\\\
  No title above.
\\\\ ( https://arxiv.org/abs/2601.00002 ,  10kb)
------------------------------------------------------------------------------
\\\\
arXiv:2601.00003
Date: Fri, 2 Jan 2026 12:00:00 GMT   (10kb)

Title: Cut Off
Authors: Cy Ng
\\\\
  The mail ends in the middle of"""


def test_email_bad_entries_are_problems():
    result = parse_text(EMAIL, "mail.txt")
    assert result.format == "arxiv-email"
    assert [p.arxiv_id for p in result.papers] == ["2601.00001"]
    assert [str(p) for p in result.problems] == ["mail.txt:14: entry arXiv:2601.00002 has no Title",
                                                 "mail.txt:24: entry arXiv:2601.00003 is cut off"]
