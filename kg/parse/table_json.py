"""The topic-table generator's JSON store (``docs/cv-arxiv-daily.json``): ``{"Topic": {"ID": "|row|"}}``.

Each value is a markdown table row; the rows are read by the topic-table reader, under a header
named from the first row's cells (date, title, authors, then the arXiv link, code and text cells).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from ..model import Paper, Problem
from . import topic_table
from .common import ARXIV_URL, line_at, load_json, sniff_json

NAME = "table-json.v1"
CELL = re.compile(r"(?<!\\)\|")
LEADING = ("Publish Date", "Title", "Authors")


def sniff(text: str) -> bool:
    """True when ``text`` is a JSON object of topics mapping ids to markdown table rows."""
    data = sniff_json(text)
    return isinstance(data, dict) and bool(data) and all(isinstance(v, dict) for v in data.values()) and any(
        isinstance(row, str) and row.lstrip().startswith("|") for rows in data.values() for row in rows.values())


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    data = load_json(text, path)
    if not isinstance(data, dict):
        return [], [Problem(path, 1, "not a JSON object of topics")]
    lines: list[str] = []
    origin: list[int] = []  # the JSON line of each markdown line
    pos = 0
    for topic, rows in data.items():
        if not isinstance(rows, dict):
            continue
        found = text.find(json.dumps(topic), pos)
        pos = found if found >= 0 else pos
        cells = [_header(rows)]
        lines += [f"## {topic}", cells[0], "|" + "---|" * cells[0].count("|")]
        origin += [line_at(text, pos)] * 3
        for key, row in rows.items():
            found = text.find(json.dumps(key), pos)
            pos = found if found >= 0 else pos
            lines.append(str(row).strip())
            origin.append(line_at(text, pos))
    papers, problems = topic_table.parse("\n".join(lines), path)
    papers = [replace(p, source=replace(p.source, line=origin[p.source.line - 1], parser=NAME)) for p in papers]
    problems = [replace(p, line=origin[p.line - 1]) for p in problems]
    return papers, problems


def _header(rows: dict) -> str:
    """A header row for a topic: the generator's leading columns, the rest named by their content."""
    first = next((str(r).strip() for r in rows.values() if str(r).strip()), "|")
    cells = CELL.split(first.strip("|"))
    names = [LEADING[i] if i < len(LEADING) else _name(cell, i) for i, cell in enumerate(cells)]
    return "|" + "|".join(names) + "|"


def _name(cell: str, i: int) -> str:
    if ARXIV_URL.search(cell):
        return "PDF"
    if cell.strip("* ") == "null" or "](" in cell:
        return "Code"
    return "Abstract" if len(cell) > 200 else f"Column {i + 1}"
