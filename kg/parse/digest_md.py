"""Family B: markdown digests whose entries are headings linking to arXiv, followed by labelled fields.

An entry starts at a heading of any level (``#`` … ``######``), numbered or not (``[N]``, ``N.``),
that links to an ``/abs/`` or ``/pdf/`` URL (a markdown link, an HTML anchor or a bare URL), and
ends at the next heading, an HTML ``<div>``, a table, an arXivDaily id line (``ID date …``) or an
arXiv e-mail entry (``\\\\`` over ``arXiv:ID``): fields never flow into another entry.
Fields are read through the label table of ``labels`` (plain, bold, full-width colon, run-on
lines); wrapped, indented and multi-paragraph values are joined. A heading without a link whose
body holds entry fields is read when its body gives the arXiv id, and reported otherwise.
"""

from __future__ import annotations

import re

from ..model import Paper, Problem, Source, Summary
from .arxiv_email import LOOSE_HEAD as EMAIL_HEAD
from .arxivdaily import LOOSE_HEAD as DAILY_HEAD
from .common import ARXIV_ID, ARXIV_URL, author_list, iso_date, split_urls, urls
from .labels import PROSE, SUMMARY_KINDS, fields as label_fields, leading
from .lang import language
from .markup import MD_LINK, title_text
from .validate import in_taxonomy

NAME = "digest-md.v2"
READS_PARTS = True  # reads its own parts of a file; other lines may be another layout
HEADING = re.compile(r"[ ]{0,3}(#{1,6})(?:[ \t]|$)")
TOC_ITEM = re.compile(r"-[ \t]*\[(?P<name>[^\]]+)\]\(#[^)]*\)[ \t]*\[Total:[ \t]*(?P<n>\d+)\]")
ANCHOR = re.compile(r"<a\b[^<>]*>[^<]*</a>", re.I)
NUMBERING = re.compile(r"^(?:\[\s*+\d*+\s*+\]|\d++[.)])\s*+")
BACK = re.compile(r"\[\[Back\]\]\([^)]*\)|\[Back\]\([^)]*\)", re.I)
BLOCK_TAG = re.compile(r"</?(?:details|summary|p|div|br|span|blockquote)\b[^<>]*>", re.I)
SUMMARY_LABEL = re.compile(r"<summary\b[^<>]*>([^<]{1,40})</summary>", re.I)
ENTRY_FIELDS = SUMMARY_KINDS | {"abstract", "abstract_en", "abstract_zh", "authors"}


def sniff(text: str) -> bool:
    """True when ``text`` has a heading that links to an arXiv paper, or a heading whose entry
    gives the paper's arXiv link in a field just below it (``**Link**: [PDF](…/pdf/ID)``)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if HEADING.match(line):
            if ARXIV_URL.search(line):
                return True
            body = [(k, lines[k]) for k in range(i + 1, min(i + 12, len(lines)))]
            if any("arxiv.org/" in raw for _, raw in body) and _entry_like(body) and _body_id(body):
                return True
    return False


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if HEADING.match(line)]
    papers, problems = [], []
    expected: dict[str, tuple[int, int]] = {}
    counted: dict[str | None, int] = {}
    section = None
    for i, line in enumerate(lines):
        if m := TOC_ITEM.match(line.strip()):
            expected[m.group("name")] = (int(m.group("n")), i + 1)
    linked = [h for h in heads if ARXIV_URL.search(lines[h])]
    final = linked[-1] if linked else -1
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        heading = lines[start]
        body = _body(lines, start + 1, end)
        link = ARXIV_URL.search(heading)
        if not link and not (_entry_like(body) and _body_id(body)):
            if _entry_like(body):
                problems.append(Problem(path, start + 1, f"heading {_heading_text(heading)[:80]!r} starts an entry "
                                        "without an arXiv link: not read"))
            else:
                section = _heading_text(heading) or section
            continue
        paper, problem = _entry(heading, link, body, Source(path, start + 1, section, NAME), last=start >= final)
        if paper:
            papers.append(paper)
            counted[section] = counted.get(section, 0) + 1
        if problem:
            problems.append(problem)
    for name, (count, line) in expected.items():
        if counted.get(name, 0) < count and not any(p.message.endswith("cut off") for p in problems):
            problems.append(Problem(path, line, f"section {name} lists {count} entries, {counted.get(name, 0)} found"))
    return papers, problems


def _body(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    """An entry's lines up to the next heading, ``<div>``, table row or entry of another family, with their indices."""
    out = []
    for i in range(start, end):
        stripped = lines[i].strip()
        if stripped.startswith(("<div", "|")) or DAILY_HEAD.match(stripped) or (
                stripped == "\\\\" and i + 1 < end and EMAIL_HEAD.match(lines[i + 1].strip())):
            break
        out.append((i, lines[i]))
    return out


def _entry(heading: str, link: re.Match | None, body, where: Source, *, last: bool):
    own, foreign = _own(body, link.group(1) if link else None)
    ident = link.group(1) if link else _body_id(own)
    if not ident:  # the only link is in the part that belongs to another entry
        other = _body_id([(i, line) for i, line in body if i + 1 >= (foreign or 0)])
        return None, Problem(where.path, where.line, f"heading {_heading_text(heading)[:80]!r} has no arXiv link of its "
                             f"own and the text from line {foreign} holds the fields of entry {other} (a damaged "
                             "heading?): neither is read")
    body = own
    stray = foreign and Problem(where.path, foreign, f"entry {ident}: the text from here on holds another entry's "
                                "fields (a damaged heading?) and is not read as this entry's")
    read = _fields(body)
    raw = "\n".join(line for _, line in body)
    if last and "<details" in raw and "</details>" not in raw:
        return None, Problem(where.path, where.line, f"entry {ident} is cut off")
    get = lambda key, sep=" ": sep.join(x for x in read.get(key, []) if x).strip() or None  # noqa: E731
    summaries = []
    for kind in read:
        if kind in SUMMARY_KINDS and (value := get(kind, "\n" if kind == "key_contributions" else " ")):
            summaries.append(Summary(kind, value, "und"))  # validation tags each text from its script
    abstract_en, abstract_zh = get("abstract_en"), get("abstract_zh")
    if abstract := get("abstract"):
        if language(abstract) in ("zh", "ja", "ko") and not abstract_zh:
            abstract_zh = abstract
        elif not abstract_en:
            abstract_en = abstract
    primary = (get("primary_category") or "").split()
    section_code = where.section if where.section and in_taxonomy(where.section) else None
    listed = re.split(r"[\s,;]+", get("categories") or "")
    categories = tuple(dict.fromkeys(c.strip("`") for c in [*primary[:1], *listed, section_code or ""] if c.strip("`")))
    comments = get("comments")
    code, project = split_urls(urls(" ".join(filter(None, [abstract_en, comments, get("code")]))))
    keywords = tuple(k.strip() for k in (get("keywords") or "").split(",") if k.strip())
    return Paper(
        arxiv_id=ident,
        title=_title(heading, link),
        source=where,
        authors=author_list(get("authors", ", ") or get("byline", ", ") or ""),
        published=iso_date(get("date")),
        categories=categories,
        primary_category=primary[0].strip("`") if primary else section_code,
        comments=comments,
        code_urls=code,
        project_urls=project,
        summaries=tuple(summaries),
        abstract_en=abstract_en,
        abstract_zh=abstract_zh,
        keywords=keywords,
    ), stray or None


def _own(body, ident: str | None):
    """An entry's body up to where another entry's fields begin (its heading lost or glued to a
    line): a second Authors or Link field, or a Link to another paper. Returns the body kept and
    the 1-based line where the rest starts (None when the whole body is the entry's)."""
    seen: set[str] = set()
    rule = last_field = -1
    for k, (i, raw) in enumerate(body):
        stripped = raw.strip()
        if stripped.startswith(("---", "***", "___")):
            rule = k
            continue
        found = leading(stripped)
        if not (found and found[0]):
            continue
        m = ARXIV_URL.search(found[2]) if found[0] == "link" else None
        ident = ident or (m and m.group(1))  # a headingless entry's own link is its first
        other = m and m.group(1) != ident
        if other or (found[0] in ("authors", "link") and found[0] in seen):
            cut = rule if rule > last_field else k
            return body[:cut], body[cut][0] + 1
        seen.add(found[0])
        last_field = k
    return body, None


def _fields(body) -> dict[str, list[str]]:
    """Field name → its lines, from an entry's body: an italic author line, then labelled fields
    whose unlabelled lines continue the field above. A label the table does not know starts a
    field that is not kept, except inside prose (an abstract's "Note: …" stays in the abstract)."""
    read: dict[str, list[str]] = {}
    current: str | None = None
    paragraph = True  # the line starts a paragraph: a plain label there may end a prose field
    for _, raw in body:
        line, closes = _unwrap(raw)
        stripped = line.strip()
        if stripped in ("---", "***", "___"):
            current = None
        elif stripped:
            if not read and current is None and stripped.startswith("*") and not stripped.startswith("**"):
                close = stripped.find("* ", 1)
                close = len(stripped) - 1 if close == -1 and stripped.endswith("*") else close
                names = stripped[1:close] if close > 0 else stripped[1:]
                read["byline"] = [names.strip()]
                current = "byline"
                stripped = stripped[close + 1:].strip() if close > 0 else ""
            found = label_fields(stripped) if stripped else None
            if found and current in PROSE and not (paragraph or stripped.startswith(("**", "__"))):
                found = None  # a wrapped line of an abstract that happens to start "Results: …"
            if found and (found[0][0] is not None or current not in PROSE):
                for field, _, value in found:
                    current = field or "ignore"
                    read.setdefault(current, []).append(value)
            elif stripped and current:
                read.setdefault(current, []).append(stripped)
        paragraph = not stripped
        if closes:
            current = None
    read.pop("ignore", None)
    read.pop("details", None)
    return read


def _unwrap(raw: str) -> tuple[str, bool]:
    """A body line without its block HTML (``<details>``, ``<p>``); a ``<summary>`` naming a label
    (``<summary>Abstract</summary>``) becomes that label. Also says whether the line closes a block."""
    if "<" not in raw:
        return raw, False
    closes = "</details>" in raw.lower()
    raw = SUMMARY_LABEL.sub(lambda m: f"{m.group(1).strip()}: " if m.group(1).strip().lower() != "details" else "",
                            raw)
    return BLOCK_TAG.sub(" ", raw), closes


def _entry_like(body) -> bool:
    """True when a heading's body holds the fields of a paper entry (authors, summaries, abstract)."""
    read = _fields(body[:40])
    return any(field in ENTRY_FIELDS for field in read)


def _body_id(body) -> str | None:
    """The arXiv id a headingless entry gives in a link field or a line of its own."""
    read = _fields(body[:40])
    for value in read.get("link", []) + read.get("code", []):
        if m := ARXIV_URL.search(value) or ARXIV_ID.search(value):
            return m.group(1)
    return None


def _title(heading: str, link: re.Match | None) -> str:
    """The title in an entry heading: the arXiv link's text, or the heading without the link."""
    text = HEADING.sub("", heading, count=1).strip()
    if link:
        for m in MD_LINK.finditer(text):
            if ARXIV_URL.search(m.group(0)):
                inner = title_text(m.group(1))
                if inner and not ARXIV_ID.fullmatch(inner):
                    return inner
                text = text[: m.start()] + text[m.end():]
                break
        else:
            text = ANCHOR.sub("", text).replace(link.group(0), "")
    return NUMBERING.sub("", title_text(NUMBERING.sub("", text.strip()))).strip()


def _heading_text(heading: str) -> str:
    return title_text(BACK.sub("", HEADING.sub("", heading, count=1))).strip(" #")
