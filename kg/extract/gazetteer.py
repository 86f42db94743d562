"""The gazetteer and stop list: data files in ``kg/data`` read once per process.

``kg/data/gazetteer.tsv`` rows are ``kind, label, aliases`` (aliases joined by ``|``);
``kg/data/extract_stoplist.tsv`` rows are ``category, term`` for generic terms, metrics and
other strings that are never methods or benchmarks (``kg/data/organisations.tsv`` and
``kg/data/software.tsv`` add names of the category ``other``); ``kg/data/extract_heads.tsv`` holds the head
nouns that say what kind of thing a name is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..data import load_tsv
from .canon import normalize

_CJK = re.compile(r"[\u3400-\u9fff]")
# organisations and general software: named beside methods, never one themselves (stop list "other")
NON_NAMES = ("organisations.tsv", "software.tsv")


@dataclass(frozen=True, slots=True)
class Known:
    """A gazetteer entry."""

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Known entities by key, their spellings, and the stop list."""

    entries: dict[str, Known]
    alias_to_key: dict[str, str]
    stop: dict[str, str]
    zh_forms: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> Known | None:
        """The entry a spelling belongs to (any case, hyphenation or spacing), or None."""
        key = self.alias_to_key.get(normalize(name))
        return self.entries[key] if key else None

    def stop_category(self, name: str) -> str | None:
        """``generic``/``metric``/``other`` if ``name`` (or its singular) is on the stop list."""
        n = normalize(name)
        cat = self.stop.get(n)
        if cat is None and len(n) > 2 and n.endswith("s"):
            cat = self.stop.get(n[:-1])
        return cat

    def forms(self):
        """Every (spelling, key) pair, Latin-script spellings only."""
        for e in self.entries.values():
            for form in (e.label, *e.aliases):
                if not _CJK.search(form):
                    yield form, e.key


@cache
def heads() -> dict[str, frozenset[str]]:
    """Head nouns by class (``benchmark``, ``method``, ``field``, ``reject``, ``eval``; endings of
    such words as ``reject-suffix``, ``method-suffix``), from ``kg/data/extract_heads.tsv``."""
    out: dict[str, set[str]] = {}
    for cls, words, *_ in load_tsv("extract_heads.tsv"):
        out.setdefault(cls, set()).update(words.split())
    return {cls: frozenset(words) for cls, words in out.items()}


def head_class(word: str, classes: tuple[str, ...]) -> str | None:
    """The first of ``classes`` whose head nouns hold ``word`` (or its singular), else None.

    >>> head_class("Vehicles", ("reject", "method")), head_class("Networks", ("reject", "method"))
    ('reject', 'method')
    >>> head_class("Quantizer", ("reject", "method")), head_class("Spectroscopy", ("reject", "method"))
    ('method', 'reject')
    """
    w = word.casefold().strip(".,;:()").rsplit("-", 1)[-1]
    forms = {w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w}
    table = heads()
    for cls in classes:
        if forms & table.get(cls, frozenset()):
            return cls
        if w.endswith(tuple(table.get(cls + "-suffix", ()))):
            return cls
    return None


@cache
def load() -> Gazetteer:
    """Read the data files once; later calls return the same object."""
    entries: dict[str, Known] = {}
    alias_to_key: dict[str, str] = {}
    zh: dict[str, str] = {}
    for row in load_tsv("gazetteer.tsv"):
        kind, label = row[0], row[1]
        aliases = tuple(a.strip() for a in row[2].split("|") if a.strip()) if len(row) > 2 else ()
        key = normalize(label)
        if kind not in ("method", "benchmark") or key in entries:
            raise ValueError(f"gazetteer.tsv: bad or duplicate row for {label!r}")
        entries[key] = Known(key, label, kind, aliases)
    # labels first so that a label always maps to itself, then aliases
    for key in entries:
        alias_to_key[key] = key
    for key, e in entries.items():
        for a in e.aliases:
            alias_to_key.setdefault(normalize(a), key)
            if _CJK.search(a):
                zh[a] = key
    stop = {normalize(term): cat for cat, term, *_ in load_tsv("extract_stoplist.tsv")}
    for listed in NON_NAMES:
        for name, *_ in load_tsv(listed):
            stop.setdefault(normalize(name), "other")
    return Gazetteer(entries, alias_to_key, stop, zh)
