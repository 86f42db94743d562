"""Fields of seed entries sliced by hand from their raw lines, never by kg: tests name what a seed
says (a title to look for, an author to resolve) without copying its text into the repository."""

from __future__ import annotations

import re
from pathlib import Path


def daily_entry(path: Path, arxiv_id: str) -> dict:
    """An arXivDaily entry: its id line, then (each after one blank line) title, Chinese title, authors."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{arxiv_id} "))
    return {"line": at + 1, "title": lines[at + 2], "title_zh": lines[at + 4], "authors": lines[at + 6].split(", ")}


def affiliations(path: Path, arxiv_id: str) -> list[tuple[str, str]]:
    """The ``English(中文)`` pairs of an arXivDaily entry's ``发表机构 *`` line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{arxiv_id} "))
    line = next(line for line in lines[start:] if line.startswith("发表机构 * "))
    return [(en.strip(), zh) for en, zh in re.findall(r"([^()]+)\(([^()]*)\)", line.removeprefix("发表机构 * "))]


def markdown_bylines_with(path: Path, name: str) -> list[list[str]]:
    """The ``*A,B,…*`` author lines of a markdown digest that list ``name``, split on their commas."""
    bylines = (line.strip("*").split(",") for line in path.read_text(encoding="utf-8").split("\n")
               if line.startswith("*") and line.endswith("*") and not line.startswith("**"))
    return [names for names in bylines if name in names]
