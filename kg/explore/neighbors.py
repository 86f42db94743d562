"""A node's neighbourhood, grouped by relation: fixed SQL per node kind over the read index.

Each kind has a list of groups. A group is one of three shapes:
``papers`` (papers linked to the node, newest first), ``count`` (nodes linked to the node's papers,
ranked by how many papers they share with it) or ``list`` (direct attributes such as a paper's
authors in order). Every group reports its ``total`` and its first ``limit`` items.
Edges are read from :mod:`kg.store.index` (relation names there), which mirrors the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import NotFound
from ..relations import OVER_PAPERS, PAPERS_OF
from ..store import index as ix
from ..store import tops
from .resolve import Node, resolve

WALK_FROM = 1_000  # papers above which a node's newest are found by walking papers by date
WALK_BUDGET = 20_000  # dated nodes such a walk reads before it sorts the node's papers instead


@dataclass(frozen=True)
class Group:
    relation: str
    kind: str
    title: str
    shape: str  # papers | count | list
    edges: tuple[str, ...] = ()  # papers/list groups: the edge relations followed
    roles: tuple[str, ...] = ()  # list groups: the role each of ``edges`` gives its items
    reverse: bool = False  # list groups: the node is the edge's object, not its subject
    positions: bool = False  # authorship edges: report (and order by) the author's position


def _counted(relation: str, kind: str, title: str) -> Group:
    return Group(relation, kind, title, "count")


def _papers(relation: str, title: str, *edges: str, positions: bool = False) -> Group:
    return Group(relation, "paper", title, "papers", edges, positions=positions)


def _listed(relation: str, kind: str, title: str, *edges: str, roles: tuple[str, ...] = (), **kw) -> Group:
    return Group(relation, kind, title, "list", edges, roles, **kw)


_AROUND = {  # the usual company of a node's papers
    "authors": ("author", "authors most associated"),
    "institutions": ("institution", "institutions most associated"),
    "methods": ("method", "methods used most"),
    "benchmarks": ("benchmark", "benchmarks used most"),
    "categories": ("category", "arXiv categories"),
    "topics": ("topic", "digest topics"),
}


def _around(*names: str) -> list[Group]:
    return [_counted(name, *_AROUND[name]) for name in names]


GROUPS: dict[str, list[Group]] = {
    "method": [
        _papers("proposed_by", "papers proposing it", "proposes_method"),
        _papers("used_by", "papers using it", "uses_method"),
        _counted("used_with", "method", "methods used alongside it"),
        _counted("evaluated_on", "benchmark", "benchmarks it is evaluated on"),
        *_around("authors", "institutions", "categories"),
    ],
    "benchmark": [
        _papers("proposed_by", "papers proposing it", "proposes_benchmark"),
        _papers("evaluated_by", "papers evaluating on it", "evaluated_on"),
        _counted("methods", "method", "methods evaluated on it"),
        _counted("used_with", "benchmark", "benchmarks used alongside it"),
        *_around("authors", "institutions", "categories"),
    ],
    "author": [
        _papers("papers", "papers", "authored", positions=True),
        _counted("co_authors", "author", "co-authors (shared papers)"),
        *_around("institutions", "methods", "benchmarks", "categories"),
    ],
    "paper": [
        _listed("authors", "author", "authors in order", "authored", positions=True),
        _listed("institutions", "institution", "institutions", "affiliated_with"),
        _listed("methods", "method", "methods", "proposes_method", "uses_method", roles=("proposed", "used")),
        _listed("benchmarks", "benchmark", "benchmarks", "proposes_benchmark", "evaluated_on",
                roles=("proposed", "used")),
        _listed("categories", "category", "arXiv categories", "in_category"),
        _listed("topics", "topic", "digest topics", "in_topic"),
        _listed("venue", "venue", "venue", "presented_at"),
        _listed("code", "code", "code", "has_code"),
    ],
    "institution": [
        _papers("papers", "papers", "affiliated_with"),
        *_around("authors", "methods", "benchmarks", "categories"),
        _listed("part_of", "institution", "part of", "unit_of"),
        _listed("units", "institution", "units", "unit_of", reverse=True),
    ],
    "category": [
        _papers("papers", "papers", "subject"),
        *_around("methods", "benchmarks", "authors", "institutions", "topics"),
    ],
    "topic": [
        _papers("papers", "papers", "subject"),
        *_around("methods", "benchmarks", "authors", "institutions", "categories"),
    ],
    "venue": [
        _papers("papers", "papers", "presented_at"),
        *_around("authors", "institutions", "methods", "benchmarks"),
    ],
    "code": [_papers("papers", "papers", "has_code")],
}


def relations(kind: str) -> list[str]:
    """The group names a node of ``kind`` has."""
    return [g.relation for g in GROUPS[kind]]


def neighbors(store, name: str | Node, *, depth: int = 1, kind: str | None = None,
              relation: str | None = None, limit: int = 10) -> dict:
    """The neighbourhood of ``name`` (resolved with :func:`kg.resolve.resolve`), grouped by relation.

    Args:
        store: an open Store or its :class:`kg.store.index.Index`.
        depth: 1, or 2 to also give the first ``limit`` neighbours their own groups.
        kind: only resolve ``name`` among nodes of this kind.
        relation: only this group (at the second hop too, where the neighbour's kind has it).
        limit: items per group, and neighbours expanded at depth 2.

    Returns:
        ``{"node": {iri, kind, label}, "depth": d, "groups": [{relation, kind, title, total,
        items: [{iri, kind, label, date?, count?, position?, role?, groups?}]}]}``.
    """
    if depth not in (1, 2):
        raise NotFound(f"depth must be 1 or 2, not {depth}")
    index = ix.of(store)
    target = name if isinstance(name, Node) else resolve(index, name, kind=kind)
    if relation is not None and relation not in relations(target.kind):
        raise NotFound(f"a {target.kind} has no relation {relation!r} (one of: {', '.join(relations(target.kind))})")
    groups = _groups(index, target, relation, limit)
    if depth == 2:
        budget = limit
        for group in groups:
            for item in group["items"]:
                if budget == 0:
                    break
                budget -= 1
                hop = Node(item["iri"], item["kind"], item["label"])
                keep = relation if relation in relations(hop.kind) else None
                item["groups"] = [g for g in _groups(index, hop, keep, limit) if g["total"]]
    return {"node": _node_dict(target), "depth": depth, "groups": groups}


def _groups(index, target: Node, relation: str | None, limit: int) -> list[dict]:
    found = index.rows("SELECT id FROM nodes WHERE iri = ?", target.iri)
    x = found[0][0] if found else 0  # 0 is no node: every group comes out empty
    return [_group(index, group, target.kind, x, limit) for group in GROUPS[target.kind]
            if relation is None or group.relation == relation]


def _in(names: tuple[str, ...]) -> str:
    """``IN (…)`` with the codes of stored relations (kg's own constants, not user text)."""
    return f"IN ({', '.join(str(ix.REL[n]) for n in names)})"


def _group(index, group: Group, kind: str, x: int, limit: int) -> dict:
    if group.shape == "count":
        rows, total = _count(index, group, kind, x, limit)
    elif group.shape == "papers":
        rows, total = _papers_of(index, group, x, limit)
    else:
        rows, total = _list(index, group, x, limit)
    items = [{"iri": iri, "kind": group.kind, "label": label or iri,
              **{k: v for k, v in extra.items() if v not in (None, "", 0)}} for iri, label, extra in rows]
    key, newest_first = _order(group.shape)
    items.sort(key=key, reverse=newest_first)
    return {"relation": group.relation, "kind": group.kind, "title": group.title, "total": total, "items": items}


def _count(index, group: Group, kind: str, x: int, limit: int):
    """Neighbours of the node's papers by shared papers (most first, then IRI), and how many there
    are: a hub's kept in the index (:mod:`kg.store.tops`), anyone else's counted."""
    items, total = tops.counted(index.rows, x, ix.REL[PAPERS_OF[kind]], ix.REL[OVER_PAPERS[group.kind]], limit)
    named = {i: (iri, label) for i, iri, label in index.rows(
        "SELECT id, iri, label FROM nodes WHERE id IN (SELECT value FROM json_each(?))", json.dumps([i for i, _ in items]))}
    return [(*named[i], {"count": count}) for i, count in items], total


def _papers_of(index, group: Group, x: int, limit: int):
    """Papers linked to the node: newest first (undated last), then by IRI.

    A node with more than ``WALK_FROM`` papers walks the dated nodes newest first (index
    ``nodes_date``) until ``limit`` of its papers are found, instead of sorting all of them; a walk
    that finds too few within ``WALK_BUDGET`` nodes (old or undated papers) sorts them after all.
    """
    edge = f"e.dst = ? AND e.rel {_in(group.edges)}{' AND e.pos > 0' if group.positions else ''}"
    total = index.rows(f"SELECT COUNT(DISTINCT e.src) FROM edges e WHERE {edge}", x)[0][0]
    rows = []
    if total > WALK_FROM:
        rows = index.rows(
            "SELECT w.iri, (SELECT label FROM nodes WHERE id = w.id), w.date, w.pos FROM (SELECT id, iri, date,"
            f" (SELECT MIN(e.pos) FROM edges e WHERE {edge} AND e.src = d.id) AS pos FROM (SELECT id, iri, date"
            " FROM nodes WHERE date IS NOT NULL ORDER BY date DESC, iri LIMIT ?) d) w WHERE w.pos IS NOT NULL LIMIT ?",
            x, WALK_BUDGET, limit,
        )
    if len(rows) < limit:
        rows = index.rows(
            f"SELECT n.iri, n.label, n.date, MIN(e.pos) FROM edges e JOIN nodes n ON n.id = e.src WHERE {edge}"
            " GROUP BY e.src ORDER BY n.date IS NULL, n.date DESC, n.iri LIMIT ?",
            x, limit,
        )
    return [(iri, label, {"date": date, "position": pos}) for iri, label, date, pos in rows], total


def _list(index, group: Group, x: int, limit: int):
    """Direct neighbours: in author order, else by label."""
    near, far = ("dst", "src") if group.reverse else ("src", "dst")
    role = "''"
    if group.roles:  # a paper both proposing and using a thing lists it once, as proposed
        role = f"MIN(CASE e.rel {' '.join(f'WHEN {ix.REL[r]} THEN {v!r}' for r, v in zip(group.edges, group.roles))} END)"
    elif group.kind == "category":
        role = (f"CASE WHEN EXISTS (SELECT 1 FROM edges pc WHERE pc.src = e.src AND pc.rel = {ix.REL['primary_category']}"
                " AND pc.dst = e.dst) THEN 'primary' ELSE '' END")
    rows = index.rows(
        f"SELECT n.iri, n.label, MIN(e.pos), {role}, COUNT(*) OVER () FROM edges e JOIN nodes n ON n.id = e.{far}"
        f" WHERE e.{near} = ? AND e.rel {_in(group.edges)}{' AND e.pos > 0' if group.positions else ''}"
        f" GROUP BY e.{far} ORDER BY MIN(e.pos), LOWER(COALESCE(n.label, n.iri)), n.iri LIMIT ?",
        x, limit,
    )
    return [(iri, label, {"position": pos, "role": role}) for iri, label, pos, role, _ in rows], rows[0][4] if rows else 0


def _order(shape: str):
    """A sort key for a group's items and whether to reverse it."""
    if shape == "count":
        return (lambda i: (-i["count"], i["label"].casefold())), False
    if shape == "papers":
        return (lambda i: (i.get("date", ""), i["iri"])), True  # newest first, undated last
    return (lambda i: (i.get("position", 0), i.get("role", "") != "primary", i["label"].casefold())), False


def _node_dict(n: Node) -> dict:
    return {"iri": n.iri, "kind": n.kind, "label": n.label}
