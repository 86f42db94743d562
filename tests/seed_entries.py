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


def entry_text(path: Path, arxiv_id: str) -> str:
    """An arXivDaily entry's raw lines, from its id line to the next entry's id line."""
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^{re.escape(arxiv_id)} \d{{4}}-", text, re.M).start()
    after = re.compile(r"^\d{4}\.\d{4,5} \d{4}-", re.M).search(text, start + 1)
    return text[start:after.start() if after else len(text)]


def affiliations(path: Path, arxiv_id: str) -> list[tuple[str, str]]:
    """The ``English(中文)`` pairs of an arXivDaily entry's ``发表机构 *`` line."""
    line = next(line for line in entry_text(path, arxiv_id).split("\n") if line.startswith("发表机构 * "))
    return [(en.strip(), zh) for en, zh in re.findall(r"([^()]+)\(([^()]*)\)", line.removeprefix("发表机构 * "))]


def markdown_bylines_with(path: Path, name: str) -> list[list[str]]:
    """The ``*A,B,…*`` author lines of a markdown digest that list ``name``, split on their commas."""
    bylines = (line.strip("*").split(",") for line in path.read_text(encoding="utf-8").split("\n")
               if line.startswith("*") and line.endswith("*") and not line.startswith("**"))
    return [names for names in bylines if name in names]


def query_on_seeds(query: Path, seeds_dir: Path) -> str:
    """The text of a ``queries/`` file to ask of the seeds: ``coauthors.rq`` names a person of ``examples/``
    in its ``VALUES`` line, so it asks about the third author of 2506.06006 (seed 002) instead."""
    text = query.read_text(encoding="utf-8")
    if query.name != "coauthors.rq":
        return text
    author = daily_entry(next(seeds_dir.glob("002_*")), "2506.06006")["authors"][2]
    bound, n = re.subn(r'(VALUES \?who \{ )"[^"]*"', lambda m: f'{m[1]}"{author}"', text)
    assert n == 1, f"{query.name}: no VALUES ?who line"
    return bound
