"""Fuzzing the readers with mutated real entries (hypothesis).

Each input is built from real entries: a source file (seed or corpus digest) is cut into entries by
a splitter of this module (its own per-file entry-start patterns, not kg's), a few entries are
picked, each gets a marker word of its own (``zqv`` + six letters) in its longest line, then lines
are deleted, duplicated, swapped or glued, random unicode (control characters, NUL, lone CR, line
separators, markup) is inserted, headings change level, lines grow to tens of kilobytes, entries
are cut off; the pieces are concatenated after the file's preamble (sometimes two families in one
file, after a long preamble), line endings may become CRLF or CR, the file may be truncated anywhere
and invalid UTF-8 bytes may be inserted. ``kg.parse.parse_file`` must then:

- raise nothing but a ``KGError``, and that only when no entry heading/id line is left;
- take under 2 s of CPU;
- lose no entry silently: every arXiv id on an entry heading/id line of the input is a parsed paper
  or is named by a reported problem (its id in the message, or its line near the entry);
- mix no entries: a marker word is only ever found in a paper whose id belongs to the entry the
  marker was written into (the ids written in that entry, or in the text between the id lines
  around the marker once mutated).
"""

from __future__ import annotations

import dataclasses
import os
import re
import string
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kg.errors import KGError
from kg.parse import parse_file

# entry starts per source file: an entry runs from one start to the next
SOURCES = {
    "seeds/000_b9db59897b87019b.txt": r"^\d{4}\.\d{4,5} \d{4}-\d\d-\d\d",
    "seeds/003_7e57a61666cf7777.txt": r"^### \[",
    "seeds/004_32277511330300ba.txt": r"^\|\*\*\d",
    "corpus/formatB_ZL-Asica_2025-09-18.md": r"^### \[",
    "corpus/formatC_Vincentqyw_2024-12-09.md": r"^\|\*\*\d",
    "corpus/formatC_zezhishao_2026-08-21.md": r"^\| \*\*\[",
    "corpus/formatX_email_NicolasSchuler_2026-01-23.txt": r"^\\\\\narXiv:",
    "corpus/formatX_reporter-md_CSQianDong_2026-04-01.md": r"^# ",
    "corpus/formatX_cards_bguanmath_2026-08-23.md": r"^### \\\[",
    "corpus/formatX_topic-bullets_PanagiotaGr_2026-03-12.md": r"^- \*\*",
}
# a new-style arXiv id: YYMM.NNNNN since 2015, YYMM.NNNN before (a cut-off "2405.1724" is not one)
NEW_STYLE = r"\d{4}\.\d{5}|(?:0[7-9]|1[0-4])\d\d\.\d{4}"
ID = rf"({NEW_STYLE})(?:v\d+)?"
LOOSE_ID = re.compile(rf"(?<![\d.])({NEW_STYLE})(?!\d)")
# what an entry's heading or id line looks like, whatever the family (the lines a reader must not skip silently)
ID_LINE = re.compile(
    "|".join(
        [
            rf"^{ID}\s+\d{{4}}-\d\d-\d\d\b",  # arXivDaily id line
            rf"^#{{1,6}}\s.*?arxiv\.org/(?:abs|pdf)/{ID}",  # heading linking to arXiv
            rf"^arXiv:{ID}\b",  # arXiv e-mail
            rf"^\|.*?arxiv\.org/abs/{ID}",  # table row
            rf"^\*\*Link\*\*:.*?arxiv\.org/(?:abs|pdf)/{ID}",  # reporter's link line
            rf"^\s*_\d{{4}}-\d\d-\d\d_ · https?://arxiv\.org/abs/{ID}",  # bullet's id line
        ]
    ),
    re.M,
)
NASTY = ["\x00", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\ufeff", "\u200b", "\t", "|", "**", "](", "<details>",
         "</p>", "###", "\\\\", "&nbsp;", "Abstract:", "Authors:", "TL;DR:", "\n", "\n\n", "et al.", "cs.AI"]
BAD_BYTES = [b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\x80", b"\x00", b"\r", b"\xfe\xff"]
PROSE = "These notes list what was read today, with links and short comments by the editor.\n"
# no shrinking (a slow reader makes it take minutes): a failure prints its example and a reproduce blob.
# The test run draws the same examples every time (a red CI names a real change); a fuzzing campaign
# draws new ones: KG_FUZZ_EXAMPLES=5000 pytest tests/test_parse_fuzz.py
CAMPAIGN = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=CAMPAIGN or 150, derandomize=not CAMPAIGN, deadline=3000, database=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])


@cache
def pool(shared_dir: Path, rel: str) -> tuple[str, tuple[str, ...]]:
    """``(preamble, entries)`` of a source file, cut at its entry starts."""
    text = (shared_dir / rel).read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(SOURCES[rel], text, re.M)]
    entries = tuple(text[a:b] for a, b in zip(starts, starts[1:] + [len(text)]))
    return text[: starts[0]], entries


def test_entry_pools_are_real_entries(shared_dir):
    # entries per file as the manifest (and, for the seeds, grep) counts them
    counts = [30, 335, 500, 78, 3924, 251, 382, 75, 100, 94]
    for rel, count in zip(SOURCES, counts):
        preamble, entries = pool(shared_dir, rel)
        assert len(entries) == count, rel
        assert all(len(ID_LINE.findall(e)) >= 1 for e in entries), rel


def marker(n: int) -> str:
    letters = "".join(string.ascii_lowercase[(n // 26**k) % 26] for k in range(6))
    return "zqv" + letters


def place_marker(entry: str, word: str) -> str:
    """Insert ``word`` at the space nearest the middle of the entry's longest prose line."""
    lines = entry.split("\n")
    prose = [i for i, l in enumerate(lines) if l.count(" ") >= 5 and not ID_LINE.match(l) and not l.startswith("#")]
    i = max(prose, key=lambda k: len(lines[k])) if prose else 0
    line = lines[i]
    spaces = [k for k, c in enumerate(line) if c == " "] or [len(line)]
    at = min(spaces, key=lambda k: abs(k - len(line) // 2))
    lines[i] = f"{line[:at]} {word}{line[at:]}"
    return "\n".join(lines)


@st.composite
def mutated(draw, entry: str) -> str:
    """One entry after 0–3 line-level mutations."""
    lines = entry.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        n = len(lines)
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "level", "glue", "long"]))
        if op == "delete" and n > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            junk = draw(st.sampled_from(NASTY) | st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif op == "truncate":
            lines = "\n".join(lines)[: draw(st.integers(0, len("\n".join(lines))))].split("\n")
        elif op == "level":
            heads = [k for k, l in enumerate(lines) if l.startswith("#")]
            if heads:
                k = draw(st.sampled_from(heads))
                lines[k] = "#" * draw(st.integers(1, 6)) + lines[k].lstrip("#")
        elif op == "glue" and i + 1 < n:
            lines[i : i + 2] = [lines[i] + " " + lines[i + 1]]
        elif op == "long":
            unit = draw(st.sampled_from(["a", " ", ",", "[", "(", "*", "-", "·", "\t", "x, ", "** ", "](", "|", "摘要"]))
            lines[i] += unit * draw(st.integers(1000, 40000))
    return "\n".join(lines)


@st.composite
def digests(draw, shared_dir: Path):
    """``(data, parts)``: the bytes of a mutated digest and, per entry, ``(ids written in it, its marker)``."""
    text, parts, n = "", [], 0
    if draw(st.integers(0, 5)) == 0:
        text += PROSE * draw(st.integers(100, 1500))
    for rel in draw(st.lists(st.sampled_from(sorted(SOURCES)), min_size=1, max_size=2, unique=True)):
        preamble, entries = pool(shared_dir, rel)
        text += preamble
        for k in draw(st.lists(st.integers(0, len(entries) - 1), min_size=1, max_size=4)):
            word = marker(n := n + 1)
            original = LOOSE_ID.search(entries[k]).group(1)
            piece = draw(mutated(place_marker(entries[k], word)))
            parts.append(({original, *LOOSE_ID.findall(piece)}, word))
            text += piece
    eol = draw(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]))
    text = text.replace("\n", eol)
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    data = text.encode("utf-8")
    for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    return data, parts


def timed_parse(path: Path):
    """``(result, None)`` or ``(None, the KGError)``; anything else raised fails, and so does a parse
    over 2 s of CPU (CPU time: other processes on a busy machine do not count)."""
    start = time.process_time()
    try:
        result, error = parse_file(path), None
    except KGError as exc:
        result, error = None, exc
    elapsed = time.process_time() - start
    assert elapsed < 2.0, f"parsing took {elapsed:.2f} s of CPU"
    return result, error


def strings(value):
    """Every string inside a record (nested records and tuples included), except its source."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from strings(v)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name != "source":
                yield from strings(getattr(value, f.name))


def id_lines(text: str) -> list[tuple[int, int, str]]:
    """``(line number, offset, id)`` of every entry heading/id line, line endings normalised."""
    out, offset = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        if m := ID_LINE.match(line):
            out.append((number, offset, next(g for g in m.groups() if g)))
        offset += len(line) + 1
    return out


def owners_near(text: str, heads: list[tuple[int, int, str]], at: int) -> set[str]:
    """Ids written between the id lines before and after offset ``at``."""
    before = [o for _, o, _ in heads if o <= at]
    after = [o for _, o, _ in heads if o > at]
    return set(LOOSE_ID.findall(text[before[-1] if before else 0 : after[0] if after else len(text)]))


@FUZZ
@given(st.data())
def test_mutated_entries_are_read_reported_and_never_mixed(shared_dir, tmp_path_factory, draw):
    data, parts = draw.draw(digests(shared_dir))
    path = tmp_path_factory.mktemp("fuzz") / "digest.md"
    path.write_bytes(data)
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    heads = id_lines(text)

    result, error = timed_parse(path)
    if error:
        assert not heads, f"file rejected ({error}) although it has entry lines for {[h[2] for h in heads][:5]}"
        return

    read = {p.arxiv_id for p in result.papers}
    slack = sum(text.count(c) for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    for k, (number, _, aid) in enumerate(heads):
        nxt = heads[k + 1][0] if k + 1 < len(heads) else number + 1
        reported = any(aid in p.message or number - 6 <= p.line < nxt + slack for p in result.problems)
        assert aid in read or reported, f"entry {aid} at line {number} neither read nor reported"

    for own, word in parts:
        allowed = own.union(*(owners_near(text, heads, m.start()) for m in re.finditer(word, text)))
        for p in result.papers:
            if p.arxiv_id not in allowed and any(word in s for s in strings(p)):
                pytest.fail(f"{p.arxiv_id} (line {p.source.line}) holds text of the entry of {sorted(own)}")


FEEDS = ["corpus/formatX_rss-filtered_dzdydx_2025-04-22.xml", "corpus/formatX_hfapi-json_2404589803_2024-05-28.json",
         "corpus/formatC_Len-Li_2023-12-07.json"]


@FUZZ
@given(rel=st.sampled_from(FEEDS), cut=st.floats(0, 1), junk=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(BAD_BYTES)), max_size=2))
def test_cut_or_corrupted_feeds_and_json_never_crash_or_go_silent(shared_dir, tmp_path_factory, rel, cut, junk):
    data = (shared_dir / rel).read_bytes()[:150_000]  # a few hundred records: the 1 s budget is per input, not per corpus file
    data = data[: int(len(data) * cut)]
    for where, bad in junk:
        at = int(len(data) * where)
        data = data[:at] + bad + data[at:]
    path = tmp_path_factory.mktemp("fuzz") / Path(rel).name
    path.write_bytes(data)
    cited = set(LOOSE_ID.findall(data.decode("utf-8", "replace")))

    result, error = timed_parse(path)
    if error:
        assert not cited, f"file rejected ({error}) although it cites {sorted(cited)[:5]}"
        return
    assert result.papers or result.problems or not cited, "ids cited, nothing read and nothing reported"
