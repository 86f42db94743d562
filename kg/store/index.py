"""A derived read index of the store (``<store>/index.sqlite``) for the explore commands.

The Oxigraph store stays the single source of truth; this SQLite file is a projection of it, so
``kg neighbors``, ``kg search``, ``kg path`` and name resolution answer with plain indexed SQL,
without a SPARQL engine (or even importing pyoxigraph).

Freshness: every writable open of the store writes a new token to ``<store>/generation`` (with
the token it replaces); the index records the token and the store id it was built from, and a
reader answers from it only if both still hold and the database files still have the fingerprint
sealed by their last writer (:mod:`.generation`); otherwise it rebuilds the index from the store
first (in memory, when the store cannot be written). ``kg build`` brings it up to date at its end
from the records it wrote (:mod:`.index_rows`), without reading the store again: the rows of its
new quads are added and the nodes named by quads it took out recomputed, when the index matched
the store before the build; a full rebuild from the store is the repair path (``kg check
--repair``, a new index version, a digest replaced, a store with edits). Either way the file is
written under a temporary name and moved into place, so readers see the old index or the new
one, never half of one.

Tables:
    nodes(id, iri, kind, label, date)   kind: the node's first kg kind; label: least rdfs:label
    types(node, kind)                   every kg kind a node has
    names(node, tier, value, exact, lower)   tier: label | alias | arxiv; exact: plain, @en or @zh
    edges(src, rel, dst, pos)           src is the paper (the unit, for unit_of); rel: REL codes
    texts(id, paper, weight) + fts      one row per stored title or abstract; FTS5 over its tokens
    sizes(paper, size)                  weighted text length in characters (BM25's length)
    digests(id, iri, name, date)        every ingested digest (its named graph) and its dcterms:date
    seen(node, digest)                  the digests whose graph types the node: where it was seen
    meta(key, value)                    generation, version, store_id, text totals, totals (kg stats, JSON)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from ..errors import StoreError
from ..relations import KINDS
from .generation import generation, seal, sealed
from .index_rows import REL, Rows
from .layout import fingerprint, manifest

FILE = "index.sqlite"
VERSION = "3"  # bump when the schema or what goes into it changes
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
CREATE VIRTUAL TABLE fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'instance');
"""
INDEXES = """
CREATE INDEX edges_in ON edges(dst, rel, src, pos);
CREATE INDEX names_value ON names(value);
CREATE INDEX names_lower ON names(lower);
CREATE INDEX seen_digest ON seen(digest, node);
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


def refresh(store, *, delta=None, force: bool = False) -> None:
    """Bring ``<store>/index.sqlite`` up to date with the open ``store``, atomically.

    ``delta`` (an :class:`~.index_rows.Delta`): what the last write changed. When the store was
    empty before it, the index is made from the delta alone; when the index matched the store just
    before the write, only the delta's rows are added and the ones it took out recomputed from the
    store; otherwise — and always without a delta, or with ``force`` (``kg check --repair``) —
    the index is rebuilt from the whole store. A reader that rebuilt it seals the database's
    fingerprint for the index to prove itself with.
    """
    if not force and _open(store.path, writer=store.write) is not None:
        return
    parent = generation(store.path)[1]
    old = _stamp(store.path)
    tmp = store.path / f"{FILE}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        if force or delta is None or delta.complete:
            mode = "fresh" if not force and delta is not None else "full"
        elif (old is not None and parent and old.get("generation") == parent
              and old.get("store_id", "") == store.manifest.store_id):
            mode = "incremental"
        else:
            mode = "full"
        if mode == "incremental":
            shutil.copyfile(store.path / FILE, tmp)
        sql = sqlite3.connect(tmp)
        try:
            _fill(sql, store, mode, delta)
            sql.commit()
        finally:
            sql.close()
        os.replace(tmp, store.path / FILE)
    finally:
        tmp.unlink(missing_ok=True)
    if not store.write:
        seal(store.path, fingerprint(store.path))


def _in_memory(store) -> Index:
    sql = sqlite3.connect(":memory:")
    _fill(sql, store, "full", None)
    return Index(store.path, sql)


def _fill(sql: sqlite3.Connection, store, mode: str, delta) -> None:
    """Write the index of ``store`` into ``sql``: an empty database filled from the whole store
    (``full``) or from ``delta`` (``fresh``), or the old index brought forward by ``delta``."""
    from . import totals

    sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + ("" if mode == "incremental" else SCHEMA))
    with store.reading():
        if mode == "full":
            _merge(sql, _read(store.db))
        else:
            _merge(sql, _collect(delta.rows, None if mode == "fresh" else store.db))
            _remove(sql, store.db, delta.removed)
        triples = store.triple_count()
    if mode != "incremental":
        sql.executescript(INDEXES)
    sql.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?), ('version', ?), ('store_id', ?), ('totals', ?)",
                (generation(store.path)[0], VERSION, store.manifest.store_id,
                 json.dumps(totals.of_index(sql, triples))))


def _read(db) -> dict[str, list[tuple]]:
    """What the index needs from the whole pyoxigraph store ``db``, keyed by IRI."""
    from .index_rows import store_quads

    return _collect(Rows().feed(store_quads(db)), None)


def _collect(rows: Rows, db) -> dict[str, list[tuple]]:
    """``rows`` as :func:`_merge` takes them. A candidate named by an entity but not among the rows
    (its digest was stored before) is looked up in ``db`` for the digest that saw the entity."""
    graphs: dict[str, list[str]] = {}
    for c, g in rows.candidates:
        graphs.setdefault(c, []).append(g)
    seen = list(rows.seen)
    for c, e in rows.named:
        found = graphs.get(c)
        if found is None and db is not None:
            found = graphs[c] = _candidate_graphs(db, c)
        seen += ((e, g) for g in found or ())
    return {"types": rows.types, "names": rows.names, "labels": rows.labels, "dates": rows.dates,
            "edges": rows.edges + list(rows.authored()), "texts": rows.texts, "digests": list(rows.digests()),
            "seen": seen}


def _candidate_graphs(db, candidate: str) -> list[str]:
    """The digest graphs whose papers have ``candidate``."""
    import pyoxigraph as ox

    from .index_rows import CANDIDATE

    return [q.graph_name.value for q in db.quads_for_pattern(None, ox.NamedNode(CANDIDATE), ox.NamedNode(candidate), None)
            if isinstance(q.graph_name, ox.NamedNode)]


def _remove(sql: sqlite3.Connection, db, removed: list) -> None:
    """Take out of the index what the ``removed`` quads gave, unless the store still says it.

    Every node they name is recomputed from its quads in the store (point lookups): its types,
    names, label, date and outgoing edges; the texts and digests they never touch stay. A
    digest stays where an entity was seen while any of its other candidates still names it.
    """
    import pyoxigraph as ox

    from .entities import GRAPH as ENTITIES
    from .index_rows import CANDIDATE, CLASSES, ENTITY, TYPE, node_quads

    if not removed:
        return
    iris = sorted({t.value for q in removed for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)})
    ids = dict(sql.execute("SELECT iri, id FROM nodes WHERE iri IN (SELECT value FROM json_each(?))", (json.dumps(iris),)))
    wanted = json.dumps(sorted(ids.values()))
    had: dict[int, set] = {}
    for n, kind in sql.execute("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))", (wanted,)):
        had.setdefault(n, set()).add(kind)
    for table, column in (("types", "node"), ("names", "node"), ("edges", "src")):
        sql.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (wanted,))
    sql.execute("UPDATE nodes SET kind = NULL, label = NULL, date = NULL WHERE id IN (SELECT value FROM json_each(?))",
                (wanted,))
    rows = Rows()
    for iri in iris:
        rows.feed(node_quads(db, iri))
    _merge(sql, {"types": rows.types, "names": rows.names, "labels": rows.labels, "dates": rows.dates,
                 "edges": rows.edges + list(rows.authored()), "texts": [], "digests": [], "seen": []})
    now: dict[int, set] = {}
    for n, kind in sql.execute("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))", (wanted,)):
        now.setdefault(n, set()).add(kind)
    for n, kinds in had.items():  # no longer a category or topic: subject edges to it are no longer split
        for kind in {"category", "topic"} & (kinds - now.get(n, set())):
            sql.execute("DELETE FROM edges WHERE dst = ? AND rel = ?", (n, REL[f"in_{kind}"]))
    pairs = {(q.object, g) for q in removed if q.predicate.value == ENTITY and isinstance(q.object, ox.NamedNode)
             for g in _candidate_graphs(db, q.subject.value)}
    for e, g in sorted(pairs, key=str):
        typed = any(q.object.value in CLASSES for q in db.quads_for_pattern(e, ox.NamedNode(TYPE), None, ox.NamedNode(g)))
        if typed or db.query(f"ASK {{ GRAPH <{g}> {{ ?p <{CANDIDATE}> ?c }} GRAPH <{ENTITIES}> {{ ?c <{ENTITY}> {e} }} }}"):
            continue
        sql.execute("DELETE FROM seen WHERE node = (SELECT id FROM nodes WHERE iri = ?)"
                    " AND digest = (SELECT id FROM digests WHERE iri = ?)", (e.value, g))
    sql.execute(f"DELETE FROM nodes WHERE id IN (SELECT value FROM json_each(?)) AND date IS NULL{_UNUSED}", (wanted,))


_UNUSED = "".join(f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE {column} = nodes.id)" for table, column in (
    ("types", "node"), ("names", "node"), ("edges", "src"), ("edges", "dst"), ("texts", "paper"), ("seen", "node")))


def _merge(sql: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    """Add rows (from :func:`_collect`) to the tables, keeping every derived column right."""
    ids = dict(sql.execute("SELECT iri, id FROM nodes"))
    fresh = not ids
    touched: dict[str, int] = {}
    next_id = max(ids.values(), default=0) + 1
    for key, cols in (("types", (0,)), ("names", (0,)), ("labels", (0,)), ("dates", (0,)), ("edges", (0, 2)),
                      ("texts", (0,)), ("seen", (0,))):
        for row in rows[key]:
            for c in cols:
                iri = row[c]
                if iri not in touched:
                    if iri not in ids:
                        ids[iri], next_id = next_id, next_id + 1
                    touched[iri] = ids[iri]
    state: dict[int, list] = {n: [None, None, set()] for n in touched.values()}  # label, date, kinds
    if not fresh:
        wanted = json.dumps(list(state))
        for n, label, date in sql.execute("SELECT id, label, date FROM nodes WHERE id IN (SELECT value FROM"
                                          " json_each(?))", (wanted,)):
            state[n][:2] = label, date
        for n, kind in sql.execute("SELECT node, kind FROM types WHERE node IN (SELECT value FROM json_each(?))",
                                   (wanted,)):
            state[n][2].add(kind)
    had = {n: set(s[2]) for n, s in state.items()}
    for iri, kind in rows["types"]:
        state[ids[iri]][2].add(kind)
    for iri, label in rows["labels"]:
        s = state[ids[iri]]
        s[0] = label if s[0] is None else min(s[0], label)
    for iri, date in rows["dates"]:
        s = state[ids[iri]]
        s[1] = date if s[1] is None else max(s[1], date)
    sql.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?)", sorted(
        (n, iri, min(state[n][2], key=ORDER.__getitem__) if state[n][2] else None, state[n][0], state[n][1])
        for iri, n in touched.items()))
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
    for n, kinds in ({} if fresh else had).items():  # typed only now: its older subject edges get split too
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
    sql.execute("INSERT OR REPLACE INTO meta SELECT 'text_papers', COUNT(*) FROM sizes")
    sql.execute("INSERT OR REPLACE INTO meta SELECT 'text_size', COALESCE(SUM(size), 0) FROM sizes")
