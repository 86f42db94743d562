"""Input files' SHA-256, remembered by their stat, so a rebuild reads only the files that changed.

``<store>/hashes.json`` maps each file's absolute path to its size, mtime, ctime, inode and
device when its bytes were hashed. A file whose stat still matches is not read again; any
difference (rewritten, touched, its mtime set back — which moves ctime —, replaced by a rename)
and it is hashed afresh. A digest's identity stays the SHA-256 of its bytes: this file only
saves reading them. It is written atomically by the store's writer and ignored whole when
unreadable or damaged. A file changed less than ``SETTLE_NS`` before it was hashed is not
remembered: a second change within the file system's timestamp resolution would leave the
same stat (git's "racily clean" files).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

FILE = "hashes.json"
VERSION = 1
SETTLE_NS = 2_000_000_000  # FAT's 2 s mtime resolution, the coarsest in use
_SHA = re.compile(r"[0-9a-f]{64}")


def _key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class Hashes:
    """The remembered hashes of the store directory ``path``; :meth:`save` writes what changed."""

    def __init__(self, path: Path) -> None:
        self.file = Path(path) / FILE
        self.seen: dict[str, list] = _load(self.file)
        self.changed = False

    def sha256(self, path: Path) -> str:
        """The hex SHA-256 of the bytes of ``path``, read only if its stat changed (OSError if unreadable)."""
        name = os.path.abspath(path)
        have = self.seen.get(name)
        if have is not None and have[:5] == _key(os.stat(name)):
            return have[5]
        with open(name, "rb") as f:
            before = _key(os.fstat(f.fileno()))
            sha = hashlib.file_digest(f, "sha256").hexdigest()
            after = _key(os.fstat(f.fileno()))
        settled = time.time_ns() - max(after[1], after[2]) >= SETTLE_NS
        if before == after and settled:
            self.seen[name] = [*after, sha]
            self.changed = True
        elif self.seen.pop(name, None) is not None:
            self.changed = True
        return sha

    def save(self) -> None:
        """Write the hashes if any changed (atomically; a cache, so a failed write is let go)."""
        if not self.changed:
            return
        tmp = self.file.with_name(FILE + ".tmp")  # one writer holds the store: a fixed name suffices
        try:
            tmp.write_text(json.dumps({"version": VERSION, "files": self.seen}), encoding="utf-8")
            os.replace(tmp, self.file)
            self.changed = False
        except OSError:
            tmp.unlink(missing_ok=True)


def _load(file: Path) -> dict[str, list]:
    """The remembered entries of ``file``, or none if it is missing, unreadable or not wholly valid."""
    try:
        data = json.loads(file.read_bytes())
        files = data["files"]
        if data["version"] != VERSION or not all(
                isinstance(k, str) and isinstance(v, list) and len(v) == 6
                and all(type(n) is int for n in v[:5]) and isinstance(v[5], str) and _SHA.fullmatch(v[5])
                for k, v in files.items()):
            return {}
        return files
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
