"""Building stores: counts, idempotence, incremental adds, merging, provenance, bad input."""

from __future__ import annotations

import shutil

import pytest

from kg.build import build
from kg.errors import KGError
from kg.store import Store

from seed_entries import affiliations


def papers(store_path) -> int:
    with Store(store_path) as db:
        return int(db.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }")[0]["n"])


def test_seeds_build_counts(seeds_store):
    # 890 distinct ids per file (004 lists 465 distinct papers in 500 rows); 4 papers appear in two seeds
    assert papers(seeds_store) == 886
    with Store(seeds_store) as db:
        rows = db.select("SELECT ?name (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p prov:wasDerivedFrom ?d . ?d rdfs:label ?name } GROUP BY ?name")
    counts = {r["name"][:3]: int(r["n"]) for r in rows}
    assert counts == {"000": 30, "001": 30, "002": 30, "003": 335, "004": 465}


def test_rebuild_is_idempotent(store_copy, seeds_dir):
    with Store(store_copy) as db:
        before = db.triple_count()
    report = build([seeds_dir], store=store_copy)
    assert {f.status for f in report.files} == {"unchanged"}
    assert report.triples_before == report.triples_after == before


def test_new_digest_only_adds_and_overlap_merges(store_copy, seed, tmp_path):
    with Store(store_copy) as db:
        old = set(map(str, db.triples()))
    lines = seed("000").read_text(encoding="utf-8").splitlines()
    part = tmp_path / "000_first_two.txt"  # an overlapping digest: the first two entries of seed 000
    part.write_text("\n".join(lines[:43]) + "\n", encoding="utf-8")
    report = build([part], store=store_copy)
    assert [f.status for f in report.files] == ["added"] and report.papers == 2
    with Store(store_copy) as db:
        new = set(map(str, db.triples()))
        sources = db.select("SELECT ?name WHERE { <https://arxiv.org/abs/2601.22985> prov:wasDerivedFrom/rdfs:label ?name } ORDER BY ?name")
    assert old < new
    assert papers(store_copy) == 886
    assert [r["name"] for r in sources] == ["000_b9db59897b87019b.txt", "000_first_two.txt"]


def test_kg_check_finds_a_built_store_whole_before_and_after_an_addition_in_place(store_copy, seed, tmp_path, kg):
    """The index's ``seen`` holds the methods and benchmarks a digest's candidates name beside the
    nodes its graph types; kg check counts both (it reported every store with extraction damaged)."""
    import json

    from kg.store.index import open_index

    def findings() -> dict[str, str]:
        result = kg(store_copy, "check", "--json")
        assert result.exit_code == 0, result.output
        return {f["check"]: f["status"] for f in json.loads(result.stdout)}

    assert findings()["index"] == "ok"
    open_index(store_copy).close()  # current: the build brings it forward in place
    part = tmp_path / "003_first_ten.txt"
    part.write_text("\n".join(seed("003").read_text(encoding="utf-8").splitlines()[:200]) + "\n", encoding="utf-8")
    report = build([part], store=store_copy)
    assert [f.status for f in report.files] == ["added"] and report.links > 0
    after = findings()
    assert after["index"] == "ok" and set(after.values()) <= {"ok", "note"}


def test_an_extractor_upgrade_starts_the_store_over_as_a_fresh_build_would(store_copy, seeds_dir, tmp_path, monkeypatch, kg):
    """A new extractor replaces every digest: the store is then written as if it were empty (no
    graph dropped one quad at a time, the read index made from the quads written, no stored
    candidate read), and ends as a fresh build under that extractor leaves one."""
    import importlib

    from kg import extract
    from kg.store import candidate_cache, consolidated, entities

    building = importlib.import_module("kg.build")
    monkeypatch.setattr(extract, "EXTRACTOR", "methods.next")
    dropped, read, checked = [], [], []
    monkeypatch.setattr(consolidated, "drop_graphs", lambda db, graphs: dropped.append(graphs))
    monkeypatch.setattr(entities, "stored_candidates", lambda db: read.append(db) or [])
    monkeypatch.setattr(candidate_cache, "load", lambda store, digests: read.append(store))
    reading = building.read_file
    monkeypatch.setattr(building, "read_file", lambda job: checked.append(job.graph) or reading(job))
    report = build([seeds_dir], store=store_copy)
    assert {f.status for f in report.files} == {"replaced"} and dropped == [] and read == []
    assert checked == [True] * 5  # each file read once: the extractor changed, not the parser
    fresh = tmp_path / "fresh"
    build([seeds_dir], store=fresh)
    with Store(store_copy) as upgraded, Store(fresh) as new:
        assert set(upgraded.db) == set(new.db)
        assert upgraded.triple_count() == new.triple_count() == report.triples_after
    for path in (store_copy, fresh):
        result = kg(path, "check", "--json")
        assert result.exit_code == 0, result.output
    assert kg(store_copy, "stats", "--json").stdout == kg(fresh, "stats", "--json").stdout


def test_an_upgrade_of_some_digests_keeps_the_others(store_copy, seeds_dir, monkeypatch, kg):
    """Four of the five seeds read again under a new extractor: the fifth digest stays as it was."""
    from kg import extract

    current = extract.EXTRACTOR
    monkeypatch.setattr(extract, "EXTRACTOR", "methods.next")
    files = sorted(seeds_dir.iterdir())
    report = build(files[:4], store=store_copy)
    assert [f.status for f in report.files] == ["replaced"] * 4
    with Store(store_copy) as db:
        digests = db.digests()
    assert sorted(row["extractor"] for row in digests.values()) == sorted(["methods.next"] * 4 + [current])
    assert {row["name"] for row in digests.values()} == {f.name for f in files}
    result = kg(store_copy, "check", "--json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("some", [5, 4], ids=["every digest (a new database)", "four of five (a checkpoint)"])
def test_a_file_that_no_longer_reads_stops_an_upgrade_and_nothing_is_stored(some, store_copy, seeds_dir, monkeypatch, kg):
    """A file whose digest this parser read before is not parsed twice; if it gives nothing when
    read (a file built with --format, say), the build stops: no digest is lost, and kg check
    finds the store and its index consistent."""
    from kg import extract, reading
    from kg.errors import ParseError

    with Store(store_copy) as db:
        before, digests = db.triple_count(), db.digests()
    monkeypatch.setattr(extract, "EXTRACTOR", "methods.next")
    parse = reading.parse_file

    def fails_on_the_third(path, **kwargs):
        if path.name == sorted(p.name for p in seeds_dir.iterdir())[2]:
            raise ParseError(f"{path}:1: unknown digest layout")
        return parse(path, **kwargs)

    monkeypatch.setattr(reading, "parse_file", fails_on_the_third)
    with pytest.raises(KGError, match=r"no entries read \(.*unknown digest layout\), though its digest was read before"):
        build(sorted(seeds_dir.iterdir())[:some], store=store_copy)
    with Store(store_copy) as db:
        assert db.triple_count() == before and db.digests() == digests
    result = kg(store_copy, "check", "--json")
    assert result.exit_code == 0, result.output
    assert not list(store_copy.glob("index.sqlite.tmp-*")) and not list(store_copy.glob("oxigraph.new-*"))


def test_a_build_leaves_no_object_frozen_out_of_collections(store_copy, seed, tmp_path):
    """The entities are decided with collections off and what they made frozen out of them until
    the build ends (kg.build._no_collection); a library caller gets the collector back whole."""
    import gc

    part = tmp_path / "001_first_three.txt"
    part.write_text("\n".join(seed("001").read_text(encoding="utf-8").splitlines()[:60]) + "\n", encoding="utf-8")
    assert gc.get_freeze_count() == 0
    assert [f.status for f in build([part], store=store_copy).files] == ["added"]
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_provenance_section_and_line(seeds_store, seed):
    with Store(seeds_store) as db:
        rows = db.select("""SELECT ?name ?section ?line WHERE {
            <https://arxiv.org/abs/2601.20911> prov:qualifiedDerivation ?d .
            ?d prov:entity/rdfs:label ?name ; kg:line ?line ; kg:section ?section }""")
    assert rows == [{"name": seed("003").name, "section": "cs.CV", "line": "37"}]


def test_units_and_chinese_labels(seeds_store, seed):
    # 2506.06006 (002) lists one "Lab, University" affiliation: a unit of the university after its comma
    [(lab, zh)] = [(en, zh) for en, zh in affiliations(seed("002"), "2506.06006") if en.count(", ") == 1]
    with Store(seeds_store) as db:
        rows = db.select(f"""SELECT ?parent ?zh WHERE {{
            ?lab rdfs:label "{lab}" ; org:unitOf/rdfs:label ?parent ; skos:altLabel ?zh }}""")
    assert rows == [{"parent": lab.split(", ")[1], "zh": zh}]


def test_folder_with_bad_files(seed, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(seed("001"), src / "good.txt")
    (src / "empty.md").write_text("")
    (src / "blob.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (src / "notes.md").write_text("# Reading list\n\nNothing to see.\n")
    (src / "gbk.txt").write_bytes(seed("000").read_text(encoding="utf-8").encode("gb18030"))
    report = build([src], store=tmp_path / "store")
    status = {f.path.rsplit("/", 1)[1]: f.status for f in report.files}
    assert status == {"blob.txt": "failed", "empty.md": "failed", "gbk.txt": "added", "good.txt": "added", "notes.md": "failed"}
    messages = sorted(str(p).rsplit("/", 1)[1] for p in report.problems)
    assert messages == ["blob.txt:1: binary file, not a digest", "empty.md:1: empty file",
                        "gbk.txt:1: not UTF-8: read as GB18030",
                        "notes.md:1: unknown digest layout and no arXiv id in it (known layouts: arxivdaily, digest-md, topic-table,"
                        " arxiv-email, feed, hf-papers, table-json)"]
    assert papers(tmp_path / "store") == 60


def test_strict_stores_nothing(store_copy, seed, tmp_path):
    with Store(store_copy) as db:
        before = db.triple_count()
    bad = tmp_path / "dup.md"
    text = seed("004").read_text(encoding="utf-8")
    bad.write_text(text + "\n", encoding="utf-8")  # new bytes (not yet ingested) with duplicate rows
    with pytest.raises(KGError, match=r"problem\(s\) found; nothing stored \(--strict\)"):
        build([bad], store=store_copy, strict=True)
    with Store(store_copy) as db:
        assert db.triple_count() == before


def test_missing_path(tmp_path):
    with pytest.raises(KGError, match=r"nope\.txt: no such file or directory"):
        build([tmp_path / "nope.txt"], store=tmp_path / "s")


def test_rdflib_view_agrees(seeds_store):
    with Store(seeds_store) as db:
        g = db.rdflib_graph()
        rows = list(g.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://schema.org/ScholarlyArticle> }"))
    assert int(rows[0][0]) == 886


def test_unchanged_files_are_not_parsed_again(store_copy, seeds_dir, monkeypatch):
    import kg.reading

    def refuse(*args, **kwargs):
        raise AssertionError("an ingested file was parsed again")

    monkeypatch.setattr(kg.reading, "parse_file", refuse)
    report = build([seeds_dir], store=store_copy)
    assert [(f.status, f.format, f.entries) for f in report.files] == [
        ("unchanged", "arxivdaily", 30), ("unchanged", "arxivdaily", 30), ("unchanged", "arxivdaily", 30),
        ("unchanged", "digest-md", 335), ("unchanged", "topic-table", 500)]


def test_a_digest_the_parser_can_no_longer_read_is_kept(store_copy, seed, monkeypatch):
    import kg.build
    import kg.reading
    from kg.errors import ParseError

    with Store(store_copy) as db:
        before, digests = db.triple_count(), set(db.digests())
    monkeypatch.setattr(kg.build, "_format_of", lambda parser, formats: None)  # as if read by an older parser

    def unreadable(path, **kwargs):
        raise ParseError(f"{path}:1: unknown digest layout")

    monkeypatch.setattr(kg.reading, "parse_file", unreadable)
    report = build([seed("001")], store=store_copy)
    assert [f.status for f in report.files] == ["failed"] and str(report.problems[0]).endswith("1: unknown digest layout")
    with Store(store_copy) as db:
        assert db.triple_count() == before and set(db.digests()) == digests


def test_no_extract_build_keeps_existing_links(store_copy, seeds_dir):
    with Store(store_copy) as db:
        before = db.triple_count()
    report = build([seeds_dir], store=store_copy, extract=False)
    assert {f.status for f in report.files} == {"unchanged"}
    with Store(store_copy) as db:
        assert db.triple_count() == before
        assert db.select("SELECT (COUNT(*) AS ?n) WHERE { ?p kg:usesMethod ?m }")[0]["n"] != "0"


def test_a_file_mixing_two_families_is_unchanged_on_rebuild(tmp_path):
    entry = ("### [1] [A Digest Entry](https://arxiv.org/abs/2501.00101)\n*Ann Lee*\n\nMain category: cs.CL\n\n"
             "TL;DR: A summary.\n\n")
    table = ("## Robots\n\n| Publish Date | Title | Authors | PDF |\n|---|---|---|---|\n"
             "|**2025-01-02**|**A Table Row**|Bo Wu et.al.|[2501.00001](http://arxiv.org/abs/2501.00001)|\n")
    (tmp_path / "mixed.md").write_text(entry + table, encoding="utf-8")
    first = build([tmp_path / "mixed.md"], store=tmp_path / "store")
    again = build([tmp_path / "mixed.md"], store=tmp_path / "store")
    assert [(f.status, f.format) for f in first.files] == [("added", "digest-md+topic-table")]
    assert [(f.status, f.format) for f in again.files] == [("unchanged", "digest-md+topic-table")]
    assert papers(tmp_path / "store") == 2


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _failing(monkeypatch, module, name: str, after: float = 0.0, error: Exception | None = None) -> None:
    """Make ``module.name`` fail as a full disk does (or with ``error``), once ``after`` seconds have passed."""
    import errno
    import os
    import time

    def full(*args, **kwargs):
        time.sleep(after)
        raise error or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(module, name, full)


def test_a_store_write_failing_while_the_index_is_brought_forward_leaves_both_as_they_were(store_copy, seed, tmp_path, monkeypatch):
    """The store writes a digest added in place in a thread while the read index is brought
    forward; when that write fails the index is not committed either."""
    from kg.store import database, tops
    from kg.store.index import FILE, open_index

    part = tmp_path / "000_first_two.txt"
    part.write_text("\n".join(seed("000").read_text(encoding="utf-8").splitlines()[:43]) + "\n", encoding="utf-8")
    open_index(store_copy).close()  # current: the build brings it forward
    with Store(store_copy) as db:
        before = db.triple_count(), db.digests()
    index = _sha256(store_copy / FILE)
    _failing(monkeypatch, database.Store, "_write", after=0.5)  # the index is done first
    revised = []
    monkeypatch.setattr(tops, "revise", lambda *a, revise=tops.revise: revised.append(revise(*a)))
    with pytest.raises(KGError, match=r"^could not write store .* \(\[Errno 28\] No space left on device\); it is unchanged$"):
        build([part], store=store_copy)
    monkeypatch.undo()
    assert revised  # the index was brought forward while the store wrote
    assert _sha256(store_copy / FILE) == index  # rolled back, byte for byte
    with Store(store_copy) as db:
        assert (db.triple_count(), db.digests()) == before
    report = build([part], store=store_copy)
    assert [f.status for f in report.files] == ["added"] and report.triples_after > before[0]


def test_an_index_failing_after_the_store_wrote_says_so_and_readers_rebuild_it(store_copy, seed, tmp_path, monkeypatch):
    from kg.explore.resolve import resolve
    from kg.store import index as ix

    part = tmp_path / "000_first_two.txt"
    part.write_text("\n".join(seed("000").read_text(encoding="utf-8").splitlines()[:43]) + "\n", encoding="utf-8")
    _failing(monkeypatch, ix, "degrees")  # brought forward or rebuilt, the index counts degrees
    with pytest.raises(KGError, match=r"^could not bring the read index of .* up to date \(No space left on device\); "
                                      r"the store holds this build, and the index is rebuilt when next read$"):
        build([part], store=store_copy)
    monkeypatch.undo()
    with Store(store_copy) as db:
        assert "000_first_two.txt" in {d["name"] for d in db.digests().values()}
    with ix.open_index(store_copy) as index:
        assert resolve(index, "2601.22985")  # a paper of the new digest, found by the rebuilt index
    assert build([part], store=store_copy).files[0].status == "unchanged"


def test_when_both_fail_the_store_write_is_what_a_build_reports(store_copy, seed, tmp_path, monkeypatch):
    """The index failing some other way while the store's write fails: the build waits for the
    write and says the store is unchanged, which it is."""
    import sqlite3

    from kg.store import database
    from kg.store import index as ix

    part = tmp_path / "000_first_two.txt"
    part.write_text("\n".join(seed("000").read_text(encoding="utf-8").splitlines()[:43]) + "\n", encoding="utf-8")
    ix.open_index(store_copy).close()
    with Store(store_copy) as db:
        before = db.triple_count(), db.digests()
    _failing(monkeypatch, database.Store, "_write", after=0.5)
    _failing(monkeypatch, ix, "degrees", error=sqlite3.OperationalError("disk I/O error"))
    with Store(store_copy, write=True) as db:
        with pytest.raises(KGError, match=r"^could not write store .* No space left on device\); it is unchanged$"):
            build([part], store=db)
        assert db._pending is None  # waited for before the build raised
    monkeypatch.undo()
    with Store(store_copy) as db:
        assert (db.triple_count(), db.digests()) == before
