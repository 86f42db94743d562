"""RSS 2.0 / RSS 1.0 / Atom feeds of arXiv papers (arXiv's own RSS, the arXiv API's Atom, re-emitted feeds).

Read with defusedxml: entity declarations and external DTDs are refused, never expanded or fetched.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError as XMLSyntaxError

from ..model import Paper, Problem, Source, Summary
from .common import (ANNOUNCE, abstract_fields, arxiv_id, author_list, html_text, is_category, iso_date, split_urls,
                     urls, venue)
from .lang import language

NAME = "feed.v1"
ROOTS = ("<rss", "<feed", "<rdf:RDF", "<channel")
ANNOUNCED = re.compile(r"arXiv:\S+\s+Announce Type:\s*(?P<kind>[\w-]+)")


def sniff(text: str) -> bool:
    """True when ``text`` starts like an RSS or Atom document."""
    head = text.lstrip()[:4000]
    return head.startswith("<") and any(root in head for root in ROOTS)


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    root, lines, problem = _xml(text, path)
    if root is None:
        return [], [problem]
    papers, problems = [], []
    for item in (el for el in root.iter() if _local(el.tag) in ("item", "entry")):
        ident = next(filter(None, map(arxiv_id, (_text(item, name) for name in ("guid", "id", "link")))), None)
        ident = ident or next(filter(None, (arxiv_id(link.get("href", "")) for link in _all(item, "link"))), None)
        line = lines[id(item)]
        title = " ".join(_text(item, "title").split())
        if not ident or not title:
            what = f"item {title[:60]!r} has no arXiv id" if not ident else f"item {ident} has no title"
            problems.append(Problem(path, line, what))
            continue
        papers.append(_paper(item, ident, title, Source(path, line, None, NAME)))
    return papers, problems


def _paper(item: Element, ident: str, title: str, where: Source) -> Paper:
    description = html_text(_text(item, "description") or _text(item, "summary"))
    abstract, summaries = description, ()
    before, sep, after = description.partition("Abstract:")
    kind = _text(item, "announce_type")
    if sep:
        abstract = after.strip()
        if m := ANNOUNCED.search(before):
            kind = kind or m.group("kind")
            before = before[: m.start()]
        if before.strip():
            summaries = (Summary("ai_summary", before.strip(), language(before)),)
    abstract = " ".join(abstract.split()) or None
    primary = next((el.get("term") for el in _all(item, "primary_category")), None)
    categories = [primary] + [el.get("term") or el.text or "" for el in _all(item, "category")]
    categories = tuple(dict.fromkeys(c.strip() for c in categories if c and is_category(c)))
    authors = [" ".join(_text(a, "name").split()) for a in _all(item, "author")]
    if not any(authors):
        authors = [name for el in _all(item, "creator") for name in author_list(el.text or "")]
    comments = " ".join(_text(item, "comment").split()) or None
    dated = _text(item, "published") or (_text(item, "pubDate") if kind in (None, "", "new", "cross") else "")
    code, project = split_urls(urls(" ".join(filter(None, [abstract, comments]))))
    return Paper(
        arxiv_id=ident,
        title=title,
        source=Source(where.path, where.line, ANNOUNCE.get(kind or ""), NAME),
        authors=tuple(a for a in authors if a),
        published=iso_date(dated),
        categories=categories,
        primary_category=categories[0] if categories else None,
        comments=comments,
        journal_ref=" ".join(_text(item, "journal_ref").split()) or None,
        doi=_text(item, "doi").strip() or None,
        venue=venue(comments),
        code_urls=code,
        project_urls=project,
        summaries=summaries,
        **abstract_fields(abstract),
    )


def _xml(text: str, path: str) -> tuple[Element | None, dict[int, int], Problem | None]:
    """The document's root and the line of each element's start tag (by ``id``), or a problem."""
    from xml.etree.ElementTree import TreeBuilder

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    lines: dict[int, int] = {}

    class Builder(TreeBuilder):
        def start(self, tag, attrs):
            element = super().start(tag, attrs)
            lines[id(element)] = parser.parser.CurrentLineNumber
            return element

    parser = DefusedXMLParser(target=Builder())
    try:
        parser.feed(text.lstrip("\ufeff"))
        return parser.close(), lines, None
    except XMLSyntaxError as exc:
        from xml.parsers.expat import ErrorString

        line, column = exc.position
        return None, lines, Problem(path, line, f"malformed XML: {ErrorString(exc.code)} (column {column + 1})")
    except DefusedXmlException as exc:
        return None, lines, Problem(path, parser.parser.CurrentLineNumber,
                                    f"XML entity and DTD declarations are not read ({type(exc).__name__})")


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _all(el: Element, name: str) -> list[Element]:
    return [child for child in el if _local(child.tag) == name]


def _text(el: Element, name: str) -> str:
    """The text of ``el``'s first child called ``name`` (any namespace), or ``""``."""
    return next(("".join(child.itertext()) for child in _all(el, name)), "")
