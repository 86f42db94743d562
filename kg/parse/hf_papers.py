"""Hugging Face daily-papers JSON: the API's array of ``{paper: {id, title, summary, authors, …}, …}``
(2024) or the newer objects with ``ai_summary``/``ai_keywords``, as a list or under a key.

Records are found by their keys, not by one fixed shape: any object whose ``id`` (or ``arxiv_id``,
``paper_id``) is an arXiv id and that has a title is a paper (``records`` also serves the generic reader).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..model import Paper, Problem, Source, Summary
from .common import (ARXIV_ID, abstract_fields, arxiv_id, author_list, iso_date, line_at, load_json, sniff_json,
                     split_urls, urls)
from .lang import language

NAME = "hf-papers.v1"
ID_KEYS = ("id", "arxiv_id", "arxivId", "paper_id", "paperId")
MARKERS = {"upvotes", "ai_summary", "ai_keywords", "submittedOnDailyAt", "mediaUrl", "numComments"}


def sniff(text: str) -> bool:
    """True when ``text`` is JSON holding paper objects with Hugging Face's keys."""
    data = sniff_json(text)
    return data is not None and any(MARKERS & set(record) for record in records(data))


def parse(text: str, path: str) -> tuple[list[Paper], list[Problem]]:
    return papers_from(load_json(text, path), text, path, NAME)


def papers_from(data, text: str, path: str, parser: str) -> tuple[list[Paper], list[Problem]]:
    """Papers from JSON ``data`` parsed from ``text``; each at the line where its id is written."""
    papers, problems = [], []
    pos = 0
    for record in records(data):
        key = _id_key(record)
        ident = arxiv_id(record[key])
        found = text.find(json.dumps(record[key]), pos)
        pos = found if found >= 0 else pos
        where = Source(path, line_at(text, pos), None, parser)
        title = " ".join(str(record.get("title") or "").split())
        if not title:
            problems.append(Problem(path, where.line, f"paper {ident} has no title"))
            continue
        papers.append(_paper(record, ident, title, where))
    return papers, problems


def records(data) -> Iterator[dict]:
    """Objects that describe one arXiv paper, each merged with the wrapper that holds it as ``paper``."""
    if isinstance(data, list):
        for item in data:
            yield from records(item)
    elif isinstance(data, dict):
        inner = data.get("paper")
        if isinstance(inner, dict) and _id_key(inner):
            yield {**{k: v for k, v in data.items() if k != "paper"}, **{k: v for k, v in inner.items() if v}}
        elif _id_key(data):
            yield data
        else:
            for value in data.values():
                if isinstance(value, (list, dict)):
                    yield from records(value)


def _id_key(record: dict) -> str | None:
    """The key holding the record's arXiv id, if it has one."""
    return next((key for key in ID_KEYS if isinstance(record.get(key), str)
                 and ARXIV_ID.fullmatch(record[key].strip().removeprefix("arXiv:"))), None)


def _paper(record: dict, ident: str, title: str, where: Source) -> Paper:
    abstract = " ".join(str(record.get("summary") or record.get("abstract") or "").split()) or None
    summary = " ".join(str(record.get("ai_summary") or "").split())
    summaries = (Summary("ai_summary", summary, language(summary)),) if summary else ()
    keywords = record.get("ai_keywords") or record.get("keywords") or ()
    links = [str(record[k]) for k in ("githubRepo", "projectPage", "code", "repo") if record.get(k)]
    code, project = split_urls(urls(" ".join(links + [abstract or ""])))
    return Paper(
        arxiv_id=ident,
        title=title,
        source=where,
        authors=_authors(record.get("authors")),
        published=iso_date(str(record.get("publishedAt") or record.get("published") or record.get("date") or "")),
        code_urls=code,
        project_urls=project,
        summaries=summaries,
        **abstract_fields(abstract),
        keywords=tuple(str(k) for k in keywords) if isinstance(keywords, list) else (),
    )


def _authors(value) -> tuple[str, ...]:
    """Authors given as ``[{name: …}]``, ``["…"]`` or one ``"A, B and C"`` string."""
    if isinstance(value, str):
        return author_list(value)
    if not isinstance(value, list):
        return ()
    names = [a.get("name") or a.get("fullname") if isinstance(a, dict) else a for a in value]
    return tuple(" ".join(n.split()) for n in names if isinstance(n, str) and n.strip())
