"""parse → extract → rdf → store: what ``kg build`` runs."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from .errors import KGError, StoreError
from .model import Candidate, Entity, Problem
from .reading import Job, Read, read_file

DIGEST_SUFFIXES = {".txt", ".md", ".markdown", ".json", ".jsonl", ".xml", ".rss", ".atom", ".eml", ".html", ".htm"}
Progress = Callable[..., None]  # (stage, done, total, detail="")


@dataclass
class FileReport:
    """What happened to one input file: ``added``, ``replaced``, ``unchanged`` or ``failed``.

    ``papers`` counts distinct ids; ``with_authors``, ``with_abstract`` and ``with_categories``
    how many of them carry those fields (None for a file skipped as unchanged: not read again).
    """

    path: str
    status: str
    format: str | None = None
    entries: int = 0
    papers: int = 0
    with_authors: int | None = None
    with_abstract: int | None = None
    with_categories: int | None = None


@dataclass
class BuildReport:
    """The outcome of a build: per-file status, every problem met, triple counts."""

    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    papers: int = 0
    links: int = 0
    triples_before: int = 0
    triples_after: int = 0

    @property
    def read_anything(self) -> bool:
        return any(f.status != "failed" for f in self.files)


def _format_of(parser: str, formats: dict[str, str]) -> str | None:
    """The format a stored digest was read as when every parser it names is the current one
    (``digest-md.v2+topic-table.v2`` for a file mixing two families), else None."""
    names = [formats.get(part) for part in parser.split("+")]
    return "+".join(names) if all(names) else None


def digest_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively: ``*.txt``, ``*.md``) into a sorted file list."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DIGEST_SUFFIXES
                          and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            out.append(path)
        else:
            raise KGError(f"{path}: no such file or directory")
    return list(dict.fromkeys(out))


def build(paths: Iterable[str | Path], *, store=None, format: str | None = None, strict: bool = False,
          extract: bool = True, progress: Progress | None = None) -> BuildReport:
    """Ingest digest files into the store at ``store`` (a path or an open writable ``Store``).

    Files already ingested with the same parser and extractor are skipped; a file read by an
    older version is replaced. Nothing is written when ``strict`` and any problem was met.

    One pass, streamed: each file is parsed, extracted and made into N-Quads while the store
    loads the file before it, and its records are dropped once written; only its candidates
    (without their evidence) are kept, for the entities graph decided at the end from all of them.
    """
    from .store import Store
    from .store.curation import GRAPH as CURATION
    from .store.entities import GRAPH as ENTITIES
    from .store.hashes import Hashes
    from .store.index import delta as index_delta, discard as discard_index, refresh as refresh_index

    files = digest_files(paths)
    report = BuildReport()
    own = not isinstance(store, Store)
    db = Store(store, write=True) if own else store
    try:
        extractor = _extractor_name() if extract else "none"
        known = db.digests()
        report.triples_before = db.triple_count() if known else 0
        todo = _plan(files, known, Hashes(db.path), format, extract, extractor, report, progress)
        todo = _check(todo, report, format, strict)
        stale = {t.iri for t in todo if t.iri}
        graphs = set() if db.is_empty() else {g.value for g in db.db.named_graphs()}
        # every graph replaced (every digest read again by a new parser or extractor): the store
        # starts over, as if it were empty
        empty = graphs <= stale | {ENTITIES}
        # the read index is brought forward from the quads written here, unless some digests are
        # replaced and others kept, or the store holds edits (whose deletions change what is
        # written): then it is read again from the whole store
        delta = None if not empty and (stale or CURATION in graphs) else index_delta(db, complete=empty)
        revise = delta is not None and not empty  # the entities graph: only what changed
        stream = _Stream(db, todo, stale, format, extractor, delta, revise, set(known), empty, report, progress)
        quads = stream.quads()
        try:
            with db.writing():  # the first file's index rows
                first = next(quads, None)  # None: nothing to write (every file failed, or a no-op)
            # revised in place, the entities graph loses what delta.removed gathers
            written = (db.add(itertools.chain([first], quads), replace=stale | ({ENTITIES} if not revise else set()),
                              remove=delta.removed if revise else ()) if first is not None else lambda: None)
        except BaseException:
            if delta is not None:
                discard_index(delta)  # nothing was stored: nor is the index's share
            raise
        try:
            refresh_index(db, delta=delta, written=written)  # while the store writes, when it writes in place
        except BaseException as exc:
            written()  # the store's own failure comes first: then nothing was stored
            if isinstance(exc, OSError):  # a full disk, say: the index is as it was, so stale, and rebuilt when read
                raise StoreError(f"could not bring the read index of {db.path} up to date ({exc.strerror or exc}); "
                                 "the store holds this build, and the index is rebuilt when next read") from None
            raise
        written()
        stream.record_candidates()
        report.papers, report.links = stream.papers, stream.links
        report.triples_after = db.triple_count() if (first is not None or known) else 0
        if progress and todo:
            progress("store", len(todo), len(todo), f"{stream.papers:,} papers")
        return report
    finally:
        if own:
            db.close()
        _thaw()


@dataclass
class _Todo:
    """A file to read: its SHA-256, the IRI of the digest it replaces (if any), its report line,
    the report lines of later files with the same bytes, and whether the digest it replaces was
    read by this parser as the layout asked for (only the extractor changed: the file is not
    parsed once more to check that it still reads)."""

    path: Path
    sha: str
    iri: str | None
    line: FileReport
    copies: list[FileReport] = field(default_factory=list)
    reads: bool = False


def _plan(files: list[Path], known: dict, hashes, format: str | None, extract: bool, extractor: str,
          report: BuildReport, progress: Progress | None) -> list[_Todo]:
    """The files to read: not ingested yet, or ingested by an older parser or extractor. Every
    file gets its report line here, in order; those of files to read are filled as they are read."""
    from .parse import PARSERS

    by_sha = {row["sha"]: iri for iri, row in known.items()}
    formats = {module.NAME: name for name, module in PARSERS.items()}
    todo: dict[str, _Todo] = {}
    for n, path in enumerate(files, 1):
        if progress:
            progress("read", n, len(files))
        data_sha = _sha256(path, report, hashes)
        if data_sha is None:
            continue
        iri = by_sha.get(data_sha)
        have = known[iri] if iri else None
        read_as = _format_of(have["parser"], formats) if have else None
        if read_as and format in (None, read_as) and (have["extractor"] == extractor or not extract):
            # the same bytes were read by the same parser (and extractor, unless this build
            # skips extraction: --no-extract never strips links a digest already has)
            count = int(have["entries"] or 0)
            report.files.append(FileReport(str(path), "unchanged", read_as, count, count))
            continue
        line = FileReport(str(path), "replaced" if iri else "added")
        report.files.append(line)
        if data_sha in todo:
            line.status = "unchanged"  # the same bytes twice in one build
            todo[data_sha].copies.append(line)
        else:
            todo[data_sha] = _Todo(path, data_sha, iri, line, reads=bool(read_as) and format in (None, read_as))
    hashes.save()
    return list(todo.values())


def _check(todo: list[_Todo], report: BuildReport, format: str | None, strict: bool) -> list[_Todo]:
    """The files to read without those that would replace a stored digest by nothing (a file an
    older parser read and this one cannot: the stored digest stays); with ``strict``, every file
    is read once first, and any problem stops the build before anything is written."""
    problems: list[Problem] = []
    kept = []
    for t in todo:
        if not strict and (not t.iri or t.reads):
            kept.append(t)
            continue
        read = read_file(Job(t.path, t.sha, format, graph=False))
        if _settle(t, report, read):
            problems += read.problems
            kept.append(t)
    if strict and (problems := problems + report.problems):
        raise KGError(f"{len(problems)} problem(s) found; nothing stored (--strict): {problems[0]}")
    return kept


def _settle(t: _Todo, report: BuildReport, read: Read) -> bool:
    """Whether ``t``'s file gave entries; if not, its report lines say failed and its problems are reported."""
    if read.counts[0]:
        return True
    for line in (t.line, *t.copies):
        line.status, line.format = "failed", read.format
    report.problems += read.problems if read.error is None else [_problem(read.error, t.path)]
    return False


class _Stream:
    """The N-Quads of a build, made while the store loads them: each file's digest graph, then
    the entities graph decided from every candidate the store holds after this build."""

    def __init__(self, db, todo: list[_Todo], stale: set[str], format: str | None, extractor: str,
                 delta, revise: bool, known: set[str], empty: bool, report: BuildReport,
                 progress: Progress | None) -> None:
        self.db, self.todo, self.stale, self.format, self.extractor = db, todo, stale, format, extractor
        self.delta, self.revise, self.known, self.report, self.progress = delta, revise, known, report, progress
        self.empty = empty  # the store holds nothing this build keeps
        self.papers, self.links = 0, 0
        self.candidates: list | None = None  # every candidate, once decided from all of them
        self.entities: _Entities | _Revised | None = None
        self.cacheable = True  # False: the store holds retractions, the candidate cache is not kept

    def quads(self) -> Iterator[str]:
        from .store.entities import stored_extractor

        written: set[str] = set()
        kept: list[tuple[str, str, Candidate]] = []  # (candidate IRI, digest graph, slim candidate)
        ids: set[str] = set()  # this build's papers: the links it reports
        rows = self.delta is not None and self.delta.wanted
        for n, t in enumerate(self.todo):
            if self.progress:
                self.progress("store", n, len(self.todo), f"{self.papers:,} papers")
            read = read_file(Job(t.path, t.sha, self.format, self.extractor, rows))
            if not _settle(t, self.report, read):
                if t.iri:  # the digest it replaces is given up already: it must not go for nothing
                    why = read.error or (str(read.problems[0]) if read.problems else "no entries")
                    raise KGError(f"{t.path}: no entries read ({why}), though its digest was read before "
                                  "(built with --format? changed meanwhile?); nothing stored")
                continue
            from .store.quads import digest_iri  # rdflib: only for a build that writes

            self.report.problems += read.problems
            _fill(t.line, read)
            for line in t.copies:
                _fill(line, read, "unchanged")
            written.add(digest_iri(t.sha))
            kept += read.kept
            ids.update(read.ids)
            self.papers += read.counts[0]
            if rows:
                self.delta.feed(read.rows)
            text = read.text
            del read
            yield text
        old = None if self.db.is_empty() else stored_extractor(self.db.db)
        if not (written or self.stale) and (old is None or old == _extractor_name()):
            return  # the entities graph stays as it is
        if self.progress:
            self.progress("entities", 0, 1)
        with _no_collection():
            entities = self.entities = self._entities(kept, written | self.stale, ids, old)
            # what the store adds to a revised entities graph: what changed
            revision = self._revision(entities) if entities is not None and self.revise else None
        if entities is not None:
            self.links = entities.links
            if revision is not None:
                yield revision
            for chunk in () if self.revise else entities.chunks():
                if self.delta is not None:
                    self.delta.feed_text(chunk)
                yield chunk
        if self.progress:
            self.progress("entities", 1, 1)

    def _entities(self, kept: list, gone: set[str], papers: set[str], old: str | None) -> _Entities | _Revised | None:
        """The entities graph decided from every candidate the store holds after this build:
        those of its digests but the ``gone`` ones (from the candidate cache when it can be
        trusted, else read from the store), plus this build's ``kept``; None if there are none
        and no entities graph (``old``: the extractor of the stored one) to replace.

        A store that starts over (every graph replaced) gives no stored candidate. A stored
        graph this extractor decided is revised from the decisions the cache kept:
        only the decisions the added candidates can change are made again. A store with
        retractions is always read (the cache holds candidates as they were extracted, not as
        edited)."""
        from .extract import EXTRACTOR
        from .store import candidate_cache, curation
        from .store.entities import stored_candidates

        empty = self.empty
        self.cacheable = empty or not curation.retracts(self.db.db)
        if self.revise and old == EXTRACTOR and self.cacheable:
            revised = _Revised.of(self.db, self.known, kept, papers)
            if revised is not None:
                return revised
        cached = candidate_cache.load(self.db, self.known) if self.cacheable and not empty else None
        stored = [] if empty else cached.rows if cached is not None else stored_candidates(self.db.db)
        rows = [row for row in stored if row[1] not in gone] + kept
        rows.sort(key=itemgetter(0))
        self.candidates = rows
        if not rows and old is None:
            return None
        entities = _Entities(rows, papers)
        if self.revise and old == EXTRACTOR and cached is not None:
            entities.before = [cached.decided.get(iri) for iri in entities.mentions]
            entities.held = cached.held
            entities.added = kept
        return entities

    def _revision(self, entities: _Entities | _Revised) -> str:
        """What the store adds to a revised entities graph (what it loses goes to the delta)."""
        if isinstance(entities, _Revised):
            return self.delta.change(*entities.changes())
        if entities.before is not None:
            from .store.entities import changes

            return self.delta.change(*changes(entities.mentions, entities.found, entities.before, entities.decisions.linked))
        from .store.entities import GRAPH as ENTITIES
        from .store.index_rows import graph_lines

        return self.delta.replace_graph(lambda: graph_lines(self.db.db, ENTITIES), entities.chunks())

    def record_candidates(self) -> None:
        """Bring the candidate cache up to date with the store as this build left it."""
        from .store import candidate_cache

        if not self.cacheable:
            candidate_cache.discard(self.db)
        elif isinstance(self.entities, _Revised):
            r = self.entities.revision
            candidate_cache.update(self.db, r.refs, r.cands, r.nodes, r.after, r.entities)
        elif isinstance(self.entities, _Entities) and self.entities.held is not None:
            candidate_cache.update(self.db, *self.entities.changed(), self.entities.decisions.entities, every_node=True)
        elif self.candidates is None:
            candidate_cache.keep(self.db)
        else:
            d = self.entities.decisions if self.entities else None  # None: no candidates at all
            candidate_cache.save(self.db, self.candidates, *((d.nodes, d.linked, d.entities) if d else ([], [], {})))


@contextmanager
def _no_collection():
    """No cyclic garbage collection in the block: it makes hundreds of thousands of candidates
    and decisions, none of them garbage, and the collections they set off cost more than making
    them (at 100k papers, reading the candidate cache took 4.8 s with them, 2.2 s without).
    The heap is then kept out of collections (``gc.freeze``) until the build ends: the first
    collection after the block scanned all it made, 0.7 s for a digest naming the store's hubs.
    A heap someone else froze stays as they left it."""
    global _froze
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():
                gc.freeze()
                _froze = True
            gc.enable()


_froze = False  # whether _no_collection froze the heap: build() lets it back into collections


def _thaw() -> None:
    """Let what :func:`_no_collection` froze back into collections (as old objects: no collection at once)."""
    global _froze
    if _froze:
        gc.unfreeze()
        _froze = False


def _fill(line: FileReport, read: Read, status: str | None = None) -> None:
    """A file's report line from what it gave (see :class:`~kg.reading.Read`)."""
    line.status, line.format = status or line.status, read.format
    line.entries, line.papers, line.with_authors, line.with_abstract, line.with_categories = read.counts


def _extractor_name() -> str:
    from .extract import EXTRACTOR

    return EXTRACTOR


class _Entities:
    """The entities graph decided from candidates (``rows`` by IRI, sorted): ``links`` counts
    the paper-entity links of this build's ``papers``."""

    def __init__(self, rows: list[tuple[str, str, Candidate]], papers: set[str]) -> None:
        from .extract import assign

        self.mentions, self.found = [iri for iri, _, _ in rows], [c for _, _, c in rows]
        self.decisions = assign(self.found)
        self.before: list[Entity | None] | None = None  # the stored graph's decisions, when revised from them
        self.held: dict | None = None  # then: the candidate cache's ref, node and link of each stored candidate
        self.added: list = []  # and this build's candidates
        self.links = len({(c.arxiv_id, e.kind, e.key) for c, e in zip(self.found, self.decisions.linked)
                          if e is not None and c.arxiv_id in papers})

    def changed(self) -> tuple[list, list, list, list]:
        """The refs, candidates, nodes and links of the candidates added or decided otherwise than
        the candidate cache holds them (after a decision of everything revising the stored graph)."""
        from .store.candidate_cache import numbered

        new = {id(c): ref for ref, c in numbered(self.added)}
        out: tuple[list, list, list, list] = ([], [], [], [])
        for c, node, e in zip(self.found, self.decisions.nodes, self.decisions.linked):
            ref, *was = self.held.get(id(c)) or (new[id(c)], None, None)
            if was != [node, e is not None]:
                for column, value in zip(out, (ref, c, node, e)):
                    column.append(value)
        return out

    def chunks(self) -> Iterator[str]:
        """The whole graph as N-Quads, chunk by chunk."""
        from .extract import EXTRACTOR
        from .store.entities import nquads

        return nquads(self.mentions, self.found, self.decisions.linked, EXTRACTOR)


# the largest share of the stored candidates an added digest's keys may reach for its decisions
# to be revised; beyond it every entity is decided again (at 100k papers: revising 270,000 of
# 410,000 candidates took 12 s, deciding all again about 4 s)
REVISE_SHARE = 0.1


class _Revised:
    """The stored entities graph revised for the candidates a build adds, from the candidate
    cache: ``links`` counts the paper-entity links of this build's ``papers``."""

    def __init__(self, revision, links: int) -> None:
        self.revision, self.links = revision, links

    @classmethod
    def of(cls, db, known: set[str], kept: list, papers: set[str]) -> _Revised | None:
        """The revision for ``kept`` when the cache can be trusted for the store, else None."""
        from contextlib import closing

        from .extract import revise
        from .store import candidate_cache

        cache = candidate_cache.open_cache(db, known)
        if cache is None:
            return None
        with closing(cache):
            try:
                if cache.share({c.key for _, _, c in kept}) > REVISE_SHARE:
                    return None  # names most papers share: deciding everything again is quicker
                revision = revise(list(candidate_cache.numbered(kept)), cache)
                ids = set(revision.refs)
                outside = [r for r in cache.of_papers(papers) if r.ref not in ids and r.linked]
                held = cache.entities({r.node for r in outside})
            except candidate_cache.Untrusted:
                return None
        pairs = {(c.arxiv_id, e.kind, e.key) for c, e in zip(revision.cands, revision.after) if e is not None}
        pairs |= {(r.cand.arxiv_id, e.kind, e.key) for r in outside if (e := held[r.node]) is not None}
        return cls(revision, sum(paper in papers for paper, _, _ in pairs))

    def changes(self) -> tuple[list[str], list[str]]:
        """The N-Quads lines the entities graph loses and gains."""
        from .store.entities import changes

        r = self.revision
        return changes([ref[0] for ref in r.refs], r.cands, r.before, r.after)


def _sha256(path: Path, report: BuildReport, hashes) -> str | None:
    try:
        return hashes.sha256(path)
    except OSError as exc:
        report.files.append(FileReport(str(path), "failed"))
        report.problems.append(Problem(str(path), 0, f"cannot read: {exc.strerror}"))
        return None


def _problem(message: str, path: Path) -> Problem:
    """A ParseError's ``path:line: message`` text as a Problem."""
    head, _, rest = message.partition(": ")
    file, _, line = head.rpartition(":")
    if file and line.isdigit():
        return Problem(file, int(line), rest)
    return Problem(str(path), 0, message.removeprefix(f"{path}: "))
