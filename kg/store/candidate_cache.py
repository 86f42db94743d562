"""The stored digests' candidates and the entities decided from them, kept beside the store
(``<store>/candidates.sqlite``), so that a build decides the entities graph without reading every
candidate back from the store, and a build that adds digests revises only the decisions its
candidates can change, looking the stored ones up by key, node and paper (:class:`Cache`).

It is derived, like the read index, and proves itself: it records the write token it was
written under and the digests it holds. A build trusts it only when it was written under the
store's current token or the one that token replaced (:mod:`.generation`) and holds exactly the
stored digests; otherwise the candidates are read from the store and the file is written again.
Any problem with the file makes it untrusted, never an error: the store alone is the truth.
"""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import TYPE_CHECKING

from .generation import generation

if TYPE_CHECKING:
    from ..model import Candidate, Entity

FILE = "candidates.sqlite"
VERSION = "2"
# one row per stored candidate, with the node it was decided under and whether it links; each
# node's entity (NULL: the node is dropped); values as marshal blobs, read back at C speed
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE digests(iri TEXT PRIMARY KEY);
CREATE TABLE rows(iri TEXT NOT NULL, graph TEXT NOT NULL, seq INTEGER NOT NULL, paper TEXT NOT NULL, key TEXT NOT NULL,
                  node TEXT, linked INTEGER NOT NULL, fields BLOB NOT NULL, PRIMARY KEY (graph, seq));
CREATE TABLE nodes(node TEXT PRIMARY KEY, entity BLOB);
"""
_INDEXES = ("CREATE INDEX rows_key ON rows(key)", "CREATE INDEX rows_node ON rows(node)", "CREATE INDEX rows_paper ON rows(paper)")
_COLUMNS = "iri, graph, seq, paper, key, node, linked, fields"
Row = tuple[str, str, "Candidate"]  # (candidate IRI, digest graph, candidate)


class Untrusted(Exception):
    """The file cannot be read as a cache of this store: read the store instead."""


def slim(c: Candidate) -> Candidate:
    """A candidate as the store gives it back: no evidence, its spellings, long forms and cues
    sorted, so that what a build decides from never depends on where the candidates came from."""
    return replace(c, evidence=(), spellings=tuple(sorted(set(c.spellings))),
                   long_forms=tuple(sorted(set(c.long_forms))), cues=tuple(sorted(set(c.cues))))


@dataclass
class Cached:
    """What the file holds: every stored candidate (sorted by IRI), the entity each one that
    links names (by candidate IRI), as the stored entities graph has it, and each candidate
    object's ref in the file, node and link (for :func:`update` after a whole decision)."""

    rows: list[Row]
    decided: dict[str, Entity]
    held: dict[int, tuple[tuple[str, str, int], str | None, bool]]  # id(candidate) -> (ref, node, linked)


def load(store, digests: set[str]) -> Cached | None:
    """Everything the file holds for the open ``store`` (whose digests are the graphs
    ``digests``), or None if it is not to be trusted."""
    from ..model import Candidate

    cache = open_cache(store, digests)
    if cache is None:
        return None
    with closing(cache):
        try:
            found = cache.sql.execute("SELECT iri, graph, seq, paper, key, node, linked, fields FROM rows ORDER BY graph, seq")
            rows, nodes, held = [], {}, {}
            for iri, graph, seq, paper, key, node, linked, blob in found:
                rows.append((iri, graph, c := Candidate(paper, key, *_fields(blob))))
                held[id(c)] = ((iri, graph, seq), node, bool(linked))
                if linked:
                    nodes[iri] = node
            entities = cache.entities(set(nodes.values()))
        except Exception:  # noqa: BLE001 - damaged in any way (SQLite, marshal, shapes, a link to no entity)
            return None
    if any(e is None for e in entities.values()):
        return None
    rows.sort(key=itemgetter(0))  # stable: one IRI's rows keep their order in the graph
    return Cached(rows, {iri: entities[node] for iri, node in nodes.items()}, held)


def open_cache(store, digests: set[str]) -> Cache | None:
    """The file, opened to be read, when it can be trusted for the open ``store``; else None."""
    path = store.path / FILE
    if not path.is_file():
        return None
    try:
        sql = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if _current(sql, store, digests):
            return Cache(sql)
    except sqlite3.Error:
        pass
    sql.close()
    return None


class Cache:
    """The stored candidates and decisions, looked up as a revision of the decisions needs them
    (:class:`kg.extract.revision.Stored`): rows as :class:`~kg.model.StoredRow`, whose
    ref is (IRI, graph, position in the graph). Any damage raises :class:`Untrusted`."""

    def __init__(self, sql: sqlite3.Connection) -> None:
        self.sql = sql
        self._entities: dict[str, Entity | None] = {}

    def close(self) -> None:
        self.sql.close()

    def rows(self, where: str, *args) -> list:
        from ..model import Candidate, StoredRow

        try:
            return [StoredRow((iri, graph, seq), Candidate(paper, key, *_fields(blob)), node, bool(linked))
                    for iri, graph, seq, paper, key, node, linked, blob
                    in self.sql.execute(f"SELECT {_COLUMNS} FROM rows {where}", args)]
        except Exception as exc:  # noqa: BLE001 - damaged in any way (SQLite, marshal, shapes)
            raise Untrusted(str(exc)) from None

    def with_keys(self, keys) -> list:
        return self.rows("WHERE key IN (SELECT value FROM json_each(?))", json.dumps(sorted(keys)))

    def of_nodes(self, nodes) -> list:
        return self.rows("WHERE node IN (SELECT value FROM json_each(?))", json.dumps(sorted(nodes)))

    def of_papers(self, papers) -> list:
        return self.rows("WHERE paper IN (SELECT value FROM json_each(?))", json.dumps(sorted(papers)))

    def share(self, keys) -> float:
        """The share of the stored candidates that have one of ``keys``."""
        try:
            (having,), (stored,) = (self.sql.execute(f"SELECT COUNT(*) FROM rows {where}", args).fetchone() for where, args in (
                ("WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(sorted(keys)),)), ("", ())))
        except sqlite3.Error as exc:
            raise Untrusted(str(exc)) from None
        return having / max(stored, 1)

    def keys_present(self, keys) -> set[str]:
        try:
            return {k for (k,) in self.sql.execute("SELECT DISTINCT key FROM rows WHERE key IN (SELECT value FROM json_each(?))",
                                                  (json.dumps(sorted(keys)),))}
        except sqlite3.Error as exc:
            raise Untrusted(str(exc)) from None

    def entities(self, nodes) -> dict[str, Entity | None]:
        """Each node's entity, one object per node however often asked."""
        from ..model import Entity

        wanted = sorted(set(nodes) - self._entities.keys())
        try:
            for node, blob in self.sql.execute("SELECT node, entity FROM nodes WHERE node IN (SELECT value FROM json_each(?))",
                                               (json.dumps(wanted),)):
                self._entities[node] = None if blob is None else Entity(*_entity_fields(blob))
        except Exception as exc:  # noqa: BLE001 - as in rows
            raise Untrusted(str(exc)) from None
        if missing := [n for n in nodes if n not in self._entities]:
            raise Untrusted(f"no decision for node {missing[0]}")
        return {n: self._entities[n] for n in nodes}


def _fields(blob: bytes) -> tuple:
    """A candidate's name, role, spellings, long forms and cues, checked to be of their types."""
    name, role, *multi = fields = marshal.loads(blob)
    if type(name) is not str or role not in ("used", "proposed") or len(multi) != 3 \
            or not all(type(m) is tuple and all(type(v) is str for v in m) for m in multi):
        raise ValueError("not a candidate")
    return fields


def _entity_fields(blob: bytes) -> tuple:
    key, label, kind, aliases = fields = marshal.loads(blob)
    if type(key) is not str or type(label) is not str or kind not in ("method", "benchmark") \
            or type(aliases) is not tuple or not all(type(a) is str for a in aliases):
        raise ValueError("not an entity")
    return fields


def _current(sql: sqlite3.Connection, store, digests: set[str]) -> bool:
    meta = dict(sql.execute("SELECT key, value FROM meta"))
    if meta.get("version") != VERSION or meta.get("token") not in set(generation(store.path)) - {""}:
        return False
    return {iri for (iri,) in sql.execute("SELECT iri FROM digests")} == digests


def _row(iri: str, graph: str, seq: int, c: Candidate, node: str | None, linked: bool) -> tuple:
    return (iri, graph, seq, c.arxiv_id, c.key, node, int(linked),
            marshal.dumps((c.name, c.role, c.spellings, c.long_forms, c.cues)))


def _node(node: str, e: Entity | None) -> tuple:
    return node, None if e is None else marshal.dumps((e.key, e.label, e.kind, e.aliases))


def save(store, rows: Sequence[Row], nodes: Sequence[str | None], linked: Sequence[Entity | None],
         entities: Mapping[str, Entity | None]) -> None:
    """Write the file anew after a build of the open ``store`` (its digests as they are now):
    ``rows`` are every candidate, sorted by IRI, with the node each was decided under and the
    entity it links to (None: none), and ``entities`` each node's entity (None: dropped).
    A file that cannot be written is removed (the next build reads the store instead)."""
    path = store.path / FILE
    tmp = path.with_name(f"{FILE}.tmp-{os.getpid()}")
    try:
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(tmp, isolation_level=None)) as sql:
            sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            sql.execute("BEGIN")
            sql.executemany(f"INSERT INTO rows ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                _row(*ref, c, node, e is not None) for (ref, c), node, e in zip(numbered(rows), nodes, linked)))
            sql.executemany("INSERT INTO nodes VALUES (?, ?)", (_node(n, e) for n, e in entities.items()))
            for index in _INDEXES:  # after the rows: one sort each
                sql.execute(index)
            _stamp(sql, store, set(store.digests()))
            sql.execute("COMMIT")
        # a journal a killed in-place writer left belongs to the file replaced
        path.with_name(f"{FILE}-journal").unlink(missing_ok=True)
        os.replace(tmp, path)
    except (sqlite3.Error, OSError):
        with suppress(OSError):
            path.unlink(missing_ok=True)
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


def numbered(rows: Sequence[Row]):
    """((IRI, graph, position among the graph's rows), candidate) for each row, in order."""
    seq: dict[str, int] = {}
    for iri, graph, c in rows:
        seq[graph] = n = seq.get(graph, -1) + 1
        yield (iri, graph, n), c


def update(store, refs: Sequence[tuple[str, str, int]], cands: Sequence[Candidate], nodes: Sequence[str | None],
           linked: Sequence[Entity | None], entities: Mapping[str, Entity | None], *, every_node: bool = False) -> None:
    """Bring a file that was current before a build of the open ``store`` that only added
    digests up to date, in place: the candidates added and those whose decision changed (by
    ref, with their node and link now), and the revised nodes' ``entities`` (a node no
    candidate names any more goes); ``every_node``: ``entities`` are every node's."""
    named = set(nodes)
    path = store.path / FILE
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as sql:
            sql.execute("BEGIN")
            sql.executemany(f"INSERT OR REPLACE INTO rows ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                _row(*ref, c, node, e is not None) for ref, c, node, e in zip(refs, cands, nodes, linked)))
            if every_node:
                sql.execute("DELETE FROM nodes")
            sql.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?)",
                            (_node(n, e) for n, e in entities.items() if every_node or n in named))
            sql.executemany("DELETE FROM nodes WHERE node = ?", ((n,) for n in entities if not every_node and n not in named))
            _stamp(sql, store, set(store.digests()))
            sql.execute("COMMIT")
    except sqlite3.Error:
        with suppress(OSError):
            path.unlink(missing_ok=True)


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
