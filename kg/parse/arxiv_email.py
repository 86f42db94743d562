"""The arXiv mailing-list e-mail: ``\\\\`` / ``arXiv:ID`` entries with wrapped ``Label:`` fields.

New, cross-listed and replaced entries are all papers; the kind is the entry's section.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Paper, Problem, Source
from .common import ANNOUNCE, NEW_ID, OLD_ID, arxiv_id, author_list, iso_date, split_urls, urls, venue

NAME = "arxiv-email.v1"
HEAD = re.compile(r"arXiv:(\S+)(?:[ \t]+(\(\*cross-listing\*\)))?[ \t]*$")
LOOSE_HEAD = re.compile(rf"arXiv:((?:{NEW_ID}|{OLD_ID})(?:v\d+)?)(?![\w.])")  # an id line, text after the id or not
FIELD = re.compile(r"([A-Z][A-Za-z]*(?:-[A-Za-z]+)?):[ \t]?(.*)")
MAIL_HEADER = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,40}:")
RULE = re.compile(r"-{20,}|%%%-")
TAIL = re.compile(r"\\\\ \( https?://\S+")


def sniff(text: str) -> bool:
    """True when ``text`` has ``\\\\`` lines followed by ``arXiv:ID`` lines and ``Title:`` fields."""
    text = _body(text)[0]
    return bool(re.search(r"^\\\\\r?\narXiv:\S", text, re.M)) and "\nTitle: " in text


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    text, offset = _body(text)
    papers, problems = _parse(text, path)
    if offset:
        papers = [replace(p, source=replace(p.source, line=p.source.line + offset)) for p in papers]
        problems = [replace(p, line=p.line + offset) for p in problems]
    return papers, problems


def _body(text: str) -> tuple[str, int]:
    """A saved e-mail's (``.eml``) decoded text/plain body and the lines before it; other text as it is."""
    head, sep, _ = text.partition("\n\n")
    if not sep or not MAIL_HEADER.match(text) or not re.search(r"^(MIME-Version|Content-Type|Received):", head, re.M | re.I):
        return text, 0
    import email
    from email import policy

    message = email.message_from_string(text, policy=policy.default)
    part = message.get_body(("plain",))
    return (part.get_content(), head.count("\n") + 2) if part is not None else (text, 0)


def _parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.splitlines()
    starts = [i for i in range(len(lines)) if _head(lines, i)]  # with or without the "\\\\" above
    papers, problems = [], []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        paper, problem = _entry(lines, start, end, path)
        if paper:
            papers.append(paper)
        if problem:
            problems.append(problem)
    return papers, problems


def _head(lines: list[str], i: int) -> re.Match | None:
    """The ``arXiv:ID`` line that starts an entry: well formed, or damaged (text glued after the id)
    right under a ``\\\\`` line or with a cross-listing mark, so that its entry is not lost."""
    if head := HEAD.match(lines[i]):
        return head
    head = LOOSE_HEAD.match(lines[i])
    return head if head and ((i and lines[i - 1].strip() == "\\\\") or "(*cross" in lines[i]) else None


def _entry(lines: list[str], start: int, end: int, path: str):
    head = _head(lines, start)
    ident = arxiv_id(head.group(1))
    if not ident:
        return None, Problem(path, start + 1, f"entry has no arXiv id in {head.group(1)!r}")
    damaged = None if head.re is HEAD else Problem(path, start + 1, f"entry arXiv:{ident} has text after its id: "
                                                   f"{lines[start][head.end():][:60].strip()!r}")
    fields: dict[str, str] = {}
    label, replaced, published = None, False, None
    abstract: list[str] | None = None
    closed = False
    for line in lines[start + 1: end]:
        if RULE.match(line) or TAIL.match(line):
            closed = True
            break
        if abstract is not None:
            if line.strip() == "\\\\":
                closed = True
                break
            abstract.append(line.strip())
        elif line.strip() == "\\\\":
            abstract = []
        elif line.startswith("replaced with revised version"):
            replaced = True
        elif line[:1].isspace() and label:
            fields[label] += " " + line.strip()
        elif m := FIELD.match(line):
            label = m.group(1).lower()
            fields[label] = m.group(2).strip()
            if label == "date":
                published = iso_date(fields[label])
    if not fields.get("title"):
        return None, Problem(path, start + 1, f"entry arXiv:{ident} has no Title")
    if not closed:
        return None, Problem(path, start + 1, f"entry arXiv:{ident} is cut off")
    cross = head.group(2) if head.re is HEAD else "(*cross" in lines[start]
    kind = ANNOUNCE["-".join(filter(None, ["replace" if replaced else "", "cross" if cross else ""])) or "new"]
    comments = fields.get("comments")
    text = " ".join(filter(None, abstract or [])) or None
    categories = tuple(fields.get("categories", "").split())
    code, project = split_urls(urls(" ".join(filter(None, [text, comments]))))
    return Paper(
        arxiv_id=ident,
        title=fields["title"],
        source=Source(path, start + 1, kind, NAME),
        authors=author_list(fields.get("authors", "")),
        published=None if replaced else published,
        categories=categories,
        primary_category=categories[0] if categories else None,
        comments=comments,
        journal_ref=fields.get("journal-ref"),
        doi=fields.get("doi"),
        venue=venue(comments),
        code_urls=code,
        project_urls=project,
        abstract_en=text,
    ), damaged

