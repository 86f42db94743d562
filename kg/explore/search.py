"""Full-text search over paper titles and abstracts, English and Chinese, ranked by BM25.

Queries are cut into the tokens of :mod:`kg.store.tokens`, which the read index's FTS5 table
holds for every title and abstract (titles count twice).
"""

from __future__ import annotations

import json
import math

from ..store import index as ix
from ..store.tokens import tokens

K1, B = 1.2, 0.75  # the usual BM25 constants
WINDOW = 2000  # most matching texts scored exactly; beyond it, only the most recently indexed ones, by FTS5
# per query term and paper: occurrences (title ones twice) and the paper's weighted length
_HITS = """
SELECT v.term, x.paper, SUM(v.n * x.weight), s.size FROM
  (SELECT term, doc, COUNT(*) AS n FROM fts_terms WHERE term IN (SELECT value FROM json_each(?)) GROUP BY term, doc) v
JOIN texts x ON x.id = v.doc JOIN sizes s ON s.paper = x.paper GROUP BY v.term, x.paper
"""


def search(store, text: str, *, limit: int = 10) -> list[dict]:
    """Papers best matching ``text``: ``[{iri, label, date, score}]``, best first.

    ``store`` is an open Store or its :class:`kg.store.index.Index`. When at most :data:`WINDOW`
    texts match, the score is exact BM25 over a paper's titles and abstracts together (its length
    in characters). Beyond that (a common word), to keep the cost bounded, only the :data:`WINDOW`
    most recently indexed matching texts are ranked, each by FTS5's own BM25 (its length in
    tokens) on the same idf scale, summed over a paper's texts: the results are then the best of
    those texts, not of all, and their scores are close to, not equal to, the exact ones.
    """
    query = sorted(set(tokens(text)))
    if not query:
        return []
    index = ix.of(store)
    edge = index.rows("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                      " OR ".join(map(_phrase, query)), WINDOW)
    papers, total = int(index.meta("text_papers")), int(index.meta("text_size"))
    scores = _window(index, query, edge[0][0] + 1) if edge else _exact(index, query, papers, total / papers)
    if not scores:
        return []
    cut = sorted(scores.values(), reverse=True)[:limit][-1]  # ties at the cut are broken by IRI
    rows = {p: r for p, *r in index.rows("SELECT id, iri, label, date FROM nodes WHERE id IN (SELECT value FROM"
                                          " json_each(?))", json.dumps([p for p, v in scores.items() if v >= cut]))}
    best = sorted(rows, key=lambda p: (-scores[p], rows[p][0]))[:limit]
    return [{"iri": iri, "label": label or iri, "date": date if label else None, "score": round(scores[p], 3)}
            for p in best for iri, label, date in [rows[p]]]


def _phrase(term: str) -> str:
    return f'"{term}"'  # tokens are letters and digits only


def _count(index, term: str) -> int:
    """Texts holding ``term`` (a walk of its FTS5 doclist, no row read)."""
    return index.rows("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", _phrase(term))[0][0]


def _idf(papers: int, n: int) -> float:
    return math.log(1 + (papers - n + 0.5) / (n + 0.5))


def _exact(index, query: list[str], papers: int, avg: float) -> dict[int, float]:
    """Paper → BM25 over every match: occurrences summed over the paper's texts (titles twice)."""
    tf: dict[int, dict[str, int]] = {}
    size: dict[int, int] = {}
    for term, paper, n, length in index.rows(_HITS, json.dumps(query)):
        tf.setdefault(paper, {})[term] = n
        size[paper] = length
    df = dict.fromkeys(query, 0)
    for bag in tf.values():
        for t in bag:
            df[t] += 1
    idf = {t: _idf(papers, n) for t, n in df.items()}
    return {paper: sum(idf[t] * n * (K1 + 1) / (n + K1 * (1 - B + B * size[paper] / avg)) for t, n in bag.items())
            for paper, bag in tf.items()}


def _window(index, query: list[str], floor: int) -> dict[int, float]:
    """Paper → summed FTS5 BM25 of its texts at or above rowid ``floor``, one term at a time, each
    rescaled from FTS5's idf (over texts; 1e-6 for a term in over half of them) to kg's (over papers,
    the paper count estimated from the share of texts)."""
    texts, papers = index.rows("SELECT COUNT(*) FROM texts")[0][0], int(index.meta("text_papers"))
    scores: dict[int, float] = {}
    for t in query:
        n = _count(index, t)
        if not n:
            continue
        fts_idf = max(math.log((texts - n + 0.5) / (n + 0.5)), 1e-6)
        scale = _idf(papers, min(papers, round(n * papers / texts))) / fts_idf
        for paper, s in index.rows(
            "SELECT x.paper, x.weight * h.s FROM (SELECT rowid AS doc, -bm25(fts) AS s FROM fts WHERE fts MATCH ?"
            " AND rowid >= ?) h JOIN texts x ON x.id = h.doc", _phrase(t), floor
        ):
            scores[paper] = scores.get(paper, 0.0) + s * scale
    return scores
