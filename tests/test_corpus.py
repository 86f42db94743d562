"""Readers' conformance on every real digest (corpus and seeds), and properties of what they read.

Conformance: ``parse_file`` on each file in ``corpus/MANIFEST.tsv`` and on the five seeds gives
exactly the number of distinct arXiv ids the manifest states (seeds: counted with grep over their
id lines, table rows and ``###`` headings), and the papers spot-checked in
``tests/data/corpus_spotchecks.json`` carry the fields the file gives them.

How the spot-check fingerprints were made: for each file, 2–4 papers (the first and last entry,
plus awkward ones: wrapped titles and authors, multi-paragraph abstracts, papers listed twice, a
``v1``/``v2`` pair, a byline with a leading space) were located with grep/sed, and their fields were
sliced out of the raw text by a throwaway script that does not import kg: the title without its
markup (``**…**``, the ``[…](…)`` link, the HTML anchor), the author list split on the file's
separator (`` and `` in arXiv e-mails; for ``et.al.`` bylines only the first author, and
``authors_complete: false``), the abstract after its label (after ``Abstract:`` where an RSS
``arXiv:… Announce Type`` preamble precedes it) and without wrapping HTML (``<p>``, ``**``). Each text was
whitespace-collapsed (``" ".join(s.split())``) and stored as the SHA-1 of its UTF-8 bytes
(``*_sha1``), with its length (``title_len``, ``abstract_*_len`` where the file gives the whole
abstract); an abstract's start is the SHA-1 of its first 30 collapsed characters, its end of its last
30. Other fields that tests elsewhere rely on (a Chinese title, a whole author list joined with
``"; "``, institutions, code URLs, comments, a journal reference, the first summary's start) were
sliced and hashed the same way (``tests/fingerprints.py`` checks them all). Ids, ISO dates,
category codes and counts are stored plain. ``published`` is the paper's own date where the entry
gives one (not the digest's, and not a replacement's); a key left out is not checked. No text of the
files is kept in the repository.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.parse import parse_file

from fingerprints import SPOTCHECKS, assert_fingerprints

TAXONOMY = Path(__file__).resolve().parents[1] / "kg" / "data" / "arxiv_categories.tsv"

# distinct ids per seed, counted with grep: id lines (000-002), ### headings (003), table rows (004)
SEED_PAPERS = {"000": 30, "001": 30, "002": 30, "003": 335, "004": 465}
# the manifest's note: the 11 earlier papers it cites may be read as papers too
ALSO_ACCEPTED = {"formatX_hf-digest-md_vollero_2026-08-04.md": {37}}
# the manifest counted new-style ids only: 5 rows link old-style ids (quant-ph/0606220v2, cs/0612127v1, …)
CORRECTED = {"formatC_monologg_2023-02-23.md": 1536}

FILES = sorted({e["file"] for e in SPOTCHECKS})


@cache
def parsed(path: Path):
    return parse_file(path)


def expected_papers(manifest: dict[str, int], rel: str) -> set[int]:
    folder, name = rel.split("/")
    if folder == "seeds":
        return {SEED_PAPERS[name[:3]]}
    return {CORRECTED.get(name, manifest[name])} | ALSO_ACCEPTED.get(name, set())


def test_every_manifest_file_and_seed_is_checked(manifest, seeds_dir):
    listed = {f"corpus/{name}" for name in manifest}
    seeds = {f"seeds/{p.name}" for p in seeds_dir.iterdir()}
    assert listed | seeds == set(FILES)


@pytest.mark.parametrize("rel", FILES)
def test_distinct_papers_match_the_manifest(shared_dir, manifest, rel):
    result = parsed(shared_dir / rel)
    ids = {p.arxiv_id for p in result.papers}
    assert len(ids) in expected_papers(manifest, rel), (result.format, [str(p) for p in result.problems[:5]])


@pytest.mark.parametrize("check", SPOTCHECKS, ids=lambda e: f"{e['file'].split('/')[1][:24]}-{e['arxiv_id']}")
def test_spot_checked_fields(shared_dir, check):
    records = [p for p in parsed(shared_dir / check["file"]).papers if p.arxiv_id == check["arxiv_id"]]
    assert records, f"{check['arxiv_id']} not read"
    for p in records:
        assert_fingerprints(p, check)


# ---- properties of everything read from the corpus and the seeds

CATEGORY_CODE = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
URL = re.compile(r"https?://|www\.", re.I)
MARKUP = ("**", "|", "](", "<", ">")
ET_AL = re.compile(r"\bet\.?\s*al\b", re.I)
HANGUL_KANA = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u3040-\u30ff\u31f0-\u31ff]")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
TITLE_RESIDUE = ("**", "](", "<details", "<summary", "</", "<a href", "&nbsp;", "&amp;")
PLACEHOLDER = re.compile(r"\b(generation|extraction|analysis)\s+(failed|unavailable)\b|</?think>", re.I)


def all_papers(shared_dir):
    """Every paper read from every file; a file that cannot be read fails the conformance test."""
    for rel in FILES:
        try:
            papers = parsed(shared_dir / rel).papers
        except KGError:
            continue
        for p in papers:
            yield rel, p


def assert_none(shared_dir, bad):
    """Fail listing ``file:line id: value`` for each value that ``bad(paper)`` yields."""
    found = [f"{rel}:{p.source.line} {p.arxiv_id}: {v!r}" for rel, p in all_papers(shared_dir) for v in bad(p)]
    assert not found, f"{len(found)} found:\n" + "\n".join(found[:10])


def test_no_author_looks_like_a_category_url_markup_or_et_al(shared_dir):
    def bad(p):
        for a in p.authors:
            if CATEGORY_CODE.match(a) or URL.search(a) or any(m in a for m in MARKUP) or ET_AL.search(a) or not a.strip():
                yield a

    assert_none(shared_dir, bad)


def test_no_korean_or_japanese_text_tagged_english(shared_dir):
    def bad(p):
        for s in p.summaries:
            if s.lang == "en" and (HANGUL_KANA.search(s.text) or len(HAN.findall(s.text)) > len(LATIN.findall(s.text))):
                yield f"{s.kind}@en {s.text[:40]}"
        if p.abstract_en and HANGUL_KANA.search(p.abstract_en):
            yield f"abstract_en {p.abstract_en[:40]}"

    assert_none(shared_dir, bad)


def test_korean_summaries_are_read_and_tagged_korean(shared_dir):
    rel = "corpus/formatB_0x0217_2026-08-18.md"
    langs = {s.lang for p in parsed(shared_dir / rel).papers for s in p.summaries if HANGUL_KANA.search(s.text)}
    assert langs == {"ko"}


def test_every_paper_has_a_clean_title(shared_dir):
    def bad(p):
        if not p.title.strip() or any(r in p.title for r in TITLE_RESIDUE):
            yield p.title

    assert_none(shared_dir, bad)


def test_every_category_is_in_the_arxiv_taxonomy(shared_dir):
    rows = TAXONOMY.read_text(encoding="utf-8").splitlines()
    known = {r.split("\t")[0] for r in rows if r and not r.startswith("#")}

    def bad(p):
        yield from (c for c in (*p.categories, p.primary_category) if c is not None and c not in known)

    assert_none(shared_dir, bad)


def test_no_placeholder_or_model_reasoning_becomes_a_summary(shared_dir):
    def bad(p):
        for kind, text in p.texts():
            if PLACEHOLDER.search(text):
                yield f"{kind}: {text[:60]}"

    assert_none(shared_dir, bad)
