"""``kg serve`` under concurrent clients, and ``kg push`` into Oxigraph server (bench/README.md, "Serve").

    python bench/serve.py --seeds-store S [--papers 10000 | --papers 0] [--clients 8] [--seconds 10]
                          [--work DIR] [--push]

Starts ``kg serve`` on a free loopback port for the seeds store S and for a synthetic store of
--papers papers (made by bench/synthetic.py and built with --no-extract into DIR, reused when it
is there), then runs --clients threads, each with its own keep-alive HTTP client, for --seconds
against two requests about authors: ``/api/neighbors?name=AUTHOR`` and a 1-hop SPARQL query
(``SELECT ?p ?o WHERE { <author> ?p ?o }``), first each about a different author (answers the
server has not given yet), then over the 50 busiest (answered from the server's memory after
the first round). Prints queries/s, p50 and p99.
--push also times ``kg push`` of each store into a fresh ``oxigraph serve``, against
``oxigraph load`` of the same N-Quads (``kg export --format nquads``) into an empty directory.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from triplestores import free_port, oxigraph_server  # noqa: E402  (the tests' server starter)

KG = [sys.executable, "-m", "kg"]


def synthetic_store(papers: int, work: Path) -> Path:
    """A store of ``papers`` synthetic papers under ``work``, generated and built once."""
    store, digests = work / f"store{papers}", work / f"synth{papers}"
    if not (store / "oxigraph").exists():
        run([sys.executable, str(HERE / "synthetic.py"), "--papers", str(papers), "--out", str(digests)])
        run(KG + ["build", str(digests), "--store", str(store), "--no-extract"])
    return store


def busiest_authors(store: Path, n: int = 50) -> list[tuple[str, str]]:
    """(IRI, name) of the ``n`` authors with the most papers whose names are unique."""
    from kg.store import Store

    with Store(store) as db:
        rows = db.select("SELECT ?a (MIN(?l) AS ?name) (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:creator ?a ."
                         f" ?a foaf:name ?l }} GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT {2 * n}")
    from collections import Counter

    names = Counter(r["name"] for r in rows)
    return [(r["a"], r["name"]) for r in rows if names[r["name"]] == 1][:n]


class Serve:
    def __init__(self, store: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(KG + ["serve", "--store", str(store), "--port", str(self.port)],
                                     stderr=subprocess.PIPE, text=True)
        self.proc.stderr.readline()
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=5)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("kg serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` and its children (the query processes)."""
    import os

    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def load(url: str, requests: list[dict], clients: int, seconds: float, server: int) -> dict:
    """Run ``clients`` threads for ``seconds``; each sends the requests in turn. Latencies in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        mine, bad = [], 0
        with httpx.Client(base_url=url, timeout=30) as http:
            i = k
            while time.monotonic() < stop:
                req = requests[i % len(requests)]
                i += clients
                t = time.perf_counter()
                r = http.request(**req)
                mine.append((time.perf_counter() - t) * 1000)
                bad += r.status_code != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    cpu = cpu_seconds(server)
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cpu = cpu_seconds(server) - cpu
    latencies.sort()
    return {"requests": len(latencies), "qps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[int(len(latencies) * 0.99) - 1], "errors": errors[0],
            "cpu_ms": cpu * 1000 / max(1, len(latencies))}


def bench_serve(label: str, store: Path, clients: int, seconds: float) -> list[tuple]:
    authors = busiest_authors(store, 20_000)
    server = Serve(store)

    def neighbors(some):
        return [{"method": "GET", "url": "/api/neighbors", "params": {"name": name}} for _, name in some]

    def one_hop(some):
        return [{"method": "GET", "url": "/sparql", "params": {"query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"},
                 "headers": {"Accept": "application/sparql-results+json"}} for iri, _ in some]

    try:
        load(server.url, neighbors(authors[-50:]) + one_hop(authors[-50:]), clients, 2, server.proc.pid)  # start-up, page cache
        rows = []
        for what, make in (("/api/neighbors", neighbors), ("1-hop SPARQL", one_hop)):
            # each request new to the server (answers are kept per snapshot), then 50 repeated
            rows.append((label, f"{what}, distinct", load(server.url, make(authors[:-50]), clients, seconds, server.proc.pid)))
            rows.append((label, f"{what}, 50 repeated", load(server.url, make(authors[:50]), clients, seconds, server.proc.pid)))
        return rows
    finally:
        server.stop()


def bench_push(label: str, store: Path) -> list[tuple]:
    from kg.store import Store

    with Store(store) as db:
        quads = sum(1 for _ in db.db)
    rows = []
    with oxigraph_server() as url:
        state = store / "push-state.json"
        state.unlink(missing_ok=True)  # a fresh server: push everything
        t = time.perf_counter()
        run(KG + ["push", "--endpoint", url, "--store", str(store)])
        rows.append((label, "kg push → oxigraph serve (GSP)", quads, time.perf_counter() - t))
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp, "kg.nq")
        t = time.perf_counter()
        run(KG + ["export", "--format", "nquads", "--output", str(dump), "--store", str(store)])
        rows.append((label, "kg export --format nquads", quads, time.perf_counter() - t))
        t = time.perf_counter()
        run([str(Path(sys.executable).with_name("oxigraph")), "load", "--location", str(Path(tmp, "db")), "--file",
             str(dump)])
        rows.append((label, "oxigraph load of that file", quads, time.perf_counter() - t))
    return rows


def run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds-store", type=Path, required=True)
    ap.add_argument("--papers", type=int, default=10_000, help="synthetic store size (0: seeds only)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--work", type=Path, default=HERE / "out" / "serve")
    ap.add_argument("--push", action="store_true")
    ap.add_argument("--push-only", action="store_true", help="skip the load test")
    a = ap.parse_args()
    stores = [("seeds", a.seeds_store)]
    if a.papers:
        a.work.mkdir(parents=True, exist_ok=True)
        stores.append((f"{a.papers // 1000}k papers", synthetic_store(a.papers, a.work)))
    print("| store | request | requests | queries/s | p50 ms | p99 ms | errors | server CPU ms/request |"
          "\n|---|---|---:|---:|---:|---:|---:|---:|")
    for label, store in stores if not a.push_only else ():
        for label_, what, r in bench_serve(label, store, a.clients, a.seconds):
            print(f"| {label_} | {what} | {r['requests']:,} | {r['qps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
                  f"| {r['errors']} | {r['cpu_ms']:.2f} |", flush=True)
    if a.push or a.push_only:
        print("\n| store | load | quads | s | quads/s |\n|---|---|---:|---:|---:|")
        for label, store in stores:
            for label_, what, quads, s in bench_push(label, store):
                print(f"| {label_} | {what} | {quads:,} | {s:.1f} | {quads / s:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
