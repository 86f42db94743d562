"""The read index (kg/index.py): matches the store, goes stale on writes, is written atomically.

Expected counts come from SPARQL on the store itself; papers and names were read from the files.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store import index as ix
from kg.relations import KINDS, RELATIONS
from kg.errors import StoreError
from kg.store import Store

from seed_entries import daily_entry

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "arxivdaily-2026-03-02.txt"
NEW_PAPER = "https://arxiv.org/abs/2603.01001"  # first entry of the example, not in the seeds
NEW_AUTHORS = ["Lena Hartmann", "Wei Zhang", "Priya Raman"]


def test_nodes_and_edges_match_the_store(seeds_store):
    with Store(seeds_store) as db, ix.of(db) as index:
        kinds = " ".join(KINDS)
        for kind in set(KINDS.values()):
            cls = next(c for c, k in KINDS.items() if k == kind)
            expected = db.select(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ ?n a {cls} }}")[0]["c"]
            assert index.rows("SELECT COUNT(*) FROM types WHERE kind = ?", kind)[0][0] == int(expected), kind
        typed = db.select(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ VALUES ?k {{ {kinds} }} ?n a ?k }}")[0]["c"]
        assert index.rows("SELECT COUNT(*) FROM nodes WHERE kind IS NOT NULL")[0][0] == int(typed)
        for relation, pattern in RELATIONS.items():
            expected = db.select(f"SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ {pattern} }} }}")[0]["c"]
            got = index.rows("SELECT COUNT(*) FROM (SELECT DISTINCT src, dst FROM edges WHERE rel = ?)", ix.REL[relation])
            assert got[0][0] == int(expected), relation
            assert int(expected) > 0 or relation == "unit_of", relation


def test_build_adding_a_digest_updates_the_index(store_copy, seed):
    from kg.build import build
    from kg.explore.neighbors import neighbors
    from kg.explore.resolve import resolve

    before = ix._stamp(store_copy)
    build([EXAMPLE], store=store_copy)
    assert ix._stamp(store_copy) not in (None, before)
    with ix.open_index(store_copy) as index:
        data = neighbors(index, "2603.01001", relation="authors")
        assert [i["label"] for i in data["groups"][0]["items"]] == NEW_AUTHORS
        grpo = neighbors(index, "GRPO", relation="used_by", limit=100)
        assert NEW_PAPER in {i["iri"] for i in grpo["groups"][0]["items"]}
        seed_author = daily_entry(seed("002"), "2506.06006")["authors"][2]
        assert resolve(index, seed_author).kind == "author"  # the seeds are still there


def _tables(path: Path) -> dict:
    """Every table of the store's read index, by IRI (row ids depend on the order rows came in)."""
    with ix.open_index(path) as index:
        q = index.rows
        return {
            "nodes": sorted(q("SELECT iri, kind, label, date FROM nodes")),
            "types": sorted(q("SELECT n.iri, t.kind FROM types t JOIN nodes n ON n.id = t.node")),
            "names": sorted(q("SELECT n.iri, m.tier, m.value, m.exact, m.lower FROM names m JOIN nodes n ON n.id = m.node")),
            "edges": sorted(q("SELECT a.iri, e.rel, b.iri, e.pos FROM edges e JOIN nodes a ON a.id = e.src"
                              " JOIN nodes b ON b.id = e.dst")),
            "texts": sorted(q("SELECT n.iri, x.weight FROM texts x JOIN nodes n ON n.id = x.paper")),
            "fts": sorted(q("SELECT f.term, n.iri FROM fts_terms f JOIN texts x ON x.id = f.doc JOIN nodes n ON n.id = x.paper")),
            "sizes": sorted(q("SELECT n.iri, s.size FROM sizes s JOIN nodes n ON n.id = s.paper")),
            "digests": sorted(q("SELECT iri, name, date FROM digests")),
            "seen": sorted(q("SELECT n.iri, d.iri FROM seen s JOIN nodes n ON n.id = s.node JOIN digests d ON d.id = s.digest")),
            "degrees": sorted(q("SELECT n.iri, d.out, d.rel, d.n FROM degrees d JOIN nodes n ON n.id = d.node")),
            "degree": sorted(q("SELECT n.iri, d.n FROM degree d JOIN nodes n ON n.id = d.node")),
            "counts": sorted(q("SELECT key, n FROM counts WHERE n != 0")),
            "meta": {k: index.meta(k) for k in ("text_papers", "text_size", "totals")},
            "tops": _tops(q),
        }


def _tops(q) -> list:
    """The hubs' kept counts, neighbours by IRI."""
    from kg.store import tops

    iri = dict(q("SELECT id, iri FROM nodes"))
    return sorted((iri[node], over, total, [(i if over == tops.DATES else iri[i], n) for i, n in json.loads(items)])
                  for node, over, total, items in q("SELECT node, over, total, items FROM tops"))


def _rebuilt(path: Path) -> dict:
    """The tables of a fresh full rebuild of the same store."""
    (path / ix.FILE).unlink()
    return _tables(path)


def test_incremental_equals_full_rebuild(store_copy):
    from kg.build import build

    build([EXAMPLE], store=store_copy)
    incremental = _tables(store_copy)
    assert _rebuilt(store_copy) == incremental


@pytest.mark.parametrize("steps", [
    "one digest at a time, last first",
    "two batches, then all again",
    "some without extraction, then all (replaced)",
])
def test_any_build_order_gives_the_index_a_full_rebuild_gives(steps, seeds_dir, seeds_store, tmp_path, monkeypatch):
    """After adds, replacements and re-ingests in any order the index is, row for row, the one
    rebuilt from the store — and the one of the seeds built at once."""
    from kg.build import build

    seeds = sorted(seeds_dir.iterdir())
    batches = {
        "one digest at a time, last first": [([s], True) for s in reversed(seeds)],
        "two batches, then all again": [(seeds[3:], True), (seeds[:3], True), (seeds, True)],
        "some without extraction, then all (replaced)": [(seeds[1:3], False), (seeds, True)],
    }[steps]
    from kg.store import tops

    removed = []
    remove = ix._remove
    monkeypatch.setattr(ix, "_remove", lambda sql, db, quads: (removed.append(len(quads)), remove(sql, db, quads))[1])
    monkeypatch.setattr(tops, "HUB", 20)  # hubs among the seeds, whose kept counts each build brings forward
    monkeypatch.setattr(tops, "TOP", 5)
    store = tmp_path / "store"
    for files, extract in batches:
        build(files, store=store, extract=extract)
    if steps.startswith("one digest"):
        assert any(removed), "no build took quads out: the removal path went untested"
    built = _tables(store)
    assert built["nodes"] and built["seen"] and built["fts"] and len(built["tops"]) > 50
    assert _rebuilt(store) == built
    seeds = _tables(seeds_store)  # built at once, its hubs of more than 1,000 papers (none)
    assert {k: v for k, v in built.items() if k != "tops"} == {k: v for k, v in seeds.items() if k != "tops"}


def test_any_write_makes_it_stale_and_a_reader_rebuilds_it(store_copy):
    from kg.explore.search import search

    insert = ("INSERT DATA { GRAPH <urn:kg:test> { <https://arxiv.org/abs/0000.00001> a schema:ScholarlyArticle ;"
              " rdfs:label 'Zyzzogeton quokka survey' ; dcterms:title 'Zyzzogeton quokka survey'@en } }")
    with Store(store_copy, write=True) as db:
        db.db.update(insert, prefixes=__import__("kg.prefixes", fromlist=["PREFIXES"]).PREFIXES)
    assert ix._open(store_copy) is None  # stale: the writer's token differs from the index's
    with ix.open_index(store_copy) as index:
        assert [h["iri"] for h in search(index, "quokka zyzzogeton")] == ["https://arxiv.org/abs/0000.00001"]


def test_a_failed_write_leaves_the_old_index(store_copy, monkeypatch):
    old = (store_copy / ix.FILE).read_bytes()

    def boom(*args):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(ix, "store_quads", boom)
    with Store(store_copy, write=True) as db, pytest.raises(StoreError, match="killed mid-write"):
        ix.refresh(db)  # a database error while reading is reported as the store's
    assert (store_copy / ix.FILE).read_bytes() == old
    assert sorted(p.name for p in store_copy.iterdir() if p.name.startswith(ix.FILE)) == [ix.FILE]
    with sqlite3.connect(f"{(store_copy / ix.FILE).as_uri()}?mode=ro", uri=True) as sql:
        assert sql.execute("SELECT COUNT(*) FROM nodes").fetchone()[0] > 0
    monkeypatch.undo()
    with ix.open_index(store_copy) as index:  # the next reader rebuilds it
        assert index.rows("SELECT kind FROM nodes WHERE iri = ?", "https://w3id.org/kg/id/method/grpo") == [("method",)]


def test_fts_finds_a_chinese_title(seeds_store, seed):
    from kg.explore.search import search

    tail = daily_entry(seed("002"), "2506.06006")["title_zh"][-10:]  # the last ten characters of its Chinese title
    with ix.open_index(seeds_store) as index:
        hits = search(index, tail)
        assert hits[0]["iri"] == "https://arxiv.org/abs/2506.06006"
        # a bigram of Chinese characters is one FTS5 token; the rows of the tail's first one include that title
        docs = index.rows("SELECT p.iri FROM fts JOIN texts x ON x.id = fts.rowid JOIN nodes p ON p.id = x.paper"
                          " WHERE fts MATCH ?", f'"{tail[:2]}"')
        assert "https://arxiv.org/abs/2506.06006" in {d[0] for d in docs}


def test_cli_neighbors_on_a_fresh_index_skips_pyoxigraph(seeds_store):
    code = ("import sys; from typer.testing import CliRunner; from kg.cli import app; "
            f"r = CliRunner().invoke(app, ['neighbors', 'GRPO', '--store', {str(seeds_store)!r}]); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('rdflib', 'networkx', 'spacy', 'pyoxigraph') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{(path / ix.FILE).as_uri()}?mode=ro", uri=True)


def _state(sql: sqlite3.Connection) -> tuple:
    return (sql.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0],
            sql.execute("SELECT COUNT(*) FROM nodes").fetchone()[0])


def test_a_build_brings_the_index_forward_in_place_and_a_reader_sees_old_or_new(store_copy, monkeypatch):
    """One transaction on the file itself: a reader opened before the commit sees the old index whole,
    the same connection sees the new one after it; nothing is copied."""
    from kg.build import build

    inode = (store_copy / ix.FILE).stat().st_ino
    reader = _read_only(store_copy)
    old = _state(reader)
    during = []
    recount = ix.degrees
    monkeypatch.setattr(ix, "degrees", lambda sql, nodes: (recount(sql, nodes),
                                                           during.append(_state(_read_only(store_copy)))))
    monkeypatch.setattr(ix.shutil, "copyfile", lambda *a: pytest.fail("the index was copied"))
    build([EXAMPLE], store=store_copy)
    assert during == [old]  # rows written, not committed: another reader still sees the old index
    new = _state(reader)
    assert new[0] == ix._stamp(store_copy)["generation"] != old[0] and new[1] > old[1]
    assert (store_copy / ix.FILE).stat().st_ino == inode
    assert not (store_copy / f"{ix.FILE}-journal").exists()
    reader.close()


def test_a_no_op_build_only_restamps_the_index(store_copy, seeds_dir, monkeypatch):
    from kg.build import build

    touched = []
    monkeypatch.setattr(ix, "degrees", lambda sql, nodes: touched.append(nodes))
    monkeypatch.setattr(ix.shutil, "copyfile", lambda *a: pytest.fail("the index was copied"))
    before = _tables(store_copy)
    build([seeds_dir], store=store_copy)
    assert touched == [set()]  # no degree recounted
    assert ix._open(store_copy) is not None and _tables(store_copy) == before


def test_a_failed_in_place_write_leaves_the_old_index(store_copy, monkeypatch):
    from kg.build import build

    def boom(sql, nodes):
        raise RuntimeError("killed mid-write")

    before = _tables(store_copy)
    stamp = ix._stamp(store_copy)
    monkeypatch.setattr(ix, "degrees", boom)
    with pytest.raises(RuntimeError, match="killed mid-write"):
        build([EXAMPLE], store=store_copy)
    assert ix._stamp(store_copy) == stamp  # rolled back: still the old state's stamp, so stale now
    assert not (store_copy / f"{ix.FILE}-journal").exists()
    with _read_only(store_copy) as sql:
        assert sql.execute("SELECT COUNT(*) FROM nodes WHERE iri = ?", (NEW_PAPER,)).fetchone()[0] == 0
    monkeypatch.undo()
    assert _tables(store_copy) != before  # the next reader rebuilt it from the store, which has the example
    assert _rebuilt(store_copy) == _tables(store_copy)


def test_a_hard_linked_index_is_copied_before_it_changes(store_copy, tmp_path):
    """A server's snapshot hard-links the index: the build must not change the snapshot's file."""
    from kg.build import build

    link = tmp_path / "snapshot.sqlite"
    os.link(store_copy / ix.FILE, link)
    old = link.read_bytes()
    build([EXAMPLE], store=store_copy)
    assert link.read_bytes() == old
    assert (store_copy / ix.FILE).stat().st_ino != link.stat().st_ino
    with ix.open_index(store_copy) as index:
        assert index.rows("SELECT COUNT(*) FROM nodes WHERE iri = ?", NEW_PAPER)[0][0] == 1


def test_degrees_are_the_projection_of_each_node(seeds_store):
    """``degree`` is what a view counts: distinct labelled neighbours per drawn relation and direction."""
    from kg.views.graph import load

    with ix.open_index(seeds_store) as index:
        top = index.rows("SELECT n.iri, d.n FROM degree d JOIN nodes n ON n.id = d.node"
                         " WHERE n.kind IS NOT NULL AND n.label IS NOT NULL ORDER BY d.n DESC, n.iri LIMIT 3")
        G = load(index)
    assert top and top[0][1] > 100
    for iri, n in top:
        assert n == len({(d.get("relation"), v, True) for _, v, d in G.out_edges(iri, data=True)}
                        | {(d.get("relation"), u, False) for u, _, d in G.in_edges(iri, data=True)})


def test_a_build_killed_during_the_in_place_write_leaves_an_index_readers_recover(store_copy):
    """Killed after its rows went into the file, before the commit (and after the store's write,
    which runs beside it): the next reader rebuilds the index, and the journal the writer left
    (hot: pages were written to the file) is not rolled back into the new file."""
    spill = "sql.execute('PRAGMA cache_size = 1'), sql.execute('UPDATE nodes SET date = date')"  # a big write's pages
    code = ("import os, signal, sys, threading; from kg.store import index as ix, database; from kg.build import build; "
            "stored = threading.Event(); write = database.Store._write; "
            "database.Store._write = lambda self, *a: (write(self, *a), stored.set()); "
            f"ix.degrees = lambda sql, nodes: (stored.wait(60), {spill}, os.kill(os.getpid(), signal.SIGKILL)); "
            f"build([{str(EXAMPLE)!r}], store={str(store_copy)!r})")
    assert subprocess.run([sys.executable, "-c", code]).returncode == -9
    assert (store_copy / f"{ix.FILE}-journal").exists()  # killed in the in-place transaction
    with ix.open_index(store_copy) as index:
        assert index.rows("SELECT COUNT(*) FROM nodes WHERE iri = ?", NEW_PAPER)[0][0] == 1
    with _read_only(store_copy) as sql:
        assert _state(sql)[0] == ix._stamp(store_copy)["generation"]
    assert _rebuilt(store_copy) == _tables(store_copy)


def _row_sets(rows) -> dict:
    rows.settle()
    return {k: sorted(set(getattr(rows, k))) for k in ("types", "seen", "candidates", "named", "names", "labels",
                                                         "dates", "edges", "texts")} | {
        "authored": sorted(rows.authored()), "digests": sorted(rows.digests())}


def test_rows_read_from_the_lines_are_those_parsed_from_the_quads(seeds_dir, shared_dir):
    """Rows.feed_text reads quads between IRIs from their terms: the rows are those of every quad parsed."""
    import pyoxigraph as ox

    from kg.reading import Job, read_file
    from kg.store.index_rows import Rows

    files = [*sorted(seeds_dir.iterdir())[:2], *sorted((shared_dir / "corpus").rglob("*.json"))[:1],
             *sorted((shared_dir / "corpus").rglob("*.xml"))[:1]]
    for path in files:
        text = read_file(Job(path, "0" * 64, None, "methods.v12")).text
        assert text, path
        parsed = _row_sets(Rows().feed(dict.fromkeys(ox.parse(text, format=ox.RdfFormat.N_QUADS))))
        assert _row_sets(Rows().feed_text(text)) == parsed, path
        assert parsed["edges"] and parsed["types"] and parsed["names"], path
        if path.parent == seeds_dir:  # authors with their positions, candidates
            assert parsed["authored"] and any(pos for *_, pos in parsed["authored"]) and parsed["candidates"], path
