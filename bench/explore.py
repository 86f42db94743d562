"""Wall times of the explore commands (section "Explore" of bench/README.md).

    python bench/explore.py --seeds-store S [--big-store B] [--runs 5] [--rebuild]

S: a store built from the seeds (`kg build ../shared/seeds --store S`). B: a store built from
`python bench/synthetic.py --papers 100000 --out D` then `kg build D --store B`; its most-used
method stands in for GRPO (synthetic names are made up). Prints the median of --runs runs of
each command as a fresh process, then in-process times of name resolution on its own.
--rebuild also deletes each store's read index (<store>/index.sqlite) once and times the first
command, which rebuilds it from the store.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

KG = [sys.executable, "-m", "kg"]


def wall(args: list[str], runs: int) -> float:
    """Median wall time in ms of running ``kg args`` as a fresh process."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(KG + args, check=False, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def in_process(store: Path, name: str, runs: int) -> float:
    """Median ms of resolving ``name`` on an open index (no process start-up)."""
    from kg.store.index import open_index
    from kg.explore.resolve import resolve

    times = []
    with open_index(store) as index:
        for _ in range(runs):
            t = time.perf_counter()
            resolve(index, name)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def hub(store: Path) -> str:
    out = subprocess.run(KG + ["sparql", "--store", str(store), "--format", "csv",
                               "SELECT ?l WHERE { { SELECT ?m (COUNT(*) AS ?n) WHERE { ?p kg:usesMethod ?m } GROUP BY ?m"
                               " ORDER BY DESC(?n) LIMIT 1 } ?m skos:prefLabel ?l } LIMIT 1"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    return out[1]


def rebuild(store: Path, label: str) -> tuple[str, float]:
    """Delete the store's index and time the command that rebuilds it."""
    (store / "index.sqlite").unlink(missing_ok=True)
    return f"first kg neighbors after the index was deleted: full index rebuild ({label})", wall(
        ["neighbors", "cs.CV", "--store", str(store)], 1)


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
    if a.big_store:
        big = ["--store", str(a.big_store)]
        name = hub(a.big_store)
        if a.rebuild:
            rows.append(rebuild(a.big_store, "100k"))
        author = top_author(big, name)
        rows += [
            (f"kg neighbors {name} (100k, most-used method)", wall(["neighbors", name, *big], a.runs)),
            (f"kg neighbors {name} --depth 2 (100k)", wall(["neighbors", name, "--depth", "2", *big], a.runs)),
            (f"kg neighbors '{author}' (100k, its top author)", wall(["neighbors", author, *big], a.runs)),
            ("kg neighbors cs.CV (100k, a category)", wall(["neighbors", "cs.CV", *big], a.runs)),
            (f"kg neighbors {name[:-1]}, not found + suggestions (100k)", wall(["neighbors", name[:-1], *big], a.runs)),
            (f"kg search {name.lower()} (100k)", wall(["search", name.lower(), *big], a.runs)),
            (f"kg path '{author}' {name} (100k)", wall(["path", author, name, *big], a.runs)),
            ("kg show cs.CV --limit 20 (100k)", wall(["show", "cs.CV", "--limit", "20", *big], a.runs)),
            ("kg stats (100k)", wall(["stats", *big], a.runs)),
            ("kg sparql ASK (100k, child process)", wall(["sparql", "ASK { ?m a kg:Method }", *big], a.runs)),
            (f"resolve {name} in process (100k)", in_process(a.big_store, name, a.runs)),
        ]
    for label, ms in rows:
        print(f"| {label} | {ms:,.1f} ms |" if ms < 10 else f"| {label} | {ms:,.0f} ms |")


if __name__ == "__main__":
    main()
