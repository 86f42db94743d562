"""Synthetic arXiv digests in all three families, for the ingest benchmarks.

    python bench/synthetic.py --papers 100000 --out DIR [--seed 1]

Writes files of 300-2,000 entries each, mixing family A (plain-text arXivDaily pages), family B
(markdown with TOC, ``# cs.XX [[Back]]`` sections and ``<details>``) and family C (topic tables,
in two column layouts). Field sizes follow the seeds (titles ~80 chars, English abstracts ~1,300,
Chinese abstracts ~420, 4-5 authors); authors, institutions, methods and benchmarks are reused
with a Zipf skew. Every word and name is made up from syllables; nothing is copied from a real
digest. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

FAMILIES = ("A", "B", "C")
FAMILY_WEIGHTS = (0.3, 0.4, 0.3)
CATEGORIES = ["cs.CV", "cs.LG", "cs.CL", "cs.AI", "cs.RO", "cs.IR", "cs.CR", "cs.SE", "eess.IV", "stat.ML",
              "cs.HC", "cs.NE", "eess.AS", "cs.MA", "math.OC"]
SYLLABLES = ("ka lo mi ren tas vel dor phi nu sel tra gen mor bix lan qu ter sol vin zep cor ath ul en "
             "ri sa po ne fa di gu hor mek tan ble stru ver ion ix al om ur pla cre dyn").split()
EN_GLUE = "the of and to in a for with on by we that is from as are this our which".split()


def zipf_weights(n: int, s: float = 1.05) -> list[float]:
    """Cumulative Zipf weights for ``random.choices(..., cum_weights=...)``."""
    return list(itertools.accumulate(1 / (rank ** s) for rank in range(1, n + 1)))


class Vocab:
    """Made-up English words, CJK text, people, institutions, methods and benchmarks."""

    def __init__(self, rng: random.Random, *, authors: int, methods: int) -> None:
        self.rng = rng
        self.words = sorted({self._word(2, 4) for _ in range(6000)})
        rng.shuffle(self.words)
        self.word_w = zipf_weights(len(self.words), 0.9)
        # common CJK block, Zipf-skewed so the text has a realistic character distribution
        self.han = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA0), 2500)]
        self.han_w = zipf_weights(len(self.han), 0.8)
        first = [self._word(1, 3).capitalize() for _ in range(3000)]
        last = [self._word(1, 3).capitalize() for _ in range(6000)]
        self.people = list(dict.fromkeys(f"{rng.choice(first)} {rng.choice(last)}" for _ in range(authors)))
        self.people_w = zipf_weights(len(self.people))
        self.institutions = [self._institution() for _ in range(max(200, authors // 20))]
        self.inst_w = zipf_weights(len(self.institutions))
        self.methods = list(dict.fromkeys(self._acronym() for _ in range(methods)))
        self.method_w = zipf_weights(len(self.methods))
        self.benchmarks = list(dict.fromkeys(self._word(2, 3).capitalize() + rng.choice(["-Bench", "10K", "QA", "Set", ""])
                                             for _ in range(methods // 2)))
        self.bench_w = zipf_weights(len(self.benchmarks))
        self.topics = list(dict.fromkeys(self.han_text(2, 5) for _ in range(40)))
        self.venues = ["".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=rng.randint(3, 5))) for _ in range(30)]

    def _word(self, lo: int, hi: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(lo, hi)))

    def _acronym(self) -> str:
        core = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(self.rng.randint(3, 5)))
        return core + self.rng.choice(["", "", "-Net", "-LM", "2", "-X"])

    def _institution(self) -> tuple[str, str]:
        rng = self.rng
        uni = f"University of {self._word(2, 3).capitalize()}"
        name = uni if rng.random() < 0.5 else f"{self._word(2, 3).capitalize()} Lab, {uni}"
        return name, self.han_text(4, 10)

    def en(self, n_words: int) -> str:
        """English-like prose of about ``n_words`` words, in sentences."""
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.word_w, k=n_words)
        for i in range(0, n_words, 3):
            words[i] = rng.choice(EN_GLUE)
        out, start = [], 0
        while start < n_words:
            end = min(n_words, start + rng.randint(12, 28))
            sentence = " ".join(words[start:end])
            out.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
        return " ".join(out)

    def han_text(self, lo: int, hi: int) -> str:
        return "".join(self.rng.choices(self.han, cum_weights=self.han_w, k=self.rng.randint(lo, hi)))

    def zh(self, n_chars: int) -> str:
        """Chinese-like prose with full-width punctuation and a few Latin acronyms."""
        rng = self.rng
        out, left = [], n_chars
        while left > 0:
            k = min(left, rng.randint(12, 40))
            out.append(self.han_text(k, k) + rng.choice("，，，。；"))
            left -= k
        return "".join(out)

    def title(self) -> str:
        method = self.method()
        words = " ".join(w.capitalize() for w in self.rng.choices(self.words, cum_weights=self.word_w, k=self.rng.randint(5, 10)))
        return f"{method}: {words}" if self.rng.random() < 0.6 else words

    def authors(self) -> list[str]:
        k = min(40, max(1, int(self.rng.lognormvariate(1.4, 0.6))))
        return list(dict.fromkeys(self.rng.choices(self.people, cum_weights=self.people_w, k=k)))

    def method(self) -> str:
        return self.rng.choices(self.methods, cum_weights=self.method_w)[0]

    def benchmark(self) -> str:
        return self.rng.choices(self.benchmarks, cum_weights=self.bench_w)[0]

    def abstract_en(self) -> str:
        """An English abstract (~1,300 chars) proposing one method and evaluating on benchmarks."""
        rng = self.rng
        parts = [self.en(rng.randint(40, 80)),
                 f"We propose {self.method()}, which builds on {self.method()}.",
                 self.en(rng.randint(40, 90)),
                 f"Experiments on {self.benchmark()} and {self.benchmark()} show gains over {self.method()}.",
                 self.en(rng.randint(10, 30))]
        if rng.random() < 0.15:
            parts.append(f"Code is available at {self.code_url()}.")
        return " ".join(parts)

    def code_url(self) -> str:
        return f"https://github.com/{self._word(2, 3)}/{self._word(2, 4)}"


class Papers:
    """An endless, deterministic stream of paper dicts with unique arXiv ids."""

    def __init__(self, vocab: Vocab, start: int = 0) -> None:
        self.v = vocab
        self.serial = itertools.count(10001 + start)

    def next(self) -> dict:
        v, rng = self.v, self.v.rng
        n = next(self.serial)
        month = 2401 + (n // 90000) % 12
        cats = rng.sample(CATEGORIES, rng.choice((1, 1, 2, 3)))
        comments = None
        if rng.random() < 0.6:
            comments = rng.choice([f"Accepted at {rng.choice(v.venues)} 2026", f"{rng.randint(6, 30)} pages, {rng.randint(1, 9)} figures",
                                   f"{rng.randint(6, 30)} pages. Code: {v.code_url()}"])
        return {
            "id": f"{month}.{n % 90000 + 10000:05d}",
            "date": f"20{month // 100}-{month % 100:02d}-{rng.randint(1, 28):02d}",
            "cats": cats,
            "title": v.title(),
            "title_zh": v.han_text(15, 35),
            "authors": v.authors(),
            "institutions": rng.choices(v.institutions, cum_weights=v.inst_w, k=rng.randint(1, 4)) if rng.random() < 0.3 else [],
            "summary": v.zh(rng.randint(60, 120)),
            "comments": comments,
            "abstract_zh": v.zh(rng.randint(300, 550)),
            "abstract_en": v.abstract_en(),
            "code": v.code_url() if rng.random() < 0.2 else None,
        }


def family_a(papers: list[dict]) -> str:
    out = ["arXivDaily arXiv每日学术速递 周一至周五更新", "重置", f"全部学科分类 {len(papers)}"]
    for p in papers:
        out += [f"{p['id']} {p['date']} {' '.join(p['cats'])}", "", p["title"], "", p["title_zh"], "", ", ".join(p["authors"]), ""]
        if p["institutions"]:
            out += ["发表机构 * " + " ".join(f"{en}({zh})" for en, zh in dict.fromkeys(p["institutions"])), ""]
        out += [f"AI总结 {p['summary']}", ""]
        if p["comments"]:
            out += [f"Comments {p['comments']}", ""]
        out += ["详情", "AI中文摘要", "", p["abstract_zh"], "", "英文摘要", "", p["abstract_en"], ""]
    return "\n".join(out) + "\n"


def family_b(papers: list[dict], vocab: Vocab) -> str:
    sections: dict[str, list[dict]] = {}
    for p in papers:
        sections.setdefault(p["cats"][0], []).append(p)
    out = ["<div id=toc></div>", "", "# Table of Contents", ""]
    out += [f"- [{c}](#{c}) [Total: {len(ps)}]" for c, ps in sections.items()]
    n = 0
    for cat, ps in sections.items():
        out += ["", "", f"<div id='{cat}'></div>", "", f"# {cat} [[Back]](#toc)", ""]
        for p in ps:
            n += 1
            zh = vocab.zh
            out += [f"### [{n}] [{p['title']}](https://arxiv.org/abs/{p['id']})", "*" + ",".join(p["authors"]) + "*", "",
                    f"Main category: {cat}", "", f"TL;DR: {p['summary']}", "", "", "<details>", "  <summary>Details</summary>",
                    f"Motivation: {zh(60)}", "", f"Method: {zh(90)}", "", f"Result: {zh(60)}", "", f"Conclusion: {zh(45)}", "",
                    f"Abstract: {p['abstract_en']}", "", "</details>", "", ""]
    return "\n".join(out) + "\n"


def family_c(papers: list[dict], vocab: Vocab, *, with_authors: bool) -> str:
    rng = vocab.rng
    out = ["---", "layout: default", "---", "", f"## Updated on {papers[0]['date'].replace('-', '.')}",
           "> Usage instructions: [here](./docs/README.md#usage)"]
    per_topic = max(1, len(papers) // rng.randint(3, 8))
    for start in range(0, len(papers), per_topic):
        out += ["", f"## {rng.choice(vocab.topics)}", ""]
        if with_authors:
            out += ["| Publish Date | Title | Authors | PDF | Code |", "|:---------|:-----------------------|:---------|:------|:------|"]
        else:
            out += ["| Publish Date | Title | Code | Abstract |", "|:---------|:-----------------------|:------|:-------------------------------------------------|"]
        for p in papers[start: start + per_topic]:
            code = f"**[link]({p['code']})**" if p["code"] else "null"
            if with_authors:
                out.append(f"|**{p['date']}**|**{p['title']}**|{p['authors'][0]} et.al.|[{p['id']}](http://arxiv.org/abs/{p['id']})|{code}|")
            else:
                out.append(f"|**{p['date']}**|[{p['title']}](http://arxiv.org/abs/{p['id']})|{code}|{p['abstract_zh']}|")
    return "\n".join(out) + "\n"


def generate(papers: int, out: str | Path, *, seed: int = 1, sizes: tuple[int, int] = (300, 2000),
             start: int = 0, vocab_size: int | None = None) -> list[Path]:
    """Write ``papers`` synthetic entries into digest files under ``out``; returns the files.

    ``start`` skips that many arXiv ids (to make a digest of new papers); ``vocab_size`` sets the
    corpus size the author and method pools are drawn for (default ``papers``).
    """
    rng = random.Random(seed)
    size = vocab_size or papers
    vocab = Vocab(rng, authors=max(2000, size // 2), methods=max(500, size // 20))
    stream = Papers(vocab, start)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files, left = [], papers
    for n in itertools.count():
        if left <= 0:
            break
        k = min(left, rng.randint(*sizes))
        left -= k
        batch = [stream.next() for _ in range(k)]
        family = rng.choices(FAMILIES, FAMILY_WEIGHTS)[0]
        if family == "A":
            path, text = out / f"{n:04d}_daily.txt", family_a(batch)
        elif family == "B":
            path, text = out / f"{n:04d}_digest.md", family_b(batch, vocab)
        else:
            path, text = out / f"{n:04d}_topics.md", family_c(batch, vocab, with_authors=rng.random() < 0.4)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-size", type=int, default=300, help="fewest entries per file")
    ap.add_argument("--max-size", type=int, default=2000, help="most entries per file")
    ap.add_argument("--start", type=int, default=0, help="skip this many arXiv ids (new papers for an existing set)")
    args = ap.parse_args()
    files = generate(args.papers, args.out, seed=args.seed, sizes=(args.min_size, args.max_size), start=args.start)
    total = sum(f.stat().st_size for f in files)
    print(f"{args.papers} papers in {len(files)} files, {total / 1e6:.1f} MB under {args.out}")


if __name__ == "__main__":
    main()
