"""A derived read index of the store (``<store>/index.sqlite``) for the explore commands.

The Oxigraph store stays the single source of truth; this SQLite file is a projection of it, so
``kg neighbors``, ``kg search``, ``kg path`` and name resolution answer with plain indexed SQL,
without a SPARQL engine (or even importing pyoxigraph).

Freshness: every writable open of the store writes a new token to ``<store>/generation`` (with
the token it replaces); the index records the token it was built from, and a reader whose token
differs rebuilds the index from the store first. ``kg build`` brings it up to date at its end,
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
    meta(key, value)                    generation, version, text totals
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterable
from pathlib import Path

from .errors import StoreError
from .graph import KINDS
from .prefixes import expand

FILE = "index.sqlite"
GENERATION = "generation"
VERSION = "1"  # bump when the schema or what goes into it changes
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
CREATE VIRTUAL TABLE fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'instance');
CREATE INDEX edges_in ON edges(dst, rel, src, pos);
CREATE INDEX names_value ON names(value);
CREATE INDEX names_lower ON names(lower);
"""
STAGING = """
CREATE TEMP TABLE s_iris(iri TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE s_types(iri TEXT, kind TEXT);
CREATE TEMP TABLE s_names(iri TEXT, tier TEXT, value TEXT, exact INTEGER, lower TEXT);
CREATE TEMP TABLE s_attrs(iri TEXT, label TEXT, date TEXT);
CREATE TEMP TABLE s_edges(src TEXT, rel INTEGER, dst TEXT, pos INTEGER);
CREATE TEMP TABLE s_texts(n INTEGER PRIMARY KEY, iri TEXT, weight INTEGER, size INTEGER, body TEXT);
CREATE TEMP TABLE touched(id INTEGER PRIMARY KEY);
"""
_KIND_RANK = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for k, i in ORDER.items()) + " END"
MERGE = f"""
CREATE INDEX temp.s_attrs_iri ON s_attrs(iri);
INSERT OR REPLACE INTO meta SELECT 'text_base', COALESCE(MAX(id), 0) FROM texts;
INSERT OR IGNORE INTO nodes(iri) SELECT iri FROM s_iris;
INSERT INTO touched SELECT n.id FROM s_iris JOIN nodes n USING (iri);
INSERT OR IGNORE INTO types SELECT n.id, s.kind FROM s_types s JOIN nodes n USING (iri);
INSERT OR IGNORE INTO names SELECT n.id, s.tier, s.value, s.exact, s.lower FROM s_names s JOIN nodes n USING (iri);
INSERT OR IGNORE INTO edges SELECT a.id, s.rel, b.id, s.pos FROM s_edges s JOIN nodes a ON a.iri = s.src
    JOIN nodes b ON b.iri = s.dst;
UPDATE nodes SET
    label = (SELECT MIN(v) FROM (SELECT nodes.label AS v UNION ALL SELECT label FROM s_attrs WHERE iri = nodes.iri)),
    date = (SELECT MAX(v) FROM (SELECT nodes.date AS v UNION ALL SELECT date FROM s_attrs WHERE iri = nodes.iri)),
    kind = (SELECT kind FROM types WHERE node = nodes.id ORDER BY {_KIND_RANK} LIMIT 1)
    WHERE id IN touched;
INSERT OR IGNORE INTO edges SELECT src, CASE WHEN rel IN ({REL['proposes_method']}, {REL['uses_method']})
    THEN {REL['method']} ELSE {REL['benchmark']} END, dst, 0 FROM edges
    WHERE rel IN ({REL['proposes_method']}, {REL['uses_method']}, {REL['proposes_benchmark']}, {REL['evaluated_on']})
    AND src IN touched;
INSERT OR IGNORE INTO edges SELECT e.src, CASE t.kind WHEN 'category' THEN {REL['in_category']}
    ELSE {REL['in_topic']} END, e.dst, 0 FROM edges e JOIN types t ON t.node = e.dst AND t.kind IN ('category', 'topic')
    WHERE e.rel = {REL['subject']} AND e.src IN touched;
INSERT OR IGNORE INTO edges SELECT e.src, CASE t.kind WHEN 'category' THEN {REL['in_category']}
    ELSE {REL['in_topic']} END, e.dst, 0 FROM touched JOIN edges e ON e.dst = touched.id AND e.rel = {REL['subject']}
    JOIN types t ON t.node = e.dst AND t.kind IN ('category', 'topic');
INSERT INTO texts SELECT base.value + s.n, p.id, s.weight FROM s_texts s JOIN nodes p USING (iri)
    JOIN meta base ON base.key = 'text_base';
INSERT INTO fts(rowid, body) SELECT base.value + s.n, s.body FROM s_texts s JOIN meta base ON base.key = 'text_base';
INSERT INTO sizes SELECT p.id, SUM(s.size) FROM s_texts s JOIN nodes p USING (iri) WHERE true GROUP BY p.id
    ON CONFLICT(paper) DO UPDATE SET size = size + excluded.size;
INSERT OR REPLACE INTO meta SELECT 'text_papers', COUNT(*) FROM sizes;
INSERT OR REPLACE INTO meta SELECT 'text_size', COALESCE(SUM(size), 0) FROM sizes;
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


def generation(path: Path) -> tuple[str, str]:
    """The store's write token and the one before it (both '' before any writable open)."""
    try:
        token, _, parent = (path / GENERATION).read_text(encoding="ascii").partition("\n")
    except FileNotFoundError:
        return "", ""
    return token.strip(), parent.strip()


def new_generation(path: Path) -> None:
    """Record that the store at ``path`` may change: every index built before is now stale."""
    tmp = path / f"{GENERATION}.tmp-{os.getpid()}"
    tmp.write_text(f"{uuid.uuid4().hex}\n{generation(path)[0]}\n", encoding="ascii")
    os.replace(tmp, path / GENERATION)


def open_index(path: str | Path | None = None) -> Index:
    """The read index of the store at ``path`` (default ``$KG_STORE`` or ``.kg``), rebuilt first if stale.

    A fresh index opens without touching the store, so without importing pyoxigraph.
    """
    path = Path(path) if path is not None else Path(os.environ.get("KG_STORE", ".kg"))
    if not (path / "oxigraph").exists():
        raise StoreError(f"no kg store at {path} (run `kg build` first, or pass --store)")
    index = _open(path)
    if index is None:
        from .store import Store

        with Store(path) as store:
            index = of(store)
    return index


def of(store) -> Index:
    """The Index for ``store``: itself if it is one, else the store's index, rebuilt if stale."""
    if isinstance(store, Index):
        return store
    index = _open(store.path)
    if index is None:
        refresh(store)
        index = _open(store.path)
        if index is None:
            raise StoreError(f"the index of {store.path} went stale while it was built")
    return index


def _stamp(path: Path) -> str | None:
    """The generation an index file was built from, or None if it is missing or unreadable."""
    try:
        sql = sqlite3.connect(f"{(path / FILE).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(sql.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'version')").fetchall())
    except sqlite3.Error:
        return None
    finally:
        sql.close()
    return meta.get("generation") if meta.get("version") == VERSION else None


def _open(path: Path) -> Index | None:
    """The index at ``path`` if it matches the store's current generation."""
    if not (path / FILE).exists():
        return None
    sql = sqlite3.connect(f"{(path / FILE).as_uri()}?mode=ro", uri=True)
    try:
        meta = dict(sql.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'version')").fetchall())
    except sqlite3.Error:
        meta = {}
    if meta != {"generation": generation(path)[0], "version": VERSION}:
        sql.close()
        return None
    return Index(path, sql)


def refresh(store, *, added: Iterable[str] | None = None) -> None:
    """Bring ``<store>/index.sqlite`` up to date with the open ``store``, atomically.

    ``added``: the digest graphs the last write added (and nothing else changed). If the index
    matched the store just before that write, only their rows are added; otherwise, and always
    when ``added`` is None, the index is rebuilt from the whole store.
    """
    token, parent = generation(store.path)
    old = _stamp(store.path)
    if old == token:
        return
    tmp = store.path / f"{FILE}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        incremental = added is not None and old is not None and old == parent
        if incremental:
            shutil.copyfile(store.path / FILE, tmp)
        sql = sqlite3.connect(tmp)
        try:
            sql.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                              + ("" if incremental else SCHEMA) + STAGING)
            _stage(sql, store.db, list(added) if incremental else None)
            sql.executescript(MERGE)
            sql.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?), ('version', ?)", (token, VERSION))
            if not incremental:
                sql.execute("ANALYZE")
            sql.commit()
        finally:
            sql.close()
        os.replace(tmp, store.path / FILE)
    finally:
        tmp.unlink(missing_ok=True)


def _stage(sql: sqlite3.Connection, db, graphs: list[str] | None) -> None:
    """Copy what the index needs from the store (all of it, or only ``graphs``) into staging tables."""
    import pyoxigraph as ox

    from .search import tokens

    scope = "" if graphs is None else f"VALUES ?g {{ {' '.join(str(ox.NamedNode(g)) for g in graphs)} }}"

    def select(pattern: str):
        # one row per stored quad (the union of the digest graphs), as kg's SPARQL sees it
        where = f"{{ {pattern} }}" if graphs is None else f"{{ {scope} GRAPH ?g {{ {pattern} }} }}"
        return db.query(f"SELECT * WHERE {where}", use_default_graph_as_union=True)

    iris: set[str] = set()
    types = []
    for cls, kind in KINDS.items():
        for row in select(f"?s a <{expand(cls)}> FILTER(isIRI(?s))"):
            types.append((row["s"].value, kind))
    names, attrs = [], []
    xsd_string = expand("xsd:string")
    for curie, tier in NAMES.items():
        for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s) && isLiteral(?o))"):
            s, o = row["s"].value, row["o"]
            exact = o.language in ("en", "zh") or (o.language is None and o.datatype.value == xsd_string)
            names.append((s, tier, o.value, int(exact), o.value.lower()))
            if curie == "rdfs:label":
                attrs.append((s, o.value, None))
    for row in select(f"?s <{expand('fabio:hasArXivId')}> ?o FILTER(isIRI(?s) && DATATYPE(?o) = <{xsd_string}>)"):
        names.append((row["s"].value, "arxiv", row["o"].value, 1, row["o"].value.lower()))
    for row in select(f"?s <{expand('dcterms:issued')}> ?o FILTER(isIRI(?s))"):
        attrs.append((row["s"].value, None, row["o"].value))
    edges = []
    for rel, curie in PREDICATES.items():
        for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s) && isIRI(?o))"):
            edges.append((row["s"].value, REL[rel], row["o"].value, 0))
    authored = (f"?s <{expand('kg:authorship')}> ?a . ?a <{expand('kg:author')}> ?o ."
                f" OPTIONAL {{ ?a <{expand('kg:position')}> ?pos }} FILTER(isIRI(?s) && isIRI(?o))")
    for row in select(authored):
        pos = row["pos"]
        edges.append((row["s"].value, REL["authored"], row["o"].value, int(pos.value) if pos is not None else 0))
    texts = []
    for curie, weight in TEXTS.items():
        for row in select(f"?s <{expand(curie)}> ?o FILTER(isIRI(?s))"):
            text = row["o"].value
            texts.append((len(texts) + 1, row["s"].value, weight, weight * len(text.lower()), " ".join(tokens(text))))
    for rows in (types, names, attrs):
        iris.update(r[0] for r in rows)
    iris.update(r[0] for r in edges)
    iris.update(r[2] for r in edges)
    iris.update(r[1] for r in texts)
    sql.executemany("INSERT INTO s_iris VALUES (?)", ((i,) for i in iris))
    sql.executemany("INSERT INTO s_types VALUES (?, ?)", types)
    sql.executemany("INSERT INTO s_names VALUES (?, ?, ?, ?, ?)", names)
    sql.executemany("INSERT INTO s_attrs VALUES (?, ?, ?)", attrs)
    sql.executemany("INSERT INTO s_edges VALUES (?, ?, ?, ?)", edges)
    sql.executemany("INSERT INTO s_texts VALUES (?, ?, ?, ?, ?)", texts)
