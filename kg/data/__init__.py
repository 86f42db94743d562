"""Data files shipped with kg (gazetteers, taxonomies), loaded once on demand."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file in ``kg/data``; ``#`` lines and blanks skipped."""
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    return tuple(
        tuple(cell.strip() for cell in line.split("\t"))
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )
