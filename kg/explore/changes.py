"""What changed between digests: what is new, and what two digests (or two days) differ by.

Both read the seen clock of :mod:`.timeline`: the digests whose named graph mentions a node.
A node is new in digest D when D mentions it and no digest dated before D does (digests of the
same day do not hide each other's news; a digest without a date is only compared with none
before it, so what it alone mentions is new).
"""

from __future__ import annotations

import json

from ..errors import NotFound
from ..store import index as ix
from .timeline import DATE, digests, find_digests, papers_of

NEW_KINDS = ("method", "benchmark", "author", "institution")
DIFF_KINDS = ("paper", "method", "benchmark", "author")


def new(store, *, since: str | None = None, digest: str | None = None, kinds: tuple[str, ...] = NEW_KINDS,
        limit: int = 20) -> dict:
    """Nodes seen for the first time in ``digest`` (a file, file name or date; default: the latest
    dated digests), or first seen on or after the date ``since``, most papers first.

    Returns:
        ``{"since": date | None, "digests": [{name, date}], "papers": new papers, "kinds": {kind:
        {"total": n, "items": [{iri, label, papers, first_seen}]}}}``; ``papers`` counts every
        paper carrying the node, ``first_seen`` is the date of the first digest that mentions it.
    """
    index = ix.of(store)
    if since is not None and digest is not None:
        raise NotFound("give a date (--since) or a digest (--digest), not both")
    if since is not None:
        if not DATE.fullmatch(since):
            raise NotFound(f"--since takes a date like 2026-06-01, not {since!r}")
        chosen, query, params = [], _FIRST_SEEN_SINCE, (since,)
    else:
        chosen = find_digests(index, digest) if digest is not None else _latest(index)
        ids = json.dumps([d["id"] for d in chosen])
        day = chosen[0]["date"] if chosen else None
        query, params = _NEW_IN, (ids, ids, day, day)
    unknown = [k for k in kinds if k not in (*NEW_KINDS, "paper")]
    if unknown:
        raise NotFound(f"unknown type {unknown[0]!r} (one of: {', '.join(NEW_KINDS)})")
    out = {"since": since, "digests": [{"name": d["name"], "date": d["date"]} for d in chosen], "kinds": {}}
    found = _by_kind(index, [r[0] for r in index.rows(query, *params)])  # computed once, ranked per kind
    out["papers"] = len(found.get("paper", ()))
    for kind in kinds:
        nodes = found.get(kind, [])
        top = _top(index, kind, nodes, limit)
        first = dict(index.rows("SELECT s.node, MIN(d.date) FROM seen s JOIN digests d ON d.id = s.digest"
                                " WHERE s.node IN (SELECT value FROM json_each(?)) GROUP BY s.node",
                                json.dumps([t[0] for t in top])))
        out["kinds"][kind] = {"total": len(nodes), "items": [
            {"iri": iri, "label": label, "papers": papers, "first_seen": first.get(n)} for n, iri, label, papers in top]}
    return out


def _by_kind(index, nodes: list[int]) -> dict[str, list[int]]:
    """``nodes`` grouped by their kinds (a node of two kinds is in both groups)."""
    out: dict[str, list[int]] = {}
    for node, kind in index.rows("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))",
                                 json.dumps(nodes)):
        out.setdefault(kind, []).append(node)
    return out


def _top(index, kind: str, nodes, limit: int, *, side: str | None = None) -> list[tuple]:
    """The ``limit`` of ``nodes`` (of ``kind``) carried by the most papers — of the digests in
    ``side`` (a JSON list of digest ids) if given — as (id, iri, label, papers); ties by label."""
    wanted = json.dumps(sorted(nodes))
    inside = "" if side is None else " AND e.src IN (SELECT node FROM seen WHERE digest IN (SELECT value FROM json_each(?)))"
    papers = dict(index.rows(f"SELECT e.dst, COUNT(*) FROM edges e WHERE e.dst IN (SELECT value FROM json_each(?))"
                             f" AND e.rel {papers_of(kind)}{inside} GROUP BY e.dst", wanted, *(() if side is None else (side,))))
    names = index.rows("SELECT id, iri, COALESCE(label, iri) FROM nodes WHERE id IN (SELECT value FROM json_each(?))", wanted)
    ranked = sorted(names, key=lambda r: (-papers.get(r[0], 0), r[2].lower(), r[1]))[:limit]
    return [(n, iri, label, papers.get(n, 0)) for n, iri, label in ranked]


# nodes first seen on or after a date (undated digests place nothing)
_FIRST_SEEN_SINCE = ("SELECT s.node FROM seen s JOIN digests d ON d.id = s.digest GROUP BY s.node"
                     " HAVING MIN(d.date) >= ?")
# nodes the chosen digests mention and no other digest dated before them does (any other, if undated)
_NEW_IN = ("SELECT DISTINCT s.node FROM seen s WHERE s.digest IN (SELECT value FROM json_each(?)) AND NOT EXISTS"
           " (SELECT 1 FROM seen o JOIN digests od ON od.id = o.digest WHERE o.node = s.node"
           " AND o.digest NOT IN (SELECT value FROM json_each(?)) AND (? IS NULL OR od.date < ?))")


def _latest(index) -> list[dict]:
    known = digests(index)
    dated = [d for d in known if d["date"]]
    if not known:
        raise NotFound("the store has no digests yet (run `kg build` first)")
    if not dated:
        return known[-1:]
    return [d for d in dated if d["date"] == dated[-1]["date"]]


def diff(store, a: str, b: str, *, kinds: tuple[str, ...] = DIFF_KINDS, limit: int = 20) -> dict:
    """What ``b`` has that ``a`` lacks (gained) and the reverse (lost): papers, methods, benchmarks
    and authors. ``a`` and ``b`` each name digests as :func:`kg.explore.timeline.find_digests` reads them:
    a digest file, its name, or a date (all digests of that day).

    Returns:
        ``{"a": {"name", "digests": [{name, date}]}, "b": …, "kinds": {kind: {"a": n, "b": n, "both": n,
        "gained": {total, items}, "lost": {total, items}}}}``; items are ``{iri, label, papers}``
        (papers: how many of that side's papers carry it; a paper's ``date`` instead), most first.
    """
    index = ix.of(store)
    sides = {"a": find_digests(index, a), "b": find_digests(index, b)}
    ids = {k: json.dumps([d["id"] for d in side]) for k, side in sides.items()}
    out = {k: {"name": name, "digests": [{"name": d["name"], "date": d["date"]} for d in sides[k]]}
           for k, name in (("a", a), ("b", b))}
    out["kinds"] = {}
    for kind in kinds:
        seen = {k: {r[0] for r in index.rows(
            "SELECT DISTINCT s.node FROM seen s JOIN types t ON t.node = s.node AND t.kind = ?"
            " WHERE s.digest IN (SELECT value FROM json_each(?))", kind, ids[k])} for k in sides}
        gained, lost = seen["b"] - seen["a"], seen["a"] - seen["b"]
        out["kinds"][kind] = {"a": len(seen["a"]), "b": len(seen["b"]), "both": len(seen["a"] & seen["b"]),
                              "gained": _ranked(index, kind, gained, ids["b"], limit),
                              "lost": _ranked(index, kind, lost, ids["a"], limit)}
    return out


def _ranked(index, kind: str, nodes: set[int], side: str, limit: int) -> dict:
    """The first ``limit`` of ``nodes``: by papers of the side's digests carrying them (papers: newest)."""
    if kind == "paper":
        rows = index.rows("SELECT iri, COALESCE(label, iri), date FROM nodes WHERE id IN (SELECT value FROM json_each(?))"
                          " ORDER BY date IS NULL, date DESC, LOWER(label), iri LIMIT ?", json.dumps(sorted(nodes)), limit)
        items = [{"iri": iri, "label": label, **({"date": day} if day else {})} for iri, label, day in rows]
    else:
        items = [{"iri": iri, "label": label, "papers": papers} for _, iri, label, papers in _top(index, kind, nodes, limit, side=side)]
    return {"total": len(nodes), "items": items}
