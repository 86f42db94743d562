"""The store's write token: every writable open replaces it, so derived files know they are stale."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

GENERATION = "generation"


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
