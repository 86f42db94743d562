"""Wall and CPU times of the explore commands (section "Explore" of bench/README.md).

    python bench/explore.py --seeds-store S [--big-store B] [--runs 5] [--rebuild]

S: a store built from the seeds (`kg build ../shared/seeds --store S`). B: a store built from
`python bench/synthetic.py --papers 100000 --out D` then `kg build D --store B`; its most-used
method stands in for GRPO (synthetic names are made up), its word in the most texts for a common
word; rows are labelled with B's size (10k, 100k). Prints the median wall and CPU time of --runs
runs of each command as a fresh process (CPU is steadier on a shared machine), in-process times
of name resolution on its own, then what the hub lookups touch on B (texts ranked, edges and
mentions detailed, SQL statements run: flat as B grows; the index sorts and counts under the last
two are not).
--rebuild also deletes each store's read index (<store>/index.sqlite) once and times the first
command, which rebuilds it from the store.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

KG = [sys.executable, "-m", "kg"]
# as on an installed kg, each module is compiled once and its bytecode kept: a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise time compiling every module at every start
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(args: list[str], runs: int, *, warm: bool = True) -> tuple[float, float]:
    """Median wall and CPU (user + system) time in ms of running ``kg args`` as a fresh process
    (``warm``: after one run not timed, which writes the bytecode of the modules it imports)."""
    if warm:
        subprocess.run(KG + args, check=False, capture_output=True, env=ENV)
    times, cpu = [], []
    for _ in range(runs):
        before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(KG + args, check=False, capture_output=True, env=ENV)
        times.append((time.perf_counter() - t) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(times), statistics.median(cpu)


def in_process(store: Path, name: str, runs: int) -> tuple[float, None]:
    """Median ms of resolving ``name`` on an open index (no process start-up)."""
    from kg.store.index import open_index
    from kg.explore.resolve import resolve

    times = []
    with open_index(store) as index:
        for _ in range(runs):
            t = time.perf_counter()
            resolve(index, name)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), None


def hub(store: Path) -> str:
    out = subprocess.run(KG + ["sparql", "--store", str(store), "--format", "csv",
                               "SELECT ?l WHERE { { SELECT ?m (COUNT(*) AS ?n) WHERE { ?p kg:usesMethod ?m } GROUP BY ?m"
                               " ORDER BY DESC(?n) LIMIT 1 } ?m skos:prefLabel ?l } LIMIT 1"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    return out[1]


def size(store: Path) -> str:
    """The store's size as a label: "100k" for 100,000 papers."""
    with sqlite3.connect(f"{(store / 'index.sqlite').resolve().as_uri()}?mode=ro", uri=True) as sql:
        papers = sql.execute("SELECT COUNT(*) FROM nodes WHERE kind = 'paper'").fetchone()[0]
    return f"{round(papers / 1000)}k" if papers >= 1000 else f"{papers} papers"


def common_word(store: Path) -> tuple[str, int, int]:
    """The word in the most texts, how many texts hold it, and how many texts there are."""
    with sqlite3.connect(f"{(store / 'index.sqlite').resolve().as_uri()}?mode=ro", uri=True) as sql:
        sql.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, fts, 'row')")
        word, n = sql.execute("SELECT term, doc FROM temp.words ORDER BY doc DESC, term LIMIT 1").fetchone()
        return word, n, sql.execute("SELECT COUNT(*) FROM texts").fetchone()[0]


def work(store: Path, word: str, name: str, author: str) -> list[str]:
    """What the hub lookups touch on ``store`` and their time in process (median of 5, no start-up)."""
    from kg.explore import search
    from kg.explore.paths import path
    from kg.explore.show import show
    from kg.store import Store
    from kg.store.index import open_index

    def timed(fn):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            out = fn()
            times.append((time.perf_counter() - t) * 1000)
        return out, f"{statistics.median(times):,.0f} ms in process"

    with Store(store) as db:
        (data, cat_ms), (hub, hub_ms) = timed(lambda: show(db, "cs.CV", limit=20)), timed(lambda: show(db, name, limit=20))
    with open_index(store) as index:
        statements: list[str] = []
        index.sql.set_trace_callback(statements.append)
        hits = search.search(index, word)
        searched = len(statements)
        statements.clear()
        steps = path(index, author, name)
        walked = len(statements)
        index.sql.set_trace_callback(None)
        search_ms, path_ms = timed(lambda: search.search(index, word))[1], timed(lambda: path(index, author, name))[1]
    return [f"kg search {word}: {len(hits)} hits from at most {search.WINDOW:,} texts ranked, {searched:,} SQL statements"
            f" (FTS5 reading a length per ranked text included); {search_ms}",
            f"kg show cs.CV --limit 20: {len(data['incoming']['items'])} of {data['incoming']['total']:,} incoming edges"
            f" detailed; {cat_ms}",
            f"kg show {name} --limit 20: {len(hub['incoming']['items'])} of {hub['incoming']['total']:,} incoming edges,"
            f" {len(hub['mentions'])} mentions detailed; {hub_ms}",
            f"kg path: {len(steps)} steps, {walked} SQL statements; {path_ms}"]


def imports(store: Path) -> str:
    """What ``kg stats`` (one row read) spends importing, from ``python -X importtime``: the floor of every lookup."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", "stats", "--store", str(store)],
                         check=True, capture_output=True, text=True).stderr
    took = {}
    for line in err.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            _, total, name = line.split("|")
            if name.strip() in ("site", "typer", "kg.cli", "kg.store.index"):
                took[name.strip()] = int(total) / 1000
    return "kg stats imports: " + ", ".join(f"{name} {ms:,.0f} ms" for name, ms in took.items())


def rebuild(store: Path, label: str) -> tuple[str, tuple[float, float]]:
    """Delete the store's index and time the command that rebuilds it."""
    (store / "index.sqlite").unlink(missing_ok=True)
    return f"first kg neighbors after the index was deleted: full index rebuild ({label})", wall(
        ["neighbors", "cs.CV", "--store", str(store)], 1, warm=False)


def top_author(store: list[str], name: str) -> str:
    """The first author ``kg neighbors`` lists for ``name``'s papers (so no person is named here)."""
    out = subprocess.run(KG + ["neighbors", name, "--relation", "authors", "--limit", "1", "--json", *store],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["groups"][0]["items"][0]["label"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds-store", type=Path, required=True)
    ap.add_argument("--big-store", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    seeds = ["--store", str(a.seeds_store)]
    rows = [rebuild(a.seeds_store, "seeds")] if a.rebuild else []
    rows += [
        ("kg --help", wall(["--help"], a.runs)),
        ("kg neighbors GRPO (seeds)", wall(["neighbors", "GRPO", *seeds], a.runs)),
        ("kg neighbors 2506.06006 --depth 2 (seeds)", wall(["neighbors", "2506.06006", "--depth", "2", *seeds], a.runs)),
        ("kg neighbors GPRO, not found + suggestions (seeds)", wall(["neighbors", "GPRO", *seeds], a.runs)),
        ("kg show 2506.06006 (seeds)", wall(["show", "2506.06006", *seeds], a.runs)),
        ("kg search 'reinforcement learning' (seeds)", wall(["search", "reinforcement learning", *seeds], a.runs)),
        ("kg search 强化学习 (seeds)", wall(["search", "强化学习", *seeds], a.runs)),
        ("kg path <an author of a GRPO paper> GRPO (seeds)", wall(["path", top_author(seeds, "GRPO"), "GRPO", *seeds], a.runs)),
        ("kg stats (seeds)", wall(["stats", *seeds], a.runs)),
        ("kg sparql ASK (seeds, child process)", wall(["sparql", "ASK { ?m a kg:Method }", *seeds], a.runs)),
        ("resolve GRPO in process (seeds)", in_process(a.seeds_store, "GRPO", a.runs)),
    ]
    notes = []
    if a.big_store:
        big = ["--store", str(a.big_store)]
        name, n = hub(a.big_store), size(a.big_store)
        if a.rebuild:
            rows.append(rebuild(a.big_store, n))
        author = top_author(big, name)
        word, holding, texts = common_word(a.big_store)
        paper = json.loads(subprocess.run(KG + ["neighbors", name, "--relation", "used_by", "--limit", "1", "--json", *big],
                                          check=True, capture_output=True, text=True).stdout)["groups"][0]["items"][0]["iri"]
        rows += [
            (f"kg neighbors {name} ({n}, most-used method)", wall(["neighbors", name, *big], a.runs)),
            (f"kg neighbors {name} --depth 2 ({n})", wall(["neighbors", name, "--depth", "2", *big], a.runs)),
            (f"kg neighbors '{author}' ({n}, its top author)", wall(["neighbors", author, *big], a.runs)),
            (f"kg neighbors cs.CV ({n}, a category)", wall(["neighbors", "cs.CV", *big], a.runs)),
            (f"kg neighbors {name[:-1]}, not found + suggestions ({n})", wall(["neighbors", name[:-1], *big], a.runs)),
            (f"kg search {name.lower()} ({n}, a rare word)", wall(["search", name.lower(), *big], a.runs)),
            (f"kg search {word} ({n}, a word in {holding:,} of {texts:,} texts)", wall(["search", word, *big], a.runs)),
            (f"kg path '{author}' {name} ({n})", wall(["path", author, name, *big], a.runs)),
            (f"kg show <a paper using {name}> ({n})", wall(["show", paper, *big], a.runs)),
            (f"kg show cs.CV --limit 20 ({n})", wall(["show", "cs.CV", "--limit", "20", *big], a.runs)),
            (f"kg show {name} --limit 20 ({n})", wall(["show", name, "--limit", "20", *big], a.runs)),
            (f"kg show '{author}' --limit 20 ({n}, its top author)", wall(["show", author, "--limit", "20", *big], a.runs)),
            (f"kg stats ({n})", wall(["stats", *big], a.runs)),
            (f"kg sparql ASK ({n}, child process)", wall(["sparql", "ASK { ?m a kg:Method }", *big], a.runs)),
            (f"resolve {name} in process ({n})", in_process(a.big_store, name, a.runs)),
        ]
        notes = [*work(a.big_store, word, name, author), imports(a.big_store)]
    print("| command | wall | CPU |\n|---|---|---|")
    for label, (ms, cpu) in rows:
        print(f"| {label} | {ms:,.1f} ms | |" if ms < 10 else f"| {label} | {ms:,.0f} ms | {cpu:,.0f} ms |")
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
