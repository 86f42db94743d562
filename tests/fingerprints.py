"""Fingerprints of the fields of real papers (``tests/data/corpus_spotchecks.json``): tests check what
the readers take from the shared digests without copying their text into the repository.

A text is whitespace-collapsed and stored as the SHA-1 of its UTF-8 bytes (``*_sha1``), with its
length (``*_len``); a start or an end as the SHA-1 of its first or last 30 collapsed characters
(``*_prefix_sha1``, ``*_suffix_sha1``); a list (authors, institutions, code URLs) as the SHA-1 of its
items joined by ``"; "``. Ids, dates, category codes and counts are stored plain. How the values
were made is told in ``tests/test_corpus.py``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SPOTCHECKS = json.loads((Path(__file__).parent / "data" / "corpus_spotchecks.json").read_text(encoding="utf-8"))


def collapse(text: str) -> str:
    return " ".join(text.split())


def sha1(text: str) -> str:
    return hashlib.sha1(collapse(text).encode()).hexdigest()


def joined(items) -> str:
    return "; ".join(items)


def spotcheck(file_prefix: str, arxiv_id: str) -> dict:
    """The fingerprints of paper ``arxiv_id`` in the shared file whose name starts with ``file_prefix``."""
    return next(e for e in SPOTCHECKS if e["file"].split("/")[1].startswith(file_prefix) and e["arxiv_id"] == arxiv_id)


def assert_fingerprints(p, check: dict) -> None:
    """Assert that paper ``p`` carries every field ``check`` fingerprints."""
    where = f"{check['arxiv_id']} at line {p.source.line}"
    assert (sha1(p.title), len(collapse(p.title))) == (check["title_sha1"], check["title_len"]), f"{where}: title {p.title!r}"
    if "title_zh_sha1" in check:
        assert sha1(p.title_zh or "") == check["title_zh_sha1"], f"{where}: Chinese title {p.title_zh!r}"
    if "first_author_sha1" in check:
        assert p.authors, f"{where}: no authors"
        assert sha1(p.authors[0]) == check["first_author_sha1"], f"{where}: first author {p.authors[0]!r}"
    if "last_author_sha1" in check:
        assert sha1(p.authors[-1]) == check["last_author_sha1"], f"{where}: last author {p.authors[-1]!r}"
        assert len(p.authors) == check["authors_count"], f"{where}: authors {p.authors}"
    lists = {"authors": p.authors, "institutions": [i.name for i in p.institutions], "code_urls": p.code_urls}
    for field, items in lists.items():
        if f"{field}_sha1" in check:
            assert sha1(joined(items)) == check[f"{field}_sha1"], f"{where}: {field} {items}"
    if "authors_complete" in check:
        assert p.authors_complete is check["authors_complete"], where
    if "published" in check:
        assert p.published == check["published"], where
    if "category" in check:
        assert check["category"] in (*p.categories, p.primary_category), f"{where}: {p.categories}"
    if "summary_prefix_sha1" in check:
        assert p.summaries, f"{where}: no summaries"
        first = collapse(p.summaries[0].text)
        assert sha1(first[:30]) == check["summary_prefix_sha1"], f"{where}: first summary starts {first[:40]!r}"
    for field in ("comments", "journal_ref"):
        if f"{field}_sha1" in check:
            assert sha1(getattr(p, field) or "") == check[f"{field}_sha1"], f"{where}: {field} {getattr(p, field)!r}"
    for field in ("abstract_en", "abstract_zh"):
        text = collapse(getattr(p, field) or "")
        if f"{field}_prefix_sha1" in check:
            assert sha1(text[:30]) == check[f"{field}_prefix_sha1"], f"{where}: {field} starts {text[:40]!r}"
        if f"{field}_suffix_sha1" in check:
            assert sha1(text[-30:]) == check[f"{field}_suffix_sha1"], f"{where}: {field} ends {text[-40:]!r}"
        if f"{field}_len" in check:
            assert len(text) == check[f"{field}_len"], f"{where}: {field} ends {text[-40:]!r}"
