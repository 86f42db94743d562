"""The time axis, derived from provenance: when each node and edge was first and last seen.

Two clocks, both read from what the store already holds (no second source of truth):

- **seen**: the dates of the digests that mention a node. Every digest is a named graph with its
  ``dcterms:date`` and types each node it mentions (:mod:`kg.store.quads`), which the read index
  keeps as ``seen(node, digest)``. A digest without a date places nothing on this clock.
- **dated**: papers' own dates (``dcterms:issued``); a paper without one takes the date of the
  first digest that listed it. Any other node is dated by its papers, so a method's first date is
  that of the earliest paper carrying it.

An edge hangs off a paper (paper → author, method, …), and a digest writes a paper's edges with
the paper, so an edge is seen, and dated, with its paper; ``unit_of`` edges with the unit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..errors import Ambiguous, NotFound
from ..relations import PAPERS_OF
from ..store import index as ix
from ..store.tops import PAPER_TIME, dated

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class When:
    """A node's span on both clocks (None where it has no date)."""

    first_seen: str | None
    last_seen: str | None
    first_date: str | None
    last_date: str | None


def papers_of(kind: str) -> str:
    """``IN (…)`` over the edge codes from a paper to a node of ``kind`` (kg's own constants)."""
    return f"IN ({ix.REL[PAPERS_OF[kind]]})"


ALL_PAPER_EDGES = f"IN ({', '.join(sorted({str(ix.REL[r]) for r in PAPERS_OF.values()}))})"


def digests(store) -> list[dict]:
    """Every ingested digest, oldest first (undated ones last): ``{id, iri, name, date, papers}``;
    ``id`` is the digest's row in the read index."""
    rows = ix.of(store).rows(
        "SELECT d.id, d.iri, d.name, d.date, (SELECT COUNT(*) FROM seen s JOIN types t ON t.node = s.node"
        " AND t.kind = 'paper' WHERE s.digest = d.id) FROM digests d ORDER BY d.date IS NULL, d.date, d.name, d.iri")
    return [{"id": i, "iri": iri, "name": name, "date": day, "papers": papers} for i, iri, name, day, papers in rows]


def find_digests(store, text: str) -> list[dict]:
    """The digests ``text`` names: a digest file (matched by its bytes), its file name or IRI, or a
    date (``YYYY-MM-DD``: every digest of that day).

    Raises:
        NotFound: nothing matches; the message names the closest digest names or the dates there are.
        Ambiguous: a file name that several ingested digests had.
    """
    from ..store.quads import digest_iri

    known = digests(store)
    if DATE.fullmatch(text):
        found = [d for d in known if d["date"] == text]
        if not found:
            dates = sorted({d["date"] for d in known if d["date"]})
            raise NotFound(f"no digest is dated {text} (digest dates: {', '.join(dates) or 'none'})")
        return found
    path = Path(text)
    if path.is_file():
        iri = digest_iri(hashlib.sha256(path.read_bytes()).hexdigest())
        found = [d for d in known if d["iri"] == iri]
        if not found:
            raise NotFound(f"{text}: this file is not in the store (run `kg build {text}` first)")
        return found
    found = [d for d in known if text in (d["iri"], d["name"]) or path.name == d["name"]]
    if len(found) > 1:
        raise Ambiguous(f"{len(found)} digests were read from files named {path.name!r}; give the file itself",
                        [d["iri"] for d in found])
    if not found:
        from rapidfuzz import process

        close = [name for name, _, _ in process.extract(path.name, [d["name"] for d in known], limit=3,
                                                        score_cutoff=60)]
        hint = f". Did you mean: {', '.join(close)}?" if close else ""
        raise NotFound(f"No digest {text!r}{hint}")
    return found


def when(store, iris: Iterable[str] | None = None, *, papers: bool = True) -> dict[str, When]:
    """Each node's :class:`When` (all nodes, or only ``iris``), by IRI; without ``papers``, only
    when it was seen (its papers' dates left out)."""
    index = ix.of(store)
    wanted = None if iris is None else list(iris)
    only = "" if wanted is None else " AND n.iri IN (SELECT value FROM json_each(?))"
    params = () if wanted is None else (json.dumps(wanted),)
    seen = index.rows(
        "SELECT n.iri, MIN(d.date), MAX(d.date) FROM seen s JOIN digests d ON d.id = s.digest JOIN nodes n"
        f" ON n.id = s.node WHERE 1{only} GROUP BY s.node", *params)
    dated = index.rows(
        f"WITH {PAPER_TIME} SELECT n.iri, MIN(p.date), MAX(p.date) FROM edges e JOIN paper_time p ON p.paper = e.src"
        f" JOIN nodes n ON n.id = e.dst WHERE e.rel {ALL_PAPER_EDGES}{only} GROUP BY e.dst"
        f" UNION ALL SELECT n.iri, p.date, p.date FROM paper_time p JOIN nodes n ON n.id = p.paper WHERE 1{only}",
        *params, *params) if papers else []
    spans: dict[str, list] = {}
    for iri, first, last in seen:
        spans[iri] = [first, last, None, None]
    for iri, first, last in dated:
        span = spans.setdefault(iri, [None, None, None, None])
        span[2], span[3] = _least(span[2], first), _most(span[3], last)
    return {iri: When(*span) for iri, span in spans.items()}


def history(store, iri: str, kind: str, *, window: str = "30d") -> dict:
    """A node's :class:`When` and its papers per period over the store's whole dated span.

    Returns:
        ``{"first_seen", "last_seen", "first_date", "last_date", "window", "periods": [{start,
        end, papers}]}`` (no periods when the store has no dated paper).
    """
    index = ix.of(store)
    days = window_days(window)
    # its papers by date (a hub's kept in the index), read once for the span and the periods
    if kind == "paper":
        per_date = index.rows(f"WITH {PAPER_TIME} SELECT p.date, COUNT(*) FROM paper_time p JOIN nodes n ON n.id = p.paper"
                              " WHERE n.iri = ? AND p.date IS NOT NULL GROUP BY p.date", iri)
    else:
        [(node,)] = index.rows("SELECT COALESCE((SELECT id FROM nodes WHERE iri = ?), 0)", iri)
        per_date = dated(index.rows, node, ix.REL[PAPERS_OF[kind]])
    seen = when(index, [iri], papers=False).get(iri, When(None, None, None, None))
    seen = When(seen.first_seen, seen.last_seen, min(per_date, default=(None,))[0], max(per_date, default=(None,))[0])
    out = {**seen.__dict__, "window": window, "periods": []}
    first, last = span(index)
    if first is None:
        return out
    spans = periods(first, last, days)
    counts = [0] * len(spans)
    for day, n in per_date:
        counts[period_of(day, last, days, len(spans))] += n
    out["periods"] = [{"start": a, "end": b, "papers": c} for (a, b), c in zip(spans, counts)]
    return out


def span(store) -> tuple[str | None, str | None]:
    """The first and last date anything in the store has (papers' and digests' dates)."""
    # the nodes' first and last dates are the ends of their date index: two seeks, not a scan
    return tuple(ix.of(store).rows(
        "SELECT MIN(d), MAX(d) FROM (SELECT (SELECT date FROM nodes WHERE date IS NOT NULL ORDER BY date LIMIT 1) AS d"
        " UNION ALL SELECT (SELECT date FROM nodes WHERE date IS NOT NULL ORDER BY date DESC LIMIT 1)"
        " UNION ALL SELECT date FROM digests WHERE date IS NOT NULL)")[0])


def window_days(window: str) -> int:
    """Days in a window written ``7d``, ``30d`` or ``2w``.

    >>> window_days("7d"), window_days("2w")
    (7, 14)
    """
    m = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", window)
    if not m or int(m.group(1)) == 0:
        raise NotFound(f"window {window!r} is not a number of days or weeks, like 7d, 30d or 2w")
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


def periods(first: str, last: str, days: int) -> list[tuple[str, str]]:
    """Consecutive ``days``-long periods (first day, last day) covering ``first``..``last``, the
    last one ending on ``last`` so that it is complete.

    >>> periods("2026-01-01", "2026-01-10", 7)
    [('2025-12-28', '2026-01-03'), ('2026-01-04', '2026-01-10')]
    """
    end = date.fromisoformat(last)
    count = (end - date.fromisoformat(first)).days // days + 1
    out = []
    for back in range(count - 1, -1, -1):
        stop = end - timedelta(days=back * days)
        out.append(((stop - timedelta(days=days - 1)).isoformat(), stop.isoformat()))
    return out


def period_of(day: str, last: str, days: int, count: int) -> int:
    """The index in :func:`periods` of the period holding ``day``.

    >>> period_of("2026-01-04", "2026-01-10", 7, 2), period_of("2026-01-03", "2026-01-10", 7, 2)
    (1, 0)
    """
    return count - 1 - (date.fromisoformat(last) - date.fromisoformat(day)).days // days


def _least(a, b):
    return b if a is None else a if b is None else min(a, b)


def _most(a, b):
    return b if a is None else a if b is None else max(a, b)
