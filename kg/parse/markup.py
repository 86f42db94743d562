"""Markdown and HTML markup in digest text reduced to plain text (titles, table cells, field values).

Every pattern here is linear: character classes exclude their own delimiters, alternatives start
with different characters, and repeated groups are possessive (``*+``, Python 3.11), so no input
makes the engine backtrack over what it has read.
"""

from __future__ import annotations

import html
import re

# [text](url) with at most one level of brackets inside the text: "[Title [v2]](https://…)"
MD_LINK = re.compile(r"!?\[((?:[^\[\]\n]++|\[[^\[\]\n]*+\])*+)\]\([^()\s]*+(?:\([^()\s]*+\)[^()\s]*+)*+\)")
SUMMARY = re.compile(r"<summary\b[^<>]*>[^<]*</summary>", re.I)
BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|tr|details)\b[^<>]*>", re.I)
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")
BOLD = re.compile(r"\*\*|__")
ESCAPE = re.compile(r"\\(?=[\[\]()*_`#|\\<>])")  # the backslash of a markdown escape


def text_of(fragment: str, *, keep_links: bool = False) -> str:
    """The plain text of a markdown/HTML fragment: a ``<details>`` block's body without its
    ``<summary>`` (a preview or a "Show" button), tags dropped, entities decoded, bold removed,
    links reduced to their text (or kept, with ``keep_links``), whitespace collapsed.

    >>> text_of("<details><summary>23 pa...</summary><p>23 pages, 2 figures</p></details>")
    '23 pages, 2 figures'
    >>> text_of("**[A &amp; B](https://arxiv.org/abs/2501.00001v2)**<br>C &lt;D&gt;")
    'A & B C <D>'
    """
    if "<" in fragment:
        fragment = SUMMARY.sub(" ", fragment)
        fragment = BREAK.sub(" ", fragment)
        fragment = TAG.sub("", fragment)
    if not keep_links and "](" in fragment:
        fragment = MD_LINK.sub(lambda m: m.group(1), fragment)
    fragment = BOLD.sub("", fragment)
    if "\\" in fragment:
        fragment = ESCAPE.sub("", fragment)
    if "&" in fragment:
        fragment = html.unescape(fragment)
    return " ".join(fragment.split())


def title_text(title: str) -> str:
    r"""A title without markup: links, bold, HTML, entities, escapes and wrapping brackets gone;
    TeX (``$^{2}$``) is kept as written.

    >>> title_text(r"**[SR$^{2}$-Net: Fast [v2] nets](https://arxiv.org/abs/2601.21338)**")
    'SR$^{2}$-Net: Fast [v2] nets'
    >>> title_text(r"\[<a href='https://arxiv.org/abs/2608.20313v1'>2608.20313</a>\]&nbsp; **On Symbols**")
    '[2608.20313] On Symbols'
    """
    return text_of(title).strip()
