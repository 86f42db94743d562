"""Start and stop private instances of real SPARQL servers on free loopback ports.

Oxigraph server comes with the ``oxigraph`` package (the test extra); Virtuoso with Debian's
``virtuoso-opensource`` (``scripts/ensure-virtuoso.sh``, run by ``make test``). Each instance
lives in its own temporary directory and is killed when its ``with`` block ends. A server that
cannot start raises RuntimeError with the reason (its log's last lines).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

START_WAIT = 90.0  # seconds; Virtuoso creates its database on first start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server():
    """Yields the query URL of a fresh ``oxigraph serve`` (union default graph, as kg queries expect)."""
    exe = Path(sys.executable).with_name("oxigraph")
    if not exe.exists():
        raise RuntimeError(f"{exe} is missing: pip install 'oxigraph>=0.5' (the test extra)")
    with tempfile.TemporaryDirectory(prefix="kg-oxigraph-") as tmp:
        port = free_port()
        log = Path(tmp, "log.txt")
        with log.open("wb") as out:
            proc = subprocess.Popen([str(exe), "serve", "--location", str(Path(tmp, "db")), "--bind",
                                     f"127.0.0.1:{port}", "--union-default-graph"], stdout=out, stderr=out)
        try:
            url = f"http://127.0.0.1:{port}/query"
            _wait(proc, url, log)
            yield url
        finally:
            _stop(proc)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_server():
    """Yields the SPARQL URL of a private Virtuoso whose SPARQL user may update (GSP and Update)."""
    for exe in ("virtuoso-t", "isql-vt"):
        if shutil.which(exe) is None:
            raise RuntimeError(f"{exe} is missing: run scripts/ensure-virtuoso.sh (Debian's virtuoso-opensource)")
    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-") as tmp:
        sql, http = free_port(), free_port()
        Path(tmp, "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=tmp, sql=sql, http=http), encoding="utf-8")
        log = Path(tmp, "virtuoso.log")
        proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(Path(tmp, "virtuoso.ini"))],
                                cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{http}/sparql"
            _wait(proc, url, log)
            # the fresh database's dba password is "dba"; it listens on loopback only
            grant = subprocess.run(["isql-vt", str(sql), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                                   capture_output=True, text=True, timeout=60)
            if grant.returncode != 0 or "Error" in grant.stdout + grant.stderr:
                raise RuntimeError(f"cannot grant SPARQL_UPDATE: {grant.stdout} {grant.stderr}")
            yield url
        finally:
            _stop(proc)


def _wait(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}: {_tail(log)}")
        try:
            if httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    _stop(proc)
    raise RuntimeError(f"{url}: no answer within {START_WAIT:g} s: {_tail(log)}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-5:])
    except OSError:
        return "(no log)"
