"""A `kg build` killed with SIGKILL while it writes leaves the store as it was (or, at most, fully
written), the store still opens, and the next build succeeds. Real processes, real kills."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.store.database import DB, Store

ROOT = Path(__file__).resolve().parents[1]
WRITING = 1 << 20  # bytes written by the child: only the store's files get this much


@pytest.fixture(scope="module")
def digests(tmp_path_factory) -> dict[str, Path]:
    """A base digest and a larger set of new papers, both synthetic."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    root = tmp_path_factory.mktemp("digests")
    generate(300, root / "base", seed=11, sizes=(300, 300))
    generate(4000, root / "big", seed=12, sizes=(1000, 1400), start=1000, vocab_size=4000)
    return {"base": root / "base", "big": root / "big"}


def _written(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def _kill_while_writing(paths: list[Path], store: Path, ready) -> None:
    """Start `kg build`, wait until it is writing the store and ``ready()`` holds, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", *map(str, paths), "--store", str(store),
                             "--no-extract", "--json"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if _written(proc.pid) > WRITING and ready():
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed while writing"


def _state(store: Path) -> tuple[int, dict]:
    with Store(store) as db:
        return db.triple_count(), db.digests()


@pytest.mark.slow
def test_killed_fresh_build_leaves_no_store_and_the_next_build_succeeds(digests, tmp_path):
    store = tmp_path / "store"
    # killed while the new database is being written beside the (absent) old one
    _kill_while_writing([digests["big"]], store, lambda: any(store.glob(f"{DB}.new-*")))
    assert not (store / DB).exists()
    with Store(store, write=True) as db:  # a writer clears what the killed build left
        assert db.is_empty()
    assert not any(store.glob(f"{DB}.new-*"))
    report = build([digests["big"]], store=store, extract=False)
    assert report.papers == 4000 and report.triples_before == 0
    assert _state(store)[0] == report.triples_after > 0


@pytest.mark.slow
def test_killed_incremental_build_is_all_or_nothing(digests, tmp_path):
    store = tmp_path / "store"
    build([digests["base"]], store=store, extract=False)
    before = _state(store)
    _kill_while_writing([digests["big"]], store, lambda: True)
    killed = _state(store)  # the store still opens
    report = build([digests["big"]], store=store, extract=False)
    after = _state(store)
    assert after[0] == report.triples_after > before[0]
    assert set(after[1]) > set(before[1])
    # the killed build's transaction either never committed or committed whole
    assert killed in (before, after)
    if killed == before:
        assert report.papers == 4000
    else:
        assert report.papers == 0


def _answers(store: Path) -> tuple:
    """What readers say: the store's triples and digests, and whether the index knows the new papers."""
    from kg.errors import NotFound
    from kg.explore.resolve import resolve
    from kg.store.index import open_index

    with open_index(store) as index:  # the read index, rebuilt first if it does not match
        try:
            resolve(index, NEW_PAPER)
            knows_new = True
        except NotFound:
            knows_new = False
    return (*_state(store), knows_new)


NEW_PAPER = "2401.11000"  # the first paper of the digest the killed builds add (start=1000)


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_the_store_before_or_after(tmp_path):
    """At least 20 SIGKILLs at random moments of builds, in an incremental build (one transaction)
    and in one that writes a new database and swaps it in (a store with a curated deletion); each
    time readers answer as before or as after the build, never "no kg store", and kg check passes."""
    import random

    from typer.testing import CliRunner

    from kg.cli import app

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    generate(200, tmp_path / "base", seed=21, sizes=(200, 200))
    [new] = generate(500, tmp_path / "new", seed=22, sizes=(500, 500), start=1000, vocab_size=2000)
    runner = CliRunner()
    templates, states = {}, {}
    for kind in ("transaction", "swap"):
        template = tmp_path / f"template-{kind}"
        build([tmp_path / "base"], store=template, extract=False)
        if kind == "swap":  # a recorded deletion: the next build writes a new database and swaps it in
            assert runner.invoke(app, ["sparql", "--update", "DELETE WHERE { ?s kg:comments ?o }",
                                       "--store", str(template)]).exit_code == 0
        after = tmp_path / f"after-{kind}"
        shutil.copytree(template, after, ignore=shutil.ignore_patterns("lock"))
        start = time.monotonic()
        build([new], store=after, extract=False)
        templates[kind] = template, time.monotonic() - start
        states[kind] = _answers(template), _answers(after)
        assert states[kind][0] != states[kind][1]
    rng = random.Random(2026)
    kills, deadline = [], time.monotonic() + 1200  # a guard against a hang, not a speed bound
    while (len(kills) < 20 or len(kills) % 2) and time.monotonic() < deadline:
        kind = ("transaction", "swap")[len(kills) % 2]
        template, took = templates[kind]
        store = tmp_path / f"kill-{len(kills)}"
        shutil.copytree(template, store, ignore=shutil.ignore_patterns("lock"))
        at = rng.uniform(0.3, 1.2 * took + 1.0)  # the child also starts Python: its build runs later and longer
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(new), "--store", str(store), "--no-extract"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=at)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        got = _answers(store)
        assert got in states[kind], f"{kind} build killed after {at:.2f} s: {got[0]} triples, not before or after"
        checked = runner.invoke(app, ["check", "--store", str(store)])
        assert checked.exit_code == 0, checked.output
        if proc.returncode == -signal.SIGKILL:
            kills.append((kind, round(at, 2), "after" if got == states[kind][1] else "before"))
        shutil.rmtree(store)
    assert len(kills) >= 20, f"only {len(kills)} kills landed before the deadline: {kills}"
    assert {k for k, _, _ in kills} == {"transaction", "swap"}
    print(f"{len(kills)} kills survived ({sum(k[2] == 'after' for k in kills)} left the store as after): {kills}")


def test_a_dropped_database_is_closed_whether_or_not_a_cycle_holds_it(tmp_path, monkeypatch):
    """A closed store's RocksDB is freed at once (its lock released, so it opens again): by its
    reference count when only the store held it, by a garbage collection when a cycle did too."""
    import gc

    import pyoxigraph as ox

    from kg.store import database

    collections, collect = [], gc.collect
    monkeypatch.setattr(database.gc, "collect", lambda *a: collections.append(1) or collect(*a))
    path = str(tmp_path / "db")
    database._free([ox.Store(path)])
    ox.Store(path)  # a second writer would fail on RocksDB's lock if the first were still open
    assert collections == []

    class Cycle:
        pass

    held = Cycle()
    held.me, held.db = held, ox.Store(path)
    gc.disable()  # only _free may collect here
    try:
        stores = [held.db]
        del held
        database._free(stores)
        assert collections == [1]
        ox.Store(path)
        held = Cycle()  # a cycle a build froze out of collections (kg.build._no_collection)
        held.me, held.db = held, ox.Store(path)
        gc.freeze()
        stores = [held.db]
        del held
        database._free(stores)
        assert collections == [1, 1] and gc.get_freeze_count() == 0
        ox.Store(path)
    finally:
        gc.unfreeze()
        gc.enable()
