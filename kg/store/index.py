"""A derived read index of the store (``<store>/index.sqlite``) for the explore commands.

The Oxigraph store stays the single source of truth; this SQLite file is a projection of it, so
``kg neighbors``, ``kg search``, ``kg path`` and name resolution answer with plain indexed SQL,
without a SPARQL engine (or even importing pyoxigraph).

Freshness: every writable open of the store writes a new token to ``<store>/generation`` (with
the token it replaces); the index records the token and the store id it was built from, and a
reader answers from it only if both still hold and the database files still have the fingerprint
sealed by their last writer (:mod:`.generation`); otherwise it rebuilds the index from the store
first (in memory, when the store cannot be written). ``kg build`` brings it up to date at its end,
adding just the new digests' rows when the index matched the store before the build. Either
way the file is written under a temporary name and moved into place, so readers see the old
index or the new one, never half of one.

Tables:
    nodes(id, iri, kind, label, date)   kind: the node's first kg kind; label: least rdfs:label
    types(node, kind)                   every kg kind a node has
    names(node, tier, value, exact, lower)   tier: label | alias | arxiv; exact: plain, @en or @zh
    edges(src, rel, dst, pos)           src is the paper (the unit, for unit_of); rel: REL codes
    texts(id, paper, weight) + fts      one row per stored title or abstract; FTS5 over its tokens
    sizes(paper, size)                  weighted text length in characters (BM25's length)
    digests(id, iri, name, date)        every ingested digest (its named graph) and its dcterms:date
    seen(node, digest)                  the digests whose graph types the node: where it was seen
    meta(key, value)                    generation, version, store_id, text totals
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterable
from pathlib import Path

from ..errors import StoreError
from ..prefixes import expand
from ..relations import KINDS
from .entities import GRAPH as ENTITIES
from .generation import generation, seal, sealed
from .layout import fingerprint, manifest

FILE = "index.sqlite"
VERSION = "2"  # bump when the schema or what goes into it changes
ORDER = {kind: i for i, kind in enumerate(KINDS.values())}
# Stored relations (paper → node unless noted) as small integers; the last four are derived:
# method/benchmark join proposes and uses, in_category/in_topic split dcterms:subject by type.
REL = {name: i for i, name in enumerate((
    "authored", "creator", "affiliated_with", "proposes_method", "uses_method", "proposes_benchmark",
    "evaluated_on", "subject", "primary_category", "presented_at", "has_code", "unit_of",
    "method", "benchmark", "in_category", "in_topic"), 1)}
PREDICATES = {
    "creator": "dcterms:creator", "affiliated_with": "kg:affiliation", "proposes_method": "kg:proposesMethod",
    "uses_method": "kg:usesMethod", "proposes_benchmark": "kg:proposesBenchmark", "evaluated_on": "kg:evaluatesOn",
    "subject": "dcterms:subject", "primary_category": "kg:primaryCategory", "presented_at": "bibo:presentedAt",
    "has_code": "kg:code", "unit_of": "org:unitOf",
}
NAMES = {"rdfs:label": "label", "skos:prefLabel": "label", "foaf:name": "label", "skos:notation": "label",
         "skos:altLabel": "alias"}
LINKS = {"method": (REL["proposes_method"], REL["uses_method"]),
         "benchmark": (REL["proposes_benchmark"], REL["evaluated_on"])}
TEXTS = {"dcterms:title": 2, "dcterms:abstract": 1}  # predicate → BM25 weight (titles count twice)
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


def refresh(store, *, added: Iterable[str] | None = None) -> None:
    """Bring ``<store>/index.sqlite`` up to date with the open ``store``, atomically.

    ``added``: the digest graphs the last write added (and nothing else changed). If the index
    matched the store just before that write, only their rows are added; otherwise, and always
    when ``added`` is None, the index is rebuilt from the whole store. A reader that rebuilt it
    seals the database's fingerprint for the index to prove itself with.
    """
    if _open(store.path, writer=store.write) is not None:
        return
    parent = generation(store.path)[1]
    old = _stamp(store.path)
    tmp = store.path / f"{FILE}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        incremental = (added is not None and old is not None and parent and old.get("generation") == parent
                       and old.get("store_id", "") == store.manifest.store_id)
        if incremental:
            shutil.copyfile(store.path / FILE, tmp)
        sql = sqlite3.connect(tmp)
        try:
            _fill(sql, store, list(added) if incremental else None)
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
    _fill(sql, store, None)
    return Index(store.path, sql)


def _fill(sql: sqlite3.Connection, store, added: list[str] | None) -> None:
    """Write the index of ``store`` into ``sql`` (an empty database, or the old index plus ``added``)."""
    sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + ("" if added is not None else SCHEMA))
    with store.reading():
        _merge(sql, _read(store.db, added))
    if added is None:
        sql.executescript(INDEXES)
    sql.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?), ('version', ?), ('store_id', ?)",
                (generation(store.path)[0], VERSION, store.manifest.store_id))


def _read(db, graphs: list[str] | None) -> dict[str, list[tuple]]:
    """What the index needs from the store (all of it, or only ``graphs``), keyed by IRI."""
    import pyoxigraph as ox

    from .tokens import HAN, tokens

    def select(pattern: str):
        # one row per stored quad (over the union of the digest graphs), as kg's SPARQL sees it;
        # a few new graphs are read one by one, each through the store's graph-first indexes
        if graphs is None:
            yield from db.query(f"SELECT * WHERE {{ {pattern} }}", use_default_graph_as_union=True)
        for g in graphs or ():
            yield from db.query(f"SELECT * WHERE {{ {pattern} }}", default_graph=[ox.NamedNode(g)])

    def per_graph(pattern: str):
        # (graph, row): as select(), keeping the digest graph each quad was read from
        if graphs is None:
            yield from ((row["g"].value, row) for row in db.query(f"SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} }}"))
        for g in graphs or ():
            yield from ((g, row) for row in db.query(f"SELECT * WHERE {{ {pattern} }}", default_graph=[ox.NamedNode(g)]))

    out: dict[str, list[tuple]] = {k: [] for k in ("types", "names", "labels", "dates", "edges", "texts", "digests", "seen",
                                                   "candidates", "named")}
    for cls, kind in KINDS.items():
        out["types"] += ((row["s"].value, kind) for row in select(f"?s a <{expand(cls)}> FILTER(isIRI(?s))"))
        # every digest types each node it mentions (kg/store/quads.py), so this is where a node was seen
        out["seen"] += ((row["s"].value, g) for g, row in per_graph(f"?s a <{expand(cls)}> FILTER(isIRI(?s))"))
    # methods and benchmarks are typed in the entities graph: a digest saw the ones its candidates name
    for g, row in per_graph(f"?p <{expand('kg:candidate')}> ?c"):
        out["candidates"].append((row["c"].value, g))
    for row in db.query(f"SELECT ?c ?e WHERE {{ GRAPH <{ENTITIES}> {{ ?c <{expand('kg:entity')}> ?e }} }}"):
        out["named"].append((row["c"].value, row["e"].value))
    for g, row in per_graph(f"?g a <{expand('kg:Digest')}> ; <{expand('rdfs:label')}> ?name"
                            f" OPTIONAL {{ ?g <{expand('dcterms:date')}> ?date }}"):
        out["digests"].append((g, row["name"].value, row["date"].value if row["date"] is not None else None))
    xsd_string = expand("xsd:string")
    for curie, tier in NAMES.items():
        for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s) && isLiteral(?o))"):
            s, o = row["s"].value, row["o"]
            exact = o.language in ("en", "zh") or (o.language is None and o.datatype.value == xsd_string)
            out["names"].append((s, tier, o.value, int(exact), o.value.lower()))
            if curie == "rdfs:label":
                out["labels"].append((s, o.value))
    for row in select(f"?s <{expand('fabio:hasArXivId')}> ?o FILTER(isIRI(?s) && DATATYPE(?o) = <{xsd_string}>)"):
        out["names"].append((row["s"].value, "arxiv", row["o"].value, 1, row["o"].value.lower()))
    out["dates"] += ((row["s"].value, row["o"].value) for row in select(f"?s <{expand('dcterms:issued')}> ?o FILTER(isIRI(?s))"))
    for rel, curie in PREDICATES.items():
        out["edges"] += ((row["s"].value, REL[rel], row["o"].value, 0)
                         for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s) && isIRI(?o))"))
    for row in select(f"?s <{expand('kg:authorship')}> ?a . ?a <{expand('kg:author')}> ?o ."
                      f" OPTIONAL {{ ?a <{expand('kg:position')}> ?pos }} FILTER(isIRI(?s) && isIRI(?o))"):
        pos = row["pos"]
        out["edges"].append((row["s"].value, REL["authored"], row["o"].value, int(pos.value) if pos is not None else 0))
    for curie, weight in TEXTS.items():
        for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s))"):
            text = row["o"].value
            # FTS5's unicode61 tokenizer cuts and lower-cases other text as search.tokens() does;
            # Chinese needs its bigrams made here
            body = " ".join(tokens(text)) if HAN.search(text) else text
            out["texts"].append((row["s"].value, weight, weight * len(text.lower()), body))
    named = dict(out.pop("named"))
    out["seen"] += ((named[c], g) for c, g in out.pop("candidates") if c in named)
    return out


def _merge(sql: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    """Add rows read by :func:`_read` to the tables, keeping every derived column right."""
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
