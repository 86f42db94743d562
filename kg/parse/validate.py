"""The one step between every reader and the store: no mangled field gets through.

``validate(papers, path)`` returns the papers with each bad field dropped or repaired and one
``Problem`` (``file:line: id: what``) per kind of repair; the rest of the entry is always kept.

- every text: characters XML 1.0 forbids (C0 controls, NUL, lone surrogates, U+FFFE/U+FFFF) are
  dropped, and sizes are capped (``LIMITS``);
- titles: markup residue (``**``, ``[…](…)``, HTML tags, entities) is removed. A paper left without
  a title keeps its arXiv id as the title: the id names the paper exactly, and its authors and
  abstract are still worth storing (it is reported, never silent);
- authors: a category code, URL, markup, a field label or "et al." is not a name (``et al.`` also
  marks the list incomplete);
- categories: only codes of the arXiv taxonomy (``kg/data/arxiv_categories.tsv``);
- summaries and abstracts: leaked model reasoning (``<think>…</think>``) is cut out, placeholders of
  failed summarisers ("Summary generation failed", ``kg/data/placeholders.tsv``) are dropped, and
  each summary gets the language of its script (``lang.language``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from ..data import load_tsv
from ..model import Institution, Paper, Problem, Summary
from .lang import HAN, language
from .markup import title_text

LIMITS = {"title": 1000, "abstract": 20000, "summary": 20000, "comments": 10000, "name": 200, "authors": 2000,
          "keywords": 100, "institutions": 500, "institution": 500}
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HTML_TAG = r"</?(?:a|b|i|u|em|strong|sup|sub|span|br|p|div|details|summary|font|code|small|big|center)\b[^<>]*>"
TITLE_RESIDUE = re.compile(rf"\*\*|__|\]\(|{HTML_TAG}|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);|\\[\[\]]", re.I)
CATEGORY_SHAPE = re.compile(r"[a-z]+(?:-[a-z]+)*\.[A-Za-z]+(?:-[a-z]+)*")
ET_AL = re.compile(r"(?:^|[\s,])(?:et\.?\s?al\.?|等(?:人)?)$", re.I)
THINK = re.compile(r"<think>.*?(?:</think>|\Z)|\A.*?</think>", re.S | re.I)
NAME_MARKUP = ("**", "|", "](", "<", ">", "`", "[", "]")


def validate(papers: list[Paper], path: str) -> tuple[list[Paper], list[Problem]]:
    """Each paper with its bad fields dropped or repaired, and the problems found.

    >>> from kg.model import Source
    >>> p = Paper("2501.00001", "**A [title](https://x.org)**", Source("d.md", 7), authors=("Ann Lee", "cs.AI"),
    ...           summaries=(Summary("tldr", "Summary generation failed", "en"),))
    >>> [q], problems = validate([p], "d.md")
    >>> q.title, q.authors, q.summaries
    ('A title', ('Ann Lee',), ())
    >>> [str(x) for x in problems]  # doctest: +NORMALIZE_WHITESPACE
    ['d.md:7: 2501.00001: markup removed from the title',
     "d.md:7: 2501.00001: author dropped (a category code, not a name): 'cs.AI'",
     "d.md:7: 2501.00001: tldr dropped: a failed summariser's placeholder ('Summary generation failed')"]
    """
    out, problems = [], []
    for paper in papers:
        fixed, found = _paper(paper)
        out.append(fixed)
        problems += [Problem(path, paper.source.line, f"{paper.arxiv_id}: {message}") for message in found]
    return out, problems


def _paper(p: Paper) -> tuple[Paper, list[str]]:
    found: list[str] = []
    # lists first, so that no later step walks a huge one
    if len(p.authors) > LIMITS["authors"]:
        p = replace(p, authors_complete=False)
    p = replace(p, **{name: _capped(getattr(p, name), name, found) for name in ("authors", "institutions", "keywords")})
    if long := [i for i in p.institutions if len(i.name) > LIMITS["institution"]]:
        found.append(f"{len(long)} institution name(s) over {LIMITS['institution']} characters dropped")
        p = replace(p, institutions=tuple(i for i in p.institutions if i not in long))
    p = _legal_xml(p, found)
    title = _title(p.title, "title", found)
    if not title:
        found.append("no title: kept with its arXiv id as the title")
        title = p.arxiv_id
    authors, complete = _authors(p.authors, found)
    categories = tuple(c for c in p.categories if _known_category(c, found))
    primary = p.primary_category
    if primary and primary not in categories and (primary in p.categories or not _known_category(primary, found)):
        primary = None
    return replace(
        p, title=title, title_zh=_title(p.title_zh, "title_zh", found) or None,
        authors=authors, authors_complete=p.authors_complete and complete,

        categories=categories, primary_category=primary,
        comments=_cut(p.comments, LIMITS["comments"], "comments", found),
        summaries=tuple(s for s in (_summary(s, found) for s in p.summaries) if s),
        keywords=tuple(k for k in p.keywords if k.strip()),
        **_abstracts(p, found),
    ), found


def _legal_xml(p: Paper, found: list[str]) -> Paper:
    """The paper without characters XML 1.0 forbids, in every text it holds."""
    dirty = []

    def clean(value, name):
        if isinstance(value, str) and ILLEGAL_XML.search(value):
            dirty.append(name)
            return ILLEGAL_XML.sub("", value)
        return value

    changes = {f: clean(getattr(p, f), f) for f in ("title", "title_zh", "comments", "journal_ref", "doi",
                                                     "abstract_en", "abstract_zh")}
    changes["authors"] = tuple(clean(a, "authors") for a in p.authors)
    changes["keywords"] = tuple(clean(k, "keywords") for k in p.keywords)
    changes["topics"] = tuple(clean(t, "topics") for t in p.topics)
    changes["summaries"] = tuple(replace(s, text=clean(s.text, s.kind)) for s in p.summaries)
    changes["institutions"] = tuple(Institution(clean(i.name, "institutions"), clean(i.name_zh, "institutions"),
                                                clean(i.parent, "institutions")) for i in p.institutions)
    if dirty:
        found.append(f"characters not allowed in XML dropped from {', '.join(dict.fromkeys(dirty))}")
        return replace(p, **changes)
    return p


def _title(title: str | None, name: str, found: list[str]) -> str:
    if not title:
        return ""
    title = _cut(" ".join(title.split()), LIMITS["title"], name, found)
    if TITLE_RESIDUE.search(title):
        found.append(f"markup removed from the {name}")
        title = title_text(title)
    return title


def _authors(names: tuple[str, ...], found: list[str]) -> tuple[tuple[str, ...], bool]:
    complete = True
    kept: list[str] = []
    dropped: dict[str, list[str]] = {}
    for raw in names:
        name = " ".join(raw.split()).strip(" ,;")
        if m := ET_AL.search(name):
            complete = False
            name = name[: m.start()].strip(" ,;")
            if not name:
                continue
        reason = _not_a_name(name)
        if reason:
            dropped.setdefault(reason, []).append(name)
        else:
            kept.append(name)
    for reason, bad in dropped.items():
        shown = ", ".join(repr(b[:60]) for b in bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        found.append(f"author{'s' * (len(bad) > 1)} dropped ({reason}): {shown}")
    return tuple(kept), complete


def _not_a_name(name: str) -> str | None:
    """Why ``name`` cannot be a person's name, or None."""
    if len(name) > LIMITS["name"]:
        return f"over {LIMITS['name']} characters"
    if not any(c.isalpha() for c in name):
        return "no letters"
    if name in _taxonomy() or CATEGORY_SHAPE.fullmatch(name):
        return "a category code, not a name"
    if "://" in name or name.lower().startswith("www."):
        return "a URL"
    if any(m in name for m in NAME_MARKUP):
        return "markup"
    if ":" in name or "：" in name:
        return "a field label"
    return None


def in_taxonomy(code: str) -> bool:
    """True when ``code`` is an arXiv category (``kg/data/arxiv_categories.tsv``).

    >>> in_taxonomy("cs.CL"), in_taxonomy("cs.XX")
    (True, False)
    """
    return code in _taxonomy()


def _known_category(code: str, found: list[str]) -> bool:
    if code in _taxonomy():
        return True
    found.append(f"category {code[:60]!r} dropped: not in the arXiv taxonomy")
    return False


def _summary(s: Summary, found: list[str]) -> Summary | None:
    text = _prose(s.text, s.kind, LIMITS["summary"], found)
    return replace(s, text=text, lang=language(text)) if text else None


def _abstracts(p: Paper, found: list[str]) -> dict[str, str | None]:
    """Both abstracts cleaned, each in the slot its script calls for when that slot is free."""
    en = _prose(p.abstract_en, "abstract_en", LIMITS["abstract"], found)
    zh = _prose(p.abstract_zh, "abstract_zh", LIMITS["abstract"], found)
    if en and not zh and language(en) in ("zh", "ja", "ko"):
        en, zh = None, en
    elif zh and not en and language(zh) not in ("zh", "ja", "ko"):
        en, zh = zh, None
    return {"abstract_en": en, "abstract_zh": zh}


def _prose(text: str | None, kind: str, limit: int, found: list[str]) -> str | None:
    """A summary or abstract without leaked reasoning, or None for a placeholder."""
    if not text:
        return None
    if "think>" in text.lower():
        found.append(f"model reasoning (<think>…</think>) removed from {kind}")
        text = THINK.sub(" ", text)
    text = text.strip()
    if _placeholder(text):
        found.append(f"{kind} dropped: a failed summariser's placeholder ({text[:60]!r})")
        return None
    return _cut(text, limit, kind, found) or None


def _placeholder(text: str) -> bool:
    if len(text) > 100:
        return False
    folded = " ".join(text.lower().strip(" .。!！").split())
    whole, endings = _placeholders()
    short = len(folded.split()) <= 6 and len(folded) <= (12 if HAN.search(folded) else 60)
    return folded in whole or (short and folded.endswith(endings))


def _cut(text: str | None, limit: int, name: str, found: list[str]) -> str | None:
    if text and len(text) > limit:
        found.append(f"{name} of {len(text)} characters cut to {limit}")
        return text[:limit]
    return text


def _capped(items: tuple, name: str, found: list[str]) -> tuple:
    if len(items) > LIMITS[name]:
        found.append(f"{len(items)} {name}: only the first {LIMITS[name]} kept")
        return items[: LIMITS[name]]
    return items


@cache
def _taxonomy() -> frozenset[str]:
    return frozenset(row[0] for row in load_tsv("arxiv_categories.tsv"))


@cache
def _placeholders() -> tuple[frozenset[str], tuple[str, ...]]:
    rows = load_tsv("placeholders.tsv")
    return frozenset(t for k, t in rows if k == "whole"), tuple(t for k, t in rows if k == "ending")
