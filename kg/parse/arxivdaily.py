"""Family A: the plain-text "arXivDaily" pages (id/date/categories line, titles, authors, AI总结 …).

An entry runs from its id line (``2511.11406 2026-06-01 cs.CV``) to the next one or to a markdown
heading, table, rule or another paper's link field (another family's part of a mixed file). Its
first plain lines are the title, the Chinese title and the authors, each optional after the
title; then come labelled fields
(``kg/data/entry_labels.tsv``, in Chinese or English, followed by a space, a colon or nothing).
An abstract may run over several paragraphs; plain text followed by further metadata labels is
the remains of an entry that lost its id line, and is reported instead of being merged.
"""

from __future__ import annotations

import re

from ..model import Paper, Problem, Source, Summary
from .common import ARXIV_URL, NEW_ID, OLD_ID, has_cjk, institutions, split_urls, urls, venue
from .labels import labels, leading, norm

NAME = "arxivdaily.v2"
READS_PARTS = True  # reads its own parts of a file; other lines may be another layout
HEAD = re.compile(
    rf"^(?P<id>{NEW_ID}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{{2}})?/\d{{7}})(?:v\d+)?"
    r"\s+(?P<date>\d{4}-\d{2}-\d{2})(?P<cats>(?:\s+[a-z-]+(?:\.[A-Za-z-]+)?)*)(?P<tag>\s+\S*)?\s*$"
)
LOOSE_HEAD = re.compile(rf"(?:{NEW_ID}|{OLD_ID})(?:v\d+)?[ \t]+\d{{4}}-\d\d-\d\d\b")  # an id line, damaged or not
SIGNATURE = re.compile(r"^(arXivDaily|AI总结|英文摘要|AI中文摘要|发表机构)", re.M)
FIELDS = {"ai_summary", "tldr", "institutions", "comments", "journal_ref", "doi", "report_number", "msc_class",
          "acm_class", "details", "abstract", "abstract_en", "abstract_zh"}
ABSTRACTS = {"abstract", "abstract_en", "abstract_zh"}
PAGE_CHROME = ("arXivDaily", "重置", "全部学科", "专题追踪")
OTHER_LAYOUT = re.compile(r"\||#{1,6}\s|(?:[-=_*][ \t]*){3,}$|\\\\")  # a table, heading, rule or e-mail entry start


def sniff(text: str) -> bool:
    """True when ``text`` looks like an arXivDaily page: its labels and at least one id line."""
    return bool(SIGNATURE.search(text)) and any(HEAD.match(line) for line in text.split("\n") if line[:1].isalnum())


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line[:1].isalnum() and HEAD.match(line.strip())]
    papers, problems = [], []
    if not starts:
        for i, line in enumerate(lines):
            if line.strip() and not line.startswith(PAGE_CHROME):
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


def _label(line: str) -> tuple[str | None, str]:
    """``(field, value)`` for a label line (``AI总结 …``, ``Comments: …``, ``英文摘要``), else ``(None, "")``."""
    if (found := leading(line)) and found[0] in FIELDS:
        return found[0], found[2]
    words = line.split(" ", 4)
    for k in range(min(4, len(words)), 0, -1):
        if labels().get(norm(" ".join(words[:k]))) in FIELDS:
            return labels()[norm(" ".join(words[:k]))], " ".join(words[k:]).strip().lstrip("*").strip()
    return None, ""


def _entry(lines: list[str], start: int, end: int, path: str, *, last: bool):
    head = HEAD.match(lines[start].strip())
    ident = head.group("id")
    blocks: list[tuple[int, str]] = []
    for i in range(start + 1, end):
        line = lines[i].strip()
        if OTHER_LAYOUT.match(line) or _links_elsewhere(line, ident):
            break  # another family's part of a mixed file, or another entry's link field
        if line:
            blocks.append((i, line))
    found = [_label(line) if k else (None, "") for k, (_, line) in enumerate(blocks)]  # the first is the title
    metadata_after = [False] * (len(blocks) + 1)
    for k in range(len(blocks) - 1, -1, -1):
        metadata_after[k] = metadata_after[k + 1] or (found[k][0] is not None and found[k][0] not in ABSTRACTS)
    fields: dict[str, str] = {}
    plain: list[str] = []
    label = None
    stray = None
    for k, (i, line) in enumerate(blocks):
        key, value = found[k]
        if key:
            label = key
            fields[key] = value
        elif label is None:
            plain.append(line)
        elif label in ABSTRACTS and (not fields[label] or not metadata_after[k]):
            fields[label] = f"{fields[label]} {line}".strip()  # an abstract's paragraphs
        else:
            stray = Problem(path, i + 1, f"text after entry {ident} belongs to no entry "
                            "(an entry without an arXiv id line?)")
            break
    if last and "details" in fields and not any(fields.get(a) for a in ABSTRACTS):
        return None, Problem(path, start + 1, f"entry {ident} is cut off (no abstract)")
    cats = tuple(head.group("cats").split())
    title = plain[0] if plain else ""
    rest = plain[1:]
    title_zh = rest.pop(0) if rest and has_cjk(rest[0]) and not _looks_like_authors(rest[0]) else None
    authors = tuple(a.strip() for a in rest[0].split(",") if a.strip()) if rest else ()
    comments = fields.get("comments") or None
    abstract_en = fields.get("abstract_en") or None
    abstract_zh = fields.get("abstract_zh") or None
    if other := fields.get("abstract"):
        if has_cjk(other) and not abstract_zh:
            abstract_zh = other
        elif not abstract_en:
            abstract_en = other
    code, project = split_urls(urls(" ".join(filter(None, [comments, abstract_en, abstract_zh]))))
    summary = fields.get("ai_summary") or fields.get("tldr")
    paper = Paper(
        arxiv_id=ident,
        title=title,
        source=Source(path, start + 1, None, NAME),
        title_zh=title_zh,
        authors=authors,
        institutions=institutions(fields["institutions"]) if fields.get("institutions") else (),
        published=head.group("date"),
        categories=cats,
        primary_category=cats[0] if cats else None,
        comments=comments,
        journal_ref=fields.get("journal_ref") or None,
        doi=fields.get("doi") or None,
        venue=venue(comments),
        code_urls=code,
        project_urls=project,
        summaries=(Summary("ai_summary", summary, "zh"),) if summary else (),
        abstract_en=abstract_en,
        abstract_zh=abstract_zh,
    )
    return paper, stray


def _links_elsewhere(line: str, ident: str) -> bool:
    """True for a link field (``**Link**: …/abs/…``) that points at another paper than ``ident``."""
    found = leading(line)
    link = found and found[0] == "link" and ARXIV_URL.search(found[2])
    return bool(link) and link.group(1) != ident


def _looks_like_authors(line: str) -> bool:
    return "," in line and not re.search(r"[\u3400-\u9fff]{4,}", line)
