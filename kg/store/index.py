"""A derived read index of the store (``<store>/index.sqlite``) for the explore commands.

The Oxigraph store stays the single source of truth; this SQLite file is a projection of it, so
``kg neighbors``, ``kg search``, ``kg path`` and name resolution answer with plain indexed SQL,
without a SPARQL engine (or even importing pyoxigraph).

Freshness: every writable open of the store writes a new token to ``<store>/generation`` (with
the token it replaces); the index records the token and the store id it was built from, and a
reader answers from it only if both still hold and the database files still have the fingerprint
sealed by their last writer (:mod:`.generation`); otherwise it rebuilds the index from the store
first (in memory, when the store cannot be written). ``kg build`` writes the rows of the quads it
writes into the index as it writes them, a digest at a time (:mod:`.index_rows`), without reading
the store again. A first build writes a new file; a build on a store the index matched brings the
index forward in place, in one SQLite transaction (rollback journal, so a read-only reader needs
no ``-wal``/``-shm`` files; the file is copied first when hard-linked, as a server's snapshot
links it): the nodes named by quads it took out are recomputed from the store, the degrees of the
nodes it touched recounted, the totals follow each row by trigger (:mod:`.totals`) and the stamp
changes in the same transaction, so a reader sees the old index or the new one, never half of
one. A full rebuild from the store, graph by graph, is the repair path (``kg check --repair``, a
new index version, a digest replaced, a store with edits): written under a temporary name and
moved into place.

Tables:
    nodes(id, iri, kind, label, date)   kind: the node's first kg kind; label: least rdfs:label
    types(node, kind)                   every kg kind a node has
    names(node, tier, value, exact, lower)   tier: label | alias | arxiv; exact: plain, @en or @zh
    edges(src, rel, dst, pos)           src is the paper (the unit, for unit_of); rel: REL codes
    texts(id, paper, weight) + fts      one row per stored title or abstract; FTS5 over its tokens
    sizes(paper, size)                  weighted text length in characters (BM25's length)
    digests(id, iri, name, date)        every ingested digest (its named graph) and its dcterms:date
    seen(node, digest)                  the digests whose graph types the node: where it was seen
    degrees(node, out, rel, n)          a node's edges as views project them, by direction and relation
    degree(node, n)                     their sum: how connected a node is (views rank by it)
    counts(key, n)                      kg stats totals, kept by triggers (:mod:`.totals`)
    tops(node, over, total, items)      hubs' neighbour counts and papers per date (:mod:`.tops`)
    meta(key, value)                    generation, version, store_id, text totals, totals (kg stats, JSON)
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import StoreError
from ..relations import KINDS, RELATIONS
from .generation import generation, seal, sealed
from .index_rows import REL, Delta, Rows, store_quads
from .layout import fingerprint, manifest

FILE = "index.sqlite"
VERSION = "7"  # bump when the schema or what goes into it changes
LOCK_WAIT = 30.0  # seconds a writer waits for readers of the file to let go
DRAWN = f"IN ({', '.join(str(REL[r]) for r in RELATIONS)})"  # the relations views project
ORDER = {kind: i for i, kind in enumerate(KINDS.values())}
LINKS = {"method": (REL["proposes_method"], REL["uses_method"]),
         "benchmark": (REL["proposes_benchmark"], REL["evaluated_on"])}
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT, label TEXT, date TEXT);
CREATE TABLE types(node INTEGER, kind TEXT, PRIMARY KEY(node, kind)) WITHOUT ROWID;
CREATE TABLE names(node INTEGER, tier TEXT, value TEXT, exact INTEGER, lower TEXT,
                   PRIMARY KEY(node, tier, value, exact)) WITHOUT ROWID;
CREATE TABLE edges(src INTEGER, rel INTEGER, dst INTEGER, pos INTEGER NOT NULL,
                   PRIMARY KEY(src, rel, dst, pos)) WITHOUT ROWID;
CREATE TABLE texts(id INTEGER PRIMARY KEY, paper INTEGER, weight INTEGER);
CREATE TABLE sizes(paper INTEGER PRIMARY KEY, size INTEGER);
CREATE TABLE digests(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, name TEXT, date TEXT);
CREATE TABLE seen(node INTEGER, digest INTEGER, PRIMARY KEY(node, digest)) WITHOUT ROWID;
CREATE TABLE degrees(node INTEGER, out INTEGER, rel INTEGER, n INTEGER, PRIMARY KEY(node, out, rel)) WITHOUT ROWID;
CREATE TABLE degree(node INTEGER PRIMARY KEY, n INTEGER);
CREATE TABLE counts(key TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE tops(node INTEGER, over INTEGER, total INTEGER, items TEXT, PRIMARY KEY(node, over)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'instance');
"""
INDEXES = """
CREATE INDEX edges_in ON edges(dst, rel, src, pos);
CREATE INDEX nodes_date ON nodes(date DESC, iri) WHERE date IS NOT NULL;
CREATE INDEX names_value ON names(value);
CREATE INDEX names_lower ON names(lower);
CREATE INDEX seen_digest ON seen(digest, node);
CREATE INDEX degree_n ON degree(n);
ANALYZE;
"""


class Index:
    """An open read index: ``.sql`` is its sqlite3 connection, ``.path`` the store directory."""

    def __init__(self, path: Path, sql: sqlite3.Connection) -> None:
        self.path, self.sql = path, sql

    def rows(self, query: str, *params) -> list[tuple]:
        return self.sql.execute(query, params).fetchall()

    def meta(self, key: str) -> str | None:
        row = self.rows("SELECT value FROM meta WHERE key = ?", key)
        return row[0][0] if row else None

    def close(self) -> None:
        self.sql.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_index(path: str | Path | None = None) -> Index:
    """The read index of the store at ``path`` (default ``$KG_STORE`` or ``.kg``), rebuilt first if stale.

    An index that proves it matches the store opens without touching the store, so without
    importing pyoxigraph; otherwise the store is opened (which reports a damaged store) and the
    index rebuilt from it.
    """
    path = Path(path) if path is not None else Path(os.environ.get("KG_STORE", ".kg"))
    index = _open(path)
    if index is None:
        from .database import Store

        with Store(path) as store:
            index = of(store)
    return index


def of(store) -> Index:
    """The Index for ``store``: itself if it is one, else the store's index, rebuilt if stale.

    A store whose directory cannot be written (read-only, or a full disk) gets an index in
    memory, for this process only.
    """
    if isinstance(store, Index):
        return store
    index = _open(store.path, writer=store.write)
    if index is None:
        try:
            refresh(store)
        except (OSError, sqlite3.Error):
            if store.write:
                raise
            return _in_memory(store)
        index = _open(store.path, writer=store.write)
        if index is None:
            raise StoreError(f"the index of {store.path} went stale while it was built")
    return index


def _stamp(path: Path) -> dict[str, str] | None:
    """What an index file was built from (generation, store id), or None if missing, unreadable or old."""
    try:
        sql = sqlite3.connect(f"{(path / FILE).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(sql.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'version', 'store_id')"))
    except sqlite3.Error:
        return None
    finally:
        sql.close()
    return meta if meta.get("version") == VERSION else None


def _open(path: Path, *, writer: bool = False) -> Index | None:
    """The index at ``path`` if it proves it matches the store there, else None.

    The proof: it was built from the store's current generation, for this store (its id in
    ``kg-store.json``), and the database files still have the fingerprint sealed when their
    writer closed them — so a database replaced, emptied or cut short outside kg is noticed.
    The writer holding the store trusts what it built itself (its files are still changing).
    """
    stamp = _stamp(path)
    if stamp is None or stamp.get("generation") != generation(path)[0]:
        return None
    if stamp.get("store_id", "") != manifest(path).store_id:
        return None
    if not writer and sealed(path) != fingerprint(path):
        return None
    # replaced since the check? then by a newer index, which is as good
    return Index(path, sqlite3.connect(f"{(path / FILE).resolve().as_uri()}?mode=ro", uri=True))


def delta(store, *, complete: bool) -> Delta:
    """A :class:`~.index_rows.Delta` for a build of the open ``store`` whose rows go into the index
    digest by digest (finished by :func:`refresh`), so they are never all held at once.

    ``complete``: the store is empty, so the rows are the whole index: they go into a new file. When
    the index matched the store before this build they go into it in place, in one transaction
    (into a copy first if the file is hard-linked, as a server's snapshot links it); otherwise the
    index is rebuilt from the store at the end and the rows are dropped.
    """
    mode = "fresh" if complete else "incremental" if _current_parent(store) else None
    if mode is None:
        return Delta(lambda rows: None, complete=complete, wanted=False)
    live = store.path / FILE
    tmp = None if mode == "incremental" and os.stat(live).st_nlink == 1 else _tmp(store)
    if mode == "incremental" and tmp is not None:
        shutil.copyfile(live, tmp)
    return Delta(_Writer(store, tmp or live, mode, tmp), complete=complete)


def discard(delta: Delta) -> None:
    """Give up the rows ``delta`` handed on (its build stored nothing): the index stays as it was."""
    if isinstance(delta.sink, _Writer):
        delta.sink._abort()


def _current_parent(store) -> bool:
    """True if the index file was built from the state this writer's store started from."""
    old, parent = _stamp(store.path), generation(store.path)[1]
    return (old is not None and bool(parent) and old.get("generation") == parent
            and old.get("store_id", "") == store.manifest.store_id)


def _tmp(store) -> Path:
    return store.path / f"{FILE}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def refresh(store, *, delta: Delta | None = None, force: bool = False, written: Callable[[], None] = lambda: None) -> None:
    """Bring ``<store>/index.sqlite`` up to date with the open ``store``, atomically.

    ``delta``: what the last write changed, from :func:`delta` (its rows already written) or a
    plain :class:`~.index_rows.Delta`. Without a delta that can bring the index forward — or with
    ``force`` (``kg check --repair``) — the index is rebuilt from the whole store into a new file
    moved into place. A reader that rebuilt it seals the database's fingerprint for the index to
    prove itself with. ``written``: waits for the store's write (what :meth:`Store.add` returns);
    the index is brought forward meanwhile, and committed only once it succeeded.
    """
    writer = None if force or delta is None else delta.sink
    if isinstance(writer, _Writer):
        writer.finish(delta.removed, written=written)
        return
    written()
    if not force and _open(store.path, writer=store.write) is not None:
        return
    tmp = _tmp(store)
    try:
        writer = _Writer(store, tmp, "full", tmp)
        with store.reading():
            for graph in _graphs(store.db):
                writer(Rows().feed(store_quads(store.db, graph)))
        writer.finish([])
    finally:
        tmp.unlink(missing_ok=True)
    if not store.write:
        seal(store.path)


def _graphs(db) -> list:
    """The store's named graphs, the entities graph last (its entities name candidates of the others)."""
    import pyoxigraph as ox

    from .entities import GRAPH as ENTITIES

    named = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode)]
    return sorted(named, key=lambda g: (g.value == ENTITIES, g.value))


def _in_memory(store) -> Index:
    sql = sqlite3.connect(":memory:", isolation_level=None)
    writer = _Writer(store, None, "full", None, sql=sql)
    with store.reading():
        for graph in _graphs(store.db):
            writer(Rows().feed(store_quads(store.db, graph)))
    writer.finish([], close=False)
    return Index(store.path, sql)


class _Writer:
    """Index rows written into a database as they come, in one transaction, finished by :meth:`finish`.

    ``mode``: ``fresh`` or ``full`` (an empty database; secondary indexes, degrees and totals made
    at the end) or ``incremental`` (the old index brought forward in place: only the nodes the
    rows touch get their degrees recomputed, and the totals follow each row by trigger).
    ``tmp``: the file written, moved over the index at the end (None: written where it is).
    """

    def __init__(self, store, path: Path | None, mode: str, tmp: Path | None, *, sql=None) -> None:
        self.store, self.mode, self.tmp = store, mode, tmp
        self.sql = sql or sqlite3.connect(path, isolation_level=None, timeout=LOCK_WAIT)
        self.graphs: dict[str, list[str]] = {}  # candidate -> digest graphs
        self.named: list[tuple] = []  # (candidate, entity): seen where the candidate's digest saw it
        self.touched: set[int] = set()
        self.reshaped: set[int] = set()  # nodes whose kinds or label changed: their hub counts are counted again
        self.texts = False
        if mode == "incremental":
            from . import tops

            self.sql.execute("BEGIN IMMEDIATE")
            tops.follow(self.sql)
        else:
            self.sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
            self.sql.execute("BEGIN")

    def __call__(self, rows: Rows) -> None:
        """Write the rows of one chunk of quads (a full disk is an OSError, as the store's own writes)."""
        with self._or_abort():
            self._add(rows)

    @contextmanager
    def _or_abort(self):
        """Roll back if the block fails; a SQLite error comes out as an OSError."""
        try:
            yield
        except sqlite3.Error as exc:
            self._abort()
            raise _os_error(exc) from None
        except BaseException:
            self._abort()
            raise

    def _add(self, rows: Rows) -> None:
        for c, g in rows.candidates:
            self.graphs.setdefault(c, []).append(g)
        self.named += rows.named
        self.texts = self.texts or bool(rows.texts)
        self._note(*_merge(self.sql, {
            "types": rows.types, "names": rows.names, "labels": rows.labels, "dates": rows.dates,
            "edges": rows.edges + list(rows.authored()), "texts": rows.texts, "digests": list(rows.digests()),
            "seen": rows.seen}))

    def _note(self, touched: set[int], reshaped: set[int]) -> None:
        """Remember whose degrees to recount (only an index brought forward recounts some, not all)."""
        if self.mode == "incremental":
            self.touched |= touched | (_around(self.sql, reshaped) if reshaped else set())
            self.reshaped |= reshaped

    def finish(self, removed: list, *, close: bool = True, written: Callable[[], None] = lambda: None) -> None:
        """Add the entities' seen rows, take out what ``removed`` gave, write degrees, hub counts,
        totals and the stamp, commit once ``written()`` (the store's write) returned."""
        from . import tops, totals

        store, sql, incremental = self.store, self.sql, self.mode == "incremental"
        with self._or_abort():
            with store.reading():
                seen = []
                for c, e in self.named:
                    found = self.graphs.get(c)
                    if found is None and incremental:  # its digest was stored before
                        found = self.graphs[c] = _candidate_graphs(store.db, c)
                    seen += ((e, g) for g in found or ())
                self._note(*_merge(sql, {key: [] for key in _KEYS} | {"seen": seen}))
                if removed:
                    written()  # what is taken out is read again from the store as the build leaves it
                    self._note(*_remove(sql, store.db, removed))
            if incremental:
                degrees(sql, self.touched)
                tops.revise(sql, self.touched | _around(sql, self.touched) if self.touched else set(), self.reshaped)
            else:
                sql.execute("COMMIT")  # a new file: nobody reads it yet
                sql.executescript(INDEXES + totals.TRIGGERS)
                sql.execute("BEGIN")
                degrees(sql, None)
                tops.recount(sql)
                totals.count(sql)
            if self.texts or not incremental:
                sql.execute("INSERT OR REPLACE INTO meta SELECT 'text_papers', COUNT(*) FROM sizes")
                sql.execute("INSERT OR REPLACE INTO meta SELECT 'text_size', COALESCE(SUM(size), 0) FROM sizes")
            written()
            with store.reading():
                triples = store.triple_count()
            sql.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?), ('version', ?), ('store_id', ?),"
                        " ('totals', ?)", (generation(store.path)[0], VERSION, store.manifest.store_id,
                                           json.dumps(totals.kept(sql, triples))))
            sql.execute("COMMIT")
            if close:
                sql.close()
            if self.tmp is not None:
                # a journal a killed in-place writer left belongs to the file replaced: it must not
                # be rolled back into the new one
                (store.path / f"{FILE}-journal").unlink(missing_ok=True)
                os.replace(self.tmp, store.path / FILE)

    def _abort(self) -> None:
        """Roll back: the index is as it was (a new file is removed)."""
        with suppress(sqlite3.Error):
            if self.sql.in_transaction:
                self.sql.rollback()
            self.sql.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)


def _os_error(exc: sqlite3.Error) -> Exception:
    """A full disk met by SQLite as the OSError the store's writes raise for it; other errors as they are."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return exc


_KEYS = ("types", "names", "labels", "dates", "edges", "texts", "digests", "seen")


def degrees(sql: sqlite3.Connection, nodes: set[int] | None) -> None:
    """Recount ``degrees`` and ``degree`` for ``nodes`` (every node when None): each node's edges
    as views project them (``RELATIONS``, one per node pair and relation, to nodes with a kind and
    a label), by direction as stored and relation, and their sum."""
    if nodes is None:
        sql.execute("DELETE FROM degrees")
        sql.execute(f"INSERT INTO degrees WITH {_groups(False)} SELECT node, out, rel, n FROM groups")
        sql.execute("DELETE FROM degree")
        sql.execute("INSERT INTO degree SELECT node, SUM(n) FROM degrees GROUP BY node")
        return
    if not nodes:
        return
    wanted = json.dumps(sorted(nodes))
    sql.execute("DELETE FROM degrees WHERE node IN (SELECT value FROM json_each(?1))", (wanted,))
    sql.execute(f"INSERT INTO degrees WITH {_groups(True)} SELECT node, out, rel, n FROM groups", (wanted,))
    sql.execute("DELETE FROM degree WHERE node IN (SELECT value FROM json_each(?1))", (wanted,))
    sql.execute("INSERT INTO degree SELECT d.node, SUM(d.n) FROM json_each(?1) k CROSS JOIN degrees d"
                " ON d.node = k.value GROUP BY d.node", (wanted,))


def _groups(only: bool) -> str:
    """``groups(node, out, rel, n)``: the projected edges of the nodes in ``?1`` (or of every node)
    by direction as stored (``out``: paper → node, unit → institution) and relation; ``n`` is how
    many nodes they reach. The ids lead the join; ``+`` keeps the list of unlabelled nodes from it."""
    unseen = "SELECT id FROM nodes WHERE kind IS NULL OR label IS NULL"
    out_from, in_from = (f"json_each(?1) k CROSS JOIN edges e ON {end} = k.value" if only else "edges e"
                         for end in ("e.src", "e.dst"))
    return (f"groups(node, out, rel, n) AS ("
            f"SELECT e.src, 1, e.rel, COUNT(DISTINCT e.dst) FROM {out_from}"
            f" WHERE e.rel {DRAWN} AND +e.dst NOT IN ({unseen}) GROUP BY e.src, e.rel"
            f" UNION ALL SELECT e.dst, 0, e.rel, COUNT(DISTINCT e.src) FROM {in_from}"
            f" WHERE e.rel {DRAWN} AND +e.src NOT IN ({unseen}) GROUP BY e.dst, e.rel)")


def _candidate_graphs(db, candidate: str) -> list[str]:
    """The digest graphs whose papers have ``candidate``."""
    import pyoxigraph as ox

    from .index_rows import CANDIDATE

    return [q.graph_name.value for q in db.quads_for_pattern(None, ox.NamedNode(CANDIDATE), ox.NamedNode(candidate), None)
            if isinstance(q.graph_name, ox.NamedNode)]


def _around(sql: sqlite3.Connection, nodes: set[int]) -> set[int]:
    """The nodes joined to any of ``nodes`` by an edge either way."""
    wanted = json.dumps(sorted(nodes))
    return {n for (n,) in sql.execute(
        "SELECT e.dst FROM json_each(?1) k CROSS JOIN edges e ON e.src = k.value"
        " UNION SELECT e.src FROM json_each(?1) k CROSS JOIN edges e ON e.dst = k.value", (wanted,))}


def _remove(sql: sqlite3.Connection, db, removed: list) -> tuple[set[int], set[int]]:
    """Take out of the index what the ``removed`` quads gave, unless the store still says it;
    returns the nodes whose degrees may have changed and those whose kinds or label changed.

    Every node they name is recomputed from its quads in the store (point lookups): its types,
    names, label, date and outgoing edges; the texts and digests they never touch stay. A
    digest stays where an entity was seen while any of its other candidates still names it.
    """
    import pyoxigraph as ox

    from .entities import GRAPH as ENTITIES
    from .index_rows import CANDIDATE, CLASSES, ENTITY, TYPE, node_quads

    if not removed:
        return set(), set()
    iris = sorted({t.value for q in removed for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)})
    ids = dict(sql.execute("SELECT iri, id FROM nodes WHERE iri IN (SELECT value FROM json_each(?))", (json.dumps(iris),)))
    wanted = json.dumps(sorted(ids.values()))
    had = _shape(sql, wanted)
    for table, column in (("types", "node"), ("names", "node"), ("edges", "src")):
        sql.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (wanted,))
    sql.execute("UPDATE nodes SET kind = NULL, label = NULL, date = NULL WHERE id IN (SELECT value FROM json_each(?))",
                (wanted,))
    rows = Rows()
    for iri in iris:
        rows.feed(node_quads(db, iri))
    touched = set(ids.values()) | _merge(sql, {key: [] for key in _KEYS} | {
        "types": rows.types, "names": rows.names, "labels": rows.labels, "dates": rows.dates,
        "edges": rows.edges + list(rows.authored())})[0]
    now = _shape(sql, wanted)
    for n, (kinds, _) in had.items():  # no longer a category or topic: subject edges to it are no longer split
        for kind in {"category", "topic"} & (kinds - now.get(n, (set(), False))[0]):
            sql.execute("DELETE FROM edges WHERE dst = ? AND rel = ?", (n, REL[f"in_{kind}"]))
    changed = {n for n in set(had) | set(now) if had.get(n) != now.get(n)}
    pairs = {(q.object, g) for q in removed if q.predicate.value == ENTITY and isinstance(q.object, ox.NamedNode)
             for g in _candidate_graphs(db, q.subject.value)}
    for e, g in sorted(pairs, key=str):
        typed = any(q.object.value in CLASSES for q in db.quads_for_pattern(e, ox.NamedNode(TYPE), None, ox.NamedNode(g)))
        if typed or db.query(f"ASK {{ GRAPH <{g}> {{ ?p <{CANDIDATE}> ?c }} GRAPH <{ENTITIES}> {{ ?c <{ENTITY}> {e} }} }}"):
            continue
        sql.execute("DELETE FROM seen WHERE node = (SELECT id FROM nodes WHERE iri = ?)"
                    " AND digest = (SELECT id FROM digests WHERE iri = ?)", (e.value, g))
    sql.execute(f"DELETE FROM nodes WHERE id IN (SELECT value FROM json_each(?)) AND date IS NULL{_UNUSED}", (wanted,))
    return touched, changed


def _shape(sql: sqlite3.Connection, wanted: str) -> dict[int, tuple[set, bool]]:
    """(kinds, labelled) of each node in the JSON list ``wanted``: what its edges' projection depends on."""
    out: dict[int, tuple[set, bool]] = {}
    for n, label in sql.execute("SELECT id, label FROM nodes WHERE id IN (SELECT value FROM json_each(?))", (wanted,)):
        out[n] = (set(), label is not None)
    for n, kind in sql.execute("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))", (wanted,)):
        out.setdefault(n, (set(), False))[0].add(kind)
    return out


_UNUSED = "".join(f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE {column} = nodes.id)" for table, column in (
    ("types", "node"), ("names", "node"), ("edges", "src"), ("edges", "dst"), ("texts", "paper"), ("seen", "node")))


def _merge(sql: sqlite3.Connection, rows: dict[str, list[tuple]]) -> tuple[set[int], set[int]]:
    """Add rows (keyed by IRI) to the tables, keeping every derived column right.

    Returns the nodes the rows name, and those of them already indexed whose kinds or label
    changed (so the edges of their other neighbours project differently now).
    """
    iris: dict[str, None] = {}
    for key, cols in (("types", (0,)), ("names", (0,)), ("labels", (0,)), ("dates", (0,)), ("edges", (0, 2)),
                      ("texts", (0,)), ("seen", (0,))):
        for row in rows[key]:
            for c in cols:
                iris[row[c]] = None
    if not iris:
        return set(), set()
    ids = dict(sql.execute("SELECT iri, id FROM nodes WHERE iri IN (SELECT value FROM json_each(?))",
                           (json.dumps(list(iris)),)))
    old = set(ids.values())
    next_id = sql.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM nodes").fetchone()[0]
    for iri in iris:
        if iri not in ids:
            ids[iri], next_id = next_id, next_id + 1
    state: dict[int, list] = {ids[iri]: [None, None, set()] for iri in iris}  # label, date, kinds
    if old:
        wanted = json.dumps(sorted(old))
        for n, label, date in sql.execute("SELECT id, label, date FROM nodes WHERE id IN (SELECT value FROM"
                                          " json_each(?))", (wanted,)):
            state[n][:2] = label, date
        for n, kind in sql.execute("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))",
                                   (wanted,)):
            state[n][2].add(kind)
    had = {n: (set(state[n][2]), state[n][0] is not None) for n in old}
    for iri, kind in rows["types"]:
        state[ids[iri]][2].add(kind)
    for iri, label in rows["labels"]:
        s = state[ids[iri]]
        s[0] = label if s[0] is None else min(s[0], label)
    for iri, date in rows["dates"]:
        s = state[ids[iri]]
        s[1] = date if s[1] is None else max(s[1], date)
    sql.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?)", sorted(
        (ids[iri], iri, min(state[ids[iri]][2], key=ORDER.__getitem__) if state[ids[iri]][2] else None,
         state[ids[iri]][0], state[ids[iri]][1]) for iri in iris))
    sql.executemany("INSERT OR IGNORE INTO types VALUES (?, ?)", sorted((ids[i], k) for i, k in set(rows["types"])))
    sql.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?, ?)",
                    sorted({(ids[i], *rest) for i, *rest in rows["names"]}))
    edges = {(ids[s], rel, ids[o], pos) for s, rel, o, pos in rows["edges"]}
    edges |= {(s, REL["method"] if rel in LINKS["method"] else REL["benchmark"], o, 0)
              for s, rel, o, _ in list(edges) if rel in LINKS["method"] or rel in LINKS["benchmark"]}
    for s, rel, o, _ in list(edges):
        if rel == REL["subject"]:
            edges |= {(s, REL[f"in_{k}"], o, 0) for k in ("category", "topic") if k in state[o][2]}
    sql.executemany("INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?)", sorted(edges))
    for n, (kinds, _) in had.items():  # typed only now: its older subject edges get split too
        for kind in {"category", "topic"} & (state[n][2] - kinds):
            sql.execute("INSERT OR IGNORE INTO edges SELECT src, ?, dst, 0 FROM edges WHERE dst = ? AND rel = ?",
                        (REL[f"in_{kind}"], n, REL["subject"]))
    base = sql.execute("SELECT COALESCE(MAX(id), 0) FROM texts").fetchone()[0]
    texts = [(base + i, ids[iri], weight, size, body) for i, (iri, weight, size, body) in enumerate(rows["texts"], 1)]
    sql.executemany("INSERT INTO texts VALUES (?, ?, ?)", (t[:3] for t in texts))
    sql.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", ((t[0], t[4]) for t in texts))
    sizes: dict[int, int] = {}
    for _, n, _, size, _ in texts:
        sizes[n] = sizes.get(n, 0) + size
    sql.executemany("INSERT INTO sizes VALUES (?, ?) ON CONFLICT(paper) DO UPDATE SET size = size + excluded.size",
                    sorted(sizes.items()))
    digests = dict(sql.execute("SELECT iri, id FROM digests"))
    for iri, name, date in sorted(rows["digests"]):
        digests.setdefault(iri, max(digests.values(), default=0) + 1)
        sql.execute("INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?)", (digests[iri], iri, name, date))
    sql.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", sorted({(ids[n], digests[g]) for n, g in rows["seen"] if g in digests}))
    return set(state), {n for n, shape in had.items() if shape != (state[n][2], state[n][0] is not None)}
