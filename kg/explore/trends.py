"""What is rising: papers per period for every method (or benchmark, author, …) and its bursts.

Papers are placed by their time on the dated clock (:mod:`.timeline`); periods are ``window``
days long and the last one ends on the latest date in the store. Each thing's counts go through
Kleinberg's burst detection (:mod:`.bursts`, which says why it and not a z-score); the ranking
puts first what is bursting in the latest period (its burst's weight is the ``score``), then the
strongest past bursts, then the most papers.
"""

from __future__ import annotations

import json

from ..errors import NotFound
from ..store import index as ix
from ..store.tops import PAPER_TIME
from .bursts import burst_table
from .timeline import papers_of, periods, span, window_days

KINDS = ("method", "benchmark", "author", "institution", "category", "topic", "venue")


def trends(store, *, kind: str = "method", window: str = "7d", top: int = 10) -> dict:
    """Papers per period and bursts of the ``top`` things of ``kind``, most rising first.

    Returns:
        ``{"kind", "window", "days", "periods": [{start, end, papers}], "undated": papers without
        a date, "total": things of that kind with dated papers, "items": [{iri, label, papers,
        counts: [per period], bursts: [{start, end, weight}], score, peak}]}``; ``start``/``end``
        are dates, ``score`` the weight of a burst reaching the latest period (else 0), ``peak``
        the heaviest burst's.
    """
    if kind not in KINDS:
        raise NotFound(f"no trends for {kind!r} (one of: {', '.join(KINDS)})")
    import numpy as np

    days = window_days(window)
    index = ix.of(store)
    # ids and days as two long texts, read by numpy in C: a Python tuple per paper and per edge
    # would be most of the time at 100k papers
    ids, day = (_numbers(text) for text in index.rows(
        f"WITH {PAPER_TIME} SELECT group_concat(paper), group_concat(CAST(julianday(date) AS INTEGER))"
        " FROM paper_time WHERE date IS NOT NULL")[0])
    undated = index.rows("SELECT COUNT(*) FROM types WHERE kind = 'paper'")[0][0] - len(ids)
    out = {"kind": kind, "window": window, "days": days, "periods": [], "undated": undated, "total": 0, "items": []}
    if not len(ids):
        return out
    first, last = span(index)
    spans = periods(first, last, days)
    n = len(spans)
    at = n - 1 - (_julian(last) - day) // days  # each dated paper's period
    totals = np.bincount(at, minlength=n)
    node, paper = (_numbers(text) for text in index.rows(
        f"SELECT group_concat(t.node), group_concat(e.src) FROM types t JOIN edges e ON e.dst = t.node"
        f" AND e.rel {papers_of(kind)} WHERE t.kind = ?", kind)[0])
    period_of_paper = np.full(int(max(ids.max(), paper.max(initial=0))) + 1, -1)
    period_of_paper[ids] = at
    when = period_of_paper[paper]
    dated = when >= 0
    things, row = np.unique(node[dated], return_inverse=True)
    counts = np.bincount(row * n + when[dated], minlength=len(things) * n).reshape(len(things), n)
    found = burst_table(counts, totals)
    score = np.array([next((b.weight for b in f if b.end == n - 1), 0.0) for f in found])
    peak = np.array([max((b.weight for b in f), default=0.0) for f in found])
    papers = counts.sum(axis=1)
    ranked = np.lexsort((things, -papers, -peak, -score))[:top]  # the last key sorts first
    names = {i: (iri, label) for i, iri, label in index.rows(
        "SELECT id, iri, COALESCE(label, iri) FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
        json.dumps(things[ranked].tolist()))}
    out["periods"] = [{"start": a, "end": b, "papers": int(t)} for (a, b), t in zip(spans, totals)]
    out["total"] = len(things)
    out["items"] = [
        {"iri": names[int(things[k])][0], "label": names[int(things[k])][1], "papers": int(papers[k]),
         "counts": counts[k].tolist(), "score": float(score[k]), "peak": float(peak[k]),
         "bursts": [{"start": spans[b.start][0], "end": spans[b.end][1], "weight": b.weight} for b in found[k]]}
        for k in ranked]
    return out


def _numbers(text: str | None):
    """The integers of a comma-separated text (``group_concat``'s), as a numpy array."""
    import numpy as np

    return np.array([], dtype=np.int64) if not text else np.fromstring(text, dtype=np.int64, sep=",")


def _julian(day: str) -> int:
    """SQLite's ``CAST(julianday(day) AS INTEGER)`` for an ISO date.

    >>> _julian("2000-01-01")
    2451544
    """
    from datetime import date

    return date.fromisoformat(day).toordinal() + 1721424
