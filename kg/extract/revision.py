"""Node-level decisions revised for the candidates a build adds, without deciding every stored
candidate again: the same decisions :func:`kg.extract.entities.assign` gives for all of them.

Only the key groups the new candidates join can change, and with them only the nodes those
groups' candidates name, before or after. A group is complete once it holds every candidate of
its key and the bare plurals folded into it; a node's entity is decided from all its members,
wherever their group; and a named part of a paper's method (a node whose candidates are all
"part" and in one paper) is decided again when that paper's proposals may have changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..model import Candidate, Entity, StoredRow
from .entities import entities_of, group_key, proposals, senses
from .gazetteer import Gazetteer


class Stored(Protocol):
    """The stored candidates and decisions, looked up by what a revision needs."""

    def with_keys(self, keys: Collection[str]) -> list[StoredRow]: ...
    def keys_present(self, keys: Collection[str]) -> set[str]: ...
    def of_nodes(self, nodes: Collection[str]) -> list[StoredRow]: ...
    def of_papers(self, papers: Collection[str]) -> list[StoredRow]: ...
    def entities(self, nodes: Collection[str]) -> dict[str, Entity | None]: ...


@dataclass
class Revision:
    """Every candidate whose decision may change (sorted by ref; new ones have no ``before``),
    what it linked to and links to now, its node now, and the entity of every node revised."""

    refs: list[Hashable]
    cands: list[Candidate]
    before: list[Entity | None]
    after: list[Entity | None]
    nodes: list[str | None]
    entities: dict[str, Entity | None]


def revise(added: Sequence[tuple[Hashable, Candidate]], stored: Stored, gaz: Gazetteer) -> Revision:
    """The decisions that change when ``added`` (ref, candidate) pairs join the ``stored`` ones."""
    new = dict(added)
    rows: dict[Hashable, StoredRow] = {}  # the stored candidates of the groups revised
    present, checked, asked = {c.key for c in new.values()}, set(), set()
    need = set(present)
    while need := need - asked:
        asked |= need
        rows.update((r.ref, r) for r in stored.with_keys(need))
        cands = [*new.values(), *(r.cand for r in rows.values())]
        singular = {c.key[:-1] for c in cands if c.key.endswith("s")} - checked
        present |= stored.keys_present(singular)
        checked |= singular
        groups = {group_key(c, present) for c in cands}
        need = groups | {g + "s" for g in groups}  # a group's own key and the plurals it folds in
    cand = {ref: r.cand for ref, r in rows.items()} | new
    grouped: dict[str, list[Hashable]] = defaultdict(list)
    for ref in sorted(cand):
        grouped[group_key(cand[ref], present)].append(ref)
    node_of: dict[Hashable, str | None] = dict.fromkeys(cand)
    for a in sorted(grouped):
        node_of.update(senses(a, [(ref, cand[ref]) for ref in grouped[a]], gaz))
    affected = set(cand)
    others: dict[Hashable, StoredRow] = {}  # stored candidates outside those groups, nodes unchanged

    def widen(nodes: set[str]) -> None:
        for r in stored.of_nodes(nodes):
            if r.ref not in affected:
                others[r.ref] = r
                cand[r.ref], node_of[r.ref] = r.cand, r.node

    revised = {r.node for r in rows.values() if r.node} | {n for n in node_of.values() if n}
    widen(revised)
    # a paper's proposals change only through its candidates in the groups revised; its named
    # parts ("part" candidates of nodes no other paper names) are decided again with them
    changed = {cand[ref].arxiv_id for ref in affected if cand[ref].role == "proposed"}
    context = {r.ref: r for r in stored.of_papers(changed) if r.ref not in cand}
    parts = {r.node for r in context.values() if r.node and r.node not in revised and "part" in r.cand.cues}
    widen(parts)
    revised |= parts
    members: dict[str, list[Hashable]] = defaultdict(list)
    for ref in sorted(cand):
        if node_of[ref] in revised:
            members[node_of[ref]].append(ref)
    single = {cand[m[0]].arxiv_id for m in members.values() if _one_paper_parts([cand[ref] for ref in m])}
    context.update((r.ref, r) for r in stored.of_papers(single - changed) if r.ref not in cand)
    nodes = {ref: node for ref, node in node_of.items() if node} | {ref: r.node for ref, r in context.items() if r.node}
    known = cand | {ref: r.cand for ref, r in context.items()}
    entities, linked = entities_of(members, known, proposals(nodes.items(), known), gaz)
    links = dict(linked)
    refs = sorted(cand)  # the groups revised and every member of the nodes revised
    before = stored.entities({r.node for r in (rows | others).values() if r.node and r.linked})
    old = {ref: before[r.node] for ref, r in (rows | others).items() if r.linked}
    return Revision(refs, [cand[ref] for ref in refs], [old.get(ref) for ref in refs], [links.get(ref) for ref in refs],
                    [node_of[ref] for ref in refs], {n: entities.get(n) for n in revised})


def _one_paper_parts(cs: list[Candidate]) -> bool:
    """Whether a node's candidates are all named parts in one paper (see ``_sub_module``)."""
    return all("part" in c.cues for c in cs) and len({c.arxiv_id for c in cs}) == 1
