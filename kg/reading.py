"""A digest file read into what a build writes: parse, extract, its digest graph as N-Quads and
the read index's rows for it. Pure: the file's bytes, the layout asked for and the extractor
decide it. (The store's loader thread bulk-loads while the next file is read, so a build already
keeps both cores of a 2-core machine busy; a second reading process measured no faster, see
bench/README.md.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ParseError
from .model import Candidate, Digest, Paper, Problem
from .parse import ParseResult, parse_file


@dataclass(frozen=True)
class Job:
    """A file to read: its path and SHA-256 (which names its digest graph), the layout asked for
    (None: detected), the extractor (``"none"``: no extraction), whether the read index's rows
    are wanted, and whether the digest graph is (False: only parse, to check the file reads)."""

    path: Path
    sha: str
    format: str | None = None
    extractor: str = "none"
    rows: bool = False
    graph: bool = True


@dataclass
class Read:
    """What a file gives a build. ``error``: why it gave nothing (a ParseError's text); ``counts``:
    entries, then distinct papers and how many carry authors, an abstract, categories (the first
    entry of each id); ``text``: its digest graph as N-Quads; ``rows``: the read index's rows of
    that graph; ``kept``: its candidates without their evidence, as (candidate IRI, digest graph,
    candidate)."""

    error: str | None = None
    format: str | None = None
    problems: list[Problem] = field(default_factory=list)
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    ids: list[str] = field(default_factory=list)
    text: str = ""
    rows: object = None
    kept: list[tuple[str, str, Candidate]] = field(default_factory=list)


def read_file(job: Job) -> Read:
    """One file read as ``job`` asks."""
    try:
        result = parse_file(job.path, format=job.format)
    except ParseError as exc:
        return Read(error=str(exc))
    read = Read(format=result.format, problems=result.problems, counts=_counts(result.papers))
    if not result.papers or not job.graph:
        return read
    from .store.candidate_cache import slim
    from .store.index_rows import Rows
    from .store.quads import candidate_iri, digest_iri, nquads

    cands = candidates(result) if job.extractor != "none" else []
    digest = Digest(job.path.name, job.sha, result.parser, job.extractor, len(result.papers), result.date)
    read.text = nquads(digest, result.papers, cands)
    read.rows = Rows().feed_text(read.text).settle() if job.rows else None
    graph = digest_iri(job.sha)
    read.kept = [(candidate_iri(job.sha, c.arxiv_id, c.key), graph, slim(c)) for c in cands]
    read.ids = sorted({p.arxiv_id for p in result.papers})
    return read


def _counts(papers: list[Paper]) -> tuple[int, int, int, int, int]:
    distinct = list({p.arxiv_id: p for p in reversed(papers)}.values())
    return (len(papers), len(distinct), sum(bool(p.authors) for p in distinct),
            sum(bool(p.abstract_en or p.abstract_zh) for p in distinct), sum(bool(p.categories) for p in distinct))


def candidates(result: ParseResult) -> list[Candidate]:
    """A digest's candidates, read from its own entries (the richest entry of a paper it lists
    twice), by paper id: what a digest stores never depends on the others."""
    from .extract import candidates as extract

    best: dict[str, Paper] = {}
    for paper in result.papers:
        have = best.get(paper.arxiv_id)
        if have is None or text_size(paper) > text_size(have):
            best[paper.arxiv_id] = paper
    return [c for found in extract(paper for _, paper in sorted(best.items())) for c in found]


def text_size(paper: Paper) -> int:
    return sum(len(t) for _, t in paper.texts())
