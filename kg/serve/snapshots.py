"""What a server reads: a private checkpoint of the store, replaced whole after each build.

A reader holding the store's shared lock would keep ``kg build`` out, and one waiting for it
would stall while a build runs. So the server takes the shared lock only for the instant it
needs to checkpoint the database (RocksDB hard links, milliseconds) and link the read index,
then answers every request from that private copy without any lock. When the store's generation
changes and no writer holds the lock any more, the next request publishes a new checkpoint;
requests already running finish on the old one, which is deleted once the last lets go. So a
client sees the store as it was before a build or after it, never in between.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from ..errors import StoreError
from ..store.database import DB, LOCK_WAIT, Store
from ..store.generation import GENERATION, generation, seal, sealed
from ..store.layout import MANIFEST, fingerprint
from ..store import index as ix

ROOT = "snapshots"  # inside the store directory, so checkpoints are hard links on the same disk
# replaced by rename (or written once: kg-store.json, the store id the index proves itself with),
# never rewritten in place: safe to hard-link
LINKED = (ix.FILE, "counts.json", "kg-store.json")


class Snapshot:
    """One published state of the store: a directory that opens as a read-only kg store."""

    def __init__(self, path: Path, token: str) -> None:
        self.path, self.token = path, token
        self.users = 0
        self.retired = False
        self._store: Store | None = None
        self._memo: dict = {}
        self._memo_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._local = threading.local()  # each thread's connection to the read index
        self.responses = Responses()

    def store(self) -> Store:
        """The snapshot opened as a :class:`Store`, shared by all requests on it."""
        with self._lock:
            if self._store is None:
                self._store = Store(self.path)
            return self._store

    def index(self) -> ix.Index:
        """This thread's connection to the snapshot's read index (a sqlite connection stays in one
        thread; opening one costs more than most lookups). Do not close it."""
        index = getattr(self._local, "index", None)
        if index is None:
            index = self._local.index = ix.open_index(self.path)
        return index

    def cached(self, key: str, compute):
        """``compute()``, worked out once per snapshot (the snapshot never changes)."""
        with self._lock:
            lock = self._memo_locks.setdefault(key, threading.Lock())
        with lock:  # one request computes, the others wait for its answer
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    def delete(self) -> None:
        if self._store is not None:
            self._store.close()
        shutil.rmtree(self.path, ignore_errors=True)


class Responses:
    """Answers already given on one snapshot, by request; least recently used dropped past ``size`` bytes.

    A snapshot never changes, so the same request gets the same answer for as long as it is served.

    >>> r = Responses(size=40)
    >>> for key in "abcd":
    ...     r.put(key, key.encode() * 10)
    >>> r.get("a")[:3], r.put("e", b"e" * 10), [k for k in "abcde" if r.get(k)]
    (b'aaa', None, ['a', 'c', 'd', 'e'])
    """

    def __init__(self, size: int = 64 << 20) -> None:
        from collections import OrderedDict

        self.size, self.used = size, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        return None

    def put(self, key, body: bytes, *extra) -> None:
        """Keep ``body`` (and ``extra``, returned by :meth:`get` as a tuple with it) under ``key``."""
        with self._lock:
            if key in self._items or len(body) > self.size // 4:
                return
            self._items[key] = ((body, *extra) if extra else body, len(body))
            self.used += len(body)
            while self.used > self.size:
                _, (_, n) = self._items.popitem(last=False)
                self.used -= n


class Snapshots:
    """The snapshots of the store at ``source``; :meth:`use` gives the newest published one."""

    def __init__(self, source: str | Path) -> None:
        self.source = Path(source)
        if not (self.source / DB).exists():
            raise StoreError(f"no kg store at {self.source} (run `kg build` first, or pass --store)")
        # one directory per server: <pid>-<random>, so two apps in one process never share one
        self.root = self.source / ROOT / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        _remove_abandoned(self.source / ROOT)
        self._count = 0
        self._lock = threading.Lock()
        self._publishing = threading.Lock()
        self._current: Snapshot | None = None
        self._current = self._take(wait=LOCK_WAIT)

    def use(self) -> Snapshot:
        """The newest snapshot, held until :meth:`release`; publishes a new one if the store changed."""
        if generation(self.source)[0] != self._current.token and self._publishing.acquire(blocking=False):
            try:
                fresh = self._take(wait=0)
                if fresh is not None:
                    with self._lock:
                        old, self._current = self._current, fresh
                        old.retired = True
                    self._release_if_unused(old)
            finally:
                self._publishing.release()
        with self._lock:
            self._current.users += 1
            return self._current

    def release(self, snap: Snapshot) -> None:
        with self._lock:
            snap.users -= 1
        self._release_if_unused(snap)

    def close(self) -> None:
        """Delete every snapshot of this server."""
        with self._lock:
            self._current.retired = True
        self._release_if_unused(self._current)
        shutil.rmtree(self.root, ignore_errors=True)

    def _release_if_unused(self, snap: Snapshot) -> None:
        with self._lock:
            done = snap.retired and snap.users == 0
        if done:
            snap.delete()

    def _take(self, *, wait: float) -> Snapshot | None:
        """Checkpoint the store under its shared lock; None if a writer still holds it after ``wait`` s."""
        import pyoxigraph as ox

        fd = os.open(self.source / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _lock_shared(fd, wait):
                if wait:
                    raise StoreError(f"store {self.source} is in use by another kg process")
                return None
            token = generation(self.source)[0]
            if self._current is not None and token == self._current.token:
                return None
            proven = sealed(self.source) == fingerprint(self.source)
            self._count += 1
            path = self.root / str(self._count)
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
            try:
                ox.Store.read_only(str(self.source / DB)).backup(str(path / DB))
            except OSError as exc:
                raise StoreError(f"cannot read store {self.source}: {exc}") from None
            for name in LINKED:
                try:
                    os.link(self.source / name, path / name)
                except FileNotFoundError:
                    pass  # no index or count yet: the snapshot makes its own
            # the read index proves itself against the database's sealed fingerprint; a checkpoint
            # has new manifest files, so it gets its own seal — only if the store's still held
            if (self.source / GENERATION).exists():
                shutil.copyfile(self.source / GENERATION, path / GENERATION)
                if proven:
                    seal(path)
        finally:
            os.close(fd)  # closing the descriptor drops the lock
        snap = Snapshot(path, token)
        ix.open_index(path).close()  # a stale index (after an update) is rebuilt in the snapshot
        return snap


def _lock_shared(fd: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def _remove_abandoned(root: Path) -> None:
    """Delete snapshots left by servers that are no longer running."""
    for path in root.glob("*"):
        try:
            os.kill(int(path.name.split("-")[0]), 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass
