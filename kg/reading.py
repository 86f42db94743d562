"""Digest files read into what a build writes, two files at once when a build reads enough.

Reading a file (parse, extract, its digest graph as N-Quads and the read index's rows for it) is
pure: its bytes, the layout asked for and the extractor decide it. So a second process can read
some files while this one reads others and stores what was read: on two cores a build's reading
runs side by side with itself and with the store's loading. Files come back in the order asked,
whichever process read them. The second process costs its start once (about 1 s with spaCy) and
each file's transfer, so a machine with no idle core loses by it.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ParseError
from .model import Candidate, Digest, Paper, Problem
from .parse import ParseResult, parse_file

PARALLEL_BYTES = 1_000_000  # less to read: a second interpreter's start costs more than it saves
AHEAD = 2  # files handed to the second process before they are wanted
STASH = 2  # files this process may read ahead of their turn while the second one is busy


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


def read_files(jobs: Sequence[Job]) -> Iterator[Read]:
    """What each file gives, in the order of ``jobs``.

    With extraction and at least PARALLEL_BYTES to read on more than one core, a second process
    reads the next AHEAD files; while the first of them is not back, this one reads the file
    after them (at most STASH ahead of their turn). Whatever the second process does not give
    back (it failed, or died) this one reads.
    """
    if not _worth_a_second_process(jobs):
        for job in jobs:
            yield read_file(job)
        return
    second = _Second()
    try:
        rest = deque(range(len(jobs)))
        sent: deque[int] = deque()
        stash: dict[int, Read] = {}
        for i in range(len(jobs)):
            while second.alive and rest and len(sent) < AHEAD:
                sent.append(n := rest.popleft())
                second.send(jobs[n])
            if i in stash:
                yield stash.pop(i)
                continue
            if not sent:  # the second process is gone: the rest is read here, in order
                rest.remove(i)
                yield read_file(jobs[i])
                continue
            while not second.ready() and rest and len(stash) < STASH:
                m = rest.popleft()
                stash[m] = read_file(jobs[m])
            sent.popleft()
            read = second.take()
            yield read if read is not None else read_file(jobs[i])
    finally:
        second.close()


def _worth_a_second_process(jobs: Sequence[Job]) -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if len(jobs) < 2 or cores < 2 or all(job.extractor == "none" for job in jobs):
        return False
    size = 0
    for job in jobs:
        try:
            size += job.path.stat().st_size
        except OSError:
            pass
    return size >= PARALLEL_BYTES


class _Second:
    """A second interpreter (``python -m kg.reading``) reading the files sent to it, in order;
    a thread gathers what it sends back. A fresh interpreter, not a fork: the store's threads run."""

    command = ("-m", "kg.reading")

    def __init__(self) -> None:
        import queue
        import subprocess
        import sys
        import threading

        import kg

        here = str(Path(kg.__file__).resolve().parent.parent)  # this kg, wherever it was imported from
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH")))))
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        try:
            self.proc = subprocess.Popen([sys.executable, *self.command], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        except OSError:  # no interpreter to start: this process reads every file
            self.proc, self.alive = None, False
            return
        self.alive = True
        threading.Thread(target=self._gather, daemon=True).start()

    def send(self, job: Job) -> None:
        try:
            pickle.dump(job, self.proc.stdin)
            self.proc.stdin.flush()
        except OSError:  # it died: what it was sent comes back as None
            self.alive = False

    def ready(self) -> bool:
        return not self.results.empty()

    def take(self) -> Read | None:
        """The next file's read, in the order sent; None if the second process could not read it."""
        read = self.results.get()
        if read is _GONE:
            self.alive = False
            self.results.put(_GONE)  # every later take answers None too
            return None
        return read

    def _gather(self) -> None:
        try:
            while True:
                self.results.put(pickle.load(self.proc.stdout))
        except Exception:  # end of its output: it stopped
            self.results.put(_GONE)

    def close(self) -> None:
        """Stop the second process (at once: it may be reading a file no one will ask for)."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


_GONE = "gone"


def _serve() -> None:
    """The second process: read each job that comes in, send back what it gives (None when
    reading raised: the build reads that file itself, and reports what it raises)."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops this one
    into, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            job = pickle.load(into)
        except EOFError:
            return
        try:
            read = read_file(job)
        except Exception:
            read = None
        pickle.dump(read, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    from kg.reading import _serve as serve  # this module by its name: what it sends back unpickles as kg.reading's

    serve()
