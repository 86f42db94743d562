"""parse → extract → rdf → store: what ``kg build`` runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KGError, ParseError
from .model import Candidate, Digest, Problem
from .parse import ParseResult, parse_file

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
    """
    from .store.curation import GRAPH as CURATION
    from .store.index import delta as index_delta, refresh as refresh_index
    from .store.index_rows import graph_text
    from .parse import PARSERS
    from .store import Store
    from .store.entities import GRAPH as ENTITIES
    from .store.hashes import Hashes

    files = digest_files(paths)
    report = BuildReport()
    own = not isinstance(store, Store)
    db = Store(store, write=True) if own else store
    try:
        extractor = _extractor_name() if extract else "none"
        known = db.digests()
        by_sha = {row["sha"]: iri for iri, row in known.items()}
        hashes = Hashes(db.path)
        report.triples_before = db.triple_count() if known else 0
        parsed: list[tuple[ParseResult, Digest]] = []
        stale: set[str] = set()
        formats = {module.NAME: name for name, module in PARSERS.items()}
        entries = 0
        for n, path in enumerate(files, 1):
            if progress:
                progress("read", n, len(files), f"{entries:,} entries")
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
            try:
                result = parse_file(path, format=format)
            except ParseError as exc:
                report.files.append(FileReport(str(path), "failed"))
                report.problems.append(_problem(str(exc), path))
                continue
            report.problems += result.problems
            entries += len(result.papers)
            digest = Digest(path.name, data_sha, result.parser, extractor, len(result.papers), result.date)
            if not result.papers:
                report.files.append(FileReport(str(path), "failed", result.format))
                continue
            status = "replaced" if iri else "added"
            if iri:
                stale.add(iri)
            if any(d.sha256 == data_sha for _, d in parsed):
                status = "unchanged"
            else:
                parsed.append((result, digest))
            report.files.append(_file_report(str(path), status, result))
        hashes.save()
        if progress:
            progress("read", len(files), len(files), f"{entries:,} entries")
        if strict and report.problems:
            raise KGError(f"{len(report.problems)} problem(s) found; nothing stored (--strict): {report.problems[0]}")
        cands = _candidates(parsed, progress) if extract and parsed else {}
        entities = _entities_graph(db, parsed, cands, stale)
        # the read index is brought forward from the quads written here, unless digests are
        # replaced or the store holds edits (whose deletions change what is written): then it is
        # read again from the whole store
        empty = db.is_empty()
        delta = None if stale or (not empty and any(g.value == CURATION for g in db.db.named_graphs())) \
            else index_delta(db, complete=empty)
        revise = delta is not None and entities is not None and not empty  # the entities graph: only what changed
        if delta is not None and entities is not None:
            changed = delta.replace_graph(graph_text(db.db, ENTITIES) if revise else "", entities.text)
            if revise:
                entities.text = changed

        def all_quads():
            # one digest at a time while the store loads, each digest's records dropped once
            # written: neither the graph nor every parsed record is held to the end
            from .store.quads import nquads  # loads rdflib: only for a build that writes

            while parsed:
                result, digest = parsed.pop(0)
                text = nquads(digest, result.papers, cands.get(digest.sha256, ()))
                if delta is not None:
                    delta.feed_text(text)
                yield text
            if entities is not None:
                yield entities.text

        digests = [digest for _, digest in parsed]
        report.papers = sum(len(result.papers) for result, _ in parsed)
        report.links = entities.links if entities is not None else 0
        if progress:
            progress("store", 0, 1)
        if digests or entities is not None:
            db.add(all_quads(), replace=stale | ({ENTITIES} if entities is not None and not revise else set()),
                   remove=delta.removed if revise else ())
        report.triples_after = db.triple_count() if (digests or known) else 0
        refresh_index(db, delta=delta)
        if progress:
            progress("store", 1, 1)
        return report
    finally:
        if own:
            db.close()


def _file_report(path: str, status: str, result: ParseResult) -> FileReport:
    """A file's line of the report: counts over its distinct papers (the first entry of each id)."""
    papers = list({p.arxiv_id: p for p in reversed(result.papers)}.values())
    return FileReport(
        path, status, result.format, len(result.papers), len(papers),
        with_authors=sum(bool(p.authors) for p in papers),
        with_abstract=sum(bool(p.abstract_en or p.abstract_zh) for p in papers),
        with_categories=sum(bool(p.categories) for p in papers),
    )


def _extractor_name() -> str:
    from .extract import EXTRACTOR

    return EXTRACTOR


def _candidates(parsed: list[tuple[ParseResult, Digest]], progress: Progress | None) -> dict[str, list[Candidate]]:
    """Each digest's candidates, by digest SHA-256, read from that digest's own entries (the
    richest entry of a paper it lists twice): what a digest stores never depends on the others."""
    from .extract import candidates

    entries: list[tuple[str, object]] = []
    for result, digest in parsed:
        best: dict[str, object] = {}
        for paper in result.papers:
            have = best.get(paper.arxiv_id)
            if have is None or _text_size(paper) > _text_size(have):
                best[paper.arxiv_id] = paper
        entries += [(digest.sha256, paper) for _, paper in sorted(best.items())]
    if progress:
        progress("extract", 0, len(entries))
    out: dict[str, list[Candidate]] = {}
    for (sha, _), found in zip(entries, candidates(paper for _, paper in entries)):
        out.setdefault(sha, []).extend(found)
    if progress:
        progress("extract", len(entries), len(entries))
    return out


@dataclass
class _Entities:
    """The entities graph's N-Quads, and how many paper-entity links this build's papers have."""

    text: str
    links: int


def _entities_graph(db, parsed: list[tuple[ParseResult, Digest]], cands: dict[str, list[Candidate]],
                    stale: set[str]) -> _Entities | None:
    """The entities graph decided from every candidate the store holds after this build (its
    digests but the replaced ones, plus this build's), or None when it stays as it is."""
    from .store.entities import nquads as entity_nquads
    from .store.entities import stored_candidates, stored_extractor

    old = None if db.is_empty() else stored_extractor(db.db)
    if not (parsed or stale) and (old is None or old == _extractor_name()):
        return None  # before the imports below (extraction, rdflib): a no-op build stays light
    from .extract import EXTRACTOR, decide
    from .store.quads import candidate_iri, digest_iri

    written = stale | {digest_iri(d.sha256) for _, d in parsed}
    rows = [] if db.is_empty() else stored_candidates(db.db, exclude=written)
    rows += [(candidate_iri(sha, c.arxiv_id, c.key), c) for sha, cs in cands.items() for c in cs]
    if not rows and old is None:
        return None
    rows.sort(key=lambda row: row[0])
    mentions, found = [m for m, _ in rows], [c for _, c in rows]
    decided = decide(found)
    papers = {p.arxiv_id for result, _ in parsed for p in result.papers}
    links = len({(c.arxiv_id, e.kind, e.key) for c, e in zip(found, decided) if e is not None and c.arxiv_id in papers})
    return _Entities(entity_nquads(mentions, found, decided, EXTRACTOR), links)


def _text_size(paper) -> int:
    return sum(len(t) for _, t in paper.texts())


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
