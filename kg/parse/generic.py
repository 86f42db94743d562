"""Any other text, markdown, HTML or JSON that lists arXiv papers: one paper per *listed* id.

An id is listed when it stands in a heading (markdown's, or org-mode's below the top level: a single
``* `` is a bullet), a list bullet (with its indented head lines), a table row, a non-prose
``Label:`` line (``**Link**: [PDF](…/pdf/ID)``) or an id line (one starting with the id); an id
inside an abstract, a comment, a ``<details>`` block or a prose paragraph is a mention. Lines group
into blocks: a heading, bullet or table row starts one, a ``---`` rule ends one, an id line starts
one when its block already lists another paper. A block that lists one paper gives it its fields:
the title from the start line (link text, heading or bullet text, or the cell holding the id),
``Label:`` lines in any form (``kg/data/entry_labels.tsv``), a
``<details><summary>Abstract</summary>`` block, an author line under a bullet, a date and a category
code written beside the link. A paper listed by several blocks takes its fields from the richest one
and the longest title of the best kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from ..errors import ParseError
from ..model import Paper, Problem, Source, Summary
from . import labels
from .common import (ARXIV_ID, ARXIV_URL, abstract_fields, arxiv_id, author_list, is_category, iso_date, load_json,
                     split_urls, urls)
from .lang import language
from .markup import MD_LINK, text_of

NAME = "generic.v1"
HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+|(\*{2,6})[ \t]+(?=\S)")  # markdown, or org-mode below the top level
BULLET = re.compile(r"([ \t]*)(?:[-*+]|\d{1,4}[.)])[ \t]+")
RULE = re.compile(r"[ \t]*(?:-{3,}|\*{3,}|_{3,}|={3,})[ \t]*$")
SEPARATOR_ROW = re.compile(r"[ \t|:-]+$")
HTML_LINK = re.compile(r"<a\b[^<>]*>([^<]*)</a>", re.I)
HREF = re.compile(r"""href[ \t]*=[ \t]*["']?([^"'\s<>]+)""", re.I)
ARXIV_PREFIX = re.compile(r"arxiv:[ \t]?", re.I)
BACKTICK = re.compile(r"`([^`\n]{1,40})`")
PIECES = re.compile(r" [—–·|] | - ")
GENERIC_LINK_TEXT = {"", "pdf", "arxiv", "abs", "abstract", "link", "paper", "hf", "hugging face", "html", "code",
                     "project", "page", "url", "new hf", "previous hf", "new", "previous"}
MAX_LINKS = 50
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters before a line's markup
MAX_TITLE_LINE = 2000  # characters of a start line read for its title (validation caps titles at 1000)
MARKUP = " \t`*_[]()<>\"'\\&;:.,#>|-—–·"
DETAILS_OPEN = re.compile(r"[ \t]*<details\b[^<>]*>(?:[ \t]*<summary\b[^<>]*>[^<]*</summary>)?[ \t]*", re.I)


def sniff(text: str) -> bool:
    """True when ``text`` names an arXiv paper anywhere (an abs/pdf link, ``arXiv:ID`` or a bare id)."""
    return bool(ARXIV_URL.search(text) or ARXIV_ID.search(text))


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    problems: list[Problem] = []
    lines: list[tuple[int, str]] = []
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = load_json(text, path)
        except ParseError as exc:  # "path:line: invalid JSON …": reported, and the text still read
            line, _, message = str(exc).removeprefix(f"{path}:").partition(": ")
            problems.append(Problem(path, int(line), message))
        else:
            from .hf_papers import papers_from, records

            if next(records(data), None) is not None:
                papers, trouble = papers_from(data, text, path, NAME)
                return papers, problems + trouble
            lines = _json_lines(data, text)
    if not lines:
        lines = list(enumerate(text.splitlines(), 1))
        if text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
            from .html_lines import html_lines

            lines = list(enumerate(html_lines(text), 1))
    blocks, stray = _blocks(lines)
    papers = _papers(blocks, path)
    read = {p.arxiv_id for p in papers}
    for line, links in stray:
        problems += [Problem(path, line, f"{ident}: an arXiv link outside every entry (or in prose), not read")
                     for ident in dict.fromkeys(links) if ident not in read]
    if not papers:
        if m := ARXIV_URL.search(text) or ARXIV_ID.search(text):
            line = text.count("\n", 0, m.start()) + 1
            problems.append(Problem(path, line, "arXiv ids appear only inside prose (abstracts, comments, "
                                                "paragraphs); none is listed as an entry"))
    return papers, problems


@dataclass
class Block:
    """Lines from one entry start (heading, bullet, row) to the next: its listed ids and fields."""

    line: int  # 1-based line of the start
    start: str  # the start line's text ("" for a block that begins with an id line)
    kind: str  # heading, bullet, row, text
    section: str | None  # set once every block is read
    ids: list[str] = field(default_factory=list)
    titles: list[tuple[int, str, str]] = field(default_factory=list)  # (rank, id, title)
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, ident: str) -> None:
        if ident not in self.ids:
            self.ids.append(ident)

    def put(self, name: str, value: str, *, more: bool = False) -> None:
        if more and name in self.fields:
            self.fields[name].append(value)
        elif name not in self.fields:
            self.fields[name] = [value]


def _json_lines(data, text: str) -> list[tuple[int, str]]:
    """JSON of another shape as text lines: each string value (``key: value`` under a key), each
    object followed by a blank line, at the line where the value is written."""
    import json

    out: list[tuple[int, str]] = []
    pos = 0

    def walk(value, key=None) -> None:
        nonlocal pos
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
            out.append((out[-1][0] if out else 1, ""))
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and value.strip():
            found = text.find(json.dumps(value)[:60], pos)
            pos = found if found >= 0 else pos
            line = text.count("\n", 0, pos) + 1
            named = isinstance(key, str) and key[:1].isalpha() and "\n" not in value
            out.extend((line, f"{key}: {part}" if named else part) for part in value.splitlines())

    walk(data)
    return out


def _blocks(lines: list[tuple[int, str]]) -> tuple[list[Block], list[tuple[int, list[str]]]]:
    """The blocks of ``(line number, text)`` lines, and the arXiv links that no entry start holds
    (``(line, ids)``: a citation in prose, or an entry whose start was lost), to be reported."""
    blocks: list[Block] = []
    section: str | None = None  # a heading is only known to name a section once its block lists no paper
    block: Block | None = None
    prose: str | None = None  # the prose field being continued (abstract, comments, …)
    details: str | None = None  # inside <details>: the field its <summary> names
    head = False  # still in a bullet's head lines (before a blank line or <details>)
    stray: list[tuple[int, list[str]]] = []
    for n, line in _split_details(lines):
        line = line.lstrip(INVISIBLE)
        s = line.strip()
        if not s:
            head = False
            continue
        low = s.lower()
        starts = _starts_entry(line)
        if (details is not None or prose or not head) and not starts and _id_line_of_another(block, s):
            block = Block(n, s, "text", None)  # a block, an open <details> too, ends at another id line
            blocks.append(block)
            details, prose, head = None, None, True
            for ident in _ids(s):
                block.add(ident)
            _loose(block, s)  # its title was lost in the text before it
            continue
        if details is not None and starts:
            details = None  # an unclosed <details> ends where the next entry starts
        if details is not None or low.startswith("<details"):
            details = _details(block, s, low, details)
            head = False
            stray += [(n, [i]) for i in _links_to_arxiv(s)]
            continue
        if m := HEADING.match(line):
            title = s[m.end() - (len(line) - len(line.lstrip())):].strip()
            block = Block(n, title, "heading", None)
            blocks.append(block)
            prose, head = None, False
            _start(block, title, 0)
            continue
        if RULE.match(line):
            block, prose, head = None, None, False
            continue
        if s.startswith("|"):
            if SEPARATOR_ROW.match(s):
                continue
            block = Block(n, s, "row", None)
            blocks.append(block)
            prose, head = None, False
            _row(block, s)
            continue
        if m := BULLET.match(line):
            nested = block is not None and block.kind == "heading" and block.ids and prose and not _ids(s)
            if not nested:
                block = Block(n, s[m.end() - (len(line) - len(line.lstrip())):], "bullet", None)
                blocks.append(block)
                prose, head = None, True
                _start(block, block.start, 1)
                continue
        found = labels.fields(s)
        if found and found[0][0] is not None:
            listed = [i for name, _, value in found if name not in labels.PROSE for i in _ids(value)]
            if block is None or (listed and block.ids and listed[0] not in block.ids):
                block = Block(n, "", "text", None)  # "arXiv: ID Title" or "Link: …" after another paper
                blocks.append(block)
                if listed:
                    _start(block, found[0][2], 1)
            for name, _, value in found:
                prose = name if name in labels.PROSE else None
                block.put(name, value)
            for ident in listed:
                block.add(ident)
            continue
        ids = _ids(s)
        if prose and block is not None:
            block.put(prose, s, more=True)
            stray += [(n, [i]) for i in _links_to_arxiv(s)]
            continue
        if ids and _starts_with_id(s):
            if block is None or (block.ids and ids[0] not in block.ids):
                block = Block(n, s, "text", None)
                blocks.append(block)
                _start(block, s, 1)
            for ident in ids:
                block.add(ident)
            continue
        if block is not None and block.kind == "bullet" and head:
            for ident in ids:
                block.add(ident)
            _loose(block, s)
        elif links := _links_to_arxiv(s):
            stray.append((n, links))
    for block in blocks:
        if block.kind == "heading" and not block.ids:
            section = text_of(block.start[:MAX_TITLE_LINE]) or section
        block.section = section
    return blocks, stray


def _split_details(lines: list[tuple[int, str]]):
    """The lines, an entry start written right after a ``<details>`` (``<summary>``) tag on the
    same line given as a line of its own: the entry starts there and the block before it ends."""
    for n, line in lines:
        m = DETAILS_OPEN.match(bare := line.lstrip(INVISIBLE))
        if m and _starts_entry(rest := bare[m.end():]):
            yield n, bare[:m.end()]
            yield n, rest
        else:
            yield n, line


def _id_line_of_another(block: Block | None, s: str) -> bool:
    """True for a line that is only a link to a paper ``block`` does not list, or starts with its
    bare id (besides dates, category codes and link words like "PDF"): the id line of the next
    entry, not a citation."""
    links = _links_to_arxiv(s) or (_ids(s)[:1] if _starts_with_id(s) else [])
    if block is None or not block.ids or not links or links[0] in block.ids:
        return False
    rest = text_of(ARXIV_ID.sub(" ", ARXIV_URL.sub(" ", s)))
    words = re.findall(r"[^\W\d_]+(?:[.-][^\W\d_]+)?", rest)
    return all(w.lower() in GENERIC_LINK_TEXT or is_category(w) for w in words)


def _starts_entry(line: str) -> bool:
    """True for a heading, a table row or a list bullet at the start of the line."""
    bullet = BULLET.match(line) and line[:1] in "-*+0123456789"
    return bool(HEADING.match(line) or line.lstrip().startswith("|") or bullet)


def _details(block: Block | None, s: str, low: str, current: str | None) -> str | None:
    """Read one line of a ``<details>`` block into ``block``; the field it feeds, None once closed."""
    closed = "</details>" in low
    if low.startswith("<details"):
        summary = re.search(r"<summary\b[^<>]*>([^<]*)</summary>", s, re.I)
        name = labels.labels().get(labels.norm(summary.group(1))) if summary else None
        current = name if name and name != "details" else ""
        s = s[summary.end():] if summary else s[s.find(">") + 1:]
    body = text_of(s.split("</details>")[0] if closed else s)
    if block is not None and body:
        found = labels.fields(body)
        if found and found[0][0] is not None:
            for name, _, value in found:
                block.put(name, value)
                current = name if name in labels.PROSE else ""
        elif current:
            block.put(current, body, more=True)
    return None if closed else current


def _start(block: Block, text: str, rank: int) -> None:
    """Title candidates from a start line: a link's text, else the line's own text."""
    ids = _ids(text)
    text = text[:MAX_TITLE_LINE]
    links = _links(text)
    for label, url in links:
        ident = arxiv_id(url) or arxiv_id(label)
        if ident and len(ids) <= 1 and _meaningful(label):
            block.titles.append((0, ident, _strip_id(label, ident)))
    for ident in ids:
        block.add(ident)
    if len(ids) == 1 and not any(t[0] == 0 for t in block.titles):
        block.titles.append((rank, ids[0], _segment(text, ids[0])))
    elif not ids:
        block.titles.append((rank, "", _segment(text, None)))


def _row(block: Block, s: str) -> None:
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", s.strip().strip("|"))]
    ids = _ids(s)
    for ident in ids:
        block.add(ident)
    for cell in cells:
        found = labels.fields(cell)
        if found and found[0][0] is not None:
            for name, _, value in found:
                block.put(name, value)
        cell_ids = _ids(cell)
        if len(cell_ids) == 1:
            title = _segment(cell, cell_ids[0])
            if title and not any(t[1] == cell_ids[0] for t in block.titles):
                block.titles.append((2, cell_ids[0], title))
    if len(ids) == 1 and not block.titles:  # the id stands alone in its cell: the first cell of words
        words = (text_of(c) for c in cells if not _ids(c) and not labels.fields(c))
        if title := next((w for w in words if len(w.split()) >= 3 and not iso_date(w)), None):
            block.titles.append((2, ids[0], title))


def _loose(block: Block, s: str) -> None:
    """An unlabelled head line of a bullet: authors right under the title, a date, category codes."""
    plain = text_of(s)
    if "authors" not in block.fields and not block.ids and not any(c.isdigit() for c in plain) \
            and ":" not in plain and "http" not in s and _names(plain):
        block.put("authors", plain)
        return
    if "date" not in block.fields and (date := iso_date(plain)):
        block.put("date", date)
    codes = [c for c in BACKTICK.findall(s) if is_category(c) and "." in c]
    if codes and "categories" not in block.fields:
        block.put("categories", " ".join(codes))


def _names(text: str) -> bool:
    """True for a line that is only a list of names (``et al.`` may end it)."""
    parts = [p.strip() for p in text.split(",") if p.strip().lower().rstrip(".") not in ("et al", "etc")]
    return bool(parts) and all(0 < len(p.split()) <= 6 and p[:1].isupper() for p in parts)


def _papers(blocks: list[Block], path: str) -> list[Paper]:
    """One paper per listed id: fields from the richest block listing it alone (else from none),
    the title of the best rank and, among those, the longest."""
    first: dict[str, Block] = {}
    own: dict[str, Block] = {}
    titles: dict[str, tuple[int, str]] = {}
    for block in blocks:
        single = len(block.ids) == 1
        for ident in block.ids:
            first.setdefault(ident, block)
        if single and (block.ids[0] not in own or _richness(block) > _richness(own[block.ids[0]])):
            own[block.ids[0]] = block
        for rank, ident, title in block.titles:
            ident = ident or (block.ids[0] if single else "")
            if not ident or not title:
                continue
            rank = rank if single or rank == 2 else 3  # a line listing several papers titles none well
            if ident not in titles or (rank, -len(title)) < (titles[ident][0], -len(titles[ident][1])):
                titles[ident] = (rank, title)
    return [_paper(ident, own.get(ident), own.get(ident, block), titles.get(ident, (0, ""))[1], path)
            for ident, block in first.items()]


def _richness(block: Block) -> tuple[int, int]:
    return len(block.fields), sum(len(v) for values in block.fields.values() for v in values)


def _paper(ident: str, own: Block | None, where: Block, title: str, path: str) -> Paper:
    f = {k: " ".join(v for v in vs if v).strip() for k, vs in (own.fields if own else {}).items()}
    abstract = f.get("abstract") or f.get("abstract_en") or f.get("abstract_zh") or None
    primary = [c for c in f.get("primary_category", "").replace(",", " ").split() if is_category(c)]
    categories = [c for c in f.get("categories", "").replace(",", " ").split() if is_category(c)]
    categories = tuple(dict.fromkeys(primary + categories))
    comments = f.get("comments") or None
    summaries = tuple(Summary(kind, f[kind], language(f[kind])) for kind in sorted(labels.SUMMARY_KINDS) if f.get(kind))
    code, project = split_urls(urls(" ".join(filter(None, [abstract, comments, f.get("code")]))))
    return Paper(
        arxiv_id=ident,
        title=text_of(title),
        source=Source(path, where.line, where.section, NAME),
        authors=author_list(text_of(f["authors"])) if f.get("authors") else (),
        published=iso_date(f.get("date")),
        categories=categories,
        primary_category=categories[0] if categories else None,
        comments=comments,
        journal_ref=f.get("journal_ref") or None,
        doi=f.get("doi") or None,
        code_urls=code,
        project_urls=project,
        summaries=summaries,
        **abstract_fields(abstract),
        keywords=tuple(k.strip() for k in f.get("keywords", "").split(",") if k.strip()),
    )


def _ids(text: str) -> list[str]:
    """The arXiv ids in ``text`` (links and bare ids), in order, each once."""
    found = [m.group(1) for m in ARXIV_URL.finditer(text)] + [m.group(1) for m in ARXIV_ID.finditer(text)]
    return list(dict.fromkeys(found))


def _links_to_arxiv(text: str) -> list[str]:
    return [m.group(1) for m in ARXIV_URL.finditer(text)] if "arxiv.org/" in text else []


def _links(text: str) -> list[tuple[str, str]]:
    """``(text, url)`` of the first ``MAX_LINKS`` markdown and of HTML links (a line with more is
    a list, not a title)."""
    out = []
    for m in islice(MD_LINK.finditer(text), MAX_LINKS):
        inner = m.group(0)
        out.append((m.group(1), inner[inner.rfind("](") + 2: -1]))
    for m in islice(HTML_LINK.finditer(text), MAX_LINKS):
        href = HREF.search(m.group(0))
        out.append((m.group(1), href.group(1) if href else ""))
    return out


def _meaningful(label: str) -> bool:
    plain = text_of(label).strip(MARKUP).lower()
    return plain not in GENERIC_LINK_TEXT and not ARXIV_ID.fullmatch(plain)


def _starts_with_id(s: str) -> bool:
    rest = ARXIV_PREFIX.sub("", s.lstrip(MARKUP), count=1)
    return bool(ARXIV_ID.match(rest) or ARXIV_URL.match(rest) or ARXIV_URL.match(s.lstrip(MARKUP)))


def _strip_id(text: str, ident: str) -> str:
    return " ".join(text_of(text).replace(ident, " ").split()).strip(MARKUP)


def _segment(text: str, ident: str | None) -> str:
    """The title-like part of a start line: links that only point somewhere and the id dropped;
    ``Name (ID) did …`` gives ``Name``; ``Title — ID — [arXiv](…)`` gives ``Title``."""
    for label, url in _links(text):
        if not _meaningful(label):
            text = text.replace(label, "", 1).replace(url, "", 1)
    plain = text_of(text)
    plain = ARXIV_URL.sub(" ", plain)
    if ident:
        at = plain.find(ident)
        if at > 0 and plain[:at].rstrip(" `").endswith("("):
            plain = plain[:at].rstrip(" `")[:-1]
        plain = plain.replace(ident, " ")
        plain = re.sub(r"v\d+\b", "", plain) if plain.lstrip(MARKUP)[:1] == "v" else plain
    plain = ARXIV_PREFIX.sub(" ", plain)
    pieces = [p.strip(MARKUP) for p in PIECES.split(plain)]
    piece = next((p for p in pieces if p and not ARXIV_ID.fullmatch(p)), "")
    return " ".join(piece.replace("()", " ").split())
