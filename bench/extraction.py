"""Score the method/benchmark extractor against labelled papers, and measure annotator agreement.

Usage:
    python bench/extraction.py                      # dev set: scores and per-item errors
    python bench/extraction.py --heldout FILE       # the second annotator's held-out papers: aggregates only
    python bench/extraction.py --judged FILE [FILE2]  # precision of blind-judged samples, pooled
    python bench/extraction.py --rejudge FILE [FILE2]  # today's items on those papers, with the verdicts they got
    python bench/extraction.py --agreement FILE     # agreement between the two annotators on shared papers
    python bench/extraction.py --sample 50 --seed S --out F  # extracted items of random papers outside every
                                                    # labelled and judged set, to be judged blind

Name-level scoring as EXTRACTION_POLICY.md says: a found item matches an expected one when any
of its names/aliases equals any expected name/alias after normalisation (case-folded, hyphens,
spaces and underscores removed, full-width folded); micro P/R/F1 over methods and benchmarks
together (kinds are not required to agree; kind agreement is reported apart); tolerated names
count neither way; role accuracy on matched items.

Entity-level decisions (kind, label, whether a name is kept) are made from every entry of every
digest file a labelled paper comes from, as a build of those files would make them; each
labelled paper is then scored on the entry of the file it was labelled from.

Held-out labels were written by someone who did not write the rules: this script prints only
aggregate figures for them, never a per-paper error, so they stay unseen by whoever tunes rules.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KGError  # noqa: E402
from kg.extract import candidates, decide, links  # noqa: E402
from kg.parse import parse_file  # noqa: E402

GOLD = ROOT / "tests" / "data" / "extraction_gold.json"
HELDOUT = ROOT / "tests" / "data" / "extraction_heldout.json"
SHARED = ROOT.parent / "shared"
DIRS = (SHARED / "seeds", SHARED / "corpus")
SAMPLE_SEED = 20261202
JUDGED = ROOT / "tests" / "data" / "extraction_blind_judgements*.json"


def norm(name: str) -> str:
    """The policy's normalisation (independent of the extractor's own code)."""
    s = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in s if c not in "-_ \u2010\u2011\u2012\u2013\u2014\t")


def load_labels(path: Path = GOLD) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["papers"]


NOT_DIGESTS = {"SOURCES.md", "MANIFEST.tsv"}


def find_file(name: str, dirs=DIRS) -> Path | None:
    return next((d / name for d in dirs if (d / name).is_file()), None)


def read_files(names: set[str], dirs=DIRS) -> tuple[dict[str, list], list[str]]:
    """Parsed papers of each digest file by name, and the names that could not be read."""
    papers, unreadable = {}, []
    for name in sorted(names):
        path = find_file(name, dirs)
        try:
            if path is None:
                raise KGError(f"{name}: not found")
            papers[name] = parse_file(path).papers
        except KGError:
            unreadable.append(name)
    return papers, unreadable


def links_by_entry(files: dict[str, list]) -> dict[tuple[str, str], list]:
    """Links of every entry of the given files, keyed by (file, arxiv id), decided over all of them."""
    richest: dict[tuple[str, str], object] = {}
    for name, papers in sorted(files.items()):
        for paper in papers:  # a file listing a paper twice: its richest entry, as kg build reads it
            have = richest.get((name, paper.arxiv_id))
            if have is None or size(paper) > size(have):
                richest[(name, paper.arxiv_id)] = paper
    entries = [(name, paper) for (name, _), paper in richest.items()]
    found = candidates(paper for _, paper in entries)
    decided = iter(decide([c for cs in found for c in cs]))
    out: dict[tuple[str, str], list] = {}
    for (name, paper), cs in zip(entries, found):
        out.setdefault((name, paper.arxiv_id), []).extend(links(cs, [next(decided) for _ in cs]))
    return out


def size(paper) -> int:
    return sum(len(t) for _, t in paper.texts())


def items(label: dict) -> list[tuple[dict, str]]:
    return [(it, kind) for kind in ("methods", "benchmarks") for it in label[kind]]


def score(labels: list[dict], found: dict[tuple[str, str], list]) -> dict:
    """Counts, figures and error lists for the given labelled papers."""
    tp = fp = fn = role_ok = kind_ok = 0
    fps: list[tuple[str, str, str]] = []
    fns: list[tuple[str, str, str]] = []
    roles: list[tuple[str, str, str, str]] = []
    kinds: list[tuple[str, str, str, str]] = []
    for g in labels:
        expected = items(g)
        exp_names = [{norm(it["name"]), *map(norm, it["aliases"])} for it, _ in expected]
        tolerated = {norm(t) for t in g["tolerated"]}
        matched = [False] * len(expected)
        for link in found.get((g["file"], g["arxiv_id"]), []):
            names = {norm(link.entity.label), *map(norm, link.entity.aliases)}
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
            if (link.entity.kind + "s") != kind:
                kinds.append((g["arxiv_id"], it["name"], kind[:-1], link.entity.kind))
        for k, m in enumerate(matched):
            if not m:
                fn += 1
                fns.append((g["arxiv_id"], expected[k][0]["name"], expected[k][1][:-1]))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"papers": len(labels), "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
            "role_accuracy": role_ok / tp if tp else 0.0, "kind_accuracy": kind_ok / tp if tp else 0.0,
            "false_positives": fps, "false_negatives": fns, "role_errors": roles, "kind_errors": kinds}


def evaluate(labels: list[dict], dirs=DIRS) -> tuple[dict, list[str]]:
    """Score ``labels`` (papers whose file cannot be read yet are left out, and named)."""
    files, unreadable = read_files({g["file"] for g in labels}, dirs)
    found = links_by_entry(files)
    readable = [g for g in labels if g["file"] in files]
    return score(readable, found), unreadable


def run(split: str = "dev", path: Path = GOLD, dirs=DIRS) -> dict:
    """Scores on one split of a label file (``all`` for every paper in it)."""
    labels = [g for g in load_labels(path) if split == "all" or g["split"] == split]
    result, unreadable = evaluate(labels, dirs)
    result["unreadable_files"] = unreadable
    return result


# ------------------------------------------------------------------ agreement

def agreement(first: list[dict], second: list[dict]) -> dict:
    """Name-level F1 between two annotators on the papers both labelled, and Cohen's kappa on
    the role of the items both found (``first`` plays the reference; F1 is symmetric)."""
    by_id = {(g["file"], g["arxiv_id"]): g for g in first}
    tp = fp = fn = kind_same = 0
    pairs: list[tuple[str, str]] = []
    shared = [g for g in second if (g["file"], g["arxiv_id"]) in by_id]
    for g2 in shared:
        g1 = by_id[(g2["file"], g2["arxiv_id"])]
        tolerated = {norm(t) for t in g1["tolerated"]} | {norm(t) for t in g2["tolerated"]}
        a = [(it, kind, {norm(it["name"]), *map(norm, it["aliases"])}) for it, kind in items(g1)]
        b = [(it, kind, {norm(it["name"]), *map(norm, it["aliases"])}) for it, kind in items(g2)]
        used = [False] * len(a)
        for it, kind, names in b:
            hit = next((k for k, (_, _, n) in enumerate(a) if n & names and not used[k]), None)
            if hit is None:
                fp += not (names & tolerated)
                continue
            used[hit] = True
            tp += 1
            pairs.append((a[hit][0]["role"], it["role"]))
            kind_same += a[hit][1] == kind
        fn += sum(1 for k, u in enumerate(used) if not u and not (a[k][2] & tolerated))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"papers": len(shared), "matched": tp, "only_first": fn, "only_second": fp, "f1": f1,
            "role_kappa": cohen_kappa(pairs), "role_agreement": sum(x == y for x, y in pairs) / len(pairs) if pairs else 0.0,
            "kind_agreement": kind_same / tp if tp else 0.0}


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels given as (first, second) pairs.

    >>> cohen_kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
    0.5
    """
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    first, second = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


# ------------------------------------------------------------------ random sample for blind judging

def sample(n: int, label_files: list[Path], dirs=DIRS, seed: int = SAMPLE_SEED) -> list[dict]:
    """Extracted items of ``n`` random entries outside every labelled set, one file at a time
    in turn, for a judge who reads the entry and the policy (and not the rules)."""
    labelled = {g["arxiv_id"] for path in label_files if path.exists() for g in load_labels(path)}
    labelled |= {p["arxiv_id"] for path in sorted(JUDGED.parent.glob(JUDGED.name))  # and every sample judged before
                 for p in json.loads(path.read_text(encoding="utf-8"))["papers"]}
    names = {p.name for d in dirs if d.is_dir() for p in d.iterdir()} - NOT_DIGESTS
    files, _ = read_files(names, dirs)
    found = links_by_entry(files)
    rng = random.Random(seed)
    pools = {}
    for name, papers in sorted(files.items()):
        ids = sorted({p.arxiv_id for p in papers if p.arxiv_id not in labelled and len(p.texts()) > 1})
        rng.shuffle(ids)
        if ids:
            pools[name] = ids
    out, seen = [], set()
    while len(out) < n and any(pools.values()):
        for name in sorted(pools):
            while pools[name] and pools[name][-1] in seen:
                pools[name].pop()
            if pools[name] and len(out) < n:
                aid = pools[name].pop()
                seen.add(aid)
                links = sorted(found.get((name, aid), []), key=lambda l: (l.entity.kind, l.entity.label))
                out.append({"arxiv_id": aid, "file": name, "items": [
                    {"name": l.entity.label, "kind": l.entity.kind, "role": l.role} for l in links]})
    return out


def judged(paths: list[Path]) -> dict:
    """Precision of blind-judged samples, pooled: correct items over the judged ones (tolerated
    items left out); over names with their kind (a right name with the wrong role counts); and as
    the policy scores the held-out set, by name alone (kind and role apart)."""
    verdicts = Counter(i["verdict"] for path in paths for p in json.loads(path.read_text(encoding="utf-8"))["papers"]
                       for i in p["items"])
    scored = sum(verdicts.values()) - verdicts["tolerated"]
    return {"items": sum(verdicts.values()), **verdicts, "precision": verdicts["correct"] / scored,
            "precision_names": (verdicts["correct"] + verdicts["wrong_role"]) / scored,
            "precision_policy": (verdicts["correct"] + verdicts["wrong_role"] + verdicts["wrong_kind"]) / scored}


def rejudged(paths: list[Path], dirs=DIRS) -> dict:
    """The current extractor's items on a judged sample's papers, each carrying the verdict its
    name was given (a biased figure once the sample was read for error classes): ``same`` holds
    the verdicts that still apply, ``fixed`` the kind or role errors now changed, ``missed`` the
    judge's missed names now found, ``new`` the names nobody judged. Later files add verdicts to
    the papers of earlier ones (a name judged again takes its later verdict)."""
    merged: dict[tuple[str, str], dict] = {}
    for path in paths:
        for p in json.loads(path.read_text(encoding="utf-8"))["papers"]:
            have = merged.setdefault((p["file"], p["arxiv_id"]), {**p, "items": [], "missed": []})
            have["items"] += p["items"]
            have["missed"] += p["missed"]
    papers = list(merged.values())
    files, _ = read_files({p["file"] for p in papers}, dirs)
    found = links_by_entry(files)
    same, fixed, missed, new = Counter(), [], [], []
    for p in papers:
        judged = {norm(i["name"]): i for i in p["items"]}
        # missed names are plain strings in older samples, {"name", "kind", "role"} in newer ones
        wanted = {norm(n["name"] if isinstance(n, dict) else n) for n in p["missed"]}
        for link in found.get((p["file"], p["arxiv_id"]), []):
            names = {norm(link.entity.label), *map(norm, link.entity.aliases)}
            item = next((judged[n] for n in sorted(names) if n in judged), None)
            if item is None:
                (missed if names & wanted else new).append((p["arxiv_id"], link.entity.label))
                continue
            v = item["verdict"]
            changed = (link.entity.kind, link.role) != (item["kind"], item["role"])
            if v in ("wrong_kind", "wrong_role") and changed:
                fixed.append((p["arxiv_id"], link.entity.label))
            elif v == "correct" and changed:
                new.append((p["arxiv_id"], link.entity.label))
            else:
                same[v] += 1
    scored = sum(same.values()) - same["tolerated"]
    right = same["correct"] + len(fixed) + len(missed)
    return {"same": dict(same), "fixed": fixed, "missed": missed, "new": new,
            "precision_judged": same["correct"] / scored if scored else 0.0,
            "precision_if_fixed_right": right / (scored + len(fixed) + len(missed)) if scored else 0.0}


# ------------------------------------------------------------------ output

def line(name: str, r: dict) -> str:
    return (f"{name:10s} papers={r['papers']:3d}  P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}  "
            f"role={r['role_accuracy']:.3f} kind={r['kind_accuracy']:.3f}  (tp={r['tp']} fp={r['fp']} fn={r['fn']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", type=Path, metavar="FILE", help="score the 'heldout' papers of FILE (aggregates only)")
    ap.add_argument("--agreement", type=Path, metavar="FILE", help="agreement of FILE's 'agreement' papers with the gold set")
    ap.add_argument("--sample", type=int, metavar="N", help="write N random unlabelled papers' extracted items")
    ap.add_argument("--out", type=Path, help="where --sample writes its JSON")
    ap.add_argument("--judged", type=Path, nargs="+", metavar="FILE", help="precision of blind-judged samples, pooled")
    ap.add_argument("--rejudge", type=Path, nargs="+", metavar="FILE",
                    help="the current extractor on a judged sample's papers, with the verdicts its names got "
                         "(more files: verdicts judged later for the same papers)")
    ap.add_argument("--seed", type=int, default=SAMPLE_SEED, help="the random seed of --sample")
    ap.add_argument("--errors", type=int, default=20, help="dev errors to list per class")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.rejudge:
        j = rejudged(args.rejudge)
        print(f"rejudged   verdicts still holding: {j['same']}  kind/role fixed: {len(j['fixed'])}  judge's missed "
              f"now found: {len(j['missed'])}  unjudged: {len(j['new'])}\n           precision over the verdicts "
              f"that hold {j['precision_judged']:.3f}; counting fixed and found as right {j['precision_if_fixed_right']:.3f}")
        for aid, name in j["new"]:
            print("  UNJUDGED", aid, name)
    elif args.judged:
        j = judged(args.judged)
        print(f"judged     items={j['items']}  precision={j['precision']:.3f}  names={j['precision_names']:.3f}  "
              f"by name alone (the policy's scoring)={j['precision_policy']:.3f}  "
              + "  ".join(f"{k}={j.get(k, 0)}" for k in ("correct", "wrong_kind", "wrong_role", "tolerated", "incorrect")))
    elif args.agreement:
        second = [g for g in load_labels(args.agreement) if g["split"] == "agreement"]
        a = agreement(load_labels(GOLD), second)
        print(f"agreement  papers={a['papers']}  name F1={a['f1']:.3f} (matched={a['matched']}, only gold={a['only_first']},"
              f" only second={a['only_second']})  role kappa={a['role_kappa']:.3f} (agreement {a['role_agreement']:.3f})"
              f"  kind agreement={a['kind_agreement']:.3f}")
    elif args.heldout:
        r = run("heldout", args.heldout)
        print(line("heldout", r))
        if r["unreadable_files"]:
            print(f"(left out: papers from {len(r['unreadable_files'])} file(s) no reader handles yet)")
    elif args.sample:
        from kg.extract import EXTRACTOR

        rows = sample(args.sample, [GOLD, HELDOUT], seed=args.seed)
        text = json.dumps({"extractor": EXTRACTOR, "seed": args.seed,
                           "note": "extracted items to judge blind against EXTRACTION_POLICY.md: for each item, "
                                   "is it a method or benchmark the entry names (kind and role apart)?",
                           "papers": rows}, ensure_ascii=False, indent=1) + "\n"
        (args.out.write_text(text, encoding="utf-8") if args.out else sys.stdout.write(text))
        print(f"{len(rows)} papers, {sum(len(r['items']) for r in rows)} items", file=sys.stderr)
    else:
        r = run("dev")
        print(line("dev", r))
        print(line("gold-held", run("heldout")))  # the team's own held-out papers: aggregates only
        if r["unreadable_files"]:
            print(f"(left out: papers from {', '.join(r['unreadable_files'])}: no reader yet)")
        print(f"\nfalse positives by kind: {dict(Counter(k for *_, k in r['false_positives']))}")
        for row in r["false_positives"][: args.errors]:
            print("  FP", *row)
        print(f"false negatives by kind: {dict(Counter(k for *_, k in r['false_negatives']))}")
        for row in r["false_negatives"][: args.errors]:
            print("  FN", *row)
        for row in r["role_errors"][: args.errors]:
            print("  ROLE", *row)
        for row in r["kind_errors"][: args.errors]:
            print("  KIND", *row)
    print(f"({time.perf_counter() - t0:.1f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
