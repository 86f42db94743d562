"""Field labels of digest entries (``TL;DR:``, ``**Main category:**``, ``中文摘要：``), read generically.

One table of labels (``kg/data/entry_labels.tsv``) and one reader for every way of writing them:
plain, bold (``**X:**`` and ``**X**:``), quoted or bulleted, with an ASCII or a full-width colon.
A run-on line holding several fields (``*A, B* Main category: cs.AI``, ``**Date:** … | **Authors:** …``)
is split into its fields. Every scan here is one pass over the line (no backtracking regex).
"""

from __future__ import annotations

import re
from functools import cache

from ..data import load_tsv

MAX_LABEL = 40  # characters; a longer "label" is a sentence with a colon in it
MAX_WORDS = 4
PROSE = {"tldr", "task", "motivation", "method", "result", "conclusion", "key_contributions", "limitations",
         "ai_summary", "abstract", "abstract_en", "abstract_zh", "comments"}
SUMMARY_KINDS = PROSE - {"abstract", "abstract_en", "abstract_zh", "comments"}
# a label inside a line: after a boundary, up to four words, optional bold, then a colon
_INNER = re.compile(r"(?:(?<=[\s|·;,>\]])|^)(?:\*\*|__)?(?P<label>[^\W\d_][^\s:：*|]{0,30}"
                    r"(?: [^\W\d_][^\s:：*|]{0,30}){0,3})(?P<bold>\*\*|__)?\s?[:：]")
_SEPARATORS = " \t|·;,*_\u00a0"
_COLON = re.compile("[:：]")
MAX_COLONS = 40  # a line with more colons is prose, not a run of fields
WINDOW = 160


@cache
def labels() -> dict[str, str]:
    """Normalised label → field name."""
    return {label: field for label, field in load_tsv("entry_labels.tsv")}


def norm(label: str) -> str:
    """A label as the table spells it: case-folded, markup and colon dropped, spaces collapsed.

    >>> norm(" **TL;DR** "), norm("Main  Category："), norm("AI中文摘要")
    ('tl;dr', 'main category', 'ai中文摘要')
    """
    return " ".join(label.strip().strip("*_").strip().rstrip(":：").strip("*_").split()).lower()


def leading(line: str) -> tuple[str | None, str, str] | None:
    """``(field, label, value)`` when ``line`` starts with a label, else None; ``field`` is None
    for a label-shaped word the table does not know (``Selection reason:``).

    >>> leading("**TL;DR:** It works."), leading("中文摘要：基于"), leading("> **Comment:** 12 pages")
    (('tldr', 'TL;DR', 'It works.'), ('abstract_zh', '中文摘要', '基于'), ('comments', 'Comment', '12 pages'))
    >>> leading("See https://x.org"), leading("We show that: it works"), leading("**A bold title**")
    (None, None, None)
    """
    s = line.replace("&nbsp;", " ").strip().lstrip(">|· \t\u00a0")
    if s.startswith(("- ", "+ ")):
        s = s[2:].lstrip()
    if s.startswith(("**", "__")):
        end = s.find(s[:2], 2, 2 + MAX_LABEL + 2)
        if end == -1:
            return None
        inner, after = s[2:end].strip(), s[end + 2:]
        if inner.endswith((":", "：")):
            label, value = inner[:-1], after
        elif after.lstrip().startswith((":", "：")):
            label, value = inner, after.lstrip()[1:]
        else:
            return None
    else:
        cut = min((i for i in (s.find(":", 0, MAX_LABEL + 1), s.find("：", 0, MAX_LABEL + 1)) if i > 0), default=-1)
        if cut == -1:
            return None
        label, value = s[:cut], s[cut + 1:]
    label = label.strip()
    if not _label_shaped(label) or value.startswith("//"):
        return None
    field = labels().get(norm(label))
    if field is None and not (label[:1].isupper() or not label[:1].isascii()):
        return None
    if field is None and len(label.split()) > 2 and not s.startswith(("**", "__")):
        return None  # "We show that X:" is prose; unknown labels are one or two words
    return field, label, _clean(value)


def split(field: str | None, label: str, value: str) -> list[tuple[str | None, str, str]]:
    """A field's value cut where a further known label starts on the same line.

    Prose fields (abstract, summaries, comments) are cut only at a bold label, since "Results:" may
    begin a sentence of a structured abstract; other fields at any known label.

    >>> split("authors", "Authors", "Ann Lee, Bo Wu Main category: cs.AI")
    [('authors', 'Authors', 'Ann Lee, Bo Wu'), ('primary_category', 'Main category', 'cs.AI')]
    >>> split("abstract", "Abstract", "Aims. Results: we find")
    [('abstract', 'Abstract', 'Aims. Results: we find')]
    """
    out: list[tuple[str | None, str, str]] = []
    start = 0
    for m in _inner_labels(value):
        found = _known_suffix(m.group("label"))
        if not found:
            continue
        bold = m.group("bold") or value[m.start(): m.start() + 2] in ("**", "__")
        if field in PROSE and not bold:
            continue
        cut = m.end("label") - len(found[1])
        if cut > 0 and value[cut - 1] not in _SEPARATORS and value[cut - 1] not in ">]":
            continue
        piece = value[start:cut]
        if value[cut - 2: cut] in ("**", "__"):
            piece = value[start: cut - 2]
        out.append((field, label, _clean(piece)))
        field, label = found
        start = m.end()
    out.append((field, label, _clean(value[start:])))
    return out


def fields(line: str) -> list[tuple[str | None, str, str]] | None:
    """Every ``(field, label, value)`` on a label line, or None when the line has no leading label."""
    head = leading(line)
    return split(*head) if head else None


def _inner_labels(value: str):
    """Label-shaped matches ending at each of the first ``MAX_COLONS`` colons of ``value``, each
    searched only in the stretch since the previous colon (at most ``WINDOW`` characters): the
    work per line is bounded whatever its length."""
    prev = 0
    for n, colon in enumerate(_COLON.finditer(value)):
        if n == MAX_COLONS:
            return
        if m := _INNER.search(value, max(prev, colon.start() - WINDOW), colon.end()):
            yield m
        prev = colon.end()


def _known_suffix(words: str) -> tuple[str, str] | None:
    """``(field, label)`` for the longest known label that ends ``words``."""
    parts = words.split(" ")
    for k in range(max(0, len(parts) - MAX_WORDS), len(parts)):
        label = " ".join(parts[k:])
        if field := labels().get(norm(label)):
            if label[:1].isupper() or not label[:1].isascii():
                return field, label
    return None


def _label_shaped(label: str) -> bool:
    return (0 < len(label) <= MAX_LABEL and len(label.split()) <= MAX_WORDS and not any(c.isdigit() for c in label)
            and not any(c in label for c in "[]()<>|*`\"'/\\=") and (label[0].isalpha()))


def _clean(value: str) -> str:
    """A field's value without the markup around it (``**``, separators, ``&nbsp;``)."""
    value = value.replace("&nbsp;", " ").replace("\u00a0", " ")
    return value.strip(_SEPARATORS + "\n").strip()
