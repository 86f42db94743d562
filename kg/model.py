"""Plain records that flow from the parsers to the store: frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: digest file, 1-based line, section heading and parser."""

    path: str
    line: int
    section: str | None = None
    parser: str = ""


@dataclass(frozen=True, slots=True)
class Institution:
    """An affiliation as a digest writes it; ``parent`` is set for a unit ("Lab, University X")."""

    name: str
    name_zh: str | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    """A venue statement read from Comments, e.g. ``Venue("ICML", 2026, "Accepted at ICML 2026")``."""

    name: str
    year: int | None
    statement: str


@dataclass(frozen=True, slots=True)
class Summary:
    """A machine-written summary field of a digest entry (TL;DR, AI总结, Motivation, …)."""

    kind: str
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class Paper:
    """Everything one digest entry says about one paper."""

    arxiv_id: str
    title: str
    source: Source
    title_zh: str | None = None
    authors: tuple[str, ...] = ()
    authors_complete: bool = True
    institutions: tuple[Institution, ...] = ()
    published: str | None = None
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    topics: tuple[str, ...] = ()
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    venue: Venue | None = None
    code_urls: tuple[str, ...] = ()
    project_urls: tuple[str, ...] = ()
    summaries: tuple[Summary, ...] = ()
    abstract_en: str | None = None
    abstract_zh: str | None = None
    keywords: tuple[str, ...] = ()

    def texts(self) -> list[tuple[str, str]]:
        """The entry's prose as ``(field, text)`` pairs, title first, for extraction."""
        out = [("title", self.title)]
        if self.title_zh:
            out.append(("title_zh", self.title_zh))
        out += [(s.kind, s.text) for s in self.summaries if s.text]
        if self.abstract_en:
            out.append(("abstract_en", self.abstract_en))
        if self.abstract_zh:
            out.append(("abstract_zh", self.abstract_zh))
        return out


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad entry or file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical method or benchmark: ``kind`` is ``"method"`` or ``"benchmark"``."""

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """The field and sentence that an extracted link was read from."""

    field: str
    text: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name one digest entry uses, with what that entry's text says about it.

    Whether the name is a method or a benchmark, its preferred label and whether it is kept at
    all are not decided here: they are node-level facts, decided from every candidate with the
    same key (``kg.extract.decide``). ``key`` is the acronym's for a defined acronym, the
    gazetteer's for a known name, else the name normalised; ``cues`` are short words such as
    ``"benchmark"``, ``"method"``, ``"use"``, ``"compared"``, ``"title"``, ``"generic"``,
    ``"metric"``, ``"adjectival"``.
    """

    arxiv_id: str
    key: str
    name: str
    role: str = "used"
    spellings: tuple[str, ...] = ()
    long_forms: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A paper proposes or uses an entity (``role`` is ``"proposed"`` or ``"used"``)."""

    arxiv_id: str
    entity: Entity
    role: str
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Digest:
    """One digest file as ingested: identified by the SHA-256 of its bytes."""

    name: str
    sha256: str
    parser: str
    extractor: str
    entries: int
    date: str | None = None


class StoredRow(NamedTuple):
    """A stored candidate and what was decided for it (see ``kg.extract.revision``): ``ref``
    orders candidates as a full decision does (unique, sortable), ``node`` is the node it was
    decided under (None: none) and ``linked`` whether it links to that node's entity."""

    ref: Hashable
    cand: Candidate
    node: str | None
    linked: bool
