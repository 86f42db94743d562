"""Security and limits, end to end through the CLI: no outbound request from a query, deep and
greedy queries stopped with a reason, read-only stores readable, a full disk leaving the store as
it was, legacy encodings read right, hostile input bounded in memory.

Needs root for the mounts (a read-only bind mount, a 2 MB tmpfs); fails, not skips, without."""

from __future__ import annotations

import gc
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"mount {' '.join(args)} failed (these tests need root): {done.stderr.strip()}")


# ---- SPARQL: no request to another host, limits that say why -----------------------------------
@pytest.fixture
def endpoint():
    """A SPARQL endpoint on a loopback port that records every request and answers with a secret."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(f"{self.command} {self.path}")
            body = b"SECRET-REMOTE-BODY"
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", seen
    server.shutdown()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX service: <urn:x:> # a prefix named service is not a call\nSELECT * WHERE {{ ?service service:p ?o . sErViCe <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} UNION {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_a_query_sends_no_request(kg, one_error, store, endpoint, template):
    from kg.errors import QueryError
    from kg.explore.sparql import sparql
    from kg.store import Store

    url, seen = endpoint
    text = template.format(url=url)
    assert one_error(kg(store, "sparql", text)) == (
        "Error: SERVICE (a call to another SPARQL endpoint) is off: a query does not send requests "
        "to other hosts unless you pass --allow-service")
    with Store(store) as db, pytest.raises(QueryError, match="^SERVICE"):  # the library's default, as kg serve has it
        sparql(db, text, timeout=None)
    assert seen == []


def test_updates_send_no_request(kg, one_error, store, endpoint):
    url, seen = endpoint
    for update in (f"LOAD <{url}>", f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"):
        one_error(kg(store, "sparql", "--update", update))
    assert seen == []


def test_allow_service_calls_out_but_does_not_echo_the_reply(kg, one_error, store, endpoint):
    url, seen = endpoint
    error = one_error(kg(store, "sparql", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "--allow-service"))
    assert seen == ["POST /sparql"]
    assert error.startswith("Error: query failed: Error 500 Internal Server Error returned by " + url)
    assert "SECRET-REMOTE-BODY" not in error


def test_a_query_nested_10000_deep_is_refused_with_a_reason(kg, one_error, store):
    deep = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
    assert one_error(kg(store, "sparql", deep)) == (
        "Error: query nested 10000 brackets deep; kg runs queries nested at most 200 deep")
    ok = "SELECT (COUNT(*) AS ?n) WHERE " + "{" * 150 + " ?s ?p ?o " + "}" * 150
    assert kg(store, "sparql", ok).exit_code == 0


def test_a_cross_join_is_stopped_by_the_memory_cap(kg, one_error, store):
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i"
    error = one_error(kg(store, "sparql", cross, "--memory", "512", "--timeout", "120"))
    assert error == ("Error: query stopped: it needed more than 512 MiB of memory, the cap on a query "
                     "(narrow it, or raise the cap with --memory)")
    assert kg(store, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--memory", "512").exit_code == 0


# ---- a read-only store -------------------------------------------------------------------------
@pytest.fixture
def read_only(store, tmp_path):
    """The store seen through a read-only bind mount (as root, chmod alone would not stop writes)."""
    (store / "index.sqlite").unlink()  # stale or missing: readers must still answer, from memory
    mnt = tmp_path / "ro"
    mnt.mkdir()
    mount("--bind", str(store), str(mnt))
    try:
        mount("-o", "remount,ro,bind", str(mnt))
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_every_reader_works_on_a_read_only_store(kg, one_error, read_only, tmp_path):
    readers = [
        ("search", "GRPO"), ("neighbors", "Lena Hartmann"), ("path", "Lena Hartmann", "Wei Zhang"),
        ("show", "Lena Hartmann"), ("stats",), ("check",), ("sparql", "ASK { ?s ?p ?o }"),
        ("sparql", "ASK { ?s ?p ?o }", "--timeout", "10"),
        ("export", "--format", "turtle", "-o", str(tmp_path / "kg.ttl")),
        ("viz", "coauthors", "Lena Hartmann", "--output", str(tmp_path / "v.html")),
    ]
    for reader in readers:
        result = kg(read_only, *reader)
        assert result.exit_code == 0, (reader, result.output)
    assert not (read_only / "index.sqlite").exists()
    for writer in (("build", str(EXAMPLES)), ("sparql", "--update", "INSERT DATA { <urn:a> <urn:b> 'c' }")):
        assert one_error(kg(read_only, *writer)) == (
            f"Error: store {read_only}: Read-only file system: {read_only / 'lock'}; "
            "kg build and kg sparql --update need to write there")


def test_readers_read_a_half_swapped_read_only_store(kg, store, tmp_path):
    (store / "oxigraph").rename(store / "oxigraph.old")  # a swap killed halfway, then mounted read-only
    mnt = tmp_path / "ro"
    mnt.mkdir()
    mount("--bind", str(store), str(mnt))
    try:
        mount("-o", "remount,ro,bind", str(mnt))
        stats = json.loads(kg(mnt, "stats", "--json").stdout)
        assert stats["sources"] == {"arxivdaily-2026-03-02.txt": 2, "digest-2026-03-03.md": 3, "topics-2026-03-04.md": 4}
        assert json.loads(kg(mnt, "search", "Spreadsheets", "--json").stdout)
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


# ---- a full disk ---------------------------------------------------------------------------------
@pytest.fixture
def small_disk(examples_store, tmp_path):
    """A 2 MB file system holding a copy of the examples store."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk))
    try:
        shutil.copytree(examples_store, disk / "store")
        yield disk / "store"
    finally:
        gc.collect()  # close the databases the in-process commands opened there
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


def state(kg, store: Path) -> tuple:
    stats = json.loads(kg(store, "stats", "--json").stdout)
    graphs = kg(store, "sparql", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
                "--format", "csv").stdout
    return stats, graphs


@pytest.mark.slow
@pytest.mark.parametrize("curated", [False, True], ids=["one transaction", "new database and swap"])
def test_a_full_disk_leaves_the_store_as_it_was(kg, one_error, small_disk, tmp_path, curated):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    if curated:  # a recorded deletion makes the build write a new database beside the old one
        assert kg(small_disk, "sparql", "--update", "DELETE WHERE { ?s kg:comments ?o }").exit_code == 0
    big = generate(3000, tmp_path / "big", seed=5, sizes=(3000, 3000), start=5000)
    before = state(kg, small_disk)
    error = one_error(kg(small_disk, "build", *map(str, big), "--no-extract"))
    assert error.startswith(f"Error: could not write store {small_disk} (") and error.endswith("; it is unchanged")
    assert "No space left on device" in error or "no space" in error.lower()
    assert state(kg, small_disk) == before
    assert kg(small_disk, "check").exit_code == 0
    assert not list(small_disk.glob("oxigraph.new-*")) and not list(small_disk.glob("oxigraph/bulk-*"))
    fill(small_disk.parent / "filler")
    export = one_error(kg(small_disk, "export", "--format", "nt", "-o", str(small_disk.parent / "kg.nt")))
    assert export == f"Error: could not write {small_disk.parent / 'kg.nt'}: No space left on device"
    assert not list(small_disk.parent.glob("kg.nt*"))
    assert state(kg, small_disk) == before  # readers still answer on the full disk


def fill(path: Path) -> None:
    """Take every byte left on path's file system."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---- input: legacy encodings, hostile sizes ------------------------------------------------------
ENTRY = """### [1] [{title}](https://arxiv.org/abs/2604.0{n:04d})
*{authors}*

Main category: cs.LG

TL;DR: {tldr}

"""


def digest(entries: list[dict]) -> str:
    return "# cs.LG\n\n" + "".join(ENTRY.format(n=i, **e) for i, e in enumerate(entries, 1))


def test_a_latin1_digest_is_read_as_such_and_the_choice_reported(kg, tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(digest([
        {"title": "Über die Schätzung von Größen", "authors": "Jürgen Müller, Zoë Brontë", "tldr": "Schätzung für Ärzte."},
        {"title": "Façade Learning for Señor Agents", "authors": "François Lefèvre, José Muñoz", "tldr": "Ça marche."},
    ]).encode("latin-1"))
    result = kg(tmp_path / "store", "build", str(path), "--no-extract", "--json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)["problems"]
    assert any(p["message"].startswith("not UTF-8: read as") and "GB18030" not in p["message"] for p in problems), problems
    for name in ("Jürgen Müller", "Zoë Brontë", "François Lefèvre", "José Muñoz"):
        found = json.loads(kg(tmp_path / "store", "neighbors", name, "--json").stdout)
        assert found["node"]["label"] == name
    hits = json.loads(kg(tmp_path / "store", "search", "Schätzung", "--json").stdout)
    assert hits[0]["label"] == "Über die Schätzung von Größen"


def peak_rss(*args: str) -> int:
    """Peak resident memory (bytes) of ``python -m kg ARGS`` in a child, by resource.getrusage."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "kg", *args], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return int(out.stdout) * 1024


@pytest.mark.slow
def test_hostile_sizes_stay_bounded_in_memory(kg, tmp_path):
    normal = tmp_path / "normal.md"
    normal.write_text(digest([{"title": "A Small Title", "authors": "Ann Lee, Bo Chen", "tldr": "Short."}]))
    many = tmp_path / "many-authors.md"  # one line with 262,144 authors
    many.write_text(digest([{"title": "Everyone", "authors": ", ".join(f"Author{i} Name{i}" for i in range(1 << 18)),
                             "tldr": "A byline of a quarter of a million names."}]))
    huge = tmp_path / "huge-title.md"  # a 50 MB title
    huge.write_text(digest([{"title": "word " * 10_000_000, "authors": "Ann Lee", "tldr": "A title of 50 MB."}]))
    base = peak_rss("build", str(normal), "--store", str(tmp_path / "base"))
    for hostile in (many, huge):
        store = tmp_path / hostile.stem
        peak = peak_rss("build", str(hostile), "--store", str(store))
        print(f"kg build {hostile.name}: peak {peak >> 20} MiB, baseline {base >> 20} MiB")  # figures with -s
        assert peak - base < 1 << 30, f"{hostile.name}: {peak >> 20} MiB peak, baseline {base >> 20} MiB"
        stats = json.loads(kg(store, "stats", "--json").stdout)
        assert stats["nodes"]["paper"] == 1  # the entry is kept, its fields capped
