"""Digest parsers: one module per family, detected from a file's content.

>>> sorted(PARSERS)
['arxiv-email', 'arxivdaily', 'digest-md', 'feed', 'hf-papers', 'table-json', 'topic-table']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError, UnknownFormat
from ..model import Paper, Problem
from . import arxiv_email, arxivdaily, digest_md, feed, hf_papers, table_json, topic_table
from .common import decode

PARSERS = {"arxivdaily": arxivdaily, "digest-md": digest_md, "topic-table": topic_table,
           "arxiv-email": arxiv_email, "feed": feed, "hf-papers": hf_papers, "table-json": table_json}


@dataclass(frozen=True)
class ParseResult:
    """What one digest file gave: its papers, the problems met and the parser used."""

    path: str
    format: str
    parser: str
    papers: list[Paper]
    problems: list[Problem]
    date: str | None = None


def detect_format(text: str) -> str | None:
    """The name of the family whose layout ``text`` has, or None."""
    for name, module in PARSERS.items():
        if module.sniff(text):
            return name
    return None


def parse_text(text: str, path: str, *, format: str | None = None) -> ParseResult:
    """Parse a digest's text; ``format`` overrides detection."""
    if format is not None and format not in PARSERS:
        raise UnknownFormat(f"unknown format {format!r}; known: {', '.join(PARSERS)}")
    if not text.strip():
        raise ParseError(f"{path}:1: empty file")
    name = format or detect_format(text)
    if name is None:
        raise UnknownFormat(f"{path}:1: unknown digest layout (known: {', '.join(PARSERS)})")
    papers, problems = PARSERS[name].parse(text, path)
    problems = problems + _duplicates(papers)
    if not papers and not problems:
        problems.append(Problem(path, 1, f"no entries found in a {name} layout"))
    return ParseResult(path, name, PARSERS[name].NAME, papers, problems, _date(text, papers))


def parse_file(path: str | Path, *, format: str | None = None) -> ParseResult:
    """Read and parse one digest file (UTF-8, or GB18030 which is reported as a problem)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror}") from None
    text, note = decode(data, str(path))
    result = parse_text(text, str(path), format=format)
    if note:
        result.problems.insert(0, Problem(str(path), 1, note))
    return result


def _date(text: str, papers: list[Paper]) -> str | None:
    """The digest's own date: its heading ("# 2025-09-18", "Updated on 2024.12.09") or its entries' latest."""
    if m := re.search(r"^#+\s*(?:Updated on\s+)?(\d{4})[.-](\d{2})[.-](\d{2})\s*$", text[:5000], re.M):
        return "-".join(m.groups())
    dates = [p.published for p in papers if p.published]
    return max(dates) if dates else None


def _duplicates(papers: list[Paper]) -> list[Problem]:
    """Entries repeated in the same section of one file (kept once when stored)."""
    seen: dict[tuple, int] = {}
    out = []
    for p in papers:
        key = (p.arxiv_id, p.source.section)
        if key in seen:
            out.append(Problem(p.source.path, p.source.line, f"duplicate entry {p.arxiv_id} (first at line {seen[key]})"))
        else:
            seen[key] = p.source.line
    return out
