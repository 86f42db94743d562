"""Method and benchmark extraction from digest entries (rules over spaCy's tokenizer).

>>> entity_key("Group Relative Policy Optimization") == entity_key("GRPO") == entity_key("组相对策略优化")
True
>>> entity_key("SWE-Bench") == entity_key("SWE-bench"), entity_key("Qwen2.5") == entity_key("Qwen3")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..model import Candidate, Entity, Link, Paper
from . import assemble as _assemble
from . import entities as _entities
from .gazetteer import load as load_gazetteer
from .rules import Mention, chinese_mentions, clean_latex, english_mentions, is_chinese

if TYPE_CHECKING:
    from .revision import Revision, Stored

__all__ = ["EXTRACTOR", "assign", "candidates", "decide", "extract", "entity_key", "links", "load_gazetteer", "revise"]

EXTRACTOR = "methods.v12"
MAX_CHARS = 200_000  # longer fields are cut: digests never need more, spaCy would slow down


def entity_key(name: str) -> str:
    """The canonical key of a method or benchmark name (used for IRIs; deterministic).

    NFKC-folded, case-folded, hyphens/spaces/underscores removed, then mapped through the
    gazetteer's alias table so that long forms and Chinese names share the short name's key.
    """
    return _assemble.entity_key(name, load_gazetteer())


# small affix sets: spaCy's defaults (units, currencies, ellipses) cost time and buy nothing here
_PREFIXES = [r"[\(\[\{\"'“‘«<*`~]"]
_SUFFIXES = [r"[\)\]\}\"'”’»>,;:!?%*`]", r"(?<=[^.])\.", r"'s", r"’s"]


@cache
def _pipeline():
    """The English tokenizer, its gazetteer PhraseMatcher and the Chinese alias regex.

    Only spaCy's tokenizer runs (no ``Language`` object: building one cost more than the rest)."""
    from spacy.attrs import LOWER
    from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS
    from spacy.lang.tokenizer_exceptions import URL_MATCH
    from spacy.matcher import PhraseMatcher
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import Vocab

    # the rules read token text and the matcher LOWER; the other lexeme attributes (shape,
    # like_num, …) cost a quarter of a first run's time for nothing
    vocab = Vocab(lex_attr_getters={LOWER: str.lower})
    # names keep their hyphens and dots (SWE-bench, Qwen2.5-VL-7B); split on brackets and slashes
    infixes = [r"(?<=[A-Za-z])=(?=[0-9.])", r"(?<=[A-Za-z0-9])/(?=[A-Za-z])", r"[()\[\]（）]", r"(?<=[A-Za-z])[,;:](?=[A-Za-z])", r"[—–]", r"(?<=\w)\.\.\.(?=\w)"]
    tokenizer = Tokenizer(
        vocab,
        rules=TOKENIZER_EXCEPTIONS,
        prefix_search=compile_prefix_regex(_PREFIXES).search,
        suffix_search=compile_suffix_regex(_SUFFIXES).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        url_match=URL_MATCH,
    )
    # sentences are cut in rules._sentences: the sentencizer cost a third of the run time
    gaz = load_gazetteer()
    matcher = PhraseMatcher(vocab, attr="LOWER")
    patterns: dict[str, list] = {}
    for form, key in gaz.forms():
        variants = {form, form.replace("-", " "), form.replace("-", "")}
        patterns.setdefault(key, []).extend(tokenizer(v) for v in variants if v.strip())
    for key, docs in sorted(patterns.items()):
        matcher.add(key, docs)
    zh = sorted(gaz.zh_forms, key=len, reverse=True)
    zh_pattern = re.compile("|".join(map(re.escape, zh))) if zh else None
    return tokenizer, matcher, zh_pattern


def candidates(papers: Iterable[Paper]) -> list[list[Candidate]]:
    """What each paper's entry says about the names it uses: one list per paper, in order, of
    one candidate per name.

    Per entry and pure: a paper's candidates depend on its own text alone.
    """
    tokenizer, matcher, zh_pattern = _pipeline()
    gaz = load_gazetteer()
    papers = list(papers)
    mentions: list[list[Mention]] = [[] for _ in papers]
    english: list[tuple[int, str, str]] = []
    for i, paper in enumerate(papers):
        for field, text in paper.texts():
            if not text or not text.strip():
                continue
            text = clean_latex(text[:MAX_CHARS])
            if is_chinese(text):
                mentions[i].extend(chinese_mentions(text, field, gaz, zh_pattern))
            else:
                english.append((i, field, text))
    docs = tokenizer.pipe(t for _, _, t in english)
    for (i, field, _), doc in zip(english, docs):
        mentions[i].extend(english_mentions(doc, field, gaz, matcher(doc)))
    return [_assemble.assemble(paper.arxiv_id, ms, gaz) for paper, ms in zip(papers, mentions)]


def decide(cands: Sequence[Candidate]) -> list[Entity | None]:
    """The entity each candidate names, or None when it makes no link, decided from all of them
    (see :mod:`kg.extract.entities`)."""
    return _entities.decide(cands, load_gazetteer())


def assign(cands: Sequence[Candidate]) -> _entities.Decisions:
    """:func:`decide`, with each candidate's node and each node's entity (see :mod:`kg.extract.entities`)."""
    return _entities.assign(cands, load_gazetteer())


def revise(added: Sequence[tuple], stored: Stored) -> Revision:
    """The decisions that change when ``added`` (ref, candidate) pairs join the ``stored``
    candidates (see :mod:`kg.extract.revision`)."""
    from .revision import revise as _revise

    return _revise(added, stored, load_gazetteer())


def links(cands: Sequence[Candidate], entities: Sequence[Entity | None]) -> list[Link]:
    """One link per (paper, entity) from candidates and their decided entities; a paper
    proposes an entity when any of its candidates for it does."""
    by: dict[tuple[str, str, str], Link] = {}
    for c, e in zip(cands, entities):
        if e is None:
            continue
        ident = (c.arxiv_id, e.kind, e.key)
        old = by.get(ident)
        role = "proposed" if c.role == "proposed" or (old and old.role == "proposed") else "used"
        evidence = tuple(dict.fromkeys((old.evidence if old else ()) + c.evidence))[:_assemble.MAX_EVIDENCE]
        by[ident] = Link(c.arxiv_id, e, role, evidence)
    return [by[k] for k in sorted(by)]


def extract(papers: Iterable[Paper]) -> list[Link]:
    """Links from papers to the methods and benchmarks their entries name, entity-level facts
    decided over these papers together.

    One link per (paper, entity); ``role`` is ``"proposed"`` or ``"used"``; evidence holds
    the sentences the link was read from. Results do not depend on the order of papers.
    """
    cands = [c for found in candidates(papers) for c in found]
    return links(cands, decide(cands))
