"""Score the method/benchmark extractor against the hand-annotated gold set.

Usage: python bench/extraction.py [SEEDS_DIR] [--split dev|heldout|all] [--errors N]

Name-level scoring as EXTRACTION_POLICY.md says: a found item matches an expected one when any
of its names/aliases equals any expected name/alias after normalisation (case-folded, hyphens,
spaces and underscores removed, full-width folded); micro P/R/F1 over methods and benchmarks
together (kinds are not required to agree; kind agreement is reported apart); tolerated names
count neither way; role accuracy on matched items. Also times extraction over all seed files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import extract  # noqa: E402
from kg.parse import parse_file  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extraction_gold.json"


def norm(name: str) -> str:
    """The policy's normalisation (independent of the extractor's own code)."""
    s = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in s if c not in "-_ \u2010\u2011\u2012\u2013\u2014\t")


def load_gold(path: Path = GOLD) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["papers"]


def parse_seeds(seeds: Path, files: set[str]) -> dict[str, list]:
    return {f: parse_file(seeds / f).papers for f in sorted(files)}


def score(gold: list[dict], links_by_paper: dict[str, list]) -> dict:
    """Counts and error lists for the given gold papers."""
    tp = fp = fn = role_ok = kind_ok = 0
    fps: list[tuple[str, str, str]] = []
    fns: list[tuple[str, str, str]] = []
    roles: list[tuple[str, str, str, str]] = []
    for g in gold:
        expected = [(it, kind) for kind in ("methods", "benchmarks") for it in g[kind]]
        exp_names = [{norm(it["name"]), *map(norm, it["aliases"])} for it, _ in expected]
        tolerated = {norm(t) for t in g["tolerated"]}
        matched = [False] * len(expected)
        for link in links_by_paper.get(g["arxiv_id"], []):
            names = {norm(link.entity.label), *map(norm, link.entity.aliases), link.entity.key}
            hit = next((k for k, e in enumerate(exp_names) if names & e and not matched[k]), None)
            if hit is None:
                if any(names & e for e in exp_names) or names & tolerated:
                    continue  # a second spelling of a matched item, or a tolerated name
                fp += 1
                fps.append((g["arxiv_id"], link.entity.label, link.entity.kind))
                continue
            matched[hit] = True
            tp += 1
            it, kind = expected[hit]
            if link.role == it["role"]:
                role_ok += 1
            else:
                roles.append((g["arxiv_id"], it["name"], it["role"], link.role))
            kind_ok += (link.entity.kind + "s") == kind
        for k, m in enumerate(matched):
            if not m:
                fn += 1
                fns.append((g["arxiv_id"], expected[k][0]["name"], expected[k][1][:-1]))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"papers": len(gold), "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
            "role_accuracy": role_ok / tp if tp else 0.0, "kind_accuracy": kind_ok / tp if tp else 0.0,
            "false_positives": fps, "false_negatives": fns, "role_errors": roles}


def run(seeds: Path, split: str = "all") -> dict[str, dict]:
    gold = load_gold()
    by_file = parse_seeds(seeds, {g["file"] for g in gold})
    wanted = {(g["file"], g["arxiv_id"]) for g in gold}
    papers, seen = [], set()
    for f, ps in by_file.items():
        for p in ps:
            if (f, p.arxiv_id) in wanted and p.arxiv_id not in seen:
                seen.add(p.arxiv_id)
                papers.append(p)
    links_by_paper: dict[str, list] = {}
    for link in extract(papers):
        links_by_paper.setdefault(link.arxiv_id, []).append(link)
    out = {}
    for name in ("dev", "heldout", "all"):
        if split in (name, "all"):
            out[name] = score([g for g in gold if name == "all" or g["split"] == name], links_by_paper)
    return out


def timing(seeds: Path) -> dict:
    t0 = time.perf_counter()
    extract([])  # load the pipeline and gazetteer once
    t1 = time.perf_counter()
    papers = [p for f in sorted(seeds.glob("*.txt")) for p in parse_file(f).papers]
    chars = sum(len(t) for p in papers for _, t in p.texts())
    t2 = time.perf_counter()
    links = extract(papers)
    t3 = time.perf_counter()
    return {"load_s": t1 - t0, "papers": len(papers), "chars": chars, "extract_s": t3 - t2,
            "papers_per_s": len(papers) / (t3 - t2), "links": len(links)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", nargs="?", default=None, help="seed digests (default: ../shared/seeds)")
    ap.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    ap.add_argument("--errors", type=int, default=15, help="error examples to list (dev only unless --show-heldout)")
    ap.add_argument("--show-heldout", action="store_true", help="also list held-out errors")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    seeds = Path(args.seeds) if args.seeds else ROOT.parent / "shared" / "seeds"
    results = run(seeds, args.split)
    for name, r in results.items():
        print(f"{name:8s} papers={r['papers']:3d}  P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}  "
              f"role={r['role_accuracy']:.3f} kind={r['kind_accuracy']:.3f}  (tp={r['tp']} fp={r['fp']} fn={r['fn']})")
    for name, r in results.items():
        if name == "all" or (name == "heldout" and not args.show_heldout):
            continue
        print(f"\n[{name}] false positives by kind: {dict(Counter(k for *_, k in r['false_positives']))}")
        for row in r["false_positives"][: args.errors]:
            print("  FP", *row)
        print(f"[{name}] false negatives by kind: {dict(Counter(k for *_, k in r['false_negatives']))}")
        for row in r["false_negatives"][: args.errors]:
            print("  FN", *row)
        for row in r["role_errors"][: args.errors]:
            print("  ROLE", *row)
    if not args.no_timing:
        t = timing(seeds)
        print(f"\ntiming: pipeline load {t['load_s']:.2f}s; {t['papers']} papers ({t['chars'] / 1e6:.2f} M chars) "
              f"extracted in {t['extract_s']:.2f}s = {t['papers_per_s']:.0f} papers/s, {t['links']} links")


if __name__ == "__main__":
    main()
