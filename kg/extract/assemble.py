"""Turn one paper's mentions into candidates: merge its spellings of one name, and record the
key, role, long forms, cues and evidence (what the entry says; kind and label are decided later
from every entry, in :mod:`kg.extract.entities`)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from ..model import Candidate, Evidence
from .canon import choose_label, normalize, shape, sorted_aliases
from .gazetteer import Gazetteer
from .rules import NAME_HEADS, Mention, case_ok

MAX_EVIDENCE = 3
GENERIC_FAMILIES = frozenset({"transformer"})  # gazetteer keys also written as common nouns
_CJK = re.compile(r"[\u3400-\u9fff]")
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


def assemble(arxiv_id: str, mentions: list[Mention], gaz: Gazetteer) -> list[Candidate]:
    """Candidates for one paper from all of its mentions (order of mentions does not matter)."""
    generic = {normalize(m.surface) for m in mentions if m.source == "stop"}
    kept = [m for m in mentions if m.source != "stop"]
    long_forms = {lf for m in kept if m.source == "def" for lf in m.long_forms if " " in lf}
    if long_forms:
        kept = [m for m in kept if not _inside_long_form(m, long_forms)]
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
    # "AIRT-VLM Adapter" and "AIRT-VLM" are one name, written with and without its head noun
    for m, node in zip(kept, node_of):
        head, _, last = m.surface.rpartition(" ")
        if head and last.lower() in NAME_HEADS and normalize(head) in nodes:
            sets.union(node, normalize(head))
    # a multi-word title name ("Multi-Modular X") joins the name it contains when that name is
    # used alone in the entry, unless the title name is already defined elsewhere
    defined = {normalize(lf) for m in kept for lf in m.long_forms}
    alone = {normalize(m.surface) for m in kept if m.field != "title"}
    for m, node in zip(kept, node_of):
        if m.source == "title" and " " in m.surface and node not in defined:
            for w in m.surface.split():
                if shape(w) == "strong" and normalize(w) in nodes and normalize(w) in alone:
                    sets.union(node, normalize(w))

    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m, node in zip(kept, node_of):
        clusters[sets.find(node)].append(m)
    english = any(m.field in ("abstract_en", "tldr", "method", "motivation") and not _CJK.search(m.sentence) for m in mentions)
    out = [c for ms in clusters.values() if (c := _candidate(arxiv_id, ms, gaz, generic, english)) is not None]
    return _versions_like_base(_dedupe(out))


def _candidate(arxiv_id: str, ms: list[Mention], gaz: Gazetteer, generic: set[str], english: bool) -> Candidate | None:
    gaz_keys = Counter(m.gaz_key for m in ms if m.gaz_key)
    proposed = any(m.role == "proposed" for m in ms)
    if english and gaz_keys and set(gaz_keys) <= GENERIC_FAMILIES and all(_CJK.search(m.field) or m.field.endswith("_zh") for m in ms):
        return None  # "Transformer" only in the translation of an English text that writes "transformers"
    if not proposed and any(normalize(m.surface) in generic for m in ms):
        return None  # the entry itself defines this name as generic or a metric ("mean absolute error (MAE)")
    counts = Counter(m.surface for m in ms)
    acronyms = Counter(m.surface for m in ms if m.source == "def")
    if gaz_keys:
        known = gaz.entries[min(gaz_keys, key=lambda k: (-gaz_keys[k], k))]
        name = known.label
    else:
        name = choose_label(acronyms or Counter({s: c for s, c in counts.items()
                                                 if not (" " in s and any(" " not in t for t in counts))}) or counts)
    if acronyms:
        key = normalize(choose_label(acronyms))
    else:
        key = known.key if gaz_keys else normalize(name)
    long_forms = sorted({lf for m in ms for lf in m.long_forms})
    spellings = sorted_aliases([m.surface for m in ms], name)
    cues = set()
    for m in ms:
        if m.kind:
            cues.add(m.kind)
        if m.cued:
            cues.add("use")
        if m.strong:
            cues.add("compared")
        if m.metric:
            cues.add("metric")
        if m.generic:
            cues.add("generic")
        if m.rejected:
            cues.add("rejected")
        if m.part:
            cues.add("part")
        if m.domain:
            cues.add("domain")
        if m.source == "title":
            cues.add("title")
    if all(m.adjectival for m in ms):
        cues.add("adjectival")
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
    return Candidate(arxiv_id, key, name, "proposed" if proposed else "used", spellings, tuple(long_forms),
                     tuple(sorted(cues)), tuple(evidence))


def _inside_long_form(m: Mention, long_forms: set[str]) -> bool:
    """A known name written only inside a longer name the entry defines: "Zorbic Flow Matching
    (ZFM)" names ZFM, so "Zorbic Flow Matching" in the title does not name Flow Matching too."""
    if m.source != "gaz":
        return False
    low = m.sentence.lower()
    inside = sum(_count(lf, low) for lf in long_forms
                 if _count(m.surface, lf.lower()) and normalize(lf) != normalize(m.surface))
    return inside > 0 and _count(m.surface, low) <= inside


def _count(word: str, text: str) -> int:
    """How often ``word`` (lower-cased) stands alone in ``text``, not inside a longer word or a
    hyphenated name (what ``(?<![\\w-])word(?![\\w-])`` finds, without compiling a pattern each time).

    >>> _count("Flow Matching", "flow matching and zorbic flow matching-x"), _count("ab", "abab ab")
    (1, 1)
    """
    word = word.lower()
    n = at = 0
    while word and (at := text.find(word, at)) >= 0:
        end = at + len(word)
        if (at and _joins(text[at - 1])) or (end < len(text) and _joins(text[end])):
            at += 1
        else:
            n, at = n + 1, end
    return n


def _joins(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


_VERSIONED = re.compile(r"(.+?)[ -]?(?:v\d+(?:\.\d+)*|\d+\.\d+)", re.I)
_KINDS = ("benchmark", "method")


def _versions_like_base(cands: list[Candidate]) -> list[Candidate]:
    """A version of a name the entry also uses ("ZQBugs V2.0" beside "ZQBugs") is the same kind of
    thing: it takes the base name's kind cue when it has none of its own."""
    kinds = {normalize(c.name): [k for k in _KINDS if k in c.cues] for c in cands}
    out = []
    for c in cands:
        m = _VERSIONED.fullmatch(c.name)
        base = kinds.get(normalize(m.group(1))) if m else None
        if base and len(base) == 1 and not any(k in c.cues for k in _KINDS):
            c = replace(c, cues=tuple(sorted({*c.cues, base[0]})))
        out.append(c)
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per key: clusters of one entry that ended on the same key are merged."""
    by_key: dict[str, Candidate] = {}
    for c in sorted(cands, key=lambda c: (c.key, c.name)):
        old = by_key.get(c.key)
        if old is None:
            by_key[c.key] = c
            continue
        by_key[c.key] = Candidate(
            c.arxiv_id, c.key, old.name, "proposed" if "proposed" in (old.role, c.role) else "used",
            sorted_aliases(old.spellings + c.spellings + (c.name,), old.name),
            tuple(sorted(set(old.long_forms + c.long_forms))), tuple(sorted(set(old.cues) | set(c.cues))),
            tuple(dict.fromkeys(old.evidence + c.evidence))[:MAX_EVIDENCE])
    return [by_key[k] for k in sorted(by_key)]
