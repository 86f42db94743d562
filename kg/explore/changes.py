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
    out["papers"] = index.rows(f"WITH chosen(node) AS ({query}) SELECT COUNT(*) FROM chosen c JOIN types t"
                               " ON t.node = c.node AND t.kind = 'paper'", *params)[0][0]
    for kind in kinds:
        rows = index.rows(
            f"WITH chosen(node) AS ({query}), ranked AS (SELECT n.iri, COALESCE(n.label, n.iri) AS label,"
            f" (SELECT COUNT(*) FROM edges e WHERE e.dst = n.id AND e.rel {papers_of(kind)}) AS papers,"
            " (SELECT MIN(d.date) FROM seen s JOIN digests d ON d.id = s.digest WHERE s.node = n.id) AS first"
            " FROM chosen c JOIN types t ON t.node = c.node AND t.kind = ? JOIN nodes n ON n.id = c.node)"
            " SELECT *, COUNT(*) OVER () FROM ranked ORDER BY papers DESC, LOWER(label), iri LIMIT ?",
            *params, kind, limit)
        out["kinds"][kind] = {"total": rows[0][4] if rows else 0, "items": [
            {"iri": iri, "label": label, "papers": papers, "first_seen": first} for iri, label, papers, first, _ in rows]}
    return out


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
    wanted = json.dumps(sorted(nodes))
    if kind == "paper":
        rows = index.rows("SELECT iri, COALESCE(label, iri), date FROM nodes WHERE id IN (SELECT value FROM json_each(?))"
                          " ORDER BY date IS NULL, date DESC, LOWER(label), iri LIMIT ?", wanted, limit)
        items = [{"iri": iri, "label": label, **({"date": day} if day else {})} for iri, label, day in rows]
    else:
        rows = index.rows(
            "SELECT n.iri, COALESCE(n.label, n.iri), (SELECT COUNT(*) FROM edges e WHERE e.dst = n.id"
            f" AND e.rel {papers_of(kind)} AND e.src IN (SELECT node FROM seen WHERE digest IN"
            " (SELECT value FROM json_each(?)))) AS papers FROM nodes n WHERE n.id IN (SELECT value FROM json_each(?))"
            " ORDER BY papers DESC, LOWER(n.label), n.iri LIMIT ?", side, wanted, limit)
        items = [{"iri": iri, "label": label, "papers": papers} for iri, label, papers in rows]
    return {"total": len(nodes), "items": items}
