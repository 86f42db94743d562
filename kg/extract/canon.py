"""Canonical keys, name shapes and label choice for extracted entities (pure functions).

The key is what merges mentions across papers and across builds, so it depends on the name
alone: NFKC folding, case folding, and removal of hyphens, dashes, spaces and underscores (as
the extraction policy scores names), then the gazetteer's alias table.

>>> normalize("SWE-Bench") == normalize("swe bench") == "swebench"
True
>>> normalize("Qwen2.5") == normalize("Qwen3")
False
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_DROP = re.compile(r"[\s\-_\u2010-\u2015\u2212$]+")
_LATEX_SUP = re.compile(r"\$\^\{?([0-9A-Za-z]+)\}?\$")
_URLISH = re.compile(r"(?:https?://|www\.|\.(?:com|org|io|net|html?)\b|@|arxiv:|doi:|\d{4}\.\d{4,5})", re.I)
_HAS_ALPHA = re.compile(r"[A-Za-z\u00C0-\u024F\u0370-\u03FF\u4e00-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=131072)
def normalize(name: str) -> str:
    """The scoring normalisation: NFKC, case-folded, hyphens/spaces/underscores removed.

    >>> normalize("Ｇｒｏｕｐ Relative_Policy-Optimization")
    'grouprelativepolicyoptimization'
    """
    name = _LATEX_SUP.sub(r"^\1", name)
    return _DROP.sub("", unicodedata.normalize("NFKC", name).casefold())


@lru_cache(maxsize=65536)
def clean_surface(text: str) -> str:
    """A mention as it should be shown: LaTeX superscripts unwrapped, spaces collapsed.

    >>> clean_surface("L$^3$")
    'L^3'
    """
    text = _LATEX_SUP.sub(r"^\1", text)
    return " ".join(text.split()).strip(" .,;:'\"")


def is_garbage(name: str) -> bool:
    """True for strings that must never become an entity: punctuation, numbers, URLs, LaTeX.

    >>> [is_garbage(x) for x in ["(", "We", "https://x.io", "2025", "\\\\alpha", "GRPO"]]
    [True, True, True, True, True, False]
    """
    s = name.strip()
    if len(s) < 2 or len(s) > 80 or not _HAS_ALPHA.search(s):
        return True
    if _URLISH.search(s) or "\\" in s or s.count("$") or "{" in s or "}" in s:
        return True
    if s.casefold() in _FUNCTION_WORDS:
        return True
    return not normalize(s)


_FUNCTION_WORDS = frozenset(
    "we our us it its this that these those the a an in on of for to and or with by from as at "
    "is are was were be been via using based which who whose than into over under "
    "first second third finally then specifically moreover however additionally furthermore "
    "overall next lastly meanwhile notably importantly instead thus hence".split()
)


_LOWER_PREFIXED = re.compile(r"[a-z]{1,2}[A-Z][a-z]{3,}")
_BENCHY_PART = re.compile(r"(?:Bench|Eval|QA|Arena|Gym|Net|Former|GPT|LM|Opt)", re.I)
_ADJ_SUFFIX = re.compile(
    r"-(?:based|level|like|style|aware|free|only|equivalent|specific|wise|scale|driven|guided|"
    r"induced|enhanced|augmented|conditioned|tuned|trained|generated|oriented|centric|agnostic|"
    r"compatible|friendly|ready|powered|inspired|sized|grade|class|type|step|shot|(?!(?:embed|med|seed|speed|feed|need|red|bed|fed)$)[a-z]+ed)$",
    re.I,
)


@lru_cache(maxsize=65536)
def strip_adjectival(token: str) -> str:
    """``"vLLM-equivalent"`` -> ``"vLLM"``: a name with a descriptive suffix glued on
    (a participle, but not a word that merely ends in "ed": "-Embed", "-Med" are parts of names).

    >>> strip_adjectival("CGEE-induced"), strip_adjectival("Search-R1"), strip_adjectival("ZQ-Embed"), strip_adjectival("ZQ-Supervised")
    ('CGEE', 'Search-R1', 'ZQ-Embed', 'ZQ')
    """
    while True:
        stripped = _ADJ_SUFFIX.sub("", token)
        if stripped == token:
            return token
        token = stripped


_GLUE = frozenset("a an the of to and in for on with".split())


@lru_cache(maxsize=65536)
def shape(token: str) -> str:
    """Classify a single token as a name: ``"strong"``, ``"capital"`` or ``""`` (not a name).

    strong: acronyms (LSEF), CamelCase (TaxoBell, nCMD), letters with digits (Rotate2Think,
    OASIS-3), hyphenated names with capitals (SAC-Opt). capital: one capital (Spotter), or
    capitalised words hyphenated into one (Low-Rank).

    >>> [shape(t) for t in ["LSEF", "dgMARK", "Rotate2Think", "Spotter", "the", "V100", "3D", "iTransformer"]]
    ['strong', 'strong', 'strong', 'capital', '', '', '', 'strong']
    >>> [shape(t) for t in ["Low-Rank", "SAC-Opt", "Search-R1", "7B-10B", "MA-LipNet", "Low-rank"]]
    ['capital', 'strong', 'strong', '', 'strong', '']
    """
    if is_garbage(token) or _CJK.search(token):
        return ""
    alpha = sum(c.isalpha() for c in token)
    upper = sum(c.isupper() for c in token)
    digit = any(c.isdigit() for c in token)
    if "^" in token and upper >= 1:
        base, _, sup = token.partition("^")
        return "" if len(sup) == 1 and sup.islower() else "strong"  # L^3 is a name, L^p a space
    if alpha < 2:
        return ""
    if "-" in token:
        parts = [p for p in token.split("-") if p]
        if parts[0].isdigit() and all(p[:1].isupper() and p[1:].islower() for p in parts[1:]):
            return ""  # "774-Million-Parameter": a count in a title, not a name
        if len(parts) > 1 and all(sum(c.isalpha() for c in p) <= 2 for p in parts) and any(
                c.islower() for c in token) and any(c.isdigit() for c in token):
            return ""  # "rA-1F": letters and digits of a formula
        if len(parts) == 2 and len(parts[0]) == 1 and parts[0].isupper() and parts[1][:1].isupper() and parts[1][1:].islower():
            return "strong"  # "H-Random", "K-Means"
        shapes = [_part_shape(p) for p in parts]
        if "strong" in shapes:
            return "strong"
        if upper >= 1 and digit and any(sum(c.isalpha() for c in p) >= 2 for p in parts):
            return "strong"  # Search-R1, OASIS-3
        if upper >= 2 and _BENCHY_PART.fullmatch(parts[-1]):
            return "strong"  # Aurora-Bench
        # "Self-Anchor", "Stitch-a-Recipe": capitalised words joined into one, as weak as one word
        title_case = all(p[:1].isupper() or p in _GLUE for p in parts[1:])
        return "capital" if token[0].isupper() and (len(parts) == 1 or title_case) else ""
    if upper >= 2:
        return "strong"
    if digit and upper >= 1 and alpha >= 3:
        return "strong"
    if "^" in token and upper >= 1:
        return "strong"
    if upper == 1 and _LOWER_PREFIXED.fullmatch(token):
        return "strong"  # "iTransformer", "nnFormer": a coined name with a lower-case prefix
    if upper == 1 and (token[0].isupper() or (token[0].islower() and digit)):
        return "capital"
    return ""


def _part_shape(part: str) -> str:
    alpha = sum(c.isalpha() for c in part)
    upper = sum(c.isupper() for c in part)
    if alpha >= 2 and upper >= 2:
        return "strong"
    if alpha >= 3 and upper >= 1 and any(c.isdigit() for c in part):
        return "strong"
    return ""


def initials_match(acronym: str, long_form: str) -> bool:
    """Whether ``acronym`` can be read off ``long_form`` (letters in order, word starts first).

    >>> initials_match("GRPO", "Group Relative Policy Optimization")
    True
    >>> initials_match("nCMD", "benign-anchored Classwise Mean Deviation")
    True
    >>> initials_match("XYZ", "a lightweight method")
    False
    """
    letters = [c.lower() for c in acronym if c.isalpha()]
    if len(letters) < 2:
        return False
    words = [w for w in re.split(r"[\s\-–/]+", long_form) if w]
    # a word's first letter: "3D tactile-language-action" starts d, t, l, a (3D-TLA)
    starts = "".join(next((c for c in w if c.isalpha()), "").lower() for w in words)
    # loose on purpose: the acronym's first capital starts a word, all letters appear in order
    text = long_form.lower()
    pos = 0
    for ch in letters:
        pos = text.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    first = next((c for c in acronym if c.isupper()), acronym[0]).lower()
    return first in starts and len(words) >= 2 and len(words) <= 3 * len(letters) + 2


def choose_label(counts: Counter[str], preferred: str | None = None) -> str:
    """The preferred label: ``preferred`` if given, else the most written form.

    Ties go to the form with more capitals, then the shorter, then the alphabetically first,
    so the choice never depends on the order mentions were seen.

    >>> choose_label(Counter({"SWE-Bench": 2, "SWE-bench": 2}))
    'SWE-Bench'
    """
    if preferred:
        return preferred
    return min(counts, key=lambda s: (-counts[s], -sum(c.isupper() for c in s), len(s), s))


def sorted_aliases(names: Iterable[str], label: str) -> tuple[str, ...]:
    """Distinct spellings other than ``label``, in a stable order."""
    seen = {label}
    out = []
    for n in sorted(set(names), key=lambda s: (normalize(s) == normalize(label), s.casefold(), s)):
        if n not in seen and n.strip():
            seen.add(n)
            out.append(n)
    return tuple(out)


_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("isation", "ization", "ations", "ation", "ings", "ing", "ers", "er", "es", "s")


def stems(text: str) -> set[str]:
    """Content words of a long form, with common suffixes cut ("Optimisation" = "optimization")."""
    out = set()
    for w in _WORD.findall(text.casefold()):
        if len(w) <= 2 or w in {"and", "for", "the", "with", "via"}:
            continue
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


def similar(a: set[str], b: set[str]) -> bool:
    """Whether two long forms' stems share at least half of the longer one's."""
    return bool(a and b) and len(a & b) * 2 >= max(len(a), len(b))


def compatible(long_form: str, known) -> bool:
    """Whether ``long_form`` can be the known entry's (similar to one of its spellings, or the
    entry has no long spelling to compare with)."""
    forms = [f for f in (known.label, *known.aliases) if " " in f or "-" in f]
    if not forms:
        return True
    mine = stems(long_form)
    return any(similar(mine, stems(f)) for f in forms)
