"""Run a user's SPARQL against the store: read-only unless asked, with a deadline and a memory cap
that hold, and no request to another host unless asked.

pyoxigraph cannot cancel a running query, so a query with a timeout runs in a child process that
is killed at the deadline, with its address space capped (``RLIMIT_AS``): a timeout or a query
that outgrew the cap is reported as such, never as an empty answer. Before anything runs, the
text is read as tokens (:mod:`kg.store.sparql_text`): SERVICE is refused unless allowed, and
brackets nested deeper than Oxigraph's parser can take are refused. Results come back as bytes
in a W3C format (SPARQL JSON results, or N-Triples for graphs) and are re-serialised on request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError, QueryTimeout, StoreError
from ..prefixes import PREFIXES
from ..store.sparql_text import check

MEMORY = 1 << 30  # bytes of address space a query process may use

UPDATE_FORMS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
QUERY_FORMS = {"select", "ask", "construct", "describe"}
RESULT_FORMATS = ("json", "csv", "tsv", "xml")
# Skipped before the query form: blanks, comments, PREFIX and BASE declarations.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:prefix)\s+[\w.\-]*:\s*<[^>]*>|(?i:base)\s*<[^>]*>)*")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Result:
    """A query's answer: ``kind`` is solutions, boolean, graph or update."""

    kind: str
    data: bytes  # SPARQL JSON results (solutions, boolean), N-Triples (graph), empty (update)

    def serialize(self, format: str = "json") -> bytes:
        """Solutions and booleans as json, csv, tsv or xml; graphs as Turtle with kg's prefixes."""
        import pyoxigraph as ox

        if self.kind == "graph":
            triples = ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)
            used = {p: ns for p, ns in PREFIXES.items() if f"<{ns}".encode() in self.data}
            return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""
        if self.kind == "update" or format == "json":
            return self.data
        if format not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {format!r} (one of: {', '.join(RESULT_FORMATS)})")
        parsed = ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=getattr(ox.QueryResultsFormat, format.upper()))

    def table(self) -> tuple[list[str], list[list[str | None]]]:
        """Column names and rows of plain values (prefixed names for kg's IRIs)."""
        import json

        data = json.loads(self.data)
        if "boolean" in data:
            return ["answer"], [["true" if data["boolean"] else "false"]]
        names = data["head"]["vars"]
        return names, [[_plain(row.get(n)) for n in names] for row in data["results"]["bindings"]]


def query_form(text: str) -> str:
    """The first keyword after the prologue, lower-cased: select, ask, …, insert, drop, …

    >>> query_form("PREFIX ex: <http://e/> # hi\\n  DROP ALL")
    'drop'
    """
    rest = text[_PROLOGUE.match(text).end():]
    word = _WORD.match(rest)
    return word.group(0).lower() if word else ""


def sparql(store, text: str, *, timeout: float | None = 30.0, update: bool = False, allow_service: bool = False,
           memory: int = MEMORY) -> Result:
    """Run ``text`` (kg's prefixes predeclared) and return its result.

    Raises QueryError for a syntax error (with its line:column), an update without ``update=True``,
    a SERVICE call without ``allow_service`` (no query sends requests to other hosts unless asked),
    brackets nested too deep, or a query still running after ``timeout`` seconds or needing more
    than ``memory`` bytes (None: no deadline and no cap, run in this process).
    Updates need a store opened with ``write=True``, act on every graph's facts as queries do,
    keep their changes in the curation graph (:mod:`kg.store.curation`) and apply atomically; their
    result's data is ``{"deleted": n, "added": n}`` as JSON.
    """
    form = query_form(text)
    if form in UPDATE_FORMS:
        if not update:
            raise QueryError(f"{form.upper()} changes the store; kg sparql is read-only unless you pass --update")
        if not store.write:
            raise QueryError("an update needs the store opened for writing")
        if store.is_new():
            raise StoreError(f"no kg store at {store.path} to update (run `kg build` first, or pass --store)")
    elif update:
        raise QueryError(f"--update is for INSERT/DELETE/LOAD/CLEAR/DROP…, not {form.upper() or 'this text'}")
    check(text, allow_service=allow_service)
    is_update = form in UPDATE_FORMS
    if timeout is None:  # in this process, on the store's open database
        status, payload = _run(store.db, text, is_update, not store.consolidated)
    else:
        status, payload = _in_child(str(store.db_path), text, store.write, is_update, not store.consolidated,
                                    timeout, memory)
    if is_update:
        store.forget_count()
    if status == "error":
        raise QueryError(payload)
    return Result(status, payload)


def _in_child(db: str, text: str, write: bool, is_update: bool, union: bool, timeout: float,
              memory: int) -> tuple[str, object]:
    import json
    import os
    import subprocess
    import sys

    # A fresh interpreter, not a fork: forking a process that has RocksDB threads (a build, a test
    # session) can leave the child deadlocked on a copied lock. Costs ~40 ms (bench/README.md).
    request = json.dumps({"db": db, "text": text, "write": write, "update": is_update, "union": union,
                          "memory": memory}).encode()
    # two malloc arenas, not one per thread: glibc reserves 64 MB of address space for each
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    child = subprocess.Popen([sys.executable, "-c", "from kg.explore.sparql import _serve; _serve()"], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise QueryTimeout(f"query timed out after {timeout:g} s (raise it with --timeout)") from None
    status, _, payload = out.partition(b"\n")
    if child.returncode != 0 or not status:
        return "error", _failure(child.returncode, err.decode(errors="replace"), memory)
    status = status.decode()
    return status, payload.decode() if status == "error" else payload


def _failure(code: int, err: str, memory: int) -> str:
    """Why the query process died, in one line."""
    import signal

    # Rust's allocator and Python say so; RocksDB's C++ aborts when it cannot get memory for a thread
    if any(sign in err for sign in ("memory allocation of", "MemoryError", "bad_alloc", "Cannot allocate memory",
                                    "Resource temporarily unavailable")):
        return (f"query stopped: it needed more than {memory / 2 ** 20:g} MiB of memory, the cap on a query "
                "(narrow it, or raise the cap with --memory)")
    if code < 0:
        return f"the query process crashed ({signal.Signals(-code).name}) before it could answer"
    return f"the query process failed: {' '.join(err.split()[-20:])}"


def _serve() -> None:
    """The child's side: one request as JSON on stdin, status line and payload on stdout."""
    import json
    import resource
    import sys

    req = json.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_AS, (req["memory"], req["memory"]))
    import pyoxigraph as ox

    try:
        db = ox.Store(req["db"]) if req["write"] else ox.Store.read_only(req["db"])
        status, payload = _run(db, req["text"], req["update"], req["union"])
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        sys.exit(1)
    except (OSError, RuntimeError) as exc:
        status, payload = "error", f"cannot open the store: {' '.join(str(exc).split())}"
    sys.stdout.buffer.write(status.encode() + b"\n" + (payload.encode() if isinstance(payload, str) else payload))
    sys.stdout.flush()


def _run(db, text: str, is_update: bool, union: bool) -> tuple[str, object]:
    import json

    import pyoxigraph as ox

    try:
        if is_update:
            from ..store.curation import edit

            return "update", json.dumps(edit(db, text)).encode()
        result = db.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
        if isinstance(result, ox.QueryBoolean):
            return "boolean", result.serialize(format=ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QuerySolutions):
            return "solutions", result.serialize(format=ox.QueryResultsFormat.JSON)
        return "graph", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        return "error", f"SPARQL syntax error: {' '.join(str(exc).split())}"
    except QueryError as exc:
        return "error", str(exc)
    except (OSError, RuntimeError) as exc:
        # a remote endpoint's reply is not ours to repeat: keep what failed, not what it said
        return "error", f"query failed: {' '.join(str(exc).split(' with payload')[0].split())}"


def _plain(term: dict | None) -> str | None:
    if term is None:
        return None
    value = term["value"]
    if term["type"] == "uri":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):  # for reading only: kgid:method/grpo is not valid Turtle
                return f"{prefix}:{value[len(ns):]}"
    return value
