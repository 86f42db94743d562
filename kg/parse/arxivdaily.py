"""Family A: the plain-text "arXivDaily" pages (id/date/categories line, titles, authors, AI总结 …)."""

from __future__ import annotations

import re

from ..model import Paper, Problem, Source, Summary
from .common import has_cjk, institutions, split_urls, urls, venue

NAME = "arxivdaily.v1"
HEAD = re.compile(
    r"^(?P<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
    r"\s+(?P<date>\d{4}-\d{2}-\d{2})(?P<cats>(?:\s+[a-z-]+(?:\.[A-Za-z-]+)?)*)(?P<tag>\s+\S*)?\s*$"
)
SIGNATURE = re.compile(r"^(arXivDaily|AI总结|英文摘要|AI中文摘要|发表机构)", re.M)
# arXiv metadata lines ("Journal ref", "DOI", …) may stand between the summary and 详情
LABELS = ("发表机构", "AI总结", "Comments", "Journal ref", "DOI", "Report number", "MSC class", "ACM class", "详情",
          "AI中文摘要", "英文摘要")


def sniff(text: str) -> bool:
    """True when ``text`` looks like an arXivDaily page."""
    return bool(SIGNATURE.search(text[:20000])) and any(
        HEAD.match(line) for line in text[:20000].splitlines()
    )


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if HEAD.match(line.strip())]
    papers, problems = [], []
    if not starts:
        for i, line in enumerate(lines):
            if line.strip() and not line.startswith(("arXivDaily", "重置", "全部学科", "专题追踪")):
                problems.append(Problem(path, i + 1, "entry without an arXiv id line"))
                break
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        paper, problem = _entry(lines, start, end, path, last=n + 1 == len(starts))
        if paper:
            papers.append(paper)
        if problem:
            problems.append(problem)
    return papers, problems


def _entry(lines: list[str], start: int, end: int, path: str, *, last: bool):
    head = HEAD.match(lines[start].strip())
    cats = tuple(head.group("cats").split())
    blocks: list[tuple[int, str]] = [(i, lines[i].strip()) for i in range(start + 1, end) if lines[i].strip()]
    fields: dict[str, str] = {}
    plain: list[str] = []
    label = None
    stray = None
    for i, line in blocks:
        key = next((lab for lab in LABELS if line == lab or line.startswith(lab + " ")), None)
        if key:
            label = key
            fields[key] = line[len(key):].strip().lstrip("*").strip()
        elif label in ("AI中文摘要", "英文摘要") and not fields[label]:
            fields[label] = line  # an abstract is one paragraph
        elif label is None:
            plain.append(line)
        else:
            stray = Problem(path, i + 1, f"text after entry {head.group('id')} belongs to no entry "
                            "(an entry without an arXiv id line?)")
            break
    where = Source(path, start + 1, None, NAME)
    if not plain:
        return None, Problem(path, start + 1, f"entry {head.group('id')} has no title")
    if last and "详情" in fields and not fields.get("英文摘要") and not fields.get("AI中文摘要"):
        return None, Problem(path, start + 1, f"entry {head.group('id')} is cut off (no abstract)")
    title = plain[0]
    rest = plain[1:]
    title_zh = rest.pop(0) if rest and has_cjk(rest[0]) and not _looks_like_authors(rest[0]) else None
    authors = tuple(a.strip() for a in rest[0].split(",") if a.strip()) if rest else ()
    comments = fields.get("Comments") or None
    journal_ref = fields.get("Journal ref") or None
    abstract_en = fields.get("英文摘要") or None
    abstract_zh = fields.get("AI中文摘要") or None
    found = urls(" ".join(filter(None, [comments, abstract_en, abstract_zh])))
    code, project = split_urls(found)
    summaries = (Summary("ai_summary", fields["AI总结"], "zh"),) if fields.get("AI总结") else ()
    paper = Paper(
        arxiv_id=head.group("id"),
        title=title,
        source=where,
        title_zh=title_zh,
        authors=authors,
        institutions=institutions(fields["发表机构"]) if fields.get("发表机构") else (),
        published=head.group("date"),
        categories=cats,
        primary_category=cats[0] if cats else None,
        comments=comments,
        journal_ref=journal_ref,
        doi=fields.get("DOI") or None,
        venue=venue(comments),
        code_urls=code,
        project_urls=project,
        summaries=summaries,
        abstract_en=abstract_en,
        abstract_zh=abstract_zh,
    )
    return paper, stray


def _looks_like_authors(line: str) -> bool:
    return "," in line and not re.search(r"[\u3400-\u9fff]{4,}", line)
