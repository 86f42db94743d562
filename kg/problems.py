"""Problems grouped by kind, so a build with 300 of one mistake reads as one line, not 300.

A problem's kind is its message with the particulars (ids, numbers, quoted text) taken out;
readers need not tag problems, and a new message gets its own kind by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Problem

_PARTICULARS = re.compile(
    r"'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"|`[^`\n]{0,200}`"  # quoted text
    r"|\b\d{4}\.\d{4,5}(?:v\d+)?\b|\b[a-z-]+(?:\.[A-Z]{2})?/\d{7}\b"  # arXiv ids
    r"|\b[\w.-]*\d[\w.-]*\b"  # numbers and words holding digits (line numbers, sizes, byte offsets)
)


def kind(problem: Problem) -> str:
    """The message without its particulars.

    >>> kind(Problem("d.md", 7, "duplicate entry 2501.00001 (first at line 3)"))
    'duplicate entry … (first at line …)'
    >>> kind(Problem("d.md", 9, "author 'cs.AI' looks like a category code; dropped"))
    'author … looks like a category code; dropped'
    """
    return " ".join(_PARTICULARS.sub("…", problem.message).split())


@dataclass(frozen=True)
class ProblemKind:
    """One kind of problem: how often it was met and the first few times."""

    kind: str
    count: int
    examples: tuple[Problem, ...]


def summarize(problems: list[Problem], *, examples: int = 3) -> list[ProblemKind]:
    """Kinds of ``problems``, most frequent first (ties in order of first appearance)."""
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(kind(p), []).append(p)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [ProblemKind(k, len(ps), tuple(ps[:examples])) for k, ps in ranked]
