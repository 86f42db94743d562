"""Digest files parsed and their candidates extracted, two files at once when a build reads enough.

Reading a file is pure (its bytes, the layout asked for, the extractor), so a second process can
read some while this one reads others and writes what was read: on two cores a build's parse and
extract run side by side. Each read costs the second process's start once (about 1 s with spaCy)
and its transfer (about a seventh of its reading time), so a machine with no idle core loses by it. Files come back in the order asked, whichever process read them.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import ParseError
from .model import Candidate, Paper
from .parse import ParseResult, parse_file

PARALLEL_BYTES = 1_000_000  # less to read: a second interpreter's start (about 1 s with spaCy) costs more than it saves
AHEAD = 2  # files handed to the second process before they are wanted
STASH = 2  # files this process may read ahead of their turn while the second one is busy

Read = tuple[ParseResult | None, str | None, list[Candidate]]  # the result or a ParseError's text; candidates


def read_file(path: Path, format: str | None, extract: bool) -> Read:
    """One file parsed (None and the error's text when it cannot be) and, when ``extract``, its candidates."""
    try:
        result = parse_file(path, format=format)
    except ParseError as exc:
        return None, str(exc), []
    return result, None, candidates(result) if extract and result.papers else []


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


def read_files(paths: Sequence[Path], format: str | None, extract: bool) -> Iterator[Read]:
    """What each file gives, in the order of ``paths``.

    With extraction and at least PARALLEL_BYTES to read on more than one core, a second process
    reads the next AHEAD files; while the first of them is not back, this one reads the file
    after them (at most STASH ahead of their turn). Whatever the second process does not give
    back (it failed, or died) this one reads.
    """
    if not _worth_a_second_process(paths, extract):
        for path in paths:
            yield read_file(path, format, extract)
        return
    second = _Second()
    try:
        rest = deque(range(len(paths)))
        sent: deque[int] = deque()
        stash: dict[int, Read] = {}
        for i in range(len(paths)):
            while second.alive and rest and len(sent) < AHEAD:
                sent.append(n := rest.popleft())
                second.send(paths[n], format, extract)
            if i in stash:
                yield stash.pop(i)
                continue
            if not sent:  # the second process is gone: the rest is read here, in order
                rest.remove(i)
                yield read_file(paths[i], format, extract)
                continue
            while not second.ready() and rest and len(stash) < STASH:
                m = rest.popleft()
                stash[m] = read_file(paths[m], format, extract)
            sent.popleft()
            read = second.take()
            yield read if read is not None else read_file(paths[i], format, extract)
    finally:
        second.close()


def _worth_a_second_process(paths: Sequence[Path], extract: bool) -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not extract or len(paths) < 2 or cores < 2:
        return False
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
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

    def send(self, path: Path, format: str | None, extract: bool) -> None:
        try:
            pickle.dump((path, format, extract), self.proc.stdin)
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
    """The second process: read each (path, format, extract) that comes in, send back what it
    gives (None when reading raised: the build reads that file itself and reports it)."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops this one
    into, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            path, format, extract = pickle.load(into)
        except EOFError:
            return
        try:
            read = read_file(path, format, extract)
        except Exception:
            read = None
        pickle.dump(read, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    _serve()
