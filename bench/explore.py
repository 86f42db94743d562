"""Whole-process wall times of the explore commands (section "Explore" of bench/README.md).

    python bench/explore.py --seeds-store S [--big-store B] [--runs 7]

S: a store built from the seeds (`kg build ../shared/seeds --store S`). B: a store built from
`python bench/synthetic.py --papers 100000 --out D` then `kg build D --store B`; its most-used
method stands in for GRPO (synthetic names are made up). Prints the median of --runs runs.
"""

from __future__ import annotations

import argparse
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


def hub(store: Path) -> str:
    out = subprocess.run(KG + ["sparql", "--store", str(store), "--format", "csv",
                               "SELECT ?l WHERE { { SELECT ?m (COUNT(*) AS ?n) WHERE { ?p kg:usesMethod ?m } GROUP BY ?m"
                               " ORDER BY DESC(?n) LIMIT 1 } ?m skos:prefLabel ?l } LIMIT 1"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    return out[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds-store", type=Path, required=True)
    ap.add_argument("--big-store", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    seeds = ["--store", str(a.seeds_store)]
    rows = [
        ("kg --help", wall(["--help"], a.runs)),
        ("kg neighbors GRPO (seeds)", wall(["neighbors", "GRPO", *seeds], a.runs)),
        ("kg neighbors GPRO, not found + suggestions (seeds)", wall(["neighbors", "GPRO", *seeds], a.runs)),
        ("kg show 2506.06006 (seeds)", wall(["show", "2506.06006", *seeds], a.runs)),
        ("kg search 'reinforcement learning' (seeds)", wall(["search", "reinforcement learning", *seeds], a.runs)),
        ("kg path 'Anna Korhonen' GRPO (seeds)", wall(["path", "Anna Korhonen", "GRPO", *seeds], a.runs)),
        ("kg sparql ASK (seeds, child process)", wall(["sparql", "ASK { ?m a kg:Method }", *seeds], a.runs)),
    ]
    if a.big_store:
        big = ["--store", str(a.big_store)]
        name = hub(a.big_store)
        rows.append((f"kg neighbors {name} (100k, most-used method)", wall(["neighbors", name, *big], a.runs)))
        rows.append(("kg sparql ASK (100k, child process)", wall(["sparql", "ASK { ?m a kg:Method }", *big], a.runs)))
    for label, ms in rows:
        print(f"| {label} | {ms:.0f} ms |")


if __name__ == "__main__":
    main()
