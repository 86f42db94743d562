"""Normalised keys and stable IRIs for the things kg stores.

Authors and institutions are keyed by a normalised name: accents and case folded, punctuation
dropped, ``The`` removed at the start. Known limits: namesakes merge into one person, and
``J. Smith`` and ``John Smith`` stay two people.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from .vocab import ID

_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A person's or organisation's key.

    >>> name_key("Dominik J. Mühlematter"), name_key("The University of Tokyo")
    ('dominik j muhlematter', 'university of tokyo')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _NON_WORD.sub("", text.replace("-", "").replace("’", "").replace("'", ""))
    text = _SPACE.sub(" ", text).strip()
    return text.removeprefix("the ")


def slug(key: str) -> str:
    """An IRI-safe path segment for a key.

    >>> slug("dominik j muhlematter"), slug("北京大学")
    ('dominik-j-muhlematter', '%E5%8C%97%E4%BA%AC%E5%A4%A7%E5%AD%A6')
    """
    return quote(key.replace(" ", "-"), safe="-._~")


def paper_iri(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def iri(kind: str, key: str) -> str:
    """``https://w3id.org/kg/id/<kind>/<slug>`` for a non-paper node."""
    return f"{ID}{kind}/{slug(key)}"
