"""The persistent store: a directory holding an Oxigraph database, one named graph per digest.

Writes are atomic: a build adds all its quads in one step (a transaction, or the bulk loader's
files ingested at once), or (for a first build, one
that replaces digests read by an older parser, or one into a store with curated deletions)
writes a new database beside the old one and swaps directories. A lock file lets many readers
or one writer in. The directory's files and their checks are in :mod:`.layout`.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import itertools
import json
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..prefixes import PREFIXES  # rdflib-free, so read-only commands start fast
from . import consolidated, curation, layout
from .generation import new_generation, seal, sealed_tables
from .layout import DB

DEFAULT = ".kg"
COUNTS = "counts.json"
LOCK_WAIT = 30.0
# pyoxigraph 0.5's bulk loader (lib/oxigraph/src/storage/rocksdb.rs) writes each batch of
# 1,000,000 quads to sorted files (``bulk-*.sst`` in the database directory) that RocksDB ingests
# in one IngestExternalFiles call, atomic across its column families; an addition in place of up to
# half a batch (its default-graph copies counted) is written so, at half the cost of a transaction,
# larger ones in one transaction. pyproject.toml holds pyoxigraph below 0.6 for it.
INGESTED_AT_ONCE = 500_000
# bulk_load calls a fresh database's loader thread may hold: a chunk and its default-graph copy
LOADS_AHEAD = 2
NO_STORE = "no kg store at {} (run `kg build` first, or pass --store)"


def default_path() -> Path:
    """The store directory: ``$KG_STORE`` or ``.kg`` in the current directory."""
    return Path(os.environ.get("KG_STORE", DEFAULT))


class Store:
    """An open kg store. Use as a context manager; ``write=True`` takes the writer's lock.

    Opening checks the directory first: a damaged store raises StoreError saying what is wrong
    and what to do, and is never replaced by a fresh database. A writer undoes what a killed
    build left (a half-done swap, temporary files) and upgrades an older schema; a reader puts
    back a half-done swap too, and works on a read-only store.
    """

    def __init__(self, path: str | Path | None = None, *, write: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.write = write
        self._db: ox.Store | None = None
        self._ahead = None  # the database being opened in a thread (open_ahead)
        self._pending = None  # a write running in a thread (add)
        self._dir = self.path / DB
        self._lock_fd: int | None = None
        self._sealed = False  # a writer seals the database's fingerprint when it closes
        layout.check_directory(self.path)
        if not write and not self.path.is_dir():
            raise StoreError(NO_STORE.format(self.path))
        try:
            if write:
                self.path.mkdir(parents=True, exist_ok=True)
            self._lock_fd = _lock_file(self.path, write)
            self._lock(fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            self._recover() if write else self._put_back()
            layout.fail_if_damaged(self.path, sealed_tables(self.path))
            self.manifest = layout.manifest(self.path)
            if write:
                if self._dir.exists():
                    _probe(self.path, self._dir)  # a database that cannot be read is not written to
                    self.manifest = layout.upgrade(self.path)
                    if not self.consolidated:
                        consolidated.fill(self.db)
                        self.manifest = layout.set_schema(self.path, consolidated.SCHEMA, "gave it one consolidated "
                                                          "default graph")
                new_generation(self.path)  # whatever this writer does, derived read indexes are now stale
                self._sealed = True
            elif not self._dir.is_dir():
                raise StoreError(NO_STORE.format(self.path))
        except OSError as exc:
            self.close()
            raise StoreError(_os_error(self.path, exc, write)) from None
        except BaseException:
            self.close()
            raise

    def _lock(self, mode: int) -> None:
        deadline = time.monotonic() + LOCK_WAIT
        while self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"store {self.path} is in use by another kg process") from None
                time.sleep(0.05)

    def _recover(self) -> None:
        """Undo a directory swap a killed build left half done; remove its temporary files."""
        old = self.path / f"{DB}.old"
        if not self._dir.exists() and old.exists():
            old.rename(self._dir)
        for pattern in layout.LEFTOVERS:
            for stale in self.path.glob(pattern):
                shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        if old.exists():
            shutil.rmtree(old)

    def _put_back(self) -> None:
        """As a reader: put back the database a killed swap left aside, or read it where it is."""
        old = self.path / f"{DB}.old"
        if self._dir.exists() or not old.is_dir():
            return
        try:
            old.rename(self._dir)  # this reader's lock means no writer is running
        except FileNotFoundError:
            pass  # another reader put it back first
        except OSError:
            self._dir = old  # a read-only store: read it where it is

    def open_ahead(self) -> None:
        """Start opening a reader's database in a thread, so work on the read index overlaps it
        (RocksDB opens without holding the GIL); :attr:`db` waits for it."""
        if self._db is None and self._ahead is None and not self.write and self._dir.is_dir():
            pool = ThreadPoolExecutor(1)
            self._ahead = pool.submit(ox.Store.read_only, str(self._dir))
            pool.shutdown(wait=False)

    @property
    def db(self) -> ox.Store:
        """The underlying pyoxigraph store (opened on first use)."""
        if self._db is None and self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            try:
                self._db = ahead.result()
            except (OSError, RuntimeError) as exc:
                raise StoreError(_damaged(self.path, exc)) from None
        if self._db is None:
            new = not self._dir.exists()
            try:
                self._db = ox.Store(str(self._dir)) if self.write else ox.Store.read_only(str(self._dir))
            except (OSError, RuntimeError) as exc:
                raise StoreError(_damaged(self.path, exc)) from None
            if new:
                self.manifest = layout.create_manifest(self.path)
        return self._db

    @property
    def db_path(self) -> Path:
        """The database directory: ``<store>/oxigraph``, or where a reader found it after a killed swap."""
        return self._dir

    def is_new(self) -> bool:
        """True while no database was ever written here."""
        return not self._dir.exists()

    def close(self) -> None:
        """Close the database and release the lock (a writer seals its fingerprint first)."""
        for running in (self._ahead, self._pending):
            if running is not None:
                running.exception()  # wait for it (its error, if any, was the caller's to read)
        self._ahead = self._pending = None
        held, self._db = [self._db], None
        _free(held)
        if self._sealed:
            self._sealed = False
            try:
                seal(self.path)
            except OSError:
                pass  # e.g. a full disk: readers then find no seal and rebuild their index
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- reading -------------------------------------------------------------------------
    @property
    def consolidated(self) -> bool:
        """True if the default graph holds the union of the digest graphs (:mod:`.consolidated`)."""
        return self.manifest.schema >= consolidated.SCHEMA

    def is_empty(self) -> bool:
        return self.is_new() or not any(True for _ in self.db.named_graphs())

    def query(self, sparql: str, *, substitutions: dict | None = None):
        """Run SPARQL over every digest's facts (the consolidated default graph, or the union of the
        digest graphs in a store written before it), with kg's prefixes predeclared."""
        try:
            return self.db.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=not self.consolidated,
                substitutions={ox.Variable(k): v for k, v in (substitutions or {}).items()} or None,
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_one_line(exc)}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(_damaged(self.path, exc)) from None

    def select(self, sparql: str, **bindings) -> list[dict]:
        """Rows of a SELECT as dicts of Python values (IRIs and literals as strings)."""
        subs = {k: v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(str(v)) for k, v in bindings.items()}
        result = self.query(sparql, substitutions=subs)
        names = [v.value for v in result.variables]
        with self.reading():
            return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]

    @contextmanager
    def reading(self):
        """A context in which a damaged database read lazily raises StoreError, not RocksDB's error."""
        try:
            yield
        except (OSError, RuntimeError) as exc:
            raise StoreError(_damaged(self.path, exc)) from None

    def triple_count(self) -> int:
        """Distinct triples in the union of all graphs.

        Counting is a DISTINCT over every quad (16 s at 100k papers), so the figure is kept in
        ``counts.json`` beside the database, keyed by the digests and the curation graph it holds.
        """
        key = self._state_key()
        try:
            saved = json.loads((self.path / COUNTS).read_text())
            if saved["key"] == key:
                return saved["triples"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" if self.consolidated else
                           "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        self._save_count(key, int(rows[0]["n"]))
        return int(rows[0]["n"])

    def _state_key(self) -> str:
        state = [sorted(self.digests().items()), curation.size(self) if not self.is_empty() else 0]
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()

    def _save_count(self, key: str, triples: int) -> None:
        """Keep the count (best effort: a reader on a read-only store just does not)."""
        tmp = self.path / f"{COUNTS}.tmp-{os.getpid()}"
        try:
            tmp.write_text(json.dumps({"key": key, "triples": triples}))
            tmp.replace(self.path / COUNTS)
        except OSError:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)

    def forget_count(self) -> None:
        """Drop the kept triple count (after an edit)."""
        (self.path / COUNTS).unlink(missing_ok=True)

    def _new_triples(self, graphs: list[ox.NamedNode]) -> int:
        """Distinct triples of ``graphs`` found in no other graph (an index lookup per quad)."""
        if not graphs:
            return 0
        names = [str(g) for g in graphs]  # our own digest IRIs, serialised by pyoxigraph
        # VALUES, not FILTER (?g IN …): Oxigraph binds ?g first only with VALUES (0.8 s, not 55 s)
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {' '.join(names)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({', '.join(names)})) }} }} }}"
        )
        return int(rows[0]["n"])

    def digests(self) -> dict[str, dict]:
        """Ingested digests by graph IRI: name, sha256, parser and extractor versions, entries."""
        if self.is_empty():
            return {}
        rows = self.select(
            "SELECT ?g ?name ?sha ?parser ?extractor ?entries WHERE { GRAPH ?g { ?g a kg:Digest ; rdfs:label ?name ;"
            " kg:sha256 ?sha ; kg:parser ?parser ; kg:extractor ?extractor OPTIONAL { ?g kg:entries ?entries } } }"
        )
        return {r["g"]: r for r in rows}

    def triples(self) -> Iterable[ox.Triple]:
        """Every distinct triple of the digests."""
        return self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def rdflib_graph(self):
        """An rdflib ``Dataset`` view of this store (oxrdflib), union of the digest graphs."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        ds = Dataset(store=OxigraphStore(store=self.db), default_union=True)
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True, replace=True)
        return ds

    # ---- writing -------------------------------------------------------------------------
    def add(self, nquads: Iterable[str], *, replace: Iterable[str] = (), remove: Iterable[ox.Quad] = ()) -> Callable[[], None]:
        """Add N-Quads text atomically, first dropping the named graphs in ``replace`` and the quads in ``remove``.

        ``nquads`` yields chunks of whole lines and may be a generator: a new database reads it
        while it loads, so the whole graph is never held in memory. Lines for a graph already
        stored, with ``remove``, revise that graph in place (the entities graph a build
        recomputes), in one SPARQL update, ``remove`` read after ``nquads`` (a build learns what
        it takes out while it makes its quads). Deletions recorded in the curation graph are
        applied to what is added. If writing fails (a full disk, say), the store is left as it was
        and StoreError says why.

        An addition in place returns once ``nquads`` is read, its one write (see :meth:`_write`)
        running in a thread (the caller brings its read index forward meanwhile); the function returned waits
        for it, raises StoreError if it failed and keeps the new triple count. Call it before
        reading what was added; :meth:`close` waits for the write too.
        """
        if not self.write:
            raise StoreError("store opened read-only")
        if self._pending is not None:
            raise RuntimeError("the store's last write was not waited for (call what add returned first)")
        replace = {ox.NamedNode(g) for g in replace}
        fresh = self.is_empty() or bool(replace)  # the count starts over
        before, graphs = (0, set()) if fresh else (self.triple_count(), set(self.db.named_graphs()))
        with self.writing():
            if fresh or curation.retracts(self.db):
                remove = [q for q in remove if q in self.db]
                self._rebuild(nquads, replace, remove)  # deletions applied before the swap: still atomic
                added = 0 if fresh else self._new_triples([g for g in self.db.named_graphs() if g not in graphs])
                if fresh:
                    self.triple_count()  # count the new database once; kept for the next build
                else:
                    self._keep_count(before + added, remove)
                return lambda: None
            by_graph = _by_graph(nquads)
            remove = [q for q in remove if q in self.db]
            stored = {f"<{g.value}>" for g in graphs} & set(by_graph)
            revised = [q for q in dict.fromkeys(ox.parse("\n".join(f"{t} {g} ." for g in stored for t in by_graph[g]),
                                                         format=ox.RdfFormat.N_QUADS)) if q not in self.db]
            added = _unseen(self.db, itertools.chain(
                ox.parse("\n".join(f"{t} ." for g in by_graph.keys() - stored for t in by_graph[g]),
                         format=ox.RdfFormat.N_TRIPLES), (q.triple for q in revised)))
        pool = ThreadPoolExecutor(1)
        self._pending = pending = pool.submit(self._write, by_graph, remove)
        pool.shutdown(wait=False)

        def written() -> None:
            if self._pending is not pending:
                if self._lock_fd is None:
                    raise StoreError(f"store {self.path} was closed before its write was waited for")
                return  # waited for already
            self._pending = None
            with self.writing():
                pending.result()
            self._keep_count(before + added, remove)
        return written

    def _keep_count(self, triples: int, removed: list[ox.Quad]) -> None:
        """Keep the triple count after a write: ``triples`` less the ``removed`` no graph holds now."""
        lost = sum(not any(True for _ in self.db.quads_for_pattern(r.subject, r.predicate, r.object)) for r in removed)
        self._save_count(self._state_key(), triples - lost)

    @contextmanager
    def writing(self):
        """Make a failed write in the block (a full disk, say) a StoreError: nothing was stored."""
        try:
            yield
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"could not write store {self.path} ({_one_line(exc)}); it is unchanged") from None

    def _write(self, by_graph: dict[str, list[str]], remove: list[ox.Quad]) -> None:
        """Add the triples grouped by graph and take out ``remove`` in one step: files of sorted
        keys ingested at once (pyoxigraph's bulk loader, up to ``INGESTED_AT_ONCE`` quads), a
        transaction for more, or one SPARQL update when there is something to take out."""
        if remove:
            gone: dict[str, list[str]] = {}
            for q in remove:
                gone.setdefault(f"<{q.graph_name.value}>", []).append(str(q.triple))
            added = " . ".join(t for triples in by_graph.values() for t in triples)
            pruned = consolidated.prune(str(q.triple) for q in remove)
            self.db.update(f"DELETE DATA {{ {_data(gone)} }} ; INSERT DATA {{ {_data(by_graph)} {added} }}"
                           + (f" ; {pruned}" if pruned else ""))
        else:
            text = "".join(f"{t} {g} .\n" for g, triples in by_graph.items() for t in triples)
            text += consolidated.default_copy(text)
            if text.count("\n") <= INGESTED_AT_ONCE:
                try:
                    self.db.bulk_load(text, format=ox.RdfFormat.N_QUADS)
                except BaseException:  # a full disk, say: nothing was ingested; its files go
                    for left in self._dir.glob("bulk-*.sst"):
                        left.unlink(missing_ok=True)
                    raise
                return
            self.db.load(text, format=ox.RdfFormat.N_QUADS)
        self.db.flush()

    def _rebuild(self, nquads: Iterable[str], drop: set[ox.NamedNode], remove: list[ox.Quad]) -> None:
        """Write the database anew beside the old one, without the graphs ``drop`` and the quads
        ``remove``, with ``nquads`` added, and swap it in (a write that fails leaves the old one)."""
        new_dir = self.path / f"{DB}.new-{os.getpid()}"
        shutil.rmtree(new_dir, ignore_errors=True)
        new = None
        try:
            # no graph kept: a new database, not a checkpoint whose every graph is dropped quad by quad
            if self._dir.exists() and not set(self.db.named_graphs()) <= drop:
                self.db.backup(str(new_dir))  # a RocksDB checkpoint: hard links, not a copy
                new = ox.Store(str(new_dir))
                consolidated.drop_graphs(new, drop)
                for quad in remove:
                    new.remove(quad)
                    if not consolidated.named_holders(new, quad.triple):
                        new.remove(ox.Quad(*quad.triple, ox.DefaultGraph()))
            else:
                new = ox.Store(str(new_dir))
            _bulk_load(new, nquads)
            curation.reapply(new)
            new.flush()
        except BaseException:
            new = None
            gc.collect()
            shutil.rmtree(new_dir, ignore_errors=True)
            raise
        held, new, self._db = [new, self._db], None, None
        _free(held)
        old = self.path / f"{DB}.old"
        if self._dir.exists():
            self._dir.rename(old)
        new_dir.rename(self._dir)
        shutil.rmtree(old, ignore_errors=True)
        self.manifest = layout.create_manifest(self.path)


def _unseen(db: ox.Store, triples: Iterable[ox.Triple]) -> int:
    """How many distinct ``triples`` the default graph (every named graph's triples) does not
    hold yet: all of a subject's when it has none about that subject, else one lookup each."""
    about: dict = {}
    for t in triples:
        about.setdefault(t.subject, set()).add(t)
    new = 0
    for subject, held in about.items():
        if next(db.quads_for_pattern(subject, None, None, ox.DefaultGraph()), None) is None:
            new += len(held)
        else:
            new += sum(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) not in db for t in held)
    return new


def _by_graph(nquads: Iterable[str]) -> dict[str, list[str]]:
    """N-Quads lines as triples by graph (N-Quads terms); kg writes every quad into a named graph."""
    out: dict[str, list[str]] = {}
    for chunk in nquads:
        for line in chunk.splitlines():
            if line:
                triple, graph, _ = line.rsplit(" ", 2)
                out.setdefault(graph, []).append(triple)
    return out


def _data(groups: dict[str, list[str]]) -> str:
    """SPARQL quad data: triples (N-Triples terms) grouped by graph (an N-Quads term)."""
    return " ".join(f"GRAPH {g} {{ {' . '.join(triples)} }}" for g, triples in groups.items())


def _bulk_load(db: ox.Store, nquads: Iterable[str]) -> None:
    """Bulk-load chunk by chunk in a second thread: each chunk's quads, then their default-graph copy.

    One call per chunk bounds the loader's memory (a single call over 1.6 M quads peaked at
    1.4 GB, per digest 0.3 GB; the quads and their copy in one call, 0.3 GB more at 10k papers),
    and pyoxigraph releases the GIL while it loads, so Python makes the next chunk meanwhile
    (30k papers: 22.7 s -> 15.4 s). The loader may hold ``LOADS_AHEAD`` calls, a chunk and its
    copy, so Python waits for a chunk only once it made the next one (at 100k papers: 349 -> 299 s,
    the peak 1,238 -> 1,325 MiB with that chunk's bytes held meanwhile).
    """
    with ThreadPoolExecutor(1) as pool:
        pending: deque = deque()
        try:
            for chunk in nquads:
                for data in (chunk.encode(), consolidated.default_copy(chunk).encode()):
                    while len(pending) >= LOADS_AHEAD:
                        pending.popleft().result()
                    pending.append(pool.submit(db.bulk_load, data, format=ox.RdfFormat.N_QUADS))
            while pending:
                pending.popleft().result()
        except BaseException:
            for left in pending:
                left.cancel()
            raise


def _free(held: list) -> None:
    """Free the stores in ``held`` now (RocksDB closes its files when its Store is freed): by
    their reference count when nothing else refers to them, else by a garbage collection, which
    costs 40-100 ms once spaCy is loaded (objects a build froze out of collections are let back in first)."""
    # a store only ``held`` refers to is counted three times here: the list, ``x``, the argument
    cycles = any(x is not None and sys.getrefcount(x) > 3 for x in held)
    held.clear()
    if cycles:
        gc.unfreeze()
        gc.collect()


def _probe(path: Path, db: Path) -> None:
    """Raise StoreError if the database at ``db`` does not open (read-only: nothing is written)."""
    try:
        ox.Store.read_only(str(db))
    except (OSError, RuntimeError) as exc:
        raise StoreError(_damaged(path, exc)) from None
    finally:
        gc.collect()


def _lock_file(path: Path, write: bool) -> int | None:
    """The open lock file; a reader of a read-only store without one goes without."""
    lock = path / "lock"
    if lock.is_dir():
        raise StoreError(f"{lock} is a directory, not kg's lock file: remove it (rmdir {lock})")
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if write:
            raise
    try:
        return os.open(lock, os.O_RDONLY)
    except OSError:
        return None  # nothing can write this store either


def _os_error(path: Path, exc: OSError, write: bool) -> str:
    where = exc.filename2 or exc.filename or path
    need = "; kg build and kg sparql --update need to write there" if write else ""
    return f"store {path}: {exc.strerror or _one_line(exc)}: {where}{need}"


def _damaged(path: Path, exc: Exception) -> str:
    """One line for an error RocksDB raised, saying what to do."""
    text = _one_line(exc).replace("Corruption: Corruption:", "Corruption:")
    if "Resource temporarily unavailable" in text or "lock hold" in text:
        return f"store {path} is in use by another process"
    if "No space left" in text:
        return f"store {path}: no space left on the device"
    if "Permission denied" in text:
        return f"cannot read store {path}: permission denied"
    return (f"store {path} is damaged: {text[:300]} — restore it from a backup, or rebuild it into a new "
            f"directory (kg build FILES --store NEW)")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def open_store(path: str | Path | None = None, *, write: bool = False) -> Store:
    """Open the store at ``path`` (default ``$KG_STORE`` or ``.kg``) for reading, or writing."""
    return Store(path, write=write)
