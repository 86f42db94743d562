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
from .bursts import bursts
from .timeline import PAPER_TIME, paper_times, papers_of, period_of, periods, span, window_days

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
    days = window_days(window)
    index = ix.of(store)
    dated = paper_times(index)
    undated = index.rows("SELECT COUNT(*) FROM types WHERE kind = 'paper'")[0][0] - len(dated)
    out = {"kind": kind, "window": window, "days": days, "periods": [], "undated": undated, "total": 0, "items": []}
    if not dated:
        return out
    first, last = span(index)
    spans = periods(first, last, days)
    n = len(spans)
    totals = [0] * n
    for _, day in dated:
        totals[period_of(day, last, days, n)] += 1
    counts: dict[int, list[int]] = {}
    for node, back, papers in index.rows(
            f"WITH {PAPER_TIME} SELECT e.dst, CAST((julianday(?) - julianday(p.date)) / ? AS INTEGER), COUNT(*)"
            f" FROM paper_time p JOIN edges e ON e.src = p.paper AND e.rel {papers_of(kind)}"
            " JOIN types t ON t.node = e.dst AND t.kind = ? WHERE p.date IS NOT NULL GROUP BY e.dst, 2",
            last, days, kind):
        if back is not None and 0 <= back < n:
            counts.setdefault(node, [0] * n)[n - 1 - back] += papers
    ranked = []
    for node, r in counts.items():
        found = bursts(r, totals)
        score = next((b.weight for b in found if b.end == n - 1), 0.0)
        peak = max((b.weight for b in found), default=0.0)
        ranked.append((-score, -peak, -sum(r), node, r, found))
    ranked.sort()
    names = {node: (iri, label) for node, iri, label in index.rows(
        "SELECT id, iri, COALESCE(label, iri) FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
        json.dumps([row[3] for row in ranked[:top]]))}
    out["periods"] = [{"start": a, "end": b, "papers": t} for (a, b), t in zip(spans, totals)]
    out["total"] = len(ranked)
    out["items"] = [
        {"iri": names[node][0], "label": names[node][1], "papers": sum(r), "counts": r, "score": -score, "peak": -peak,
         "bursts": [{"start": spans[b.start][0], "end": spans[b.end][1], "weight": b.weight} for b in found]}
        for score, peak, _, node, r, found in ranked[:top]]
    return out
