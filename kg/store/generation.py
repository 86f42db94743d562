"""The store's write token: every writable open replaces it, so derived files know they are stale.

``<store>/generation`` holds four lines: the token, the token it replaced, and the seal in two
lines — the database's :func:`~.layout.fingerprint` and its :func:`~.layout.tables` (JSON) when
the writer of that token closed it (both empty while a writer has the store open, or if it was
killed). A derived file built for a token is current only while the token and the sealed
fingerprint both still hold; the parent is kept only when the state it names was sealed.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

from .layout import fingerprint, tables

GENERATION = "generation"


def _lines(path: Path) -> list[str]:
    try:
        data = (path / GENERATION).read_bytes()
    except FileNotFoundError:
        return ["", "", "", ""]
    except OSError:  # e.g. a directory in its place: a token no index was built for
        return ["unreadable", "", "", ""]
    try:
        lines = [line.strip() for line in data.decode("ascii").split("\n")]
    except UnicodeDecodeError:  # garbage: a token of its own, which no index matches
        return [f"x{hashlib.sha256(data).hexdigest()[:31]}", "", "", ""]
    return (lines + ["", "", "", ""])[:4]


def generation(path: Path) -> tuple[str, str]:
    """The store's write token and the one before it (both '' before any writable open)."""
    token, parent, *_ = _lines(path)
    return token, parent


def sealed(path: Path) -> str:
    """The fingerprint sealed for the current token, or '' if none was."""
    return _lines(path)[2]


def sealed_tables(path: Path) -> dict:
    """The database's tables as its last writer left them ({} if unsealed or unreadable)."""
    try:
        record = json.loads(_lines(path)[3] or "{}")
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def new_generation(path: Path) -> None:
    """Record that the store at ``path`` may change: every index built before is now stale.

    The old token is kept as the parent only if the database still had its sealed fingerprint:
    an index can be brought forward from the parent's only when the parent's state is proven.
    """
    token, _, sealed_print, _ = _lines(path)
    _write(path, uuid.uuid4().hex, token if sealed_print == fingerprint(path) else "", "", "")


def seal(path: Path) -> None:
    """Record the database's fingerprint and tables for the current token (its writer has closed it)."""
    token, parent, *_ = _lines(path)
    _write(path, token, parent, fingerprint(path), json.dumps(tables(path), separators=(",", ":")))


def _write(path: Path, *lines: str) -> None:
    tmp = path / f"{GENERATION}.tmp-{os.getpid()}"
    try:
        tmp.write_text("".join(f"{line}\n" for line in lines), encoding="ascii")
        os.replace(tmp, path / GENERATION)
    finally:
        tmp.unlink(missing_ok=True)
