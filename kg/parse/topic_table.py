"""Family C: markdown tables of papers under topic headings (``## Topic`` then ``| Date | Title | … |``).

Columns are found by their header through a synonym table (``kg/data/table_columns.tsv``: Publish
Date / 发布日期, Title / 标题, PDF / Paper / arXiv …) and, where a header is unknown or missing, by
content: the cell holding the arXiv link or id is the paper, a date is the date, a long cell the
abstract. A row with fewer cells than the header is padded; a table without a header row (no
``|---|`` under its first row) is read by content from its first row on. Headings at any level are
topics; nested ones keep their path ("Robotics / Manipulation"), the document's own title (a lone
top-level heading) and "Updated on …"/"Table of Contents" headings are not topics.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import islice

from ..data import load_tsv
from ..model import Paper, Problem, Source
from .common import ARXIV_ID, ARXIV_URL, arxiv_id, author_list, iso_date, split_urls, urls
from .labels import norm
from .markup import BOLD, MD_LINK, text_of, title_text

NAME = "topic-table.v2"
READS_PARTS = True  # reads its own parts of a file; other lines may be another layout
HEADING = re.compile(r"#{1,6}(?=\s)")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
DELIMITER = re.compile(r"\|?\s*+:?-++:?\s*+(?:\|\s*+:?-++:?\s*+)*+\|?\s*+")  # possessive: "|---   …x" is linear
NOT_TOPIC = re.compile(r"(?:updated on|last update|table of contents|contents\b|目录)|\d{4}[-./]\d{2}[-./]\d{2}$", re.I)
ET_AL = re.compile(r"\bet\.?\s?al\.?\s*$", re.I)
LONG_CELL = 200  # characters: a longer cell under an unknown header is an abstract
MAX_CELLS = 64  # a row is split into at most this many cells (the rest stays in the last one)
MAX_SPANS = 1000  # math and <details> spans looked for in one row


def sniff(text: str) -> bool:
    """True when ``text`` has a table of papers: a header naming a Title column over rows that link
    to (or name) arXiv papers, or rows whose arXiv link's text is a title (headerless tables). A
    table that only cites ids (``| T1 | Theme | `2608.01678` |``) is not a table of papers."""
    lines = text.split("\n")
    titled = False
    linked_titles = 0
    for i, line in enumerate(lines):
        row = line.strip()
        if not row.startswith("|"):
            continue
        if i + 1 < len(lines) and DELIMITER.fullmatch(lines[i + 1].strip()):
            titled = titled or "title" in (_columns().get(norm(text_of(c))) for c in _cells(row))
        elif ARXIV_URL.search(row) or ARXIV_ID.search(row):
            if titled:
                return True
            linked_titles += len(_link_title(row).split()) > 1  # not "[arXiv](…)" or "[PDF](…)"
            if linked_titles == 2:
                return True
    return False


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.split("\n")
    papers: list[Paper] = []
    problems: list[Problem] = []
    title_level = _document_title_level(lines)
    stack: list[tuple[int, str | None]] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if m := HEADING.match(stripped):
            level, name = len(m.group()), text_of(stripped[m.end():]).strip(" #")
            stack = [(lv, n) for lv, n in stack if lv < level]
            stack.append((level, None if level == title_level or not name or NOT_TOPIC.match(name) else name))
            i += 1
            continue
        if not stripped.startswith("|"):
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].strip().startswith("|"):
            end += 1
        topic = " / ".join(n for _, n in stack if n) or None
        _table(lines, i, end, path, topic, papers, problems)
        i = end
    return papers, problems


def _table(lines, start, end, path, topic, papers, problems) -> None:
    """Read the table rows ``lines[start:end]`` into ``papers`` and ``problems``."""
    rows = [(n, lines[n].strip()) for n in range(start, end)]
    header: list[str | None] | None = None
    closed = True
    if len(rows) > 1 and DELIMITER.fullmatch(rows[1][1]) and not _row_id(_cells(rows[0][1])):
        header = [_columns().get(norm(text_of(c)), None) for c in _cells(rows[0][1])]
        closed = rows[0][1].endswith("|")
        rows = rows[2:]
    data = [(n, row) for n, row in rows if not DELIMITER.fullmatch(row)]
    if not any(_row_id(_cells(row)) for _, row in data):
        return  # a table of something else (statistics, a contents table)
    # rows end in "|" here, so one that does not was cut (a short row that ends in "|" is padded)
    closed = closed and 2 * sum(row.endswith("|") for _, row in data) >= len(data)
    for n, row in data:
        where = Source(path, n + 1, topic, NAME)
        if closed and not row.endswith("|"):
            problems.append(Problem(path, n + 1, "table row is cut off"))
            continue
        cells = _cells(row)
        if header and len(cells) > len(header):
            cells = _cells(row, guarded=True)  # a "|" inside math or HTML: "$|S_i| \\leq k$"
        paper, problem = _row(cells, header, where)
        if paper:
            papers.append(paper)
        if problem:
            problems.append(problem)


def _cells(row: str, guarded: bool = False) -> list[str]:
    """The cells of a row; ``guarded`` keeps pipes inside ``$…$`` math and ``<details>`` blocks."""
    inner = row[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    if not guarded:
        return [c.strip().replace("\\|", "|") for c in CELL_SPLIT.split(inner, MAX_CELLS)]
    cells, start, protected = [], 0, _protected(inner)
    k = 0
    for m in CELL_SPLIT.finditer(inner):
        while k < len(protected) and protected[k][1] <= m.start():
            k += 1
        if k < len(protected) and protected[k][0] < m.start():
            continue
        cells.append(inner[start: m.start()])
        start = m.end()
        if len(cells) == MAX_CELLS:
            break
    cells.append(inner[start:])
    return [c.strip().replace("\\|", "|") for c in cells]


def _protected(text: str) -> list[tuple[int, int]]:
    """Sorted spans of ``$…$`` math and ``<details>…</details>`` blocks, found in one pass each."""
    dollars = [m.start() for m in islice(re.finditer(r"(?<!\\)\$", text), 2 * MAX_SPANS)]
    spans = list(zip(dollars[::2], dollars[1::2]))
    pos = 0
    while len(spans) < 2 * MAX_SPANS and (a := text.find("<details", pos)) != -1 and (b := text.find("</details>", a)) != -1:
        spans.append((a, b + len("</details>")))
        pos = b + 1
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _row(cells: list[str], header: list[str | None] | None, where: Source):
    problem = None
    if header and len(cells) > len(header):
        problem = Problem(where.path, where.line, f"table row has {len(cells)} cells, the header has {len(header)}: "
                          "columns read by content")
        header = None
    named = dict.fromkeys(("date", "title", "authors", "link", "code", "abstract", "comments"), "")
    unknown = []
    for n, cell in enumerate(cells):
        column = header[n] if header and n < len(header) else None
        if column in named and not named[column]:
            named[column] = cell
        elif column != "ignore":
            unknown.append(cell)
    _by_content(named, unknown, header is None)
    ident = _row_id([named["link"], named["title"]]) or _row_id(unknown)
    if not ident:
        return None, Problem(where.path, where.line, "table row has no arXiv id")
    title = title_text(named["title"]) if named["title"] else _link_title(named["link"])
    author_cell = text_of(named["authors"])
    complete = not ET_AL.search(author_cell)
    abstract = _text(named["abstract"])
    comments = _text(named["comments"])
    code, project = split_urls(urls(named["code"]) + urls(abstract or "") + urls(comments or ""))
    return Paper(
        arxiv_id=ident,
        title=title,
        source=where,
        authors=author_list(ET_AL.sub("", author_cell).rstrip()) if author_cell else (),
        authors_complete=complete,
        published=iso_date(BOLD.sub("", named["date"])) if named["date"] else None,
        topics=(where.section,) if where.section else (),
        comments=comments,
        code_urls=code,
        project_urls=project,
        abstract_en=abstract,
    ), problem


def _by_content(named: dict[str, str], cells: list[str], headerless: bool) -> None:
    """Fill the columns a header did not name from what the other cells hold."""
    for cell in cells:
        bare = BOLD.sub("", cell).strip()
        if not named["link"] and _row_id([cell]):
            named["link"] = cell
        elif not named["date"] and re.fullmatch(r"\d{4}[-./]\d{2}[-./]\d{2}", bare):
            named["date"] = cell
        elif not named["code"] and (bare.lower() == "null" or split_urls(urls(cell))[0]):
            named["code"] = cell
        elif not named["abstract"] and len(cell) > LONG_CELL:
            named["abstract"] = cell
        elif headerless and not named["authors"] and (ET_AL.search(bare) or _names(bare)):
            named["authors"] = cell
        elif headerless and not named["title"] and cell.startswith("**") and bare:
            named["title"] = cell


def _names(cell: str) -> bool:
    """True when ``cell`` reads as a list of names: two or more, each of one to four capitalised words."""
    names = [n.split() for n in cell.split(",")]
    return len(names) > 1 and all(0 < len(n) <= 4 and all(w[0].isupper() and w.isalpha() or w.endswith(".")
                                                           for w in n) for n in names)


def _row_id(cells: list[str]) -> str | None:
    for cell in cells:
        if m := ARXIV_URL.search(cell):
            return m.group(1)
        if ARXIV_ID.search(cell) and (ident := arxiv_id(cell)):
            return ident
    return None


def _link_title(cell: str) -> str:
    """The text of the arXiv link in ``cell`` when it is a title, not the bare id."""
    for m in MD_LINK.finditer(cell):
        if not ARXIV_URL.search(m.group(0)):
            continue
        text = title_text(m.group(1))
        if text and not ARXIV_ID.fullmatch(text):
            return text
    return ""


def _text(cell: str) -> str | None:
    text = text_of(cell)
    return None if not text or text.lower() == "null" else text


def _document_title_level(lines: list[str]) -> int | None:
    """The level of the document's title: the top heading level when one heading alone has it."""
    levels = [len(m.group()) for line in lines if (m := HEADING.match(line.strip()))]
    if not levels:
        return None
    top = min(levels)
    return top if levels.count(top) == 1 and levels[0] == top and len(levels) > 1 else None


@cache
def _columns() -> dict[str, str]:
    return {header: column for header, column in load_tsv("table_columns.tsv")}
