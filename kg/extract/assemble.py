"""Turn one paper's mentions into entities and links: merge spellings, choose key, label,
kind, role, aliases and evidence."""

from __future__ import annotations

import re

from collections import Counter, defaultdict

from ..model import Entity, Evidence, Link
from .canon import choose_label, normalize, shape, sorted_aliases
from .gazetteer import Gazetteer
from .rules import BENCH_SHAPE, Mention, case_ok

MAX_EVIDENCE = 3
MAX_SENTENCE = 300


class _Sets:
    """Union-find over normalised names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic: the smaller string becomes the root
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def entity_key(name: str, gaz: Gazetteer) -> str:
    """Canonical key of a name: the gazetteer's key for a known spelling, else the name
    normalised."""
    n = normalize(name)
    return gaz.alias_to_key.get(n, n)


def trim(sentence: str, surface: str, limit: int = MAX_SENTENCE) -> str:
    """The sentence, cut to ``limit`` characters around the mention."""
    s = " ".join(sentence.split())
    if len(s) <= limit:
        return s
    at = max(0, s.find(surface))
    start = max(0, min(at - limit // 3, len(s) - limit))
    cut = s[start:start + limit - 2]
    return ("…" if start else "") + cut + "…"


def assemble(arxiv_id: str, mentions: list[Mention], gaz: Gazetteer) -> list[Link]:
    """Links for one paper from all of its mentions (order of mentions does not matter)."""
    generic = {normalize(m.surface) for m in mentions if m.source == "stop"}
    kept = [m for m in mentions if m.source != "stop"]
    sets = _Sets()
    node_of: list[str] = []
    for m in kept:
        node = "gaz:" + m.gaz_key if m.gaz_key else normalize(m.surface)
        if not m.gaz_key:
            # a known name written as a loose token, or in the plural ("NeRFs", "ViTs")
            for form in (m.surface, m.surface[:-1] if m.surface.endswith("s") else None):
                entry = gaz.lookup(form) if form else None
                if entry and any(case_ok(form, f) for f in (entry.label, *entry.aliases)
                                 if normalize(f) == normalize(form)):
                    m.gaz_key = entry.key
                    node = "gaz:" + entry.key
                    break
        node_of.append(node)
        sets.find(node)
        for lf in m.long_forms:
            lf_entry = gaz.lookup(lf)
            sets.union(node, "gaz:" + lf_entry.key if lf_entry else normalize(lf))
    nodes = set(sets.parent)
    # plural spellings join their singular ("ESNs" -> "ESN")
    for n in list(nodes):
        if n.endswith("s") and not n.startswith("gaz:") and n[:-1] in nodes:
            sets.union(n, n[:-1])
    # a multi-word title name ("Multi-Modular X") joins the name it contains when that name is
    # used alone in the entry, unless the title name is already defined elsewhere
    defined = {normalize(lf) for m in kept for lf in m.long_forms}
    for m, node in zip(kept, node_of):
        if m.source == "title" and " " in m.surface and node not in defined:
            for w in m.surface.split():
                if shape(w) == "strong" and normalize(w) in nodes:
                    sets.union(node, normalize(w))

    clusters: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
    for m, node in zip(kept, node_of):
        clusters[sets.find(node)].append((m, node))

    links = []
    for members in clusters.values():
        link = _link(arxiv_id, members, gaz, generic)
        if link is not None:
            links.append(link)
    links.sort(key=lambda l: (l.entity.kind, l.entity.key))
    return _dedupe(links)


def _link(arxiv_id: str, members: list[tuple[Mention, str]], gaz: Gazetteer, generic: set[str]) -> Link | None:
    ms = [m for m, _ in members]
    gaz_keys = Counter(m.gaz_key for m in ms if m.gaz_key)
    proposed = any(m.role == "proposed" for m in ms)
    strong_source = any(m.source in {"gaz", "def", "title"} for m in ms)
    if not gaz_keys and not proposed:
        if any(normalize(m.surface) in generic for m in ms):
            return None
        if not strong_source and not any(m.cued or m.kind for m in ms):
            return None
    counts = Counter(m.surface for m in ms)
    if gaz_keys:
        known = gaz.entries[min(gaz_keys, key=lambda k: (-gaz_keys[k], k))]
        key, label, kind = known.key, known.label, known.kind
        extra = known.aliases
    else:
        acronyms = Counter(m.surface for m in ms if m.source == "def")
        label = choose_label(acronyms or Counter({s: c for s, c in counts.items()
                                                   if not (" " in s and any(" " not in t for t in counts))}) or counts)
        key = normalize(label)
        bench_votes = sum(1 for m in ms if m.kind == "benchmark")
        family = _family_kind(label, gaz)
        kind = "benchmark" if bench_votes * 2 >= len(ms) or BENCH_SHAPE.search(label) or family == "benchmark" \
            else "method"
        extra = ()
    names = [m.surface for m in ms] + [lf for m in ms for lf in m.long_forms] + list(extra)
    aliases = sorted_aliases(names, label)
    ev_order = sorted(ms, key=lambda m: (m.role != "proposed", m.source not in {"def", "title"}, not m.cued))
    evidence: list[Evidence] = []
    seen = set()
    for m in ev_order:
        ident = (m.field, m.sentence)
        if ident in seen:
            continue
        seen.add(ident)
        evidence.append(Evidence(m.field, trim(m.sentence, m.surface)))
        if len(evidence) == MAX_EVIDENCE:
            break
    entity = Entity(key=key, label=label, kind=kind, aliases=aliases)
    return Link(arxiv_id, entity, "proposed" if proposed else "used", tuple(evidence))


def _family_kind(label: str, gaz: Gazetteer) -> str | None:
    """The kind of a known name this one extends: "COCO-20i" is a benchmark like COCO."""
    parts = re.split(r"[-\s]", label)
    for end in range(len(parts) - 1, 0, -1):
        known = gaz.lookup("-".join(parts[:end]))
        if known:
            return known.kind
    return None


def _dedupe(links: list[Link]) -> list[Link]:
    """One link per entity key: clusters that ended on the same key are merged."""
    by_key: dict[str, Link] = {}
    for l in links:
        old = by_key.get(l.entity.key)
        if old is None:
            by_key[l.entity.key] = l
            continue
        role = "proposed" if "proposed" in (old.role, l.role) else "used"
        aliases = sorted_aliases(old.entity.aliases + l.entity.aliases + (l.entity.label,), old.entity.label)
        ev = tuple(dict.fromkeys(old.evidence + l.evidence))[:MAX_EVIDENCE]
        by_key[l.entity.key] = Link(l.arxiv_id, Entity(old.entity.key, old.entity.label, old.entity.kind, aliases), role, ev)
    return list(by_key.values())
