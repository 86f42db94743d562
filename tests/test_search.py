"""kg.explore.search: exact BM25 while few texts match, a bounded window of FTS5 ranking beyond."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from kg.explore import search as s
from kg.store.index import open_index

WORD = "the"  # in most seed abstracts


def exact(index, text: str, limit: int) -> list[tuple[str, float]]:
    """BM25 scored the plain way: every occurrence of every query token, summed per paper."""
    tf: dict[str, Counter] = {}
    size: dict[str, int] = {}
    for t in set(s.tokens(text)):
        for doc, weight, paper, length in index.rows(
                "SELECT i.doc, x.weight, p.iri, z.size FROM fts_terms i JOIN texts x ON x.id = i.doc"
                " JOIN nodes p ON p.id = x.paper JOIN sizes z ON z.paper = x.paper WHERE i.term = ?", t):
            tf.setdefault(paper, Counter())[t] += weight
            size[paper] = length
    papers, avg = int(index.meta("text_papers")), int(index.meta("text_size")) / int(index.meta("text_papers"))
    df = Counter(t for bag in tf.values() for t in bag)
    score = {p: sum(math.log(1 + (papers - df[t] + 0.5) / (df[t] + 0.5)) * n * 2.2 / (n + 1.2 * (0.25 + 0.75 * size[p] / avg))
                    for t, n in bag.items()) for p, bag in tf.items()}
    return [(p, round(score[p], 3)) for p in sorted(score, key=lambda p: (-score[p], p))[:limit]]


@pytest.fixture
def index(seeds_store):
    with open_index(seeds_store) as index:
        yield index


def matching(index, text: str) -> list[int]:
    """Rowids of the texts matching any token of ``text``, newest first."""
    return [r[0] for r in index.rows("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC",
                                     " OR ".join(f'"{t}"' for t in set(s.tokens(text))))]


@pytest.mark.parametrize("text", [WORD, f"{WORD} learning", "强化学习"])
def test_common_words_rank_as_exact_bm25(index, text):
    assert 100 < len(matching(index, text)) <= s.WINDOW  # many matches, all scored
    hits = s.search(index, text, limit=20)
    assert [(h["iri"], h["score"]) for h in hits] == exact(index, text, 20)


def test_beyond_the_window_only_its_texts_are_ranked_and_no_occurrence_list_is_walked(index, monkeypatch):
    monkeypatch.setattr(s, "WINDOW", 40)
    window = matching(index, WORD)[:40]
    inside = {r[0] for r in index.rows("SELECT p.iri FROM texts x JOIN nodes p ON p.id = x.paper WHERE x.id IN"
                                       f" ({', '.join(map(str, window))})")}
    statements: list[str] = []
    index.sql.set_trace_callback(statements.append)
    hits = s.search(index, WORD, limit=len(inside) + 5)
    index.sql.set_trace_callback(None)
    assert {h["iri"] for h in hits} == inside
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all(h["score"] > 0 for h in hits)
    assert not any("fts_terms" in q for q in statements)  # occurrences are read for the window's rows only
    # the window's best is a paper the exact ranking also puts in the top quarter of the window's
    # papers (which texts fall in the window depends on how the index was written: built or rebuilt)
    ranked = [p for p, _ in exact(index, WORD, 1000) if p in inside]
    assert len(ranked) > 20 and ranked.index(hits[0]["iri"]) < len(ranked) // 4
