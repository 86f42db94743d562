"""Search tokens: lower-cased runs of letters and digits; Chinese text, which has no spaces, is cut
into overlapping character bigrams (a lone character stays a unigram). The read index stores
these tokens; :mod:`kg.explore.search` cuts queries the same way.
"""

from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
HAN = re.compile(f"[{_HAN}]")


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``.

    >>> tokens("GRPO for 强化学习 in 2025")
    ['grpo', 'for', '强化', '化学', '学习', 'in', '2025']
    """
    out: list[str] = []
    for han, word in _TOKEN.findall(text.lower()):
        if word:
            out.append(word)
        elif len(han) == 1:
            out.append(han)
        else:
            out.extend(han[i:i + 2] for i in range(len(han) - 1))
    return out
