"""A pool of long-lived query processes: the server's SPARQL with deadlines that hold.

pyoxigraph cannot cancel a query, so a query runs in another process that is killed at its
deadline (and replaced). :func:`kg.explore.sparql.sparql` starts a fresh interpreter per query
(an ASK took 1.2 s that way on the loaded bench machine, 8 ms in process); a server keeps
``size`` processes, each with the snapshot it last read open, and sends them one request at a
time over a pipe: a JSON line in, a JSON header line and the payload bytes out.
"""

from __future__ import annotations

import json
import os
import queue
import selectors
import signal
import subprocess
import sys
import threading
import time

from ..errors import KGError, QueryError, QueryTimeout, TooManyResults

START_WAIT = 120.0  # seconds a query process may take to start (imports, on a busy machine)


class QueryPool:
    """``size`` query processes; :meth:`run` sends a query to an idle one."""

    def __init__(self, size: int = 2, *, timeout: float = 30.0, max_rows: int = 100_000, memory: int | None = None) -> None:
        from ..explore.sparql import MEMORY

        self.timeout, self.max_rows, self.memory = timeout, max_rows, memory or MEMORY
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._spawn())

    def run(self, store: str, text: str, format: str = "json") -> tuple[str, bytes]:
        """Answer ``text`` on the kg store directory ``store``: ``(kind, payload in format)``.

        Raises QueryTimeout past the deadline (also when every process stays busy that long),
        TooManyResults past ``max_rows``, QueryError for a bad query.
        """
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query process stayed busy for {self.timeout:g} s; try again later") from None
        try:
            header, payload = worker.ask({"store": store, "text": text, "format": format,
                                          "max_rows": self.max_rows}, self.timeout)
        except QueryTimeout:
            worker = self._replace(worker)
            raise QueryTimeout(f"query timed out after {self.timeout:g} s") from None
        except (QueryError, OSError, ValueError):  # a crashed or garbled process
            code = worker.proc.poll()
            worker = self._replace(worker)
            how = f"ended with {signal.Signals(-code).name}" if code and code < 0 else "failed"
            raise QueryError(f"the query process {how}, most likely past its memory cap of {self.memory >> 20} MiB "
                             "(narrow the query); it has been restarted") from None
        finally:
            self._idle.put(worker)
        if "error" in header:
            error = TooManyResults if header.get("too_many") else QueryError
            raise error(header["error"])
        return header["kind"], payload

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, set()
        for worker in workers:
            worker.stop()

    def _spawn(self) -> _Worker:
        worker = _Worker(self.memory)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        return self._spawn()


class _Worker:
    def __init__(self, memory: int) -> None:
        # as kg.explore.sparql's query process: address space capped, two malloc arenas (not one per thread)
        self.proc = subprocess.Popen([sys.executable, "-c", f"from kg.serve.workers import main; main({memory})"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env={**os.environ, "MALLOC_ARENA_MAX": "2"})
        self._buffer = b""
        self._started = False

    def ask(self, request: dict, timeout: float) -> tuple[dict, bytes]:
        """Send ``request``; the deadline counts from when the process is ready, not from its start."""
        if not self._started:
            if self._read_line(time.monotonic() + START_WAIT) != b"ready":
                raise QueryError("the query process did not start")
            self._started = True
        deadline = time.monotonic() + timeout
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            raise QueryError("the query process is gone") from None
        header = json.loads(self._read_line(deadline))
        return header, self._read(header.get("size", 0), deadline)

    def _fill(self, deadline: float) -> None:
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            if not sel.select(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout("deadline")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise QueryError("the query process ended")
        self._buffer += chunk

    def _read_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _read(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._fill(deadline)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            pipe.close()


def main(memory: int) -> None:
    """The query process: one JSON request per line on stdin, answers on stdout; at most ``memory`` bytes."""
    import resource
    from pathlib import Path

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    from ..store import Store

    store = None
    out = sys.stdout.buffer
    import pyoxigraph  # noqa: F401  (loaded before "ready", so a first query's deadline is its own)

    from ..explore import sparql  # noqa: F401

    out.write(b"ready\n")
    out.flush()
    for line in sys.stdin.buffer:
        req = json.loads(line)
        try:
            if store is None or store.path != Path(req["store"]):
                if store is not None:
                    store.close()
                store = None
                store = Store(req["store"])
            kind, payload = answer(store, req["text"], req["format"], req["max_rows"])
            header = {"kind": kind, "size": len(payload)}
        except TooManyResults as exc:
            header, payload = {"error": str(exc), "too_many": True}, b""
        except KGError as exc:
            header, payload = {"error": str(exc)}, b""
        out.write(json.dumps(header).encode() + b"\n" + payload)
        out.flush()


def answer(store, text: str, format: str, max_rows: int) -> tuple[str, bytes]:
    """Run a read-only query in this process and serialise its result in ``format``.

    Solutions and booleans: json, xml, csv, tsv; graphs: turtle, nt, jsonld.
    """
    import pyoxigraph as ox

    from ..explore.sparql import sparql

    result = sparql(store, text, timeout=None)
    if result.kind == "solutions":
        _cap(sum(1 for _ in ox.parse_query_results(result.data, format=ox.QueryResultsFormat.JSON)), max_rows, "rows")
    elif result.kind == "graph":
        _cap(result.data.count(b"\n"), max_rows, "triples")  # N-Triples: one triple a line
        if format == "nt":
            return result.kind, result.data
        if format == "jsonld":
            triples = ox.parse(result.data, format=ox.RdfFormat.N_TRIPLES)
            return result.kind, ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]"
        return result.kind, result.serialize("turtle")
    return result.kind, result.serialize(format)


def _cap(n: int, max_rows: int, what: str) -> None:
    if n > max_rows:
        raise TooManyResults(f"the answer has {n:,} {what}, more than this server returns ({max_rows:,}); "
                             "add a LIMIT or narrow the query")
