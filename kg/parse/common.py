"""Helpers shared by the digest parsers: decoding, arXiv ids, URLs, venues, institutions."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ..data import load_tsv
from ..errors import ParseError
from ..model import Institution, Venue

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NEW_ID = r"\d{4}\.\d{4,5}"
OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"(?<![\w.])({NEW_ID}|{OLD_ID})(?:v\d+)?(?![\w.])")
ARXIV_URL = re.compile(rf"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/({NEW_ID}|{OLD_ID})(?:v\d+)?")
URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org", "gitee.com")


def decode(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode a digest file's bytes; returns ``(text, note)`` where note names a non-UTF-8 encoding.

    >>> decode("标题".encode("gb18030"), "f.txt")
    ('标题', 'not UTF-8: read as GB18030')
    """
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"{path}:1: binary file, not a digest")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16 with BOM"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            return data.decode("gb18030"), "not UTF-8: read as GB18030"
        except UnicodeDecodeError:
            raise ParseError(f"{path}:{line}: not valid UTF-8 or GB18030 text") from None


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


_VENUE = re.compile(r"\b([A-Z][A-Za-z-]*[A-Z])\s*(?:'|’)?\s*(20\d\d|\d\d)\b")
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
    for m in _VENUE.finditer(comments):
        name, year = m.group(1), int(m.group(2))
        if name not in known and not _CUE.search(comments):
            continue
        if name in {"IEEE", "ACM", "NVIDIA", "GPU", "AI"}:
            continue
        year = year + 2000 if year < 100 else year
        if "workshop" in comments[m.end(): m.end() + 20].lower():
            name += " Workshop"
        return Venue(name, year, comments.strip())
    for m in re.finditer(r"\(([A-Z][A-Za-z]*[A-Z])\s*(?:'|’)(\d\d)\)|\(([A-Z][A-Za-z]*[A-Z])\)\s*(20\d\d)", comments):
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


def institutions(text: str) -> tuple[Institution, ...]:
    """Split a ``发表机构`` list ``Name(中文名) Name2(中文名2) Name3`` into institutions."""
    items: list[tuple[str, str | None]] = []
    buf, i = "", 0
    while i < len(text):
        ch = text[i]
        if ch in "(（":
            depth, j = 0, i
            while j < len(text):
                depth += text[j] in "(（"
                depth -= text[j] in ")）"
                if depth == 0:
                    break
                j += 1
            inner = text[i + 1: j]
            if has_cjk(inner) or (buf and not buf.endswith(" ")):
                if buf.strip():
                    items.append((buf.strip(), inner.strip() or None))
                buf = ""
            else:
                buf += text[i: j + 1]
            i = j + 1
            continue
        buf += ch
        i += 1
    if buf.strip():
        items.append((buf.strip(), None))
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


def lang(text: str) -> str:
    """``zh`` for text with Chinese characters, else ``en`` (the validation step refines it)."""
    return "zh" if has_cjk(text) else "en"


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
    if "\\" in text:
        from pylatexenc.latex2text import LatexNodes2Text

        text = LatexNodes2Text().latex_to_text(text)
    return tuple(name for name in (" ".join(part.split()) for part in _AND.split(text)) if name)


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
