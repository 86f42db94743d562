"""Full-text search over paper titles and abstracts, English and Chinese, ranked by BM25.

Queries are cut into the tokens of :mod:`kg.store.tokens`, which the read index's FTS5 table
holds for every title and abstract (titles count twice).
"""

from __future__ import annotations

import math
from collections import Counter

from ..store import index as ix
from ..store.tokens import tokens

K1, B = 1.2, 0.75  # the usual BM25 constants


def search(store, text: str, *, limit: int = 10) -> list[dict]:
    """Papers best matching ``text``: ``[{iri, label, date, score}]``, best first.

    ``store`` is an open Store or its :class:`kg.store.index.Index`, whose FTS5 table holds every
    title and abstract as search tokens: each query token's occurrences come from one indexed
    lookup, so the cost grows with the matches, not with the store.
    """
    query = set(tokens(text))
    if not query:
        return []
    index = ix.of(store)
    tf: dict[int, Counter] = {}
    known: dict[int, tuple[int, str]] = {}  # paper → (weighted length, IRI)
    for t in query:
        for paper, n, size, iri in index.rows(
            "SELECT x.paper, v.n * x.weight, s.size, p.iri FROM (SELECT doc, COUNT(*) AS n FROM fts_terms"
            " WHERE term = ? GROUP BY doc) v JOIN texts x ON x.id = v.doc JOIN sizes s ON s.paper = x.paper"
            " JOIN nodes p ON p.id = x.paper", t
        ):
            tf.setdefault(paper, Counter())[t] += n
            known[paper] = size, iri
    if not tf:
        return []
    papers, total = int(index.meta("text_papers")), int(index.meta("text_size"))
    avg = total / papers
    df = Counter(t for bag in tf.values() for t in bag)
    idf = {t: math.log(1 + (papers - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    scored = []
    for paper, bag in tf.items():
        norm = K1 * (1 - B + B * known[paper][0] / avg)
        scored.append((sum(idf[t] * n * (K1 + 1) / (n + norm) for t, n in bag.items()), known[paper][1], paper))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out = []
    for score, _, paper in scored[:limit]:
        iri, label, date = index.rows("SELECT iri, label, date FROM nodes WHERE id = ?", paper)[0]
        out.append({"iri": iri, "label": label or iri, "date": date if label else None, "score": round(score, 3)})
    return out
