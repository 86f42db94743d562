"""Family C: markdown tables by topic (``## Topic`` then ``| Publish Date | Title | … |`` rows)."""

from __future__ import annotations

import re

from ..model import Paper, Problem, Source
from .common import arxiv_id, has_cjk, split_urls, urls

NAME = "topic-table.v1"
HEADING = re.compile(r"^#{2,3}\s+(?P<name>.+?)\s*$")
LINK = re.compile(r"\[(?P<text>.*)\]\((?P<url>[^)\s]+)\)")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
COLUMNS = {"publish date": "date", "date": "date", "title": "title", "authors": "authors", "author": "authors",
           "pdf": "pdf", "code": "code", "abstract": "abstract", "summary": "abstract"}


def sniff(text: str) -> bool:
    """True when ``text`` has a table whose header names a Title column and rows link to arXiv."""
    head = text[:200000]
    return bool(re.search(r"^\|\s*Publish Date\s*\|.*Title", head, re.M | re.I)) and "arxiv.org/abs/" in head


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    papers, problems = [], []
    topic, columns = None, None
    for i, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if m := HEADING.match(stripped):
            name = m.group("name")
            topic = None if name.lower().startswith(("updated on", "table of contents")) else name
            columns = None
            continue
        if not stripped.startswith("|"):
            continue
        cells = _cells(stripped)
        if columns is None:
            columns = [COLUMNS.get(c.strip("* ").lower(), c.lower()) for c in cells]
            continue
        if all(set(c) <= set(":- ") for c in cells):
            continue
        paper, problem = _row(cells, columns, stripped, Source(path, i + 1, topic, NAME))
        if paper:
            papers.append(paper)
        else:
            problems.append(problem)
    return papers, problems


def _cells(line: str) -> list[str]:
    inner = line[1:-1] if line.endswith("|") and not line.endswith("\\|") else line[1:]
    return [c.strip().replace("\\|", "|") for c in CELL_SPLIT.split(inner)]


def _row(cells, columns, line, where: Source):
    problem = lambda msg: (None, _problem(where, msg))  # noqa: E731
    if not line.endswith("|"):
        return problem("table row is cut off")
    if len(cells) != len(columns):
        return problem(f"table row has {len(cells)} cells, the header has {len(columns)}")
    row = dict(zip(columns, cells))
    title_cell = row.get("title", "")
    ident = arxiv_id(row.get("pdf", "")) or arxiv_id(title_cell)
    if not ident:
        return problem("table row has no arXiv id")
    m = LINK.search(title_cell)
    title = (m.group("text") if m else title_cell).strip("* ").strip()
    if not title:
        return problem(f"row {ident} has no title")
    author_cell = row.get("authors", "").strip("* ")
    complete = not re.search(r"\bet\.?\s*al\.?$", author_cell)
    author_cell = re.sub(r"\s*\bet\.?\s*al\.?$", "", author_cell)
    abstract = _unbold(row.get("abstract", "")) or None
    code, project = split_urls(urls(row.get("code", "")) + urls(abstract or ""))
    date = re.sub(r"[*\s]", "", row.get("date", "")) or None
    return Paper(
        arxiv_id=ident,
        title=title,
        source=where,
        authors=tuple(a.strip() for a in author_cell.split(",") if a.strip()),
        authors_complete=complete,
        published=date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        topics=(where.section,) if where.section else (),
        code_urls=code,
        project_urls=project,
        abstract_en=abstract if abstract and not has_cjk(abstract) else None,
        abstract_zh=abstract if abstract and has_cjk(abstract) else None,
    ), None


def _unbold(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith("**") and cell.endswith("**") and len(cell) > 4:
        cell = cell[2:-2]
    return "" if cell.lower() == "null" else cell.strip()


def _problem(where: Source, message: str) -> Problem:
    return Problem(where.path, where.line, message)
