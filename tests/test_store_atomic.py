"""A `kg build` killed with SIGKILL while it writes leaves the store as it was (or, at most, fully
written), the store still opens, and the next build succeeds. Real processes, real kills."""

from __future__ import annotations

import os
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
