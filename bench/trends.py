"""Wall times of the time-axis commands: `kg trends`, `kg new`, `kg diff`, `kg neighbors` on a method.

    python bench/trends.py --store S [--runs 5]

Each command runs as a fresh process (start-up included) on a store whose read index is already
up to date (the first command run brings it up to date and is not timed); prints the median of
--runs runs in ms, then `trends()` in process. For the 100k figure, S is built once from
`python bench/synthetic.py --papers 100000 --out bench/out/synth100k` with
`kg build bench/out/synth100k --store bench/out/store100k` and reused.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KG = [sys.executable, "-m", "kg"]


def wall(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) ms of ``kg args`` as a fresh process; fails loudly if it does.

    CPU time is given because on a shared machine the wall time mostly measures the other jobs.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(KG + args, check=True, capture_output=True)
        walls.append((time.perf_counter() - t) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    store = ["--store", args.store]
    from kg.explore.timeline import digests
    from kg.explore.trends import trends
    from kg.store.index import open_index

    subprocess.run(KG + ["trends"] + store, check=True, capture_output=True)  # brings the read index up to date
    with open_index(args.store) as index:
        dated = sorted({d["date"] for d in digests(index) if d["date"]})
        papers = index.rows("SELECT COUNT(*) FROM types WHERE kind = 'paper'")[0][0]
        hub = trends(index, top=1)["items"][0]["label"]
        t = time.perf_counter()
        for _ in range(args.runs):
            trends(index)
        in_process = (time.perf_counter() - t) * 1000 / args.runs
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ("kg trends (methods, 7d)", ["trends"]),
            ("kg trends --window 30d", ["trends", "--window", "30d"]),
            ("kg trends --type author", ["trends", "--type", "author"]),
            ("kg trends --chart t.png", ["trends", "--chart", str(Path(tmp) / "t.png")]),
            ("kg new (the latest digest)", ["new"]),
            (f"kg new --since {dated[len(dated) // 2]}", ["new", "--since", dated[len(dated) // 2]]),
            (f"kg diff {dated[0]} {dated[-1]}", ["diff", dated[0], dated[-1]]),
            (f"kg neighbors {hub} --type method (first seen, sparkline)", ["neighbors", hub, "--type", "method"]),
            ("kg --help (start-up)", ["--help"]),
        ]
        print(f"{args.store}: {papers:,} papers, {len(dated)} digest dates; median of {args.runs} runs;"
              f" load average {os.getloadavg()[0]:.1f}")
        print("| command | wall ms | CPU ms |\n|---|---:|---:|")
        for name, cmd in cases:
            ms, cpu = wall(cmd + (store if cmd != ["--help"] else []), args.runs)
            print(f"| {name} | {ms:,.0f} | {cpu:,.0f} |")
        print(f"| trends() in process (methods, 7d) | {in_process:,.0f} | |")


if __name__ == "__main__":
    main()
