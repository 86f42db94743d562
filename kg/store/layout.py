"""What a store directory holds, and whether it is whole. Plain file-system checks: no pyoxigraph.

A store is a directory with:

- ``oxigraph/``     the Oxigraph (RocksDB) database, the only source of truth
- ``kg-store.json`` ``{"schema": 3, "store_id": …}``, written when the database is created
- ``generation``    the write token (:mod:`.generation`), ``index.sqlite`` the read index,
  ``counts.json`` the cached triple count, ``hashes.json`` the input files' hashes
  (:mod:`.hashes`), ``candidates.sqlite`` the candidates and decisions a build revises the
  entities graph from (:mod:`.candidate_cache`), ``lock`` the readers/writer lock

Schema 1 is a store written before ``kg-store.json`` existed, schema 2 one without a consolidated
default graph (:mod:`.consolidated`); a writer upgrades either in place. A database found at the
top of the directory instead of in ``oxigraph/``, or a database directory without its ``CURRENT``
file, is never replaced by a fresh one: opening such a store is an error that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError

DB = "oxigraph"
MANIFEST = "kg-store.json"
SCHEMA = 3
# files RocksDB keeps in a database directory; the ones that say what the database holds
_ROCKS = ("CURRENT", "IDENTITY", "LOCK", "LOG", "MANIFEST-", "OPTIONS-")
_CONTENT = (".sst", ".blob")
# the last 8 bytes of a RocksDB block-based table (and of its legacy format), little-endian
_TABLE_MAGIC = ((0x88E241B785F4CFF7).to_bytes(8, "little"), (0xDB4775248B80FB57).to_bytes(8, "little"))
# files a build leaves only if it was killed: removed by the next writer
LEFTOVERS = ("index.sqlite.tmp-*", "candidates.sqlite.tmp-*", "generation.tmp-*", "counts.json.tmp*", "hashes.json.tmp", f"{MANIFEST}.tmp-*",
             f"{DB}.new-*", f"{DB}/bulk-*.sst")  # the last: files of pyoxigraph's bulk loader a killed write left
log = logging.getLogger("kg.store")


@dataclass(frozen=True)
class Manifest:
    """The store's schema version and identity (``store_id`` is '' for a schema-1 store)."""

    schema: int
    store_id: str


def check_directory(path: Path) -> None:
    """Raise StoreError unless ``path`` is a directory (or does not exist yet)."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a kg store directory (pass --store DIR)")


def manifest(path: Path) -> Manifest:
    """The store's manifest; a store without one is schema 1.

    Raises StoreError if the file is unreadable or written by a newer kg.
    """
    try:
        data = json.loads((path / MANIFEST).read_bytes())
        schema, store_id = int(data["schema"]), str(data["store_id"])
    except FileNotFoundError:
        return Manifest(1, "")
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"{path / MANIFEST} is damaged ({_reason(exc)}): restore it from a backup, "
                         f"or delete it to give the store a new identity (its read index is then rebuilt)") from None
    if schema > SCHEMA:
        raise StoreError(f"store {path} has schema {schema}, newer than this kg reads ({SCHEMA}): upgrade kg")
    return Manifest(schema, store_id)


def create_manifest(path: Path, schema: int = SCHEMA) -> Manifest:
    """Write ``kg-store.json`` with a new store id, unless one is there already (first writer wins)."""
    have = manifest(path)
    if have.schema > 1:
        return have
    tmp = path / f"{MANIFEST}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps({"schema": schema, "store_id": uuid.uuid4().hex}) + "\n", encoding="utf-8")
    try:
        os.link(tmp, path / MANIFEST)  # never replaces a manifest another process wrote meanwhile
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return manifest(path)


def upgrade(path: Path) -> Manifest:
    """The manifest of the existing database at ``path``, written first (as schema 2) if an older kg left none."""
    have = manifest(path)
    if have.schema == 1:
        have = create_manifest(path, 2)
        log.warning("store %s: upgraded from schema 1 to 2 (recorded its identity in %s)", path, MANIFEST)
    return have


def set_schema(path: Path, schema: int, what: str) -> Manifest:
    """Record that the store at ``path`` is now at ``schema`` (after ``what`` was done to it), keeping its id."""
    old = manifest(path)
    tmp = path / f"{MANIFEST}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps({"schema": schema, "store_id": old.store_id}) + "\n", encoding="utf-8")
    tmp.replace(path / MANIFEST)
    log.warning("store %s: upgraded from schema %d to %d (%s)", path, old.schema, schema, what)
    return manifest(path)


def damage(path: Path, sealed: dict | None = None) -> tuple[str, str] | None:
    """What is wrong with the database files of the store at ``path``, and what to do; or None.

    Only what shows without opening the database: a database missing where there was one, one
    without ``CURRENT`` (RocksDB would start an empty one in its place), files at the top, and a
    table its last writer left (``sealed``, a :func:`tables` record) now missing, resized or
    without its footer. RocksDB alone notices a damaged table only if it happens to open it.
    """
    db = path / DB
    if not db.exists() and (path / f"{DB}.old").is_dir():
        db = path / f"{DB}.old"  # a swap killed halfway: this is the database until it is put back
    rebuild = f"restore {path} from a backup, or rebuild it into a new directory (kg build FILES --store NEW)"
    if _rocks_files(path):
        return (f"store {path} has database files at its top level {'beside' if db.exists() else 'instead of'} "
                f"{DB}/ (an older or broken layout)", f"move them into {db}/ if they are the store's, else remove them")
    if db.exists() and not db.is_dir():
        return f"store {path} is damaged: {db} is not a directory", rebuild
    if db.is_dir() and not (db / "CURRENT").is_file():
        empty = " (the folder is empty)" if not any(db.iterdir()) else ""
        return f"store {path} is damaged: {db}/CURRENT is missing{empty}", rebuild
    if not db.exists() and (manifest(path).schema > 1 or (path / "index.sqlite").exists()):
        return f"store {path} is damaged: its database {db}/ is missing", rebuild
    table = _table_damage(path, sealed) if sealed and db.name == DB else None
    return (f"store {path} is damaged: {db}/{table}", rebuild) if table else None


def fail_if_damaged(path: Path, sealed: dict | None = None) -> None:
    """Raise StoreError saying what :func:`damage` found and what to do, if anything."""
    problem = damage(path, sealed)
    if problem:
        raise StoreError("; ".join(problem))


def fingerprint(path: Path) -> str:
    """A cheap digest of the database's files (names, sizes and times of its tables and manifests).

    Any file removed, emptied, truncated, rewritten or swapped changes it (RocksDB never rewrites
    a table in place); opening the database read-only does not, nor does a checkpoint (hard
    links). A closed database keeps its fingerprint until the next writer.
    """
    try:
        with os.scandir(path / DB) as it:
            entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in it
                             if e.name.endswith(_CONTENT) or e.name.startswith(("CURRENT", "MANIFEST-")))
    except OSError:
        return ""
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:32]


def tables(path: Path) -> dict:
    """The database's identity, current RocksDB manifest, and each table's size and mtime."""
    db = path / DB
    try:
        identity = (db / "IDENTITY").read_text(encoding="ascii", errors="replace").strip()
        current = (db / "CURRENT").read_text(encoding="ascii", errors="replace").strip()
        with os.scandir(db) as it:
            files = {e.name: [e.stat().st_size, e.stat().st_mtime_ns] for e in it if e.name.endswith(".sst")}
    except OSError:
        return {}
    return {"identity": identity, "manifest": current, "tables": files}


def _table_damage(path: Path, sealed: dict) -> str | None:
    """How a table of the database ``sealed`` describes is damaged, or None (also for another database)."""
    now, db = tables(path), path / DB
    if not now or (now["identity"], now["manifest"]) != (sealed.get("identity"), sealed.get("manifest")):
        return None  # a database replaced whole, or one a writer changed since: nothing to compare
    for name, (size, mtime) in sorted(sealed.get("tables", {}).items()):
        have = now["tables"].get(name)
        if have is None:
            return f"{name} is missing (No such file or directory)"
        if have[0] != size:
            return f"{name} is {have[0]:,} bytes, its last writer left {size:,} (Sst file size mismatch)"
        if have[1] != mtime and not _has_footer(db / name):
            return f"{name} was overwritten (Corruption: bad table magic number)"
    return None


def _has_footer(table: Path) -> bool:
    try:
        with table.open("rb") as fh:
            fh.seek(-8, 2)
            return fh.read(8) in _TABLE_MAGIC
    except OSError:
        return False


def _rocks_files(path: Path) -> list[Path]:
    try:
        return [p for p in path.iterdir() if p.is_file() and (p.name.startswith(_ROCKS) or p.suffix in _CONTENT)]
    except OSError:
        return []


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else "not kg's JSON"
