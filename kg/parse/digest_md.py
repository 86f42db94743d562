"""Family B: markdown digests with ``### [N] [Title](abs URL)`` entries, ``*authors*`` and labelled fields."""

from __future__ import annotations

import re

from ..model import Paper, Problem, Source, Summary
from .common import arxiv_id, has_cjk, split_urls, urls

NAME = "digest-md.v1"
ENTRY = re.compile(r"^#{2,4}\s+(?:\[(?P<n>\d+)\]\s*)?\[(?P<title>.+)\]\((?P<url>https?://(?:www\.)?arxiv\.org/[^)\s]+)\)\s*$")
SECTION = re.compile(r"^#{1,2}\s+(?P<name>[a-z-]+(?:\.[A-Za-z-]+)?)\s*\[\[Back\]\]")
TOC_ITEM = re.compile(r"^-\s*\[(?P<name>[^\]]+)\]\(#[^)]*\)\s*\[Total:\s*(?P<n>\d+)\]")
DATE = re.compile(r"^#\s+(\d{4}-\d{2}-\d{2})\s*$")
FIELD = re.compile(r"^(?:\*\*)?(?P<label>[A-Z][A-Za-z ;.]*?|TL;DR)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(?P<rest>.*)$")
KINDS = {
    "tl;dr": "tldr", "task": "task", "motivation": "motivation", "method": "method",
    "result": "result", "results": "result", "conclusion": "conclusion",
    "key contributions": "key_contributions", "limitations": "limitations",
}
OTHER = {"main category", "abstract", "keywords", "relevance score", "read time", "comments", "code", "categories"}


def sniff(text: str) -> bool:
    """True when ``text`` has ``### [Title](https://arxiv.org/abs/…)`` entries."""
    return any(ENTRY.match(line) for line in text[:200000].splitlines())


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.splitlines()
    papers, problems = [], []
    section = None
    expected: dict[str, tuple[int, int]] = {}
    counted: dict[str | None, int] = {}
    starts = []
    for i, line in enumerate(lines):
        if m := TOC_ITEM.match(line.strip()):
            expected[m.group("name")] = (int(m.group("n")), i + 1)
        elif m := SECTION.match(line):
            section = m.group("name")
        elif ENTRY.match(line):
            starts.append((i, section))
    for n, (start, section) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        paper, problem = _entry(lines, start, end, section, path, last=n + 1 == len(starts))
        if paper:
            papers.append(paper)
            counted[section] = counted.get(section, 0) + 1
        if problem:
            problems.append(problem)
    for name, (n, line) in expected.items():
        if counted.get(name, 0) < n and not any(p.message.endswith("cut off") for p in problems):
            problems.append(Problem(path, line, f"section {name} lists {n} entries, {counted.get(name, 0)} found"))
    return papers, problems


def _entry(lines, start, end, section, path, *, last):
    head = ENTRY.match(lines[start])
    ident = arxiv_id(head.group("url"))
    if not ident:
        return None, Problem(path, start + 1, f"entry has no arXiv id in {head.group('url')}")
    fields: dict[str, list[str]] = {}
    authors_line = None
    label = None
    closed = False
    for i in range(start + 1, end):
        raw = lines[i]
        line = re.sub(r"^\s*</?(details|summary)>(Details</summary>)?\s*", "", raw).strip()
        closed = closed or raw.strip() == "</details>"
        if SECTION.match(raw) or raw.startswith(("<div", "# ", "## Table", "- [")):
            break
        if raw.strip() == "</details>":
            label = None
        if not line:
            continue
        if authors_line is None and label is None and line.startswith("*") and not line.startswith("**"):
            authors_line = line.strip("*").strip()
            continue
        m = FIELD.match(line)
        if m and (m.group("label").lower() in KINDS or m.group("label").lower() in OTHER):
            label = m.group("label").lower()
            fields[label] = [m.group("rest").strip().rstrip("*").strip()]
        elif label:
            fields[label].append(line)
    if last and not closed and "<details>" in "\n".join(lines[start:end]):
        return None, Problem(path, start + 1, f"entry {ident} is cut off")
    get = lambda key, sep=" ": sep.join(x for x in fields.get(key, []) if x).strip() or None  # noqa: E731
    abstract = get("abstract")
    summaries = []
    for key, kind in KINDS.items():
        text = get(key, "\n" if kind == "key_contributions" else " ")
        if text and not any(s.kind == kind for s in summaries):
            summaries.append(Summary(kind, text, "zh" if has_cjk(text) else "en"))
    primary = get("main category")
    code, project = split_urls(urls(" ".join(filter(None, [abstract, get("comments")]))))
    keywords = tuple(k.strip() for k in (get("keywords") or "").split(",") if k.strip())
    authors = tuple(a.strip() for a in (authors_line or "").split(",") if a.strip())
    paper = Paper(
        arxiv_id=ident,
        title=head.group("title").strip(),
        source=Source(path, start + 1, section, NAME),
        authors=authors,
        categories=tuple(dict.fromkeys(filter(None, [primary, section if section and "." in section else None]))),
        primary_category=primary,
        comments=get("comments"),
        code_urls=code,
        project_urls=project,
        summaries=tuple(summaries),
        abstract_en=abstract if abstract and not has_cjk(abstract[:200]) else None,
        abstract_zh=abstract if abstract and has_cjk(abstract[:200]) else None,
        keywords=keywords,
    )
    return paper, None

