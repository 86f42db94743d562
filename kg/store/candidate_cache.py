"""The stored digests' candidates and the entities decided from them, kept beside the store
(``<store>/candidates.sqlite``), so that a build decides the entities graph without reading every
candidate back from the store, and revises it from the decisions it replaces.

It is derived, like the read index, and proves itself: it records the write token it was
written under and the digests it holds. A build trusts it only when it was written under the
store's current token or the one that token replaced (:mod:`.generation`) and holds exactly the
stored digests; otherwise the candidates are read from the store and the file is written again.
Any problem with the file makes it untrusted, never an error: the store alone is the truth.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing, suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .generation import generation

if TYPE_CHECKING:
    from ..model import Candidate, Entity

FILE = "candidates.sqlite"
VERSION = "1"
# a digest's candidates, and the decisions, as marshal blobs: read back at C speed
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE digests(iri TEXT PRIMARY KEY);
CREATE TABLE candidates(graph TEXT PRIMARY KEY, rows BLOB);
CREATE TABLE decisions(entities BLOB, links BLOB);
"""
Row = tuple[str, str, "Candidate"]  # (candidate IRI, digest graph, candidate)


@dataclass
class Cached:
    """What the file holds: every stored candidate (by digest graph, not sorted), and the entity
    each one that links names (by candidate IRI) as the stored entities graph has it."""

    rows: list[Row]
    decided: dict[str, Entity]


def slim(c: Candidate) -> Candidate:
    """A candidate as the store gives it back: no evidence, its spellings, long forms and cues
    sorted, so that what a build decides from never depends on where the candidates came from."""
    return replace(c, evidence=(), spellings=tuple(sorted(set(c.spellings))),
                   long_forms=tuple(sorted(set(c.long_forms))), cues=tuple(sorted(set(c.cues))))


def load(store, digests: set[str]) -> Cached | None:
    """What the file holds for the open ``store`` (whose digests are the graphs ``digests``), or
    None if it is not to be trusted."""
    from ..model import Candidate, Entity

    path = store.path / FILE
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as sql:
            if not _current(sql, store, digests):
                return None
            rows = [(iri, graph, Candidate(*fields)) for graph, blob in sql.execute("SELECT graph, rows FROM candidates")
                    for iri, *fields in marshal.loads(blob)]
            entities, links = sql.execute("SELECT entities, links FROM decisions").fetchone()
            known = [Entity(*fields) for fields in marshal.loads(entities)]
            return Cached(rows, {iri: known[n] for iri, n in marshal.loads(links).items()})
    except Exception:  # noqa: BLE001 - damaged in any way (SQLite, marshal, shapes): read the store instead
        return None


def _current(sql: sqlite3.Connection, store, digests: set[str]) -> bool:
    meta = dict(sql.execute("SELECT key, value FROM meta"))
    if meta.get("version") != VERSION or meta.get("token") not in set(generation(store.path)) - {""}:
        return False
    return {iri for (iri,) in sql.execute("SELECT iri FROM digests")} == digests


def save(store, rows: Iterable[Row], decided: Iterable[tuple[str, Entity | None]], *, drop: Iterable[str] = (),
         whole: bool) -> None:
    """Record the candidates and decisions after a build of the open ``store`` (its digests as
    they are now): ``decided`` gives each candidate IRI's entity (None: no link).

    ``whole``: ``rows`` are every candidate, written to a new file moved into place; else the
    file was current before the build, and loses the ``drop`` graphs' rows and gains ``rows``.
    A file that cannot be written is removed (the next build reads the store instead).
    """
    by_graph: dict[str, list[tuple]] = {}
    for iri, graph, c in rows:
        by_graph.setdefault(graph, []).append((iri, c.arxiv_id, c.key, c.name, c.role, c.spellings, c.long_forms, c.cues))
    entities: dict[int, tuple[int, Entity]] = {}  # by id: a node's candidates share one entity object
    links = {iri: entities.setdefault(id(e), (len(entities), e))[0] for iri, e in decided if e is not None}
    path = store.path / FILE
    tmp = path.with_name(f"{FILE}.tmp-{os.getpid()}")
    try:
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(tmp if whole else path, isolation_level=None)) as sql:
            if whole:
                sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            sql.execute("BEGIN")
            sql.executemany("DELETE FROM candidates WHERE graph = ?", ((g,) for g in drop))
            sql.executemany("INSERT OR REPLACE INTO candidates VALUES (?, ?)",
                            ((g, marshal.dumps(found)) for g, found in by_graph.items()))
            sql.execute("DELETE FROM decisions")
            sql.execute("INSERT INTO decisions VALUES (?, ?)", (
                marshal.dumps([(e.key, e.label, e.kind, e.aliases) for _, e in entities.values()]), marshal.dumps(links)))
            _stamp(sql, store, set(store.digests()))
            sql.execute("COMMIT")
        if whole:
            # a journal a killed in-place writer left belongs to the file replaced
            path.with_name(f"{FILE}-journal").unlink(missing_ok=True)
            os.replace(tmp, path)
    except (sqlite3.Error, OSError):
        with suppress(OSError):
            path.unlink(missing_ok=True)
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


def keep(store) -> None:
    """After a build that changed no candidate: a current file stays current under the new token."""
    path = store.path / FILE
    if not path.is_file():
        return
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as sql:
            if _current(sql, store, digests := set(store.digests())):
                sql.execute("BEGIN")
                _stamp(sql, store, digests)
                sql.execute("COMMIT")
                return
    except sqlite3.Error:
        pass
    with suppress(OSError):
        path.unlink(missing_ok=True)


def discard(store) -> None:
    """Remove the file (the store holds what it cannot follow)."""
    with suppress(OSError):
        (store.path / FILE).unlink(missing_ok=True)


def _stamp(sql: sqlite3.Connection, store, digests: set[str]) -> None:
    """Record that the file holds ``digests`` and is current under the store's token."""
    sql.execute("DELETE FROM digests")
    sql.executemany("INSERT INTO digests VALUES (?)", ((iri,) for iri in sorted(digests)))
    sql.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?), ('token', ?)", (VERSION, generation(store.path)[0]))
