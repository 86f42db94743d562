"""The language of a text from its script, and for Latin script from its function words.

No model: Hangul is Korean, kana Japanese, Han Chinese; Cyrillic, Greek, Arabic, Hebrew,
Devanagari and Thai name their usual language; Latin-script text is English unless the function
words of another language (``kg/data/lang_stopwords.tsv``) clearly dominate.
"""

from __future__ import annotations

import re
from functools import cache

from ..data import load_tsv

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]")  # not ・ or ー, which Chinese uses
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
OTHER_SCRIPTS = {
    "ru": re.compile(r"[\u0400-\u04ff]"), "el": re.compile(r"[\u0370-\u03ff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"), "he": re.compile(r"[\u0590-\u05ff]"),
    "hi": re.compile(r"[\u0900-\u097f]"), "th": re.compile(r"[\u0e00-\u0e7f]"),
}
OTHER = re.compile("[" + "".join(p.pattern[1:-1] for p in OTHER_SCRIPTS.values()) + "]")
WORD = re.compile(r"[^\W\d_]+")
SAMPLE = 1000  # characters looked at: the start of a long text says enough


def language(text: str) -> str:
    """A BCP 47 tag for ``text``: ``ko``, ``ja``, ``zh``, ``en``, ``de``, …, or ``und`` without letters.

    >>> language("이 논문은 LLM 에이전트를 다룬다"), language("大規模言語モデルの推論"), language("提出MA-LipNet网络")
    ('ko', 'ja', 'zh')
    >>> language("We propose a method for the task."), language("Nous proposons une méthode pour la tâche et les données.")
    ('en', 'fr')
    """
    sample = text[:SAMPLE]
    if HANGUL.search(sample) or KANA.search(sample):  # never English: Korean and Japanese by their own scripts
        return "ko" if len(HANGUL.findall(sample)) >= len(KANA.findall(sample)) else "ja"
    han, other = HAN.search(sample), OTHER.search(sample)
    latin = len(LATIN.findall(sample)) if han or other else 0  # counted only to weigh other scripts
    if han and len(HAN.findall(sample)) * 10 >= max(latin, 1):  # a Chinese word: 1-2 characters
        return "zh"
    if other:
        counts = {tag: len(script.findall(sample)) for tag, script in OTHER_SCRIPTS.items()}
        tag, most = max(counts.items(), key=lambda kv: kv[1])
        if most > latin:
            return tag
    if not LATIN.search(sample):
        return "und"
    return _latin_language(sample)


@cache
def _stopwords() -> dict[str, tuple[str, ...]]:
    """Function word → the languages that use it."""
    index: dict[str, list[str]] = {}
    for tag, words in load_tsv("lang_stopwords.tsv"):
        for word in words.split():
            index.setdefault(word, []).append(tag)
    return {word: tuple(tags) for word, tags in index.items()}


def _latin_language(text: str) -> str:
    votes = dict.fromkeys(("en", "de", "fr", "es", "it", "pt"), 0)
    index = _stopwords()
    for word in WORD.findall(text.lower()):
        for tag in index.get(word, ()):
            votes[tag] = votes.get(tag, 0) + 1
    best = max(votes, key=votes.get)
    return best if votes[best] > 2 * votes["en"] + 1 else "en"
