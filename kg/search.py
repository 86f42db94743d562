"""Full-text search over paper titles and abstracts, English and Chinese, ranked by BM25.

Words are lower-cased runs of letters and digits; Chinese text has no spaces, so it is cut into
overlapping character bigrams (a lone character stays a unigram). Titles count twice. The texts
are fetched from the store on each call: 925 seed papers index in well under a second, so no
index file is kept (see bench/README.md, "Explore").
"""

from __future__ import annotations

import math
import re
from collections import Counter

K1, B = 1.2, 0.75  # the usual BM25 constants
TITLE_WEIGHT = 2
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``.

    >>> tokens("GRPO for 强化学习 in 2025")
    ['grpo', 'for', '强化', '化学', '学习', 'in', '2025']
    """
    out: list[str] = []
    for han, word in _TOKEN.findall(text.lower()):
        if word:
            out.append(word)
        elif len(han) == 1:
            out.append(han)
        else:
            out.extend(han[i:i + 2] for i in range(len(han) - 1))
    return out


def search(store, text: str, *, limit: int = 10) -> list[dict]:
    """Papers best matching ``text``: ``[{iri, label, date, score}]``, best first."""
    query = set(tokens(text))
    if not query:
        return []
    tf: dict[str, Counter] = {}
    size: Counter = Counter()  # length in characters: tokenising every text would cost most of the time
    for row in store.query(
        "SELECT ?p ?text ?title WHERE { { ?p dcterms:title ?text BIND(true AS ?title) } UNION { ?p dcterms:abstract ?text } }"
    ):
        iri, low = row[0].value, row[1].value.lower()
        weight = TITLE_WEIGHT if row[2] is not None else 1
        size[iri] += weight * len(low)
        if any(t in low for t in query):  # a cheap substring test before tokenising
            counts = Counter(t for t in tokens(low) if t in query)
            for t, n in counts.items():
                tf.setdefault(iri, Counter())[t] += weight * n
    if not tf:
        return []
    avg = sum(size.values()) / len(size)
    df = Counter(t for bag in tf.values() for t in bag)
    idf = {t: math.log(1 + (len(size) - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    scored = []
    for iri, bag in tf.items():
        norm = K1 * (1 - B + B * size[iri] / avg)
        scored.append((sum(idf[t] * n * (K1 + 1) / (n + norm) for t, n in bag.items()), iri))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [{"iri": iri, **_describe(store, iri), "score": round(score, 3)} for score, iri in scored[:limit]]


def _describe(store, iri: str) -> dict:
    import pyoxigraph as ox

    rows = store.select("SELECT ?p (SAMPLE(?l) AS ?label) (MAX(?d) AS ?date) WHERE { ?p rdfs:label ?l ."
                        " OPTIONAL { ?p dcterms:issued ?d } } GROUP BY ?p", p=ox.NamedNode(iri))
    return {"label": rows[0]["label"], "date": rows[0]["date"]} if rows else {"label": iri, "date": None}
