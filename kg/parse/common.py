"""Helpers shared by the digest parsers: decoding, arXiv ids, URLs, venues, institutions."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ..data import load_tsv
from ..errors import ParseError
from ..model import Institution, Problem, Venue

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NEW_ID = r"(?:\d{4}\.\d{5}|(?:0[7-9]|1[0-4])\d\d\.\d{4})"  # YYMM.NNNNN since 2015, YYMM.NNNN from 2007
OLD_ID = r"[a-z]{1,8}(?:-[a-z]{2,5})?(?:\.[A-Z]{2})?/\d{7}"  # archive names are short: bounded, so linear
# no ASCII letter, digit, "_" or "." may touch an id, but text in another script may ("见2405.17247"),
# and so may a full stop that ends a sentence ("see 2405.17247.", not "2405.17247.pdf")
BEFORE_ID, AFTER_ID = r"(?<![0-9A-Za-z_.])", r"(?![0-9A-Za-z_]|\.\w)"
ARXIV_ID = re.compile(rf"{BEFORE_ID}({NEW_ID}|{OLD_ID})(?:v\d+)?{AFTER_ID}")
ARXIV_URL = re.compile(rf"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/({NEW_ID}|{OLD_ID})(?:v\d+)?")
URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org", "gitee.com")


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """A digest file's text, line endings normalised to ``\\n``, and the problems met decoding it.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such. A UTF-8 file with some
    invalid bytes keeps its text: each bad byte becomes U+FFFD and is reported with its line. A
    file with more broken sequences than valid multi-byte characters goes to charset-normalizer,
    restricted to the encodings digests are written in, and its choice is reported (when it finds
    none, the UTF-8 reading stands). Binary data (control bytes throughout) is a ParseError.

    >>> decode("标题\\r\\n".encode("gb18030"), "f.txt")
    ('标题\\n', [Problem(path='f.txt', line=1, message='not UTF-8: read as GB18030')])
    >>> decode(b"ok\\rJ\\xfcrgen M\\xfcller\\r", "l1.txt")[0]
    'ok\\nJürgen Müller\\n'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and data[:8192].count(0) * 10 >= min(len(data), 8192):
        # UTF-16 (its ASCII has a NUL in every other byte; without them the "BOM" is two stray bytes)
        text, problems = data.decode("utf-16", errors="replace"), [Problem(path, 1, "UTF-16 with BOM")]
        if "\ufffd" in text:
            problems.append(Problem(path, 1, "invalid UTF-16 sequences replaced by U+FFFD"))
    else:
        if _binary(data):
            raise ParseError(f"{path}:1: binary file, not a digest")
        text, problems, plausible = _utf8(data.removeprefix(b"\xef\xbb\xbf"), path)
        if not plausible and (legacy := _legacy(data, path)):
            text, problems = legacy
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


MAX_REPORTED = 10  # invalid UTF-8 sequences reported one by one; the rest are counted
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as "surrogateescape" keeps them
_NON_ASCII = re.compile("[^\x00-\x7f]")
_LEGACY = ("cp1252", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1251", "koi8_r", "cp1250",
           "iso8859_2", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "latin_1")  # preference order
_SHOWN = {"gb18030": "GB18030", "big5": "Big5", "shift_jis": "Shift_JIS", "euc_jp": "EUC-JP", "euc_kr": "EUC-KR",
          "koi8_r": "KOI8-R", "iso8859_2": "ISO-8859-2", "latin_1": "Latin-1"}


def _binary(data: bytes) -> bool:
    """Control bytes (NUL, and C0 other than tab, line breaks, form feed and escape) over 10 % of
    a sample from the start, middle and end; a stray NUL in a text file is not enough."""
    mid = len(data) // 2
    sample = data[:4096] + data[mid: mid + 4096] + data[-4096:] if len(data) > 12288 else data
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), *range(14, 27), *range(28, 32)))
    return controls * 10 > len(sample)


def _utf8(data: bytes, path: str) -> tuple[str, list[Problem], bool]:
    """``data`` read as UTF-8 in one pass, each run of bad bytes replaced by U+FFFD and reported,
    and whether UTF-8 is plausible: at least as many valid multi-byte characters as bad bytes."""
    text = data.decode("utf-8", errors="surrogateescape")
    if not _ESCAPED.search(text):
        return text, [], True
    runs = list(_ESCAPED.finditer(text))
    bad = sum(len(m.group()) for m in runs)
    plausible = len(_NON_ASCII.findall(text)) - bad >= bad
    problems = []
    for m in runs[:MAX_REPORTED]:
        seq = m.group().encode("utf-8", "surrogateescape")
        at = len(text[: m.start()].encode("utf-8", "surrogateescape"))
        shown = seq[:8].hex(" ") + (f" … ({len(seq)} bytes)" if len(seq) > 8 else "")
        problems.append(Problem(path, text.count("\n", 0, m.start()) + 1,
                                f"invalid UTF-8 byte{'s' * (len(seq) > 1)} {shown} at byte {at}, replaced by U+FFFD"))
    if len(runs) > MAX_REPORTED:
        problems.append(Problem(path, text.count("\n", 0, runs[MAX_REPORTED].start()) + 1,
                                f"{len(runs) - MAX_REPORTED} more invalid UTF-8 sequences replaced by U+FFFD"))
    return _ESCAPED.sub("\ufffd", text), problems, plausible


def _legacy(data: bytes, path: str) -> tuple[str, list[Problem]] | None:
    """Text in a legacy encoding chosen by charset-normalizer, or None when none fits; among equally
    good readings the commoner encoding wins (a Latin-1 name is cp1252, not GB18030 mojibake)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(_LEGACY)))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    candidates = {enc for m in matches if m.chaos <= least + 0.01 for enc in m.could_be_from_charset}
    encoding = next((enc for enc in _LEGACY if enc in candidates), matches[0].encoding)
    return data.decode(encoding, errors="replace"), [Problem(path, 1, f"not UTF-8: read as {_SHOWN.get(encoding, encoding)}")]


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def arxiv_id(text: str) -> str | None:
    """The first arXiv id in ``text`` (URL or bare), version suffix stripped.

    >>> arxiv_id("https://arxiv.org/abs/2601.20881v2"), arxiv_id("hep-th/9901001v1")
    ('2601.20881', 'hep-th/9901001')
    """
    m = ARXIV_URL.search(text) or ARXIV_ID.search(text)
    return m.group(1) if m else None


def urls(text: str) -> list[str]:
    """URLs in ``text``: valid IRIs, trailing punctuation trimmed, stopping at non-ASCII (CJK glued on).

    >>> urls("code at https://github.com/a/b.获取 and [site](https://x.io/p%zz).")
    ['https://github.com/a/b', 'https://x.io/p']
    """
    out = []
    for m in URL.finditer(text):
        url = BAD_ESCAPE.split(m.group(0), 1)[0].rstrip(".,;:'!?*")
        if url.count("/") >= 2 and "." in url.split("/")[2]:
            out.append(url)
    return list(dict.fromkeys(out))


def split_urls(found: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split URLs into ``(code, project)``: repositories on code hosts vs. other pages."""
    code, project = [], []
    for url in found:
        host = url.split("/")[2].lower().removeprefix("www.")
        if "arxiv.org" in host:
            continue
        is_repo = host in CODE_HOSTS and len([p for p in url.split("/")[3:] if p]) >= 2
        (code if is_repo else project).append(url.rstrip("/"))
    return tuple(dict.fromkeys(code)), tuple(dict.fromkeys(project))


@cache
def _venues() -> dict[str, str]:
    return {row[0]: row[1] for row in load_tsv("venues.tsv")}


# Year first, then the acronym just before it: a name-first pattern ("[A-Z][A-Za-z-]*[A-Z]" then a
# year) backtracked from every hyphen of "A-A-A-…" (a 40 KB Comments line took 88 s).
VENUE_WINDOW = 2000  # characters of Comments where a venue is looked for
_YEAR = re.compile(r"(?<!\d)(20\d\d|\d\d)\b")
_NAME_BEFORE = re.compile(r"(?<![A-Za-z-])([A-Z][A-Za-z-]{0,30}[A-Z])[ \t]{0,3}['’]?[ \t]{0,3}\Z")
_PAREN_VENUE = re.compile(r"\(([A-Z][A-Za-z]{0,30}[A-Z])[ \t]{0,3}(?:'|’)(\d\d)\)|\(([A-Z][A-Za-z]{0,30}[A-Z])\)[ \t]{0,3}(20\d\d)")
_CUE = re.compile(r"\b(accepted|appear|published|to be presented|camera[- ]ready|conference|proceedings)\b", re.I)


def venue(comments: str | None) -> Venue | None:
    """A venue read from an arXiv Comments field.

    >>> venue("Accepted at ICML 2026. Project page: https://x.github.io")
    Venue(name='ICML', year=2026, statement='Accepted at ICML 2026. Project page: https://x.github.io')
    >>> venue("9 pages, 2 figures") is None
    True
    """
    if not comments:
        return None
    known = _venues()
    head = comments[:VENUE_WINDOW]
    cued = bool(_CUE.search(head))
    for m in _YEAR.finditer(head):
        before = _NAME_BEFORE.search(head, max(0, m.start() - 40), m.start())
        if not before:
            continue
        name, year = before.group(1), int(m.group(1))
        if name not in known and not cued:
            continue
        if name in {"IEEE", "ACM", "NVIDIA", "GPU", "AI"}:
            continue
        year = year + 2000 if year < 100 else year
        if "workshop" in head[m.end(): m.end() + 20].lower():
            name += " Workshop"
        return Venue(name, year, comments.strip())
    for m in _PAREN_VENUE.finditer(head):
        name = m.group(1) or m.group(3)
        year = int(m.group(2)) + 2000 if m.group(2) else int(m.group(4))
        return Venue(name, year, comments.strip())
    return None


_PARENT = re.compile(
    r"\b(Universit\w*|Univ\.|College London|Institute of Technology|Polytechnic\w*|Politecnico|"
    r"Academy of Sciences|ETH Z\w+|EPFL|KAIST|MIT)\b", re.I)
_ORG = re.compile(r"\b(Lab\w*|Institut\w*|School|Department|Dept|Faculty|Cent(er|re)|College|Research|Inc|Corp\w*|"
                  r"Ltd|AI|Group|Academy|Hospital|Foundation|Company|Technolog\w*|Sciences?|Inria|CNRS)\b", re.I)
_SYSTEMS = re.compile(r"^University of (California|Maryland|Massachusetts|Texas|Colorado|Wisconsin|Illinois)$")


def institution(name: str, name_zh: str | None) -> Institution:
    """One affiliation; "Lab, University X, City" becomes a unit of University X.

    >>> institution("Language Technology Lab, University of Cambridge", "语言技术实验室,剑桥大学")
    Institution(name='Language Technology Lab, University of Cambridge', name_zh='语言技术实验室,剑桥大学', parent='University of Cambridge')
    >>> institution("School of AI, University of California, Berkeley, CA, USA", None).parent
    'University of California, Berkeley'
    """
    if len(name) > MAX_INSTITUTION:
        return Institution(name, name_zh)  # not an affiliation; validation drops it
    parts = [p.strip() for p in name.split(",") if p.strip()]
    for i in range(len(parts) - 1):
        if _SYSTEMS.match(parts[i]):
            parts[i: i + 2] = [f"{parts[i]}, {parts[i + 1]}"]
            break
    while len(parts) > 1 and _is_place(parts[-1]):
        parts.pop()  # a location tail: "…, Shanghai, China"
    for i, part in enumerate(parts):
        if i and _PARENT.search(part):
            return Institution(", ".join(parts[: i + 1]), name_zh, part)
    return Institution(", ".join(parts), name_zh)


def _is_place(part: str) -> bool:
    words = part.split()
    capitalised = all(w[:1].isupper() for w in words)
    return capitalised and len(words) <= 3 and not _ORG.search(part) and not _PARENT.search(part)


_PAREN = re.compile(r"[()（）]")
MAX_INSTITUTIONS = 2000
MAX_INSTITUTION = 500  # characters


def institutions(text: str) -> tuple[Institution, ...]:
    """Split a ``发表机构`` list ``Name(中文名) Name2(中文名2) Name3`` into institutions (one pass:
    text between parentheses is sliced, never copied character by character).

    >>> [(i.name, i.name_zh) for i in institutions("MIT(麻省理工学院) Lab (Vision) X(某大学)")]
    [('MIT', '麻省理工学院'), ('Lab (Vision) X', '某大学')]
    """
    items: list[tuple[str, str | None]] = []
    buf: list[str] = []
    i = 0
    marks = _PAREN.finditer(text)
    for m in marks:
        if len(items) > MAX_INSTITUTIONS:
            break  # validation keeps the first 500 and reports the rest
        if m.group() not in "(（":
            continue
        open_at, depth, close_at = m.start(), 1, len(text)
        for inner in marks:
            depth += 1 if inner.group() in "(（" else -1
            if depth == 0:
                close_at = inner.start()
                break
        if open_at > i:
            buf.append(text[i:open_at])
        inner_text = text[open_at + 1: close_at]
        if has_cjk(inner_text) or (buf and not buf[-1].endswith(" ")):
            if (name := "".join(buf).strip()):
                items.append((name, inner_text.strip() or None))
            buf = []
        else:
            buf.append(text[open_at: close_at + 1])
        i = close_at + 1
    buf.append(text[i:])
    if (rest := "".join(buf).strip()):
        items.append((rest, None))
    return tuple(institution(en, zh) for en, zh in items if en)


def plain(title: str) -> str:
    r"""A plain-text label for a title: LaTeX math and commands reduced to their text.

    >>> plain(r"SR$^{2}$-Net: \textsc{Fast} nets")
    'SR2-Net: Fast nets'
    """
    text = re.sub(r"\\[a-zA-Z]+\*?\{([^{}]*)\}", r"\1", title)
    text = re.sub(r"\$([^$]*)\$", lambda m: re.sub(r"[\\^_{}]|\\[a-zA-Z]+", "", m.group(1)), text)
    text = re.sub(r"\\[a-zA-Z]+", "", text)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()


# Helpers of the structured readers (e-mail, feeds, JSON) and the generic reader.

ANNOUNCE = {"new": "new", "cross": "cross-list", "replace": "replaced", "replace-cross": "replaced cross-list"}
CATEGORY = re.compile(r"[a-z]{2,}(?:-[a-z]{2,})?(?:\.[A-Za-z]{2}(?:-[A-Za-z]{2})?)?")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-./](\d\d)[-./](\d\d)(?!\d)")


def is_category(code: str) -> bool:
    """True when ``code`` is shaped like an arXiv category code (``cs.CL``, ``math.NT``, ``hep-th``).

    >>> is_category("cs.CL"), is_category("hep-th"), is_category("我关注的研究话题")
    (True, True, False)
    """
    return bool(CATEGORY.fullmatch(code.strip()))


def iso_date(text: str | None) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``: ISO-like, or an e-mail/RSS (RFC 2822) date.

    >>> iso_date("2024-05-27T13:12:00.000Z"), iso_date("Mon, 12 Jan 2026 20:33:39 GMT   (215kb)")
    ('2024-05-27', '2026-01-12')
    """
    if not text:
        return None
    if m := _ISO_DATE.search(text):
        return "-".join(m.groups())
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text.split("(")[0].strip()).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def line_at(text: str, pos: int) -> int:
    """The 1-based line number of character offset ``pos`` in ``text``."""
    return text.count("\n", 0, pos) + 1


def load_json(text: str, path: str):
    """A JSON document or JSON Lines file as Python data; a syntax error is a ParseError with its line.

    >>> load_json('{"a": 1}\\n{"a": 2}\\n', "f.jsonl")
    [{'a': 1}, {'a': 2}]
    """
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ParseError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from None
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ParseError(f"{path}:{n}: invalid JSON line: {exc.msg} (column {exc.colno})") from None
    return out


@lru_cache(maxsize=2)
def sniff_json(text: str):
    """``text`` parsed as JSON (or JSON Lines) when it starts like JSON, else None (cached: every
    JSON reader's ``sniff`` asks)."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        return load_json(text, "")
    except ParseError:
        return None


def abstract_fields(text: str | None) -> dict[str, str | None]:
    """``abstract_en``/``abstract_zh`` keyword arguments of a Paper for an abstract, by its language.

    >>> abstract_fields("我们提出一种方法"), abstract_fields(None)
    ({'abstract_en': None, 'abstract_zh': '我们提出一种方法'}, {'abstract_en': None, 'abstract_zh': None})
    """
    from .lang import language

    chinese = bool(text) and language(text) == "zh"
    return {"abstract_en": text if text and not chinese else None, "abstract_zh": text if chinese else None}


_PARENS = re.compile(r"\([^()]*\)")
_AND = re.compile(r",|\band\b")


def author_list(text: str) -> tuple[str, ...]:
    r"""Names from an author list (``Authors:``, ``dc:creator``): ``,`` and ``and`` separate,
    affiliations in parentheses go, TeX accents become letters.

    >>> author_list(r"Ann Lee (1), Jo F\'elix (2) and Bo Wu ((1) MIT, (2) CMU)")
    ('Ann Lee', 'Jo Félix', 'Bo Wu')
    """
    for _ in range(2):  # nested parentheses: "((1) MIT, (2) CMU)"
        text = _PARENS.sub(" ", text)
    names = (" ".join(part.split()) for part in _AND.split(text, 10_000))  # validation keeps 2,000
    return tuple(_tex_name(name) if "\\" in name else name for name in names if name)


def _tex_name(name: str) -> str:
    """One name's TeX accents as letters; a name TeX cannot read (``\\[\\[\\[…``, deep nesting) or a
    name too long to be one (validation drops it) is kept as written."""
    if len(name) > 200:
        return name
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return " ".join(LatexNodes2Text().latex_to_text(name).split())
    except (RecursionError, ValueError, IndexError):
        return name


def html_text(fragment: str) -> str:
    r"""The text of an HTML fragment: tags dropped, entities decoded, blocks on their own lines.

    >>> html_text("<p>A &amp; B<br>C</p><p>D</p>")
    'A & B\nC\nD'
    """
    from html.parser import HTMLParser

    parts: list[str] = []

    class _Text(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "details", "summary"):
                parts.append("\n")

        def handle_data(self, data):
            parts.append(data)

    reader = _Text(convert_charrefs=True)
    reader.feed(fragment)
    reader.close()
    return "\n".join(" ".join(line.split()) for line in "".join(parts).splitlines() if line.strip())
