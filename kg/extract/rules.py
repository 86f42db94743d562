"""Mention finders: English sentences through a blank spaCy pipeline, Chinese text by regex.

Every finder returns :class:`Mention` records; deciding which become entities, and with
which key, label and role, is :mod:`kg.extract.assemble`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .canon import clean_surface, compatible, initials_match, is_garbage, normalize, shape, strip_adjectival
from ..data import load_tsv
from .gazetteer import Gazetteer, head_class, heads

PROPOSE_VERBS = frozenset(
    "propose proposes proposed introduce introduces introduced present presents presented "
    "develop develops developed design designs designed construct constructs constructed "
    "build builds built release releases released contribute contributes create creates "
    "curate curates curated establish establishes devise devises formulate formulates "
    "name named call called dub dubbed term termed coin coined namely instantiate".split()
)
NAMING_WORDS = frozenset("called named dubbed termed coined namely".split())
BASE_VERBS = frozenset("propose introduce present develop design construct build release contribute create curate "
                       "establish devise formulate".split())
SUBJECTS = frozenset("we our this paper work study authors here".split())
SKIP_BEFORE_NAME = frozenset(
    "a an the novel new first simple unified general our two three four further also then both this these it "
    "lightweight effective efficient principled scalable large-scale framework method model "
    "approach technique algorithm system benchmark dataset".split()
)
_HEADS = heads()
SKIP_BEFORE_NAME = SKIP_BEFORE_NAME | _HEADS["method"] | _HEADS["benchmark"]


def _plurals(words: frozenset[str]) -> frozenset[str]:
    """Words and their plurals ("approach" -> "approaches")."""
    return words | {w + ("es" if w.endswith(("ch", "sh", "s", "x", "z")) else "s") for w in words}


BENCH_HEADS = _plurals(_HEADS["benchmark"]) | {"corpora"}
METHOD_HEADS = _plurals(_HEADS["method"])
EVAL_WORDS = _HEADS["eval"]
# nouns and participles before "from X" that make X a source of data ("clips sampled from X")
DATA_WORDS = frozenset("data samples images videos clips motions questions examples instances sequences scenes "
                       "utterances recordings prompts texts documents sentences subsets splits frames trajectories "
                       "episodes problems tasks pairs sampled drawn selected collected extracted curated taken".split())
# what "X is a …" may say X is that is neither a method nor data: a field, a task, a setting
SETTING_HEADS = frozenset("paradigm paradigms field fields area areas domain domains avenue avenues direction directions "
                          "topic topics discipline problem problems task tasks setting settings scenario scenarios".split())
# what a list of names may hold between a name and the head noun that says what they are
# ("the ZetaSet and OmegaText datasets", "four benchmark datasets (A, B, C)")
LIST_GLUE = frozenset(", and or & / ( ) : the its their our two three four five six seven eight several "
                      "multiple various standard popular public widely-used well-known common real-world "
                      "synthetic large-scale challenging diverse established existing test validation training "
                      "such as including like e.g. e.g., namely i.e. new novel recent strong state-of-the-art "
                      "representative classic classical mainstream leading".split())
FAMILIES = _HEADS["family"]
MODIFIER_HEADS = frozenset({"transformer", "transformers"})
_CAPWORD = re.compile(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_NAME_GLUE = frozenset("and of for with - &".split())
# a version after a name: "v2", "v1.5", "2.1" (not a score: no "%" or unit after it, small major)
_VERSION = re.compile(r"v\d+(?:\.\d+)*|(?:[1-9]|1\d)\.\d{1,2}|(?:19|20)\d\d", re.I)
_SIZE = re.compile(r"(?:^|-)\d+(?:\.\d+)?[BMK](?:-|$)|^\d+(?:\.\d+)?[BMK]$")
_BACKRONYM = re.compile(r"[A-Z][a-z]{3,}[A-Z](?:-[a-z]+)?|[a-z]{1,2}[A-Z][a-z]{4,}|(?=\w{5})[A-Z]{2,}[a-z]{2,}(?:-[a-z]+)?")
# a size or an amount written as one token ("530MB", "7B", "120ms"): a figure, not a name
_QUANTITY = re.compile(r"\d+(?:\.\d+)?(?:[KMGTP]i?B|[KMBT]|[kMG]?Hz|ms|FPS|fps|[GT]?FLOPs?|k?W)(?:-[a-z]+)*")
_STAR_NAME = re.compile(r"(?:^|-)[A-Z]$")
_SIZE_START = re.compile(r"\d+(?:\.\d+)?[BMK](?:-|$)")
_SIZE_AT = re.compile(r"-\d+(?:\.\d+)?[BMK](?=-|$)")
_TIER = re.compile(r"[A-Z][a-z]+|[A-Z]{1,3}|mini|nano|turbo|flash|pro|max|plus")
_UNITS = frozenset("% percent points point times x × million billion thousand k m b hours days steps "
                   "epochs tokens samples images seconds ms s gb mb".split())
# capitalised head nouns that belong to the name before them ("AIRT-VLM Adapter")
NAME_HEADS = frozenset("adapter network net former transformer module attention encoder decoder agent".split())
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_METRIC_NAME = re.compile(r"^\S{2,}(?:Score|Metric)$")  # "IAScore", "CLIPScore": a score is a metric
_PASSIVE = frozenset("proposed introduced presented developed designed constructed released".split())
_NOVEL = frozenset("novel new innovative".split())
# "A outperforms B on X", "we fine-tune B on X": verbs that make what B is run on a benchmark
_COMPARED_OR_TRAINED = re.compile(r"(?:outperform|surpass|beat|exceed|improv|evaluat|test|benchmark|(?:mid-|pre-|post-)?train|fine-?tun|pretrain)\w*$")
PART_HEADS = frozenset("module modules block blocks component components layer layers unit units mechanism mechanisms "
                       "strategy strategies loss losses head branch scheme submodule submodules".split())
_EXAMPLES = frozenset("e.g. e.g., i.e. i.e., eg such including like".split())
_PREPOSITIONS = frozenset("of for with in on via from to over under using by at through across between without "
                          "into towards toward against".split())
_HAS_UPPER = re.compile(r"[A-Z]")
BENCH_SHAPE = re.compile(r"(?:bench(?:mark)?|eval|arena|gym|qa)(?:[-_ ]?v?\d+(?:\.\d+)?)?$", re.I)

_LATEX_CMD = re.compile(r"\\(?:text(?:bf|it|tt|rm|sc)?|emph|mathrm|mathbf|mathcal|textsc)\s*\{([^{}]*)\}")
_LATEX_BOLD_PIECE = re.compile(r"\$\\textbf\{([^{}]*)\}\$")
_LATEX_NAME_SUP = re.compile(r"([A-Za-z]) ?\$\^\{?(\w{1,3})\}?\$")  # "ZQ $^2$" too
_TIE = re.compile(r"(?<=\w)~(?=\w)")
_GLUED_SUFFIX = re.compile(r"(?<=[A-Za-z0-9^$])\s+-(?=(?:Bench|Eval|Arena|Gym|QA)(?![a-z]))")
_DOLLAR_SPAN = re.compile(r"\$([^$]{0,40})\$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ADJ = re.compile(r"[a-z]+-(?:[a-z]+-)*[a-z]+|[a-z]+(?:ive|al|ed|ic|ous|less|free|able|ful)")


@dataclass(slots=True)
class Mention:
    """One sighting of a candidate name in one sentence of one field."""

    surface: str
    field: str
    sentence: str
    source: str  # "gaz" | "def" | "title" | "shape"
    role: str = ""  # "proposed" when a proposal cue points at it
    kind: str = ""  # "benchmark"/"method" when the context says so
    gaz_key: str | None = None
    long_forms: tuple[str, ...] = ()
    cued: bool = False  # a use/comparison/evaluation cue is near
    strong: bool = False  # a comparison cue is near ("outperforms", "baselines", "such as")
    metric: bool = False  # written as a metric ("MAE of 0.3", "RMSE and MAE")
    adjectival: bool = False  # written only as a modifier ("X-based", "基于X的")
    generic: bool = False  # defined with a generic long form ("network traffic classifiers (NTC)")
    rejected: bool = False  # defined as a metric, domain or setting ("Mean Absolute Error (MAE)")
    part: bool = False  # named as a part of something ("a Depth Enhancement (DE) module")
    domain: bool = False  # listed as a domain, task or setting ("domains such as X")


def clean_latex(text: str) -> str:
    """Unwrap formatting commands; ``L$^3$`` becomes ``L^3``; other inline maths is blanked.

    >>> clean_latex("L$^3$ layers with $x$ inputs"), clean_latex("Phase~II, ~5%"), clean_latex("ZQ$^2$ -Bench ZQ $^2$-Bench")
    ('L^3 layers with   inputs', 'Phase II, ~5%', 'ZQ^2-Bench ZQ^2-Bench')
    """
    text = _LATEX_NAME_SUP.sub(r"\1^\2", text)
    text = _LATEX_BOLD_PIECE.sub(r"\1", text)
    text = _LATEX_CMD.sub(r"\1", text)
    if "~" in text:
        text = _TIE.sub(" ", text)  # LaTeX's unbreakable space: "Phase~III" is two words
    if " -" in text:
        text = _GLUED_SUFFIX.sub("-", text)  # "ZQ^2 -Bench" is ZQ^2-Bench, not ZQ^2 and a dash
    return _DOLLAR_SPAN.sub(" ", text)


def is_chinese(text: str) -> bool:
    """True when a good share of the text is CJK (so the English pipeline would not help)."""
    sample = text[:400]
    return len(_CJK.findall(sample)) >= max(4, len(sample) // 10)


def case_ok(surface: str, form: str) -> bool:
    """Whether a case-insensitive gazetteer hit may stand: short or all-capital names need
    the exact case (GRID, MATH, FLUX), plain capitalised words need a capital (Transformer)."""
    if surface == form:
        return True
    bare = form.replace("-", "").replace(" ", "")
    if bare.isupper() or len(bare) <= 4 or (form[:1].isupper() and form[1:].islower()):
        if form[:1].isupper() and form[1:].islower() and " " not in form:
            return surface[:1].isupper() and surface[1:].islower()
        return surface.replace("-", "").replace(" ", "") == bare if bare.isupper() else surface[:1].isupper()
    return not (form[:1].isupper() and surface[:1].islower())


def schwartz_hearst(short: str, long: str) -> str | None:
    """The long form of ``short`` at the end of ``long`` (Schwartz & Hearst, 2003), or None.

    >>> schwartz_hearst("GRPO", "we use Group Relative Policy Optimization")
    'Group Relative Policy Optimization'
    """
    s, l_ = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while (l_ >= 0 and long[l_].lower() != c) or (s == 0 and l_ > 0 and long[l_ - 1].isalnum()):
            l_ -= 1
        if l_ < 0:
            return None
        l_ -= 1
        s -= 1
    start = max(long.rfind(" ", 0, l_ + 1), long.rfind("(", 0, l_ + 1)) + 1
    out = long[start:].strip()
    return out if len(out) > len(short) and " " in out or "-" in out else None


# ---------------------------------------------------------------- English (spaCy)

def english_mentions(doc, field: str, gaz: Gazetteer, gaz_matches) -> list[Mention]:
    """Mentions in one English field, given the doc and its gazetteer PhraseMatcher hits."""
    out: list[Mention] = []
    hits_by_start: dict[int, tuple[int, str]] = {}
    for match_id, start, end in gaz_matches:
        span = doc[start:end]
        key = doc.vocab.strings[match_id]
        text = span.text
        entry = gaz.entries[key]
        if not any(case_ok(text, f) for f in (entry.label, *entry.aliases) if normalize(f) == normalize(text)):
            continue
        if field != "title" and end - start >= 2 and start >= 2 and _CAPWORD.fullmatch(doc[start - 1].text) \
                and doc[start - 2].text not in _SENTENCE_ENDS and not gaz.stop_category(doc[start - 1].text):
            continue  # "we propose Scaffold-Keeping Representation Alignment": a known long form ending a longer name
        prev = hits_by_start.get(start)
        if prev is None or prev[0] < end:
            hits_by_start[start] = (end, key)
    covered: set[int] = set()
    gaz_spans = []
    for start in sorted(hits_by_start):
        end, key = hits_by_start[start]
        if start in covered:
            continue
        covered.update(range(start, end))
        gaz_spans.append((start, end, key))

    full = doc.text  # joined from the tokens at each call: read once
    words, spaces, starts = _words(doc, full)
    lower = [w.lower() for w in words]
    starts.append(len(full))
    for s, e in _sentences(words):
        text = full[starts[s]:starts[e]].strip()  # the tokens s..e with their spaces
        sent_gaz = [g for g in gaz_spans if s <= g[0] < e] if gaz_spans else []
        out.extend(_sentence_mentions(_Sent(text, s, words[s:e], lower[s:e], spaces[s:e]),
                                      field, gaz, sent_gaz, covered))
    if field == "title":
        out.extend(_title_prefix(full, field, gaz))
    return out


STRONG_CUES = frozenset(
    "compared outperforms outperform outperforming than against baselines baseline such including "
    "e.g. e.g., vs vs. versus like surpasses surpass beats close comparable similar rivals rivaling "
    "competitive matching matches specifically namely inspired extends extending follows following".split()
)
WEAK_CUES = STRONG_CUES | frozenset("on across using with via from over upon of and".split())
# "X-based", "X-style": X used as a kind of thing, not named as what the paper uses
_MODIFIER = re.compile(r"-(?:based|style|like|type|inspired)$", re.I)
_ADJ_NEXT = re.compile(r"-(?:based|style|like|type|inspired)")
_URL_TOKEN = re.compile(r"://|www\.|\.(?:com|org|io|net|ai|html?)(?:/|$)", re.I)


@lru_cache(maxsize=65536)
def _token_names(text: str) -> tuple[tuple[str, bool], ...]:
    """Candidate names inside one token, each with whether it is used as a modifier
    (``KVX-based``); descriptive suffixes dropped, ``A/B`` split, ``CIFAR-10/100`` expanded."""
    if _URL_TOKEN.search(text):
        return ()
    parts = [text]
    if "/" in text:
        parts = []
        for k, part in enumerate(p for p in text.split("/") if p):
            if k and part.isdigit() and "-" in parts[0]:
                part = parts[0].rsplit("-", 1)[0] + "-" + part
            elif k and _SIZE_START.match(part) and (at := _SIZE_AT.search(parts[0])):
                part = parts[0][:at.start()] + "-" + part  # "Qwen3-8B/14B-Base": Qwen3-14B-Base
            parts.append(part)
    out = []
    for part in parts:
        name = clean_surface(part)
        bare = strip_adjectival(name)
        out.append((bare, bare != name and _MODIFIER.search(name) is not None))
    return tuple(out)


def _words(doc, text: str) -> tuple[list[str], list[str], list[int]]:
    """Token texts, trailing spaces and start offsets, sliced from the doc's ``text`` at the
    offsets its arrays hold (no Token objects, no string-store lookups)."""
    from spacy.attrs import IDX, SPACY

    if not len(doc):
        return [], [], []
    arr = doc.to_array([IDX, SPACY]).tolist()
    starts = [i for i, _ in arr]
    ends = starts[1:] + [len(text)]
    return [text[i:e - sp] for (i, sp), e in zip(arr, ends)], [" " if sp else "" for _, sp in arr], starts


_SENT_END = frozenset({".", "!", "?", "。", "！", "？"})


def _sentences(words: list[str]) -> list[tuple[int, int]]:
    """Sentence bounds: a full stop followed by a capitalised word, a digit or a bracket."""
    out, start = [], 0
    for i in range(len(words) - 1):
        if words[i] in _SENT_END:
            nxt = words[i + 1][:1]
            if nxt.isupper() or nxt.isdigit() or nxt in "([\"“":
                out.append((start, i + 1))
                start = i + 1
    if start < len(words):
        out.append((start, len(words)))
    return out


@dataclass(slots=True)
class _Sent:
    """One sentence as plain lists (faster to scan than spaCy tokens)."""

    text: str
    start: int
    words: list[str]
    lower: list[str]
    spaces: list[str]

    def span_text(self, i: int, j: int) -> str:
        return "".join(w + s for w, s in zip(self.words[i:j], self.spaces[i:j])).strip()


def _sentence_mentions(sent: _Sent, field, gaz, gaz_spans, covered) -> list[Mention]:
    text = sent.text
    words = sent.words
    spaces = sent.spaces
    n = len(words)
    lower = sent.lower
    found: dict[int, Mention] = {}  # by sentence-relative token index
    consumed: set[int] = set()  # tokens inside a definition's long form

    # "we propose X"; "this paper introduces X"; "we study A and introduce X" (a base-form verb
    # whose subject "we" came earlier in the sentence)
    ours = "we" in lower or "our" in lower
    propose_at = [] if PROPOSE_VERBS.isdisjoint(lower) else [i for i, w in enumerate(lower) if w in PROPOSE_VERBS and
                  ((w in NAMING_WORDS and ours) or any(x in SUBJECTS for x in lower[max(0, i - 4):i])
                   or (w in BASE_VERBS and "we" in lower[:i]))]

    def proposal_target(i: int, j: int | None = None) -> bool:
        """The name at tokens i..j is the first name after a proposal verb, an apposition
        ``X, a ...`` after one ("we present Book3D, a dataset, and Book100, a benchmark"), or
        joined by "and" to such a name ("we release ZQ and ZQ-Bench")."""
        if first_target(i, j):
            return True
        if i >= 2 and lower[i - 1] in {"and", "&"}:
            start = i - 2
            while start > 0 and (is_name(start - 1) or lower[start - 1] == "-"):
                start -= 1
            return is_name(i - 2) and first_target(start, i - 1)
        return False

    def first_target(i: int, j: int | None = None) -> bool:
        j = i + 1 if j is None else j
        if j < n and lower[j] in SETTING_HEADS:
            return False  # "we formulate an ZQ problem": the problem is new, not the name
        for v in propose_at:
            if v < i <= v + 12:
                between = lower[v + 1:i]
                k = next((k for k, b in enumerate(between) if not (b in SKIP_BEFORE_NAME or b in {",", "-", "(", "“", '"'}
                                                                  or _ADJ.fullmatch(b))), len(between))
                # what is left must be the first words of a title-case name ("Intra and Inter ...")
                rest = words[v + 1 + k:i]
                if not rest or (_CAPWORD.fullmatch(rest[0]) and all(_CAPWORD.fullmatch(r) or r.lower() in _NAME_GLUE for r in rest)):
                    if not any(k in found and found[k].source != "def" for k in range(v + 1, i)):
                        return True
            if v < i and j + 1 < n and lower[j] == "," and lower[j + 1] in {"a", "an", "the"}:
                return True
            if v < i <= v + 12 and i >= 2 and lower[i - 1] == "," and lower[i - 2] in METHOD_HEADS | BENCH_HEADS:
                return True  # "we train a reinforcement learning system, PackingStar"
        # "X is proposed"; "X, a novel …", "X - an innovative …", "X, our …"
        if j + 1 < n and lower[j] in {"is", "are"} and lower[j + 1] in _PASSIVE:
            return True
        return j + 1 < n and lower[j] in {",", "-", "—", "–"} and (
            lower[j + 1] == "our" or (lower[j + 1] in {"a", "an"} and j + 2 < n and lower[j + 2] in _NOVEL))

    def is_name(k: int) -> bool:
        w = words[k]
        return bool(_HAS_UPPER.search(w) or any(c.isdigit() for c in w)) and lower[k] not in LIST_GLUE

    def right_kind(j: int) -> str:
        """The head noun after a name or a list of names ("X and Y datasets", "X, a benchmark");
        ``metric`` for "X, a new metric", ``domain`` for "X is an emerging field"."""
        if j + 2 < n and lower[j] in {"is", "are"}:
            # "X is a …", "Xs are emerging as a new paradigm": what the copula says X is
            art = j + 1
            while art < min(n, j + 4) and lower[art] in {"emerging", "as", "considered", "regarded", "seen", "becoming"}:
                art += 1
            art = art if art < n and lower[art] in {"a", "an"} else n
            for k in range(art + 1, min(n, art + 6)):
                if lower[k] in BENCH_HEADS or lower[k] in METHOD_HEADS:
                    return compound_head(k)
                if lower[k] in SETTING_HEADS:
                    return "domain"
                if lower[k] in {".", ";", ",", "of", "for", "in", "that", "which"}:
                    break
        if j + 1 < n and lower[j] == "," and lower[j + 1] in {"a", "an", "the", "our", "which", "one"}:
            for k in range(j + 1, min(n, j + 11)):  # an apposition: the head of its first noun phrase
                if lower[k] in BENCH_HEADS or lower[k] in METHOD_HEADS:
                    return compound_head(k)
                if lower[k] in {"metric", "metrics", "measure"}:
                    return "metric"
                if lower[k] in {".", ";"}:
                    break
        for k in range(j, min(n, j + 8)):
            if lower[k] in BENCH_HEADS or lower[k] in METHOD_HEADS:
                return compound_head(k)
            if not (lower[k] in LIST_GLUE or is_name(k) or _ADJ.fullmatch(lower[k]) or lower[k] in {"-", "benchmark"}):
                break
        return ""

    def compound_head(k: int) -> str:
        """The kind of the last head noun of the compound a head noun at k starts: "a corpus
        construction pipeline" is a method, "a benchmark dataset" a benchmark."""
        kind = "benchmark" if lower[k] in BENCH_HEADS else "method"
        for m in range(k + 1, min(n, k + 4)):
            w = lower[m]
            if not (w.replace("-", "").isalpha() and words[m].islower()) or w in _NP_END:
                break
            if w in BENCH_HEADS or w in METHOD_HEADS:
                kind = "benchmark" if w in BENCH_HEADS else "method"
        return kind

    def listed_with_known(i: int, j: int) -> bool:
        """The name is in a list with a known name ("MEMIT, ROME and GPT-J"): listed like it."""
        for step, start in ((-1, i - 1), (1, j)):
            k = start
            while 0 <= k < n and abs(k - start) < 8 and (lower[k] in {",", "and", "or", "/", "&"} or is_name(k)):
                if (sent.start + k) in covered and lower[k] not in {",", "and", "or"}:
                    return True
                k += step
        return False

    def listed_with_names(i: int) -> bool:
        """A name across a list separator from token i is an acronym, a coined or a known name."""
        for k in (i - 2, i + 2, i + 3):
            if 0 <= k < n and (sent.start + k in covered or shape(words[k]) == "strong") and (
                    lower[(i + k) // 2 if k != i + 3 else i + 1] in _SEPARATORS):
                return True
        # "A, B, and X": the serial comma puts the name before it three tokens back
        return i >= 3 and field != "title" and lower[i - 1] in {"and", "or"} and lower[i - 2] == "," and (
            sent.start + i - 3 in covered or shape(words[i - 3]) == "strong")

    def evaluated_on(i: int) -> bool:
        """ "85.7% on X", "evaluated on X", "+10 points on X", "A outperforms B on X", "we train A
        on X", a sentence opening "On X": X is what was evaluated or trained on."""
        if i == 1 and lower[0] in {"on", "across"}:
            return True
        return i >= 2 and lower[i - 1] in {"on", "across", "over"} and (
            lower[i - 2] in EVAL_WORDS or lower[i - 2].lstrip("+-").replace(".", "").isdigit()
            or (is_name(i - 2) and any(_COMPARED_OR_TRAINED.match(w) for w in lower[max(0, i - 6):i - 2])))

    def modifies(i: int) -> bool:
        """The name at token i modifies a lower-case noun after it ("data from ZK tables")."""
        return i + 1 < n and words[i + 1].isalpha() and words[i + 1].islower() and (
            lower[i + 1] not in _PREPOSITIONS and lower[i + 1] not in _SEPARATORS)

    def scored_on(i: int, j: int) -> bool:
        """ "on X (30.4%)", "On X (132 cases)": a figure in brackets after what was evaluated on."""
        return i >= 1 and lower[i - 1] in {"on", "across"} and j + 1 < n and lower[j] == "(" and (
            _NUMBER.fullmatch(lower[j + 1]) is not None)

    def left_kind(i: int) -> str:
        """What a list before the name is of ("benchmarks such as A, B and X", "datasets (A, X)"),
        or an evaluation before "on" ("85.7% on X", "evaluated on X")."""
        if evaluated_on(i) or (i >= 2 and lower[i - 1] == "from" and lower[i - 2] in DATA_WORDS
                               and field != "title" and shape(words[i]) == "strong" and not modifies(i)):
            return "benchmark"  # also "images sampled from X", "motions from X": where data came from
        for k in range(i - 1, max(-1, i - 24), -1):
            if lower[k] in PART_HEADS:
                return "part"  # "three key modules: A (X), B (Y)"
            if lower[k + 1] == "to" and (lower[k] in BENCH_HEADS or lower[k] in METHOD_HEADS):
                return ""  # "approaches to Zorb Communication (ZC)": what the approaches are for
            if lower[k] in BENCH_HEADS:
                return "benchmark"
            if lower[k] in METHOD_HEADS or lower[k] in {"baselines", "baseline"} or words[k].endswith("s") and gaz.stop_category(words[k]) == "generic":
                return "method"  # "… baselines such as A, B", "three VLMs; specifically, A, B and C"
            if 0 < k < i - 1 and lower[k] in {"on", "across"} and lower[k + 1] not in LIST_GLUE and evaluated_on(k + 1):
                return "benchmark"  # "experiments on ZQ-1, ZQ-2, and X": every name of the list
            if not (lower[k] in LIST_GLUE or is_name(k)):
                # "domains such as X", "tasks like X": a list of domains, tasks or settings
                listed = k + 1 < i and (lower[k + 1] in _EXAMPLES or lower[k + 1] in {"(", ":"})
                return "domain" if listed and lower[k].endswith("s") and head_class(lower[k], ("reject", "field")) else ""
        return ""

    def context(i: int, j: int, for_definition: bool = False) -> tuple[str, bool, bool]:
        """Kind hint, a weak and a strong use cue from the words around tokens i..j."""
        left = left_kind(i)
        kind = right_kind(j) or left or ("benchmark" if scored_on(i, j) else "")
        if kind == "part" and not for_definition:
            kind = "method"
        window = lower[max(0, i - 8):i]
        if left == "domain":
            return kind, False, False
        strong = any(w in STRONG_CUES for w in window) or bool(left) or listed_with_known(i, j)
        weak = strong or any(w in WEAK_CUES for w in lower[max(0, i - 3):i]) or (
            # a name given in brackets after a description: "query expansion (HyDE)"
            1 < i and j < n and lower[i - 1] == "(" and lower[j] == ")" and words[i - 2].islower())
        return kind, weak, strong

    # 1. gazetteer spans
    for start, end, key in gaz_spans:
        i, j = start - sent.start, end - sent.start
        version = max(_version_end(words, lower, j), _family_end(words, lower, i) if j == i + 1 else j)
        if lower[j - 1] in MODIFIER_HEADS and i > 0 and _CAPWORD.fullmatch(words[i - 1]) and (field == "title" or i > 1):
            continue  # "Parser-Prompted Transformers", "a Dynamic Graph Transformer": the head of a longer name
        if field == "title" and j - i >= 2 and 0 < i and j < n and _TITLE_WORD.fullmatch(words[i - 1]) \
                and _qualifies(lower[i - 1]) and _TITLE_WORD.fullmatch(words[j]):
            continue  # "… of Zorbic Flow Matching Models": inside a longer name, not the known name
        kind, _, strong = context(i, version)
        kind = "" if kind in ("metric", "domain") else kind
        if version > j:  # "OCRBench v2", "Terminal-Bench 2.1": a version of a known name is another name
            m = Mention(clean_surface(sent.span_text(i, version)), field, text, "shape", kind=kind or gaz.entries[key].kind,
                        cued=True, strong=strong)
            consumed.update(range(j, version))
        else:
            # "the regression error (MAE)": a known acronym in brackets after a metric's head is that metric
            metric = 1 < i and j < n and lower[i - 1] == "(" and lower[j] == ")" and head_class(lower[i - 2], ("reject",)) == "reject"
            m = Mention(clean_surface(sent.span_text(i, j)), field, text, "gaz", gaz_key=key, kind=kind, cued=True,
                        strong=strong, adjectival=j < n and _ADJ_NEXT.fullmatch(lower[j]) is not None, metric=metric)
        if any(lower[v] in NAMING_WORDS for v in propose_at if v < i <= v + 2):
            m.role = "proposed"
        found[i] = m

    # 2. acronym definitions: "Long Form (ACR)" and "ACR (Long Form)"
    for i in [k for k, w in enumerate(words) if w == "(" or w == "（"]:
        if i + 2 >= n:
            continue
        close = next((k for k in range(i + 1, min(n, i + 40)) if words[k] in (")", "）")), None)
        if close is None:
            continue
        inner = words[i + 1:close]
        acr = strip_adjectival(inner[0]) if inner else ""
        if shape(acr) == "strong" and (len(inner) == 1 or inner[1] in {",", ";"}):
            lo = max(0, i - 2 * len(acr) - 2)
            before = sent.span_text(lo, i)
            lf = schwartz_hearst(acr, before) or _compound_long_form(acr, before)
            if lf and (initials_match(acr, lf) or _compound_long_form(acr, lf)):
                nwords = len(lf.split())
                span = _long_form_tokens(lower, i, nwords)
                consumed.update(span)
                for k in span:  # "Parser-Prompted Transformers (PPTformer)" names PPTformer, not Transformer
                    if k in found and found[k].source == "gaz":
                        del found[k]
                named = any(lower[v] in NAMING_WORDS and v < min(span) <= v + 3 for v in propose_at)
                _add_definition(found, i + 1, acr, lf, field, text, lower, span, proposal_target, context, gaz, named)
                consumed.add(i + 1)
            continue
        if i >= 1 and shape(words[i - 1]) == "strong" and len(inner) >= 2 and lower[i + 1] not in _EXAMPLES \
                and sum(shape(w) == "strong" for w in inner) < 2:  # "LLMs (e.g., A-1B, B-7B)" lists names
            acr = words[i - 1]
            lf = " ".join(inner)
            if schwartz_hearst(acr, lf) and initials_match(acr, lf):
                consumed.update(range(i + 1, close))
                named = any(lower[v] in NAMING_WORDS and v < i - 1 <= v + 3 for v in propose_at)
                _add_definition(found, i - 1, acr, lf, field, text, lower, [i - 1], proposal_target, context, gaz, named)

    # 3. other name-shaped tokens
    last_verb = -1
    at_sign = "@" in text
    verbs = [] if PROPOSE_VERBS.isdisjoint(lower) else [k for k, w in enumerate(lower) if w in PROPOSE_VERBS]
    # every other token is lower-case with no apposition after it: nothing below can keep it
    visit = sorted({k for k in range(n) if words[k] != lower[k]}
                   | {k - 1 for k in range(1, n - 1) if lower[k] == "," and lower[k + 1] in {"a", "an"}})
    for i in visit:
        raw = words[i]
        while verbs and verbs[0] <= i:
            last_verb = verbs.pop(0)
        if i in found or i in consumed or (sent.start + i) in covered:
            continue
        if at_sign and ((i + 1 < n and words[i + 1].startswith("@")) or "@" in raw):
            continue
        if lower[i] == raw:  # no capital letter
            # a coined lower-case name introduced with an apposition: "we propose ccg-jcomp, a …"
            if (i + 2 < n and lower[i + 1] == "," and lower[i + 2] in {"a", "an"} and len(raw) >= 4
                    and ("-" in raw or any(c.isdigit() for c in raw)) and proposal_target(i) and not is_garbage(raw)):
                found[i] = Mention(raw, field, text, "shape", role="proposed", cued=True)
            continue
        if i > 0 and _NUMBER.fullmatch(words[i - 1]) and raw.isalpha() and raw.isupper() and len(raw) <= 4:
            continue  # "6 GB", "at 20 FPS": a unit after a number
        if _QUANTITY.fullmatch(raw):
            continue
        if i + 3 < n and not spaces[i] and words[i + 1] == "(" and words[i + 2].isdigit() and words[i + 3] == ")":
            continue  # "SE(3)", "SO(2)": a group written with its dimension
        family_end = _family_end(words, lower, i) if lower[i] in FAMILIES else i + 1
        if family_end > i + 1:  # "Claude Opus 5", "Llama 3": a model family and its version
            kind, weak, strong = context(i, family_end)
            found[i] = Mention(clean_surface(sent.span_text(i, family_end)), field, text, "shape", kind=kind or "method",
                               cued=True, strong=strong)
            consumed.update(range(i + 1, family_end))
            continue
        if _BACKRONYM.fullmatch(raw) and any(_BACKRONYM.fullmatch(words[k]) for k in (i - 2, i - 1, i + 1, i + 2)
                                             if 0 <= k < n):
            continue  # "SequencE-level AdaptivE …": letters of a backronym picked out, not names
        if raw.isupper() and _shouted(words, i):
            continue
        if _licence(words, lower, i):
            continue  # "under a CC BY 4.0 license": a licence, not a name
        names = _token_names(raw)
        # capitalised words after it belong to one name ("Zorb Face", "ZQI Adult"); not in a title,
        # nor after a capitalised word that starts the sentence, a stop-listed word ("AI Act") or a
        # proposal verb (the name is read back from its end there)
        run = i + 1
        if len(names) == 1 and field != "title" and (i > 0 or not _TITLE_WORD.fullmatch(raw)) and spaces[i] and (
                i + 1 < n and _TITLE_WORD.fullmatch(words[i + 1])) and raw[-1].isalnum() and not gaz.stop_category(raw):
            while run < min(n, i + 4) and _TITLE_WORD.fullmatch(words[run]) and run not in found and (
                    sent.start + run) not in covered and _continues_name(lower[run]):
                run += 1
            if run < n and _TITLE_WORD.fullmatch(words[run]) or proposal_target(i) or proposal_target(run - 1):
                run = i + 1  # "ZQI Machine Learning Repository": a longer phrase, read word by word
            if run > i + 1:
                consumed.update(range(i + 1, run))
                if gaz.stop_category(sent.span_text(i, run)):
                    continue  # "Hugging Face": a multi-word name on the stop list
        for k, (s, adjectival) in enumerate(names):
            sh = shape(s) or ("strong" if _known_variant(s, gaz) else "")
            if not sh or not_a_name(s) or (to_acronym(s) and not proposal_target(i)):
                continue
            if i + 1 < n and lower[i + 1] in _SOLVERS and _PROBLEM_CLASS.fullmatch(s):
                continue  # "SMT solvers", "MILP solver": the class of problems a solver solves
            start = i
            if sh == "capital":
                # a lone capitalised word is a name only when a proposal cue points at it and
                # an apposition or definition follows ("we introduce Spotter, a ..."), or when
                # it is what a result was measured on ("85.7% on Omnilabel")
                nxt = lower[run] if run < n else ""
                if i > 0 and proposal_target(i) and nxt in {",", "(", ":", "—", "–"}:
                    # with the capitalised words before it: "we propose Scaffold-Preserving Representation Alignment, a …"
                    # and a one-word name before it: "we built ZorbWorld Engine, an …" names "ZorbWorld Engine"
                    while start - 1 > last_verb and _CAPWORD.fullmatch(words[start - 1]) and (
                            start - 1 not in found or found[start - 1].surface == words[start - 1]):
                        start -= 1
                        found.pop(start, None)
                    if start < i:
                        s = sent.span_text(start, i + 1)
                elif k == 0 and evaluated_on(i) and words[i - 1] != "On" and field != "title":
                    while run < min(n, i + 5) and _CAPWORD.fullmatch(words[run]):
                        run += 1
                    consumed.update(range(i + 1, run))
                elif not (k == 0 and (lower[i - 1] in _SEPARATORS or nxt in _SEPARATORS)
                          and (listed_with_names(i) or listed_with_names(run - 1))
                          and left_kind(i) in ("method", "benchmark", "part")):
                    continue  # kept: "losses such as Triplet, InfoNCE", "datasets like Spider and BIRD"
            if k == 0 and run > i + 1:
                s = sent.span_text(start, run)
            stop = gaz.stop_category(s)
            if stop and not (stop == "other" and any(lower[v] in NAMING_WORDS for v in propose_at if v < i <= v + 2)):
                continue
            if _stop_compound(s, gaz):
                continue
            end = _version_end(words, lower, run) if k == 0 else i + 1
            if end == i + 1 < n and words[end] == "*" and not spaces[i] and _STAR_NAME.search(s):
                end += 1  # "A*", "LLM-A*": the star search family
            if end > run:
                s = sent.span_text(start, end)
                consumed.update(range(i + 1, end))
            if end < n and k == 0 and words[end][:1].isupper() and lower[end] in NAME_HEADS:
                end += 1  # "AIRT-VLM Adapter": a capitalised head noun is part of the name
                s = sent.span_text(start, end)
                consumed.add(end - 1)
            kind, weak, strong = context(start, end)
            if not kind and _SIZE.search(s):
                kind, weak = "method", True  # "Flash-VStream-7B": a parameter count names a model
            metric = (kind == "metric" or _METRIC_NAME.search(s) is not None or metric_compound(s, gaz, kind)
                      or _reported_value(words, end))
            m = Mention(s, field, text, "shape", kind="" if kind in ("metric", "domain") else kind, cued=weak,
                        strong=strong, adjectival=adjectival, metric=metric, domain=kind == "domain")
            if proposal_target(start, end) or _ours(lower, start, end):
                m.role = "proposed"
            found.setdefault(i if k == 0 else -(i * 8 + k), m)

    # "we propose Hyena nnU-Net, a …", "we introduce Spectral ZSR, a …": a capitalised word and a
    # name after it make the new name
    for i in sorted(k for k in range(1, n - 2) if k + 1 in found):  # found loses keys below, never gains any
        if i not in found and (k := i + 1) in found and _CAPWORD.fullmatch(words[i]) and words[k].isupper() \
                and found[k].surface == words[k] and found[k].source == "shape" and lower[i + 2] in {",", "(", ":"} \
                and proposal_target(i) and not gaz.stop_category(words[i]):
            found[i] = replace(found.pop(k), surface=sent.span_text(i, i + 2), role="proposed")
            continue
        if (i in found and i + 1 in found and lower[i + 2] in {",", "(", ":"} and words[i][:1].isupper()
                and all(found[k].surface == words[k] and found[k].source != "def" for k in (i, i + 1))
                and found[i].role != "proposed" and proposal_target(i)):
            found[i] = Mention(sent.span_text(i, i + 2), field, text, "shape", role="proposed", cued=True,
                               kind=right_kind(i + 2))
            del found[i + 1]
    return list(found.values())


_SEPARATORS = frozenset({",", "and", "or", "、"})
_SENTENCE_ENDS = frozenset({".", "!", "?", ":", ";", "\n"})
# words that end a noun phrase ("a dataset for …", "a framework that …")
_NP_END = frozenset("for of that which with to in on by and or from is are was were as at via using based where".split())
_TITLE_LEADS = frozenset("a an the towards toward beyond rethinking revisiting understanding improving scaling "
                         "when why how what is are does do can".split())


def _qualifies(word: str) -> bool:
    """A capitalised word before a known name in a title that makes a longer name of it ("Zorbic
    Flow Matching"), not a verb or a lead word ("Improving Flow Matching", "Towards …")."""
    return word not in _TITLE_LEADS and word not in _PREPOSITIONS and not word.endswith("ing")
_TITLE_WORD = re.compile(r"[A-Z][a-z]{2,}")
_SPLITS = frozenset("train training val validation dev test unseen seen split subset".split())


@lru_cache(maxsize=4096)
def _continues_name(word: str) -> bool:
    """Whether a capitalised word after a name can be part of it: not a head noun that says what
    the name is ("ZQ Dataset", "ZQ Module"), a data split ("ZQ Val Unseen") nor an entry's section
    label ("Results")."""
    return word not in _SECTIONS and word not in _SPLITS and word not in PART_HEADS and word not in NAME_HEADS and head_class(
        word, ("benchmark", "method", "field", "reject")) is None
_SHOUTED_GLUE = frozenset("AND OF THE FOR IN WITH TO ON".split())
_SECTIONS = frozenset(row[0] for row in load_tsv("entry_labels.tsv")) | {"background", "purpose", "objective", "objectives"}


def _shouted(words: list[str], i: int) -> bool:
    """A word of a heading written in capitals ("METHODS AND MATERIALS:", "RESULTS:"), not a name."""
    w = words[i]
    if not (len(w) >= 4 and w.isalpha() and w.isupper()):
        return False
    if i + 1 < len(words) and words[i + 1] in (":", "：") and w.lower() in _SECTIONS:
        return True
    return any(0 <= k < len(words) and words[k] in _SHOUTED_GLUE for k in (i - 1, i + 1))


def _novel_before(lower: list[str], first: int) -> bool:
    """ "we … with an innovative approach that Zorbs Neighbours (ZN)": a long form right after "novel"
    and a method or data head noun, in a sentence of ours, names what the paper proposes."""
    before = lower[max(0, first - 5):first]
    heads_at = [k for k, w in enumerate(before) if w in METHOD_HEADS or w in BENCH_HEADS]
    return (bool(heads_at) and not _NOVEL.isdisjoint(before[:heads_at[-1]]) and ("we" in lower or "our" in lower)
            and set(before[heads_at[-1] + 1:]) <= _NAME_LEAD)


_NAME_LEAD = frozenset("that which called named termed dubbed , : — – -".split())


_OUR_ADJ = frozenset("best proposed final full new own resulting".split())


def _ours(lower: list[str], i: int, j: int) -> bool:
    """ "our ZorbNet model", "our best ZorbNet-L variant": the paper's own method or dataset."""
    before = lower[max(0, i - 2):i]
    if not before or before[-1] != "our" and not (len(before) == 2 and before[0] == "our" and before[1] in _OUR_ADJ):
        return False
    return j < len(lower) and (lower[j] in METHOD_HEADS or lower[j] in BENCH_HEADS or lower[j] in {"variant", "variants"})


_COMPARATORS = frozenset("= < > ≤ ≥ ≈".split())
_LICENCE_WORDS = frozenset("license licence licenses licences licensed".split())
_CC_TERMS = frozenset("by by-sa by-nc by-nd by-nc-sa by-nc-nd 0 zero".split())
# "V2X", "S2ST", "E2E": "X-to-Y" written with a 2 names a setting, a task or a link, not a method
_TO_ACRONYM = re.compile(r"[A-Z]{1,2}2[A-Z]{1,3}s?")
_TO_WORD = re.compile(r"\bto\b", re.I)
# "GABAergic", "EEGic": an adjective made from an acronym
_ACRONYM_ADJECTIVE = re.compile(r"[A-Z]{2,}(?:ergic|ic|ical|ous|ive|ated|ized|ised)")
# "Video-LLMs", "AudioLLM": a modality and a generic model class make a generic model class
_MODALITY_LM = re.compile(r"(?:[A-Z][a-z]{2,}|\d+(?:\.\d+)?[BMK])-?(?:LLM|VLM|MLLM|LMM|LVLM|LRM|SLM|LM|VLA)s?")
_SOLVERS = frozenset({"solver", "solvers"})
_PROBLEM_CLASS = re.compile(r"[A-Z]{2,4}")


@lru_cache(maxsize=65536)
def not_a_name(token: str) -> bool:
    """Name-shaped tokens that are settings, adjectives or generic model classes.

    >>> [not_a_name(t) for t in ("GABAergic", "Video-LLMs", "ZQ-LLM", "BERTopic")]
    [True, True, False, False]
    """
    return bool(_ACRONYM_ADJECTIVE.fullmatch(token) or _MODALITY_LM.fullmatch(token))


def to_acronym(token: str) -> bool:
    """ "V2X", "S2TT": an "X-to-Y" acronym, a setting or a task when nothing says the entry
    names a new thing with it (a "2" may also count letters: "R2FT" is Rejection Rule-… )."""
    return _TO_ACRONYM.fullmatch(token) is not None


def _licence(words: list[str], lower: list[str], i: int) -> bool:
    """Token ``i`` starts a licence's name: "CC BY 4.0", "the MIT license", "Apache 2.0 licence"."""
    if lower[i] == "cc" and i + 1 < len(words) and lower[i + 1] in _CC_TERMS:
        return True
    for k in range(i + 1, min(len(words), i + 4)):
        if lower[k] in _LICENCE_WORDS:
            return True
        if words[k].isalpha() and words[k].islower():
            return False  # "ZQData under the MIT license": the licence is another name's
    return False


def _reported_value(words: list[str], j: int) -> bool:
    """A score follows the name ending before token ``j``: "ZQS=12%", "ZQT p < 0.05", "ZQC of
    0.045" (not a setting: "at ZQG = 4.5" names what was set; nor "ZQ of 7B", a size)."""
    if j + 2 < len(words) and words[j] in _COMPARATORS:
        return _NUMBER.fullmatch(words[j + 1]) is not None and words[j + 2] == "%"
    if j + 1 < len(words) and words[j] == "of" and _NUMBER.fullmatch(words[j + 1]):
        return "." in words[j + 1] or (j + 2 < len(words) and words[j + 2] == "%")
    return j + 2 < len(words) and words[j] == "p" and words[j + 1] in _COMPARATORS


def _version_end(words: list[str], lower: list[str], j: int) -> int:
    """Where a name ending before token ``j`` ends once its version is added ("v2", "2.1")."""
    if j < len(words) and _VERSION.fullmatch(words[j]) and (j + 1 >= len(words) or lower[j + 1] not in _UNITS):
        return j + 1
    return j


def _family_end(words: list[str], lower: list[str], i: int) -> int:
    """The end of "Family Tier 5"-style model names starting at ``i`` ("Claude Opus 5", "Llama 3 8B")."""
    if lower[i] not in FAMILIES:
        return i + 1
    j = i + 1
    while j < min(len(words), i + 4) and (_VERSION.fullmatch(words[j]) or words[j].isdigit() and len(words[j]) <= 2
                                          or _SIZE.fullmatch(words[j]) or _TIER.fullmatch(words[j])):
        j += 1
    # a name needs a number in it: "Claude Opus" alone is not yet a version
    return j if any(c.isdigit() for w in words[i + 1:j] for c in w) and (j >= len(words) or lower[j] not in _UNITS) else i + 1


def _known_variant(name: str, gaz: Gazetteer) -> bool:
    """A known name in the plural ("U-Nets") or with a size or variant suffix ("Swin-T")."""
    if name.endswith("s") and (entry := gaz.lookup(name[:-1])) is not None:
        return any(case_ok(name[:-1], f) for f in (entry.label, *entry.aliases) if normalize(f) == normalize(name[:-1]))
    head, _, tail = name.rpartition("-")
    if name.split("-")[0].lower() in FAMILIES and "-" in name and name[:1].isupper():
        return True  # "Qwen-Image", "Llama-Guard": a model family's named variant
    return bool(head and tail and (tail.isupper() and len(tail) <= 3 or _SIZE.fullmatch(tail))
                and gaz.lookup(head) is not None and head[:1].isupper())


_THRESHOLDS = re.compile(r"(?P<metric>[A-Za-z]+?)[-@]?(?P<at>\d+(?:\.\d+)?(?:[-:]\d+)?)")


def metric_compound(name: str, gaz: Gazetteer, kind: str = "") -> bool:
    """A metric with its thresholds or a qualifier: ``mAP50-95``, ``AP75``, ``Top-50``, ``PR-AUC``,
    ``BERT-F1`` (a qualified metric unless a head noun next to it names a method or dataset).

    >>> from kg.extract import load_gazetteer
    >>> [metric_compound(n, load_gazetteer()) for n in ("mAP50-95", "Top-50", "BERT-F1", "NeRF-MAE", "AP-10K")]
    [True, True, True, False, False]
    """
    if (m := _THRESHOLDS.fullmatch(name)) and (gaz.stop_category(m["metric"]) == "metric" or m["metric"].lower() == "top"):
        return True
    head, _, last = name.rpartition("-")
    # a metric suffix that is also a known model's name ("NeRF-MAE") or a short one ("-SR") is left alone
    return bool(head) and not kind and gaz.stop_category(last) == "metric" and gaz.lookup(last) is None and (
        len(last) > 2 or any(c.isdigit() for c in last))


def _stop_compound(name: str, gaz: Gazetteer) -> bool:
    """``human-AI``, ``LLM-agent``, ``IMU+GPS``, ``Arabic NLP``: every part is a stop word, a plain
    word or a number."""
    parts = [p for p in re.split(r"[-+\s]", name) if p]
    return len(parts) > 1 and all(gaz.stop_category(p) or p.islower() or p.isdigit() for p in parts)


def _long_form_tokens(lower: list[str], paren: int, nwords: int) -> list[int]:
    """Token indexes of the ``nwords`` words before the parenthesis at ``paren``."""
    out, k = [], paren - 1
    while k >= 0 and len(out) < nwords + 2:
        out.append(k)
        k -= 1
    return out[: nwords + 1]


def _compound_long_form(acr: str, before: str) -> str | None:
    """``condPED-ANOVA`` is ``conditional PED-ANOVA``: the acronym ends with the last word and
    starts with the beginning of the word before it."""
    words = before.split()
    if len(words) < 2:
        return None
    last, prev = normalize(words[-1]), normalize(words[-2])
    a = normalize(acr)
    if len(last) >= 3 and a.endswith(last) and a != last:
        head = a[: -len(last)]
        if head and prev.startswith(head):
            return f"{words[-2]} {words[-1]}"
    return None


def long_form_head(long_form: str) -> str:
    """The head word of a long form: the last word before its first preposition.

    >>> long_form_head("Number of Function Evaluations"), long_form_head("Group Relative Policy Optimization")
    ('Number', 'Optimization')
    >>> long_form_head("Video In-Context Learning with Annotation"), long_form_head("Theory-of-Mind Reasoning")
    ('Learning', 'Theory')
    """
    # "Theory-of-Mind" holds a preposition; "In-Context" only starts with one
    words = [w for part in long_form.split() for w in (part.split("-") if any(
        p.lower() in _PREPOSITIONS for p in part.split("-")[1:-1]) else [part])]
    for k, w in enumerate(words[1:], 1):
        if w.lower() in _PREPOSITIONS:
            return words[k - 1]
    return words[-1] if words else ""


def _add_definition(found, idx, acr, lf, field, text, lower, span, proposal_target, context, gaz, named=False):
    lf = clean_surface(lf)
    words = lf.split()
    content = [w for w in words if len(w) > 3]
    if len(content) > 1:
        capitalised = sum(1 for w in content[1:] if w[:1].isupper())
    else:
        capitalised = int(bool(content) and content[0][:1].isupper())
    head = head_class(long_form_head(lf), ("reject", "benchmark", "method", "field"))
    known = gaz.lookup(lf)
    if known is None and (by_acr := gaz.lookup(acr)) is not None and compatible(lf, by_acr):
        known = by_acr  # the known name's own long form, not a homonym ("MAE" the metric)
    # a stop-listed acronym may be another name when the entry says so: "an approach called LED
    # (…)", "Expectation-Maximization (EM)"; a generic one ("CNN") never is
    stop = gaz.stop_category(acr)
    if not known and (gaz.stop_category(lf) or stop == "generic" or not_a_name(acr) or (
            to_acronym(acr) and _TO_WORD.search(lf)) or (
            stop and not named and (head not in ("method", "benchmark") or not capitalised))):
        found[idx] = Mention(acr, field, text, "stop")
        return
    proposed = any(proposal_target(k) for k in sorted(span) + [idx]) or _novel_before(lower, min(span + [idx]))
    kind, weak, strong = context(min(span + [idx]), idx + 2, True)
    metric = kind == "metric"
    domain = kind == "domain"
    kind = "" if domain else kind
    after = lower[idx + 2] if idx + 2 < len(lower) else ""
    part = long_form_head(lf).lower() in PART_HEADS or after in PART_HEADS or kind == "part"
    kind = "method" if kind == "part" else kind
    if head in ("benchmark", "method"):
        kind = head
    generic = rejected = False
    if not known:
        rejected = head == "reject" or metric or domain
        # "ZQ models" in the plural are models for the task ZQ names, not one model called ZQ
        named_by_head = (after in METHOD_HEADS and not after.endswith("s")) or (
            after in BENCH_HEADS and not after.startswith("environment"))
        coined = _COINED.search(acr) is not None  # "Deep Simple Online and Realtime Tracking (DeepSORT)"
        # a plural acronym defined in the plural names a class of things ("Zorbic Agents (ZAs)")
        plural = acr[-1:] == "s" and acr[:-1].isupper() and lf.endswith("s")
        generic = rejected or (not proposed and (capitalised == 0 or plural or (
            head in ("field", None) and not strong and not named_by_head and not coined)))
    m = Mention(clean_surface(acr), field, text, "def", kind="" if kind == "metric" else kind, cued=True, long_forms=(lf,),
                gaz_key=known.key if known else None, strong=strong, generic=generic, rejected=rejected,
                adjectival=_ADJ_NEXT.fullmatch(after) is not None, part=part and not known)
    if proposed:
        m.role = "proposed"
    found[idx] = m


_COINED = re.compile(r"[A-Z][a-z]{2,}")  # a word inside an acronym makes it a coined name
_TITLE_SPLIT = re.compile(r"\s*[:：]\s+|\s*[:：](?=[A-Z])")


def _title_prefix(title: str, field: str, gaz: Gazetteer) -> list[Mention]:
    """``X: a subtitle`` names what the paper proposes when X looks like a name."""
    if ":" not in title and "：" not in title:
        return []  # most titles: no colon to split at (clean_latex never adds one)
    parts = _TITLE_SPLIT.split(clean_latex(title), maxsplit=1)
    if len(parts) != 2:
        return []
    prefix = clean_surface(parts[0])
    words = prefix.split()
    if not words or len(words) > 4 or is_garbage(prefix):
        return []
    shapes = [shape(w) for w in words]
    if len(words) == 1:
        coined = prefix.count("-") >= 2 and all(p[:1].isupper() for p in prefix.split("-"))  # "Light-Loco-Parkour: …"
        # "Crypto-Microeconomics: …": two capitalised words in one are a topic as often as a name
        weak = shapes[0] == "capital" and "-" in prefix
        if not (shapes[0] and not weak or coined) or gaz.stop_category(prefix):
            return []
    elif shapes.count("strong") < 1 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return []
    if gaz.lookup(prefix) or any(gaz.stop_category(w) for w in words if shape(w) == "strong"):
        return []
    kind = "benchmark" if BENCH_SHAPE.search(prefix) else _first_head(parts[1])
    return [Mention(prefix, field, title, "title", role="proposed", kind=kind, cued=True)]


def _first_head(subtitle: str) -> str:
    """``benchmark`` when the subtitle's noun phrase after "a"/"an" ends in a data head ("X: Towards
    … with a Zorbic Recognition Dataset", "X: A Benchmark for …").

    >>> _first_head("Towards Zorbic Attribution with a Named Entity Dataset"), _first_head("A Dataset-Free Method")
    ('benchmark', '')
    """
    words = subtitle.split()
    for k, w in enumerate(words):
        if w.lower() not in {"a", "an"}:
            continue
        last = ""
        for x in words[k + 1:k + 8]:
            if x.lower() in _PREPOSITIONS or x.lower() in {"and", "that", "which"}:
                break
            last = x.strip(".,;:()").lower()
        if last in _DATA_HEADS:
            return "benchmark"
    return ""


_DATA_HEADS = frozenset("dataset datasets benchmark benchmarks corpus corpora suite testbed".split())


# ---------------------------------------------------------------- Chinese (regex)

_ZH_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+\-_'^/&@]*(?: [A-Za-z0-9][A-Za-z0-9.+\-_'^/@]*)*")
_ZH_PROPOSE = re.compile(r"(?:提出|引入|介绍|推出|构建|开发|设计|发布|创建|建立|打造|贡献|命名为|名为|称为|称之为|新颖的|全新的)")
_ZH_BENCH_AFTER = re.compile(r"^[^。；]{0,30}?(?:数据集|基准|评测集|测试集|语料库)")
_ZH_METHOD_AFTER = re.compile(r"^[^。；]{0,30}?(?:框架|方法|模型|算法|架构|网络|策略|机制)")
_ZH_DEF = re.compile(r"([\u3400-\u9fff][\u3400-\u9fffA-Za-z0-9\-]{1,24}?)\s*[（(]\s*([^()（）]{1,80}?)\s*[)）]")
_ZH_LEAD = re.compile(r"^.*(?:提出了|提出|引入了|引入|介绍了|开发了|设计了|构建了|采用了|采用|利用|使用|基于|通过|称为|名为|命名为|即|结合|以及|和|与|在|对|将|把|为)")
_ZH_TRIM = re.compile(r"^(?:了|一种|一个|新的|新颖的|的)+")
_ZH_CLAUSE_END = set("，。；：;:！？")
_ZH_NAMED_HEAD = re.compile(r"^(?:数据集|基准|框架|模型|算法)")  # "Zorbic数据集": a capitalised word a head noun names
_ZH_HEAD_END = re.compile(r"(?:框架|方法|模型|算法|架构|网络|数据集|基准)\s*$")  # "…的ZQ框架（ZorbRL）"
_ZH_CLASS_OF_NAME = re.compile(r"^(?:框架|方法|模型|算法|架构|网络)\s*[（(]\s*[A-Za-z]")  # not "X框架（见图1）"
# what may stand between a proposal cue and the name it introduces ("提出了一种名为X"), so that
# "提出条件PED-ANOVA" (a Chinese word glued to the name) is not read as proposing PED-ANOVA
_ZH_BETWEEN = re.compile(r"(?:了|我们的|一种|一个|一套|一款|首个|新的|新颖的|全新的|名为|称为|命名为|[“”\"「」]|\s"
                         r"|有[两三四五]方面|[：:]\s*[（(]?(?:i{1,3}|iv|v|\d)[)）])*"
                         r"(?:[^，。；A-Za-z]{0,24}?(?:[的：:（(\s]|方法|框架|模型|算法|架构|网络|策略|机制|系统|基准|数据集))?\s*")


def _clause_before(text: str) -> str:
    """The text of the current clause up to the end of ``text`` (commas inside brackets and
    ASCII commas count as clause breaks only outside brackets)."""
    depth = 0
    for k in range(len(text) - 1, -1, -1):
        c = text[k]
        if c in ")）":
            depth += 1
        elif c in "(（":
            depth = max(0, depth - 1) if depth else 0
        elif depth == 0 and (c in _ZH_CLAUSE_END or c == ","):
            return text[k + 1:]
    return text


# characters after which a Chinese word starts (function words, verbs of use): "使用层归一化", "和组相对策略优化"
_ZH_WORD_START = frozenset("的了和与及或在用将对以于为是把被由从向等即其该各种个采利基结合并且通过使引入提出")
_ZH_TASK_AFTER = re.compile(r"^(?:任务|问题|领域|场景|次数)")
_ZH_OURS_AFTER = re.compile(r"^[，,]\s*(?:这是|是|即)?我们(?:的|提出的|构建的|针对)[^。；]{0,30}?(?:基准|数据集|方法|框架|模型)")
_SPACED_HYPHEN = re.compile(r"(?<=[A-Za-z0-9]) - (?=[A-Za-z])|(?<=[A-Za-z]) - (?=\d)")
_BRACKETED = re.compile(r"\s*[（(]\s*([A-Za-z][\w\-.]*)\s*[)）]")
_ZH_NAME_AFTER_CUE = re.compile(r"(?:了|一种|一个|新的|新颖的|全新的|名为|称为|\s)*[\u3400-\u9fff\-]{2,24}\s*")


def _brackets_and_clauses(sent: str) -> tuple[list, list]:
    """For each position of ``sent``: where the bracket still open there starts (or None), and
    where the clause it is in starts when it is outside brackets (or None): one pass for all the
    names of a sentence, instead of a scan back from each."""
    open_at: list[int | None] = []
    clause_at: list[int | None] = []
    opens: list[int] = []
    start = 0
    for p, ch in enumerate(sent):
        open_at.append(opens[-1] if opens else None)
        clause_at.append(None if opens else start)
        if ch in "(（":
            opens.append(p)
        elif ch in ")）":
            if opens:
                opens.pop()
        elif not opens and (ch in _ZH_CLAUSE_END or ch == ","):
            start = p + 1
    open_at.append(opens[-1] if opens else None)
    clause_at.append(None if opens else start)
    return open_at, clause_at


def _zh_long_form(raw: str) -> str:
    name = _ZH_TRIM.sub("", _ZH_LEAD.sub("", raw))
    if "的" in name and len(name.rsplit("的", 1)[1]) >= 4:
        name = name.rsplit("的", 1)[1]
    return name[-12:]


# a Chinese long form ending in a task word names a task ("时空视频定位（STVG）"), not a method
_ZH_TASK_END = re.compile(r"(?:定位|识别|检测|分割|分类|翻译|检索|问答|跟踪|追踪|摘要|估计|预测|生成|理解|导航|调度|推荐|规划|增强)$")


def _task_acronyms(text: str) -> set[str]:
    """Acronyms the text defines with a Chinese task name: not methods anywhere in the text."""
    return {dm.group(2).strip() for dm in _ZH_DEF.finditer(text)
            if _ZH_TASK_END.search(_zh_long_form(dm.group(1))) and shape(dm.group(2).strip()) == "strong"}


def chinese_mentions(text: str, field: str, gaz: Gazetteer, zh_pattern) -> list[Mention]:
    """Mentions in a Chinese field: Latin-script names, Chinese gazetteer names, X（ACR）."""
    out: list[Mention] = []
    tasks = _task_acronyms(text) if ("(" in text or "（" in text) else set()
    for sm in _ZH_SENT.finditer(text):
        sent = _SPACED_HYPHEN.sub("-", sm.group(0).strip())  # "STI - Bench" is STI-Bench
        if not sent:
            continue
        defs: dict[str, list[str]] = {}
        for dm in _ZH_DEF.finditer(sent) if ("(" in sent or "（" in sent) else ():
            items = [p.strip() for p in re.split(r"[,，;；]", dm.group(2)) if p.strip()]
            acr = next((p for p in items if shape(p) in ("strong", "capital") and " " not in p), None)
            if acr:
                forms = [p for p in items if p != acr and " " in p]
                zh_name = _zh_long_form(dm.group(1))
                if len(zh_name) >= 2 and _CJK.search(zh_name):
                    forms.append(zh_name)
                defs[acr] = forms
        if zh_pattern is not None:
            for zm in zh_pattern.finditer(sent):
                prev = sent[zm.start() - 1:zm.start()]
                if prev and _CJK.match(prev) and prev not in _ZH_WORD_START:
                    continue  # "预层归一化": a known name glued into a longer word
                out.append(Mention(zm.group(0), field, sent, "gaz", gaz_key=gaz.zh_forms[zm.group(0)], cued=True))
        named_at: dict[int, int] = {}  # clause start -> where the clause's last name so far starts
        runs = list(_LATIN_RUN.finditer(sent))
        open_at, clause_at = _brackets_and_clauses(sent) if runs else ([], [])
        urls = [u.span() for u in _ZH_URL.finditer(sent)] if "/" in sent else []
        for lm in runs:
            if any(a <= lm.start() < b for a, b in urls):
                continue  # "https://youtu.be/i3R5…": an address, not names
            run = lm.group(0).rstrip(".-'")
            before = sent[:lm.start()]
            after = sent[lm.end():]
            bracket = _BRACKETED.match(after)
            if bracket and shape(bracket.group(1)) == "strong" and normalize(bracket.group(1)) != normalize(run):
                acr, lf = bracket.group(1), schwartz_hearst(bracket.group(1), run)
                if " " in run and lf and initials_match(acr, lf):  # "Parser-Prompted Transformers (PPTformer)"
                    defs.setdefault(acr, []).append(lf)
                    continue
                if _CJK.search(before[-1:]) and gaz.lookup(run) and normalize(run).endswith(tuple(MODIFIER_HEADS)):
                    continue  # "多模态扩散Transformer（MMDiT）": the tail of the acronym's Chinese long form
            if _ZH_TASK_AFTER.match(after):
                continue  # "VQA任务", "函数评估次数": a task or a count, not a name
            if " " in run and gaz.stop_category(run):
                continue  # "Hugging Face": a stop-listed name of several words
            if " " in run and 2 <= len(run.split(" ")) <= 3 and all(shape(w) == "strong" for w in run.split(" ")) \
                    and not any(gaz.lookup(w) or gaz.stop_category(w) for w in run.split(" ")):
                run_kind = "benchmark" if _ZH_BENCH_AFTER.match(after) else ""
                out.append(Mention(run, field, sent, "shape", cued=True, kind=run_kind,  # "RALO CXR和Per-COVID-19 CT"
                                   role=_zh_run_role(sent, lm.start(), after, open_at, clause_at)))
                continue
            if " " in run and len(run.split(" ")) <= 4 and all(w[:1].isupper() for w in run.split(" ")) \
                    and after[:1] in _ZH_LIST_NEXT and not gaz.lookup(run) and not gaz.stop_category(run) \
                    and not any(gaz.stop_category(w) for w in run.split(" ")) and (  # not "GPU TEE": hardware
                        run_kind := "benchmark" if _ZH_BENCH_AFTER.match(after) else _zh_list_kind(sent, open_at[lm.start()],
                                                                                             clause_at[lm.start()])):
                out.append(Mention(run, field, sent, "shape", cued=True, strong=True, kind=run_kind,  # "（如Materials Project）"
                                   role=_zh_run_role(sent, lm.start(), after, open_at, clause_at)))
                continue
            opened = open_at[lm.start()]
            if opened is None:
                clause_id = clause_at[lm.start()]
                clause = sent[clause_id:lm.start()]
                cues = list(_ZH_PROPOSE.finditer(clause))
                cue = bool(cues) and _ZH_BETWEEN.fullmatch(clause[cues[-1].end():]) is not None \
                    and not _ZH_ANAPHOR.search(clause[cues[-1].end():])  # "引入A来识别这样的X": X came before
            else:
                # inside "中文名(Long Form, ACR)": proposed when a cue introduces the Chinese name
                clause_id = clause_at[opened] if clause_at[opened] is not None else opened - len(_clause_before(before[:opened]))
                clause = sent[clause_id:opened]
                cues = list(_ZH_PROPOSE.finditer(clause))
                # "提出了一种新颖的ZQ框架（ZorbRL）": the name in brackets after the head noun is the new one
                cue = bool(cues) and (_ZH_NAME_AFTER_CUE.fullmatch(clause[cues[-1].end():]) is not None
                                      or _ZH_HEAD_END.search(clause) is not None)
            words = run.split(" ")
            i = 0
            while i < len(words):
                took = False
                for j in range(min(len(words), i + 4), i, -1):
                    cand = " ".join(words[i:j])
                    entry = gaz.lookup(cand)
                    if entry and any(case_ok(cand, f) for f in (entry.label, *entry.aliases) if normalize(f) == normalize(cand)):
                        modifier = before.endswith("基于") and after.startswith("的") and j == len(words) and i == 0
                        out.append(Mention(cand, field, sent, "gaz", gaz_key=entry.key, cued=True, adjectival=modifier))
                        named_at[clause_id] = lm.start()
                        i, took = j, True
                        break
                if took:
                    continue
                names = _token_names(words[i])
                i += 1
                # "基于X的…" and "X风格的…" use X as a modifier, as "X-based" and "X-style" do
                adjectival = (before.endswith("基于") and after.startswith("的")) or after.startswith(("风格", "式的"))
                if len(names) != 1:
                    for w, adj in names:
                        if shape(w) == "strong" and not gaz.stop_category(w) and not not_a_name(w):
                            out.append(Mention(w, field, sent, "shape", cued=True, adjectival=adj or adjectival))
                    continue
                w, adj = names[0]
                sh = shape(w)
                if after.startswith("求解器") and _PROBLEM_CLASS.fullmatch(w):
                    continue  # "SMT求解器": the class of problems a solver solves
                if not sh or not_a_name(w) or (to_acronym(w) and w not in defs and not cue) or gaz.stop_category(w) or _stop_compound(w, gaz) or metric_compound(w, gaz) or (
                        sh == "capital" and w not in defs and not (cue and len(words) == 1 and "-" in w)
                        and not (len(words) == 1 and _ZH_NAMED_HEAD.match(after)) and not (
                            after[:1] in _ZH_LIST_NEXT and (
                            _ZH_BENCH_AFTER.match(after) or _zh_list_kind(sent, opened, clause_id)))):
                    continue
                m = Mention(w, field, sent, "def" if w in defs else "shape", cued=True, long_forms=tuple(defs.get(w, ())),
                            adjectival=adj or (adjectival and len(words) == 1))
                if w in tasks:
                    continue  # "视觉语言导航（VLN）" names a task, whatever cue is near
                bench = _ZH_BENCH_AFTER.match(after)
                if (bench and not _ZH_METHOD_AFTER.match(after[: bench.end()])) or (_ZH_SCORED_ON.match(after) and not w.isupper()):
                    m.kind = "benchmark"
                elif _ZH_METHOD_NEXT.match(after):
                    m.kind = "method"  # "X框架", "X是一种经典方法"
                m.kind = m.kind or _zh_list_kind(sent, opened, clause_id)
                if _ZH_CLASS_OF_NAME.match(after):
                    m.adjectival = True  # "ZQ框架（ZorbRL）": ZQ says what kind of framework ZorbRL is
                # the first name after the cue: "A的方法命名为X" names X, though A came earlier in the clause
                first = named_at.get(clause_id, -1) < clause_id + (cues[-1].start() if cues else 0)
                if (cue and first and not m.adjectival) or _ZH_OURS_AFTER.match(after) or (
                        _ZH_OURS_BEFORE.search(before) and _ZH_METHOD_NEXT.match(after)):  # "我们最佳的X模型"
                    m.role = "proposed"  # "在PosEval上评估，这是我们针对…的基准"
                elif sh == "capital" and not ((after[:1] in _ZH_LIST_NEXT or _ZH_NAMED_HEAD.match(after)) and m.kind):
                    continue  # kept: "扩展了Spider和BIRD数据集", "损失函数：Triplet、InfoNCE"
                m.strong = bool(m.kind) or _ZH_COMPARE.search(clause[-12:]) is not None
                if not m.adjectival:
                    named_at[clause_id] = lm.start()
                out.append(m)
    return out


def _zh_run_role(sent: str, at: int, after: str, open_at: list, clause_at: list) -> str:
    """``proposed`` for a multi-word Latin name a proposal cue introduces ("我们提出了Zorb Music Set，这是…")."""
    if open_at[at] is None:
        clause = sent[clause_at[at]:at]
        cues = list(_ZH_PROPOSE.finditer(clause))
        if cues and _ZH_BETWEEN.fullmatch(clause[cues[-1].end():]) is not None:
            return "proposed"
    return "proposed" if _ZH_OURS_AFTER.match(after) else ""


# "X上达到60.6%", "X上提升10.7": a score reported on X (not "X上微调", "X上实现了…的FID提升": a model);
# read for names with a lower-case letter or a digit only: "FWT和BWT上…" are metrics as often
_ZH_SCORED_ON = re.compile(r"^\s*上(?:取得|达到|提升|获得)了?\s*(?:约|高达)?\s*\d")
_ZH_ANAPHOR = re.compile(r"(?:这样的|这些|此类|上述)\s*$")
_ZH_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")
_ZH_LIST_NEXT = frozenset("、和，,）)与及等")
_ZH_COMPARE = re.compile(r"(?:比较|相比|对比|优于|超越|超过|基线|例如|比如|诸如|包括|如)")
_ZH_BENCH_LIST = re.compile(r"(?:数据集|基准测试|基准|评测集|测试集|语料库|数据库)\s*$")
_ZH_METHOD_LIST = re.compile(r"(?:方法|模型|框架|算法|基线|技术|损失函数|损失)\s*$")
_ZH_OURS_BEFORE = re.compile(r"我们(?:的)?(?:最佳|最好|最终|提出|所提出)?的?\s*$")
_ZH_METHOD_NEXT = re.compile(r"^\s*[）)]?\s*(?:是一种|是一个)?[^，。；,、和与及]{0,12}?(?:框架|方法|模型|算法|架构|网络|技术)")


def _zh_list_kind(sent: str, opened: int | None, clause_id: int | None) -> str:
    """The kind a list's head noun gives the names in it: "四个数据集（A、B和C）", "基准：A、B"."""
    if opened is not None:
        lead = sent[max(0, opened - 8):opened]
    elif clause_id and sent[clause_id - 1] in ":：":
        lead = sent[max(0, clause_id - 9):clause_id - 1]
    else:
        return ""
    return "benchmark" if _ZH_BENCH_LIST.search(lead) else "method" if _ZH_METHOD_LIST.search(lead) else ""
