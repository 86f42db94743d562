"""Remembered input hashes (kg/store/hashes.py): a file is read again whenever its stat moved."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.store import hashes
from kg.store.hashes import Hashes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def settled(monkeypatch):
    """Remember files however recently they changed (the tests write them just before)."""
    monkeypatch.setattr(hashes, "SETTLE_NS", 0)


def _refuse_reading(monkeypatch):
    def refuse(*args):
        raise AssertionError("a remembered file was read again")

    monkeypatch.setattr(hashes.hashlib, "file_digest", refuse)


def test_unchanged_file_is_not_read_again(settled, tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"first")
    h = Hashes(tmp_path)
    h.sha256(f)
    h.save()
    _refuse_reading(monkeypatch)
    assert Hashes(tmp_path).sha256(f) == _sha(b"first")


@pytest.mark.parametrize("change", ["size", "same size, mtime set back", "replaced by a rename"])
def test_changed_file_is_read_again(settled, tmp_path, change):
    f = tmp_path / "a.md"
    f.write_bytes(b"first")
    old = os.stat(f)
    h = Hashes(tmp_path)
    h.sha256(f)
    h.save()
    time.sleep(0.05)  # past the file system's timestamp tick, so that ctime moves
    if change == "size":
        f.write_bytes(b"first, longer")
    elif change == "replaced by a rename":
        (tmp_path / "b.md").write_bytes(b"other")
        os.replace(tmp_path / "b.md", f)
    else:
        f.write_bytes(b"other")
        os.utime(f, ns=(old.st_atime_ns, old.st_mtime_ns))
        assert os.stat(f).st_mtime_ns == old.st_mtime_ns
    assert Hashes(tmp_path).sha256(f) == _sha(f.read_bytes())


def test_recently_changed_file_is_not_remembered(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"just written")
    h = Hashes(tmp_path)
    assert h.sha256(f) == _sha(b"just written")
    assert h.seen == {} and not h.changed


@pytest.mark.parametrize("damage", [b"{not json", b"[]", b'{"version": 1, "files": []}',
                                    b'{"version": 99, "files": {}}', "bad sha", "truncated", "directory"])
def test_damaged_file_is_ignored(settled, tmp_path, monkeypatch, damage):
    f = tmp_path / "a.md"
    f.write_bytes(b"bytes")
    h = Hashes(tmp_path)
    h.sha256(f)
    h.save()
    saved = tmp_path / hashes.FILE
    if damage == "bad sha":
        data = json.loads(saved.read_text())
        data["files"][str(f)][5] = "0" * 63 + "g"
        saved.write_text(json.dumps(data))
    elif damage == "truncated":
        saved.write_bytes(saved.read_bytes()[:-3])
    elif damage == "directory":
        saved.unlink()
        saved.mkdir()
    else:
        saved.write_bytes(damage)
    h = Hashes(tmp_path)
    assert h.seen == {}
    assert h.sha256(f) == _sha(b"bytes")
    h.save()  # a directory in its place: let go, not raised


def test_build_reads_a_changed_digest_again(settled, tmp_path):
    digest = tmp_path / "in" / "digest.md"
    digest.parent.mkdir()
    source = sorted(EXAMPLES.glob("*.md"))[0]
    shutil.copy(source, digest)
    store = tmp_path / "store"
    build([digest], store=store, extract=False)
    assert str(digest.resolve()) in json.loads((store / hashes.FILE).read_text())["files"]
    assert [f.status for f in build([digest], store=store, extract=False).files] == ["unchanged"]
    time.sleep(0.05)
    old = os.stat(digest)
    text = digest.read_text(encoding="utf-8")
    # the same bytes but one: same size, mtime set back
    digest.write_text(text.replace("a", "b", 1), encoding="utf-8")
    os.utime(digest, ns=(old.st_atime_ns, old.st_mtime_ns))
    report = build([digest], store=store, extract=False)
    assert [f.status for f in report.files] == ["added"]


def test_build_ignores_a_damaged_hash_file(settled, tmp_path):
    store = tmp_path / "store"
    build([EXAMPLES], store=store, extract=False)
    (store / hashes.FILE).write_bytes(b"\x00garbage")
    report = build([EXAMPLES], store=store, extract=False)
    assert report.files and {f.status for f in report.files} == {"unchanged"}
    assert json.loads((store / hashes.FILE).read_text())["version"] == hashes.VERSION  # written anew


def test_noop_build_imports_nothing_heavy(store, tmp_path):
    """A rebuild with nothing new loads neither rdflib nor the extractor (nor spaCy or numpy)."""
    build([EXAMPLES], store=store, extract=False)
    code = ("import sys; from kg.build import build; r = build([sys.argv[1]], store=sys.argv[2], extract=False);"
            " assert {f.status for f in r.files} == {'unchanged'}, r.files;"
            " print(sorted(m for m in ('rdflib', 'kg.extract', 'kg.store.quads', 'spacy', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES), str(store)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
