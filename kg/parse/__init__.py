"""Digest parsers: one module per family, detected from a file's content.

>>> sorted(PARSERS)
['arxiv-email', 'arxivdaily', 'digest-md', 'feed', 'generic', 'hf-papers', 'table-json', 'topic-table']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError, UnknownFormat
from ..model import Paper, Problem
from . import arxiv_email, arxivdaily, digest_md, feed, generic, hf_papers, table_json, topic_table
from .common import AFTER_ID, ARXIV_ID, BEFORE_ID, NEW_ID, decode
from .validate import validate

PARSERS = {"arxivdaily": arxivdaily, "digest-md": digest_md, "topic-table": topic_table,
           "arxiv-email": arxiv_email, "feed": feed, "hf-papers": hf_papers, "table-json": table_json,
           "generic": generic}  # generic last: the fallback


@dataclass(frozen=True)
class ParseResult:
    """What one digest file gave: its papers, the problems met and the parser used."""

    path: str
    format: str
    parser: str
    papers: list[Paper]
    problems: list[Problem]
    date: str | None = None


SHOWN = 20  # ids named but read as no entry that get a problem each
FALLBACK = "generic"  # the reader for any other file that lists arXiv papers
NEW_STYLE = re.compile(rf"{BEFORE_ID}({NEW_ID})(?:v\d+)?{AFTER_ID}")
OLD_STYLE_HINT = re.compile(r"/\d{7}")


def detect_formats(text: str) -> list[str]:
    """Every family whose layout appears anywhere in ``text`` (a mixed file has several); the
    generic reader only when no family does. Each ``sniff`` looks at the whole text."""
    found = [name for name, module in PARSERS.items() if name != FALLBACK and module.sniff(text)]
    if not found and FALLBACK in PARSERS and PARSERS[FALLBACK].sniff(text):
        found = [FALLBACK]
    return found


def detect_format(text: str) -> str | None:
    """The name of the family whose layout ``text`` has (``a+b`` for a mixed file), or None."""
    return "+".join(detect_formats(text)) or None


def parse_text(text: str, path: str, *, format: str | None = None) -> ParseResult:
    """Parse a digest's text and validate what it gives; ``format`` overrides detection.

    A file mixing families (a markdown digest with a topic table appended) is read by each of
    its families' readers in turn: every reader takes only the structures of its own layout
    (entry headings, table rows, id lines) and ends an entry where another layout starts, so the
    parts do not mix. Their papers are merged in line order (one per id and line) and the format
    is reported as ``a+b``. When the text names arXiv ids that none of these readers read or
    reported (a part in the layout of no family), the generic reader reads the file too and its
    papers with those ids are added (``a+generic``, reported): a part of a file is never lost
    because the rest matched. Only readers of parts (``READS_PARTS``: the markdown and plain-text
    families) get this; a feed, an e-mail or a JSON document is one structure, and once it is read,
    ids it names outside what it read (and outside its papers' own texts) are one problem.
    """
    names = format.split("+") if format else detect_formats(text)
    if unknown := [n for n in names if n not in PARSERS]:
        raise UnknownFormat(f"unknown format {unknown[0]!r}; known: {', '.join(PARSERS)}")
    if not text.strip():
        raise ParseError(f"{path}:1: empty file")
    if not names:
        known = ", ".join(n for n in PARSERS if n != FALLBACK)
        raise UnknownFormat(f"{path}:1: unknown digest layout and no arXiv id in it (known layouts: {known})")
    papers: list[Paper] = []
    problems: list[Problem] = []
    for name in names:
        found, trouble = PARSERS[name].parse(text, path)
        papers += found
        problems += trouble
    partial = all(getattr(PARSERS[n], "READS_PARTS", False) for n in names)
    if not format and partial and FALLBACK in PARSERS:
        names = _read_the_rest(text, path, names, papers, problems)
    # a structure that read entries (papers, or entries its problems name) reports the ids outside them
    elif not format and (papers or _unread_ids(text, [], problems) != _ids(text)) and FALLBACK not in names and (
            unread := _off_reported_lines(text, _unread_ids(text, papers, problems) - _cited(papers), problems)):
        problems += _named_not_read(text, path, unread)  # one structure read: what it left out is reported
    if len(names) > 1:
        papers = list({(p.arxiv_id, p.source.line): p for p in sorted(papers, key=lambda p: p.source.line)}.values())
        problems.sort(key=lambda p: p.line)
    papers, invalid = validate(papers, path)
    problems = problems + invalid + _duplicates(papers)
    label = "+".join(names)
    if not papers and not problems:
        problems.append(Problem(path, 1, f"no entries found in a {label} layout"))
    parser = "+".join(PARSERS[n].NAME for n in names)
    return ParseResult(path, label, parser, papers, problems, _date(text, papers))


def parse_file(path: str | Path, *, format: str | None = None) -> ParseResult:
    """Read and parse one digest file: UTF-8, or another encoding which is reported as a problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror}") from None
    text, problems = decode(data, str(path))
    result = parse_text(text, str(path), format=format)
    result.problems[:0] = problems
    return result


def _read_the_rest(text: str, path: str, names: list[str], papers: list[Paper], problems: list[Problem]) -> list[str]:
    """Add to ``papers`` what the generic reader finds under the ids no reader read, reported,
    or cited; report the ids it does not find either. Returns the formats that read the file."""
    unread = _unread_ids(text, papers, problems)
    if not unread or not (unread := unread - _cited(papers)):
        return names
    reported = {p.line for p in problems}
    extra = [p for p in PARSERS[FALLBACK].parse(text, path)[0] if p.arxiv_id in unread and p.source.line not in reported]
    if extra:
        problems.append(Problem(path, extra[0].source.line, f"{len(extra)} entr{'y' if len(extra) == 1 else 'ies'} "
                                f"outside the {'+'.join(names)} layout read by the generic reader"))
        papers += extra
        names = [*names, FALLBACK]
    if still := _off_reported_lines(text, unread - {p.arxiv_id for p in extra}, problems):
        problems += _named_not_read(text, path, still)
    return names


def _off_reported_lines(text: str, ids: set[str], problems: list[Problem]) -> set[str]:
    """The ``ids`` written on no line that a problem already reports."""
    reported = {p.line for p in problems}
    lines = text.split("\n")
    return {i for i in ids if not any(n + 1 in reported for n, line in enumerate(lines) if i in line)}


def _unread_ids(text: str, papers: list[Paper], problems: list[Problem]) -> set[str]:
    """arXiv ids the text names that no paper read has and no problem names (most often none)."""
    named = {m.group(1) for p in problems for m in ARXIV_ID.finditer(p.message)}
    return _ids(text) - {p.arxiv_id for p in papers} - named


def _ids(text: str) -> set[str]:
    """Every arXiv id in ``text``; the old-style pattern only runs where a ``/NNNNNNN`` occurs."""
    found = {m.group(1) for m in NEW_STYLE.finditer(text)}
    if OLD_STYLE_HINT.search(text):
        found |= {m.group(1) for m in ARXIV_ID.finditer(text)}
    return found


def _cited(papers: list[Paper]) -> set[str]:
    """arXiv ids cited in the papers' own texts (an abstract naming earlier work)."""
    return {i for p in papers for _, t in p.texts() for i in _ids(t)}


def _named_not_read(text: str, path: str, ids: set[str]) -> list[Problem]:
    """A problem for each id the text names outside every paper read (not cited in one), at the line
    of its first mention: the remains of entries no layout fits. Past ``SHOWN`` ids, one more problem
    counts the rest."""
    where = sorted((text.find(i), i) for i in ids)
    line = lambda at: text.count("\n", 0, at) + 1  # noqa: E731
    out = [Problem(path, line(at), f"arXiv id {i} named in the text but read as no entry (a damaged entry?)")
           for at, i in where[:SHOWN]]
    if rest := where[SHOWN:]:
        out.append(Problem(path, line(rest[0][0]), f"{len(rest)} more arXiv ids named in the text but read as no "
                           f"entry, from {rest[0][1]} on"))
    return out


def _date(text: str, papers: list[Paper]) -> str | None:
    """The digest's own date: its heading ("# 2025-09-18", "Updated on 2024.12.09") or its entries' latest."""
    if m := re.search(r"^(?:#+[ \t]*)?(?:Updated on[ \t]+|Last update:[ \t]*)?(\d{4})[.-](\d{2})[.-](\d{2})[ \t]*$",
                      text[:5000], re.M):
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
