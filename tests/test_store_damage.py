"""A damaged, foreign or odd store gives a one-line error saying what to do — never a traceback,
never a fresh empty database in place of the old one, never an answer from an index that does
not match the store. Stores are built from examples/ and damaged the way a user or a disk would."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.store import index as ix
from kg.store.layout import DB, MANIFEST

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def files(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(db.iterdir()) if p.is_file()} if db.is_dir() else {}


def last_sst(store: Path) -> Path:
    return sorted((store / DB).glob("*.sst"))[-1]


def _overwrite_end(path: Path) -> None:
    """Garble a table's footer (its magic number) in place: same size, other bytes."""
    with path.open("r+b") as fh:
        fh.seek(-16, 2)
        fh.write(b"\xff" * 16)


DAMAGE = {
    # whichever table is hit, not only one RocksDB happens to open at start-up
    "sst removed": (lambda s: last_sst(s).unlink(), ".sst is missing (No such file or directory)"),
    "sst emptied": (lambda s: last_sst(s).write_bytes(b""), "is 0 bytes, its last writer left"),
    "sst footer overwritten": (lambda s: _overwrite_end(last_sst(s)), ".sst was overwritten (Corruption"),
    "CURRENT removed": (lambda s: (s / DB / "CURRENT").unlink(), "CURRENT is missing"),
    "CURRENT emptied": (lambda s: (s / DB / "CURRENT").write_bytes(b""), "CURRENT file does not end with newline"),
    "database files removed": (lambda s: [p.unlink() for p in (s / DB).iterdir()], "(the folder is empty)"),
    "database removed": (lambda s: shutil.rmtree(s / DB), "its database"),
    "database at the top (older layout)": (
        lambda s: ([p.rename(s / p.name) for p in (s / DB).iterdir()], (s / DB).rmdir()), "at its top level"),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_damaged_store_is_a_clear_error_and_build_does_not_start_afresh(kg, one_error, store, case):
    damage, words = DAMAGE[case]
    damage(store)
    before = files(store / DB), files(store)
    error = one_error(kg(store, "build", str(EXAMPLES / "digest-2026-03-03.md"), "--no-extract"))
    assert words in error and str(store) in error
    assert "restore" in error or "move them" in error  # says what to do
    assert (files(store / DB), files(store)) == before  # nothing written: no fresh database, no further damage
    for reader in (("search", "GRPO"), ("neighbors", "Lena Hartmann"), ("show", "GRPO"), ("stats",), ("check",)):
        result = kg(store, *reader)
        assert result.exit_code == 1, (reader, result.output)  # no answer from the index left behind
        if reader[0] != "check":
            assert words in one_error(result)


def test_table_touched_but_whole_is_not_damage(kg, store):
    """A new mtime alone (a copy, a backup tool) is no damage: the table still has its footer."""
    table = last_sst(store)
    os.utime(table, ns=(table.stat().st_atime_ns, table.stat().st_mtime_ns + 10**9))
    result = kg(store, "build", str(EXAMPLES / "digest-2026-03-03.md"), "--no-extract")
    assert result.exit_code == 0, result.output
    assert kg(store, "check").exit_code == 0


def test_index_of_another_store_is_not_trusted(kg, store, tmp_path):
    """Same generation file and index copied over: the store's identity gives it away."""
    other = tmp_path / "other"
    build([EXAMPLES / "topics-2026-03-04.md"], store=other, extract=False)
    for name in (ix.FILE, "generation"):
        shutil.copyfile(other / name, store / name)
    hits = json.loads(kg(store, "search", "Spreadsheets", "--json").stdout)  # a title only here
    assert hits, "answered from the other store's index"
    assert json.loads(kg(other, "search", "Spreadsheets", "--json").stdout) == []


def test_database_replaced_behind_kg_is_noticed(kg, store, tmp_path):
    """Same store id and generation, another database: the sealed fingerprint gives it away."""
    other = tmp_path / "other"
    build([EXAMPLES / "topics-2026-03-04.md"], store=other, extract=False)
    assert json.loads(kg(store, "search", "Spreadsheets", "--json").stdout)
    shutil.rmtree(store / DB)
    shutil.copytree(other / DB, store / DB)
    assert json.loads(kg(store, "search", "Spreadsheets", "--json").stdout) == []
    assert json.loads(kg(store, "stats", "--json").stdout)["sources"] == {"topics-2026-03-04.md": 4}


def test_generation_with_garbage_bytes(kg, store):
    (store / "generation").write_bytes(b"\xff\xfe\x00garbage\x80\n")
    assert kg(store, "search", "GRPO").exit_code == 0  # the index is rebuilt, not trusted
    result = kg(store, "build", str(EXAMPLES), "--no-extract")
    assert result.exit_code == 0, result.output
    assert (store / "generation").read_text(encoding="ascii").count("\n") == 4


def test_lock_that_is_a_directory(kg, one_error, store):
    (store / "lock").unlink()
    (store / "lock").mkdir()
    error = one_error(kg(store, "build", str(EXAMPLES), "--no-extract"))
    assert error == f"Error: {store / 'lock'} is a directory, not kg's lock file: remove it (rmdir {store / 'lock'})"
    assert one_error(kg(store, "sparql", "ASK { ?s ?p ?o }")) == error  # stats and neighbors answer from the index
    checked = kg(store, "check", "--json")
    assert checked.exit_code == 1
    assert {"check": "files", "status": "error", "detail": "not files: lock (kg reads and writes these as files)",
            "todo": f"remove them: rm -r {store / 'lock'}"} in json.loads(checked.stdout)


def test_candidate_cache_that_is_a_directory(kg, store):
    (store / "candidates.sqlite").unlink(missing_ok=True)
    (store / "candidates.sqlite").mkdir()
    result = kg(store, "build", str(EXAMPLES))
    assert result.exit_code == 0, result.output  # the cache is only a shortcut: the build reads the store
    checked = kg(store, "check", "--json")
    assert checked.exit_code == 1
    assert {"check": "files", "status": "error", "detail": "not files: candidates.sqlite (kg reads and writes these as files)",
            "todo": f"remove them: rm -r {store / 'candidates.sqlite'}"} in json.loads(checked.stdout)


def test_generation_that_is_a_directory(kg, one_error, store):
    (store / "generation").unlink()
    (store / "generation").mkdir()
    assert kg(store, "search", "GRPO").exit_code == 0  # a reader does not need it
    assert one_error(kg(store, "build", str(EXAMPLES), "--no-extract")) == (
        f"Error: store {store}: Is a directory: {store / 'generation'}; kg build and kg sparql --update need to write there")


def test_store_that_is_a_file(kg, one_error, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a store\n")
    for command in (("build", str(EXAMPLES)), ("search", "GRPO"), ("stats",), ("sparql", "ASK {}"), ("check",)):
        result = kg(path, *command)
        if command[0] == "check":
            assert result.exit_code == 1 and "is a file" in result.stdout
        else:
            assert one_error(result) == f"Error: {path} is a file, not a kg store directory (pass --store DIR)"
    assert path.read_text() == "not a store\n"


def test_damaged_manifest(kg, one_error, store):
    (store / MANIFEST).write_text("{ not json")
    error = one_error(kg(store, "build", str(EXAMPLES), "--no-extract"))
    assert error.startswith(f"Error: {store / MANIFEST} is damaged (not kg's JSON): restore it")


def test_older_schema_is_upgraded_with_a_note(kg, store):
    """A store from before kg-store.json: readers open it as it is, the next writer upgrades it."""
    (store / MANIFEST).unlink()
    assert kg(store, "search", "GRPO").exit_code == 0
    assert not (store / MANIFEST).exists()
    result = kg(store, "build", str(EXAMPLES), "--no-extract")
    assert result.exit_code == 0
    assert f"note: store {store}: upgraded from schema 1 to 2 (recorded its identity in {MANIFEST})" in result.stderr
    assert (f"note: store {store}: upgraded from schema 2 to 3 (gave it one consolidated default graph)"
            in result.stderr)
    assert json.loads((store / MANIFEST).read_text())["schema"] == 3
    checked = {f["check"]: f for f in json.loads(kg(store, "check", "--json").stdout)}
    assert checked["schema"]["status"] == "ok" and checked["index"]["status"] == "ok"


def test_a_newer_schema_is_refused(kg, one_error, store):
    (store / MANIFEST).write_text(json.dumps({"schema": 99, "store_id": "x"}))
    assert one_error(kg(store, "stats")) == (
        f"Error: store {store} has schema 99, newer than this kg reads (3): upgrade kg")


def test_readers_recover_a_swap_killed_halfway(kg, store):
    """Killed between moving the old database aside and moving the new one in."""
    expected = json.loads(kg(store, "stats", "--json").stdout)
    (store / DB).rename(store / f"{DB}.old")
    shutil.copytree(store / f"{DB}.old", store / f"{DB}.new-4242")  # the new database, never moved in
    assert json.loads(kg(store, "stats", "--json").stdout) == expected
    assert (store / DB / "CURRENT").is_file()
    assert kg(store, "search", "GRPO").exit_code == 0


def test_writer_removes_what_killed_builds_left(kg, store):
    for name in ("index.sqlite.tmp-77-0badcafe", "candidates.sqlite.tmp-77", "generation.tmp-77", "counts.json.tmp-77",
                 "hashes.json.tmp"):
        (store / name).write_bytes(b"half")
    (store / f"{DB}.new-77").mkdir()
    (store / DB / "bulk-77.sst").write_bytes(b"half")  # pyoxigraph's bulk loader, killed before RocksDB ingested it
    findings = {f["check"]: f for f in json.loads(kg(store, "check", "--json").stdout)}
    assert findings["leftovers"]["status"] == "note"
    assert {"index.sqlite.tmp-77-0badcafe", "hashes.json.tmp", "bulk-77.sst"} <= set(
        findings["leftovers"]["detail"].split(": ")[1].split(", "))
    assert kg(store, "build", str(EXAMPLES), "--no-extract").exit_code == 0
    assert sorted(p.name for p in store.iterdir()) == [
        "candidates.sqlite", "counts.json", "generation", "hashes.json", "index.sqlite", MANIFEST, "lock", DB]
    assert not list((store / DB).glob("bulk-*"))


def test_check_a_healthy_store(kg, store):
    result = kg(store, "check", "--json")
    assert result.exit_code == 0
    findings = {f["check"]: f for f in json.loads(result.stdout)}
    assert [f["status"] for f in findings.values()] == ["ok"] * 7
    assert findings["consolidated"]["detail"].startswith("the default graph holds the digest graphs' ")
    assert findings["digests"]["detail"].startswith("3 digest(s): arxivdaily-2026-03-02.txt (2 entries, ")
    assert findings["index"]["detail"] == "read index fresh, matching the store for all 3 digest(s)"


def test_check_finds_an_index_that_lies(kg, store):
    """An index that proves itself fresh but whose rows disagree with the store is an error."""
    import sqlite3

    with sqlite3.connect(store / ix.FILE) as sql:
        sql.execute("DELETE FROM seen WHERE digest = (SELECT MIN(digest) FROM seen)")
    result = kg(store, "check", "--json")
    assert result.exit_code == 1
    index = next(f for f in json.loads(result.stdout) if f["check"] == "index")
    assert index["status"] == "error" and index["detail"].startswith("read index disagrees with the store: ")
    assert index["todo"] == "rebuild it from the store: kg check --repair"
    assert kg(store, "check", "--repair").exit_code == 0  # rebuilt from the store, then checked


def test_check_finds_kept_totals_that_lie_and_repairs_them(kg, store):
    """The counts kg stats shows are kept in the index; kg check counts them again in the store."""
    import sqlite3

    stats = json.loads(kg(store, "stats", "--json").stdout)
    assert stats["nodes"]["paper"] == 7 and stats["sources"]["arxivdaily-2026-03-02.txt"] == 2  # examples/
    with sqlite3.connect(store / ix.FILE) as sql:
        kept = json.loads(sql.execute("SELECT value FROM meta WHERE key = 'totals'").fetchone()[0])
        kept["nodes"]["paper"] += 1
        sql.execute("UPDATE meta SET value = ? WHERE key = 'totals'", (json.dumps(kept),))
    result = kg(store, "check", "--json")
    assert result.exit_code == 1
    totals = next(f for f in json.loads(result.stdout) if f["check"] == "totals")
    assert totals["status"] == "error" and totals["todo"] == "rebuild it from the store: kg check --repair"
    assert totals["detail"].endswith("disagree with the store: nodes.paper: index 8, store 7")
    repaired = kg(store, "check", "--repair", "--json")
    assert repaired.exit_code == 0
    assert next(f for f in json.loads(repaired.stdout) if f["check"] == "totals")["status"] == "ok"
    assert json.loads(kg(store, "stats", "--json").stdout) == stats
