"""Parsers on the real seeds and corpus digests, and on bad input."""

from __future__ import annotations

import html
import itertools
import re
import time
from collections import Counter

import pytest

from kg.errors import ParseError, UnknownFormat
from kg.parse import detect_format, parse_file, parse_text

from fingerprints import assert_fingerprints, sha1, spotcheck
from seed_entries import affiliations, daily_entry, entry_text


@pytest.mark.parametrize(
    ("prefix", "fmt", "entries"),
    [("000", "arxivdaily", 30), ("001", "arxivdaily", 30), ("002", "arxivdaily", 30),
     ("003", "digest-md", 335), ("004", "topic-table", 500)],
)
def test_seed_entry_counts(seed, prefix, fmt, entries):
    result = parse_file(seed(prefix))
    assert result.format == fmt
    assert len(result.papers) == entries


def test_003_sections(seed):
    papers = parse_file(seed("003")).papers
    assert Counter(p.source.section for p in papers) == {"cs.CV": 92, "cs.RO": 36, "cs.LG": 207}


def test_004_unique_papers_and_duplicate_rows(seed):
    result = parse_file(seed("004"))
    assert len({p.arxiv_id for p in result.papers}) == 465
    # 2510.01471 is listed twice in a row under the same topic (two versions of one paper)
    dupes = [p for p in result.problems if "2510.01471" in p.message]
    assert [str(p).rsplit("/", 1)[1] for p in dupes] == [f"{seed('004').name}:140: duplicate entry 2510.01471 (first at line 139)"]


def test_family_a_fields(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("000")).papers}
    p = papers["2511.11406"]
    assert_fingerprints(p, spotcheck("000", p.arxiv_id))  # both titles, authors, the summary, both abstracts
    assert p.published == "2026-06-01" and p.categories == ("cs.CV",) and p.primary_category == "cs.CV"
    assert p.summaries[0].kind == "ai_summary"
    dg = papers["2601.22985"]
    assert (dg.venue.name, dg.venue.year) == ("ICML", 2026)
    # both entries' Comments lines end with the URL: a project page, then a code repository
    last_word = lambda aid: next(line for line in entry_text(seed("000"), aid).split("\n")
                                 if line.startswith("Comments ")).rsplit(" ", 1)[1]
    assert dg.project_urls == (last_word("2601.22985"),)
    assert papers["2601.22787"].code_urls == (last_word("2601.22787"),)


def test_family_a_institutions_and_units(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("002")).papers}
    p = papers["2506.06006"]
    assert p.categories == ("cs.CV", "cs.AI", "cs.CL")
    assert_fingerprints(p, spotcheck("002", p.arxiv_id))  # the four institutions, in order
    lab, (lab_en, lab_zh) = p.institutions[1], affiliations(seed("002"), p.arxiv_id)[1]  # "Lab, University(…)"
    assert (lab.name, lab.name_zh, lab.parent) == (lab_en, lab_zh, lab_en.split(", ")[-1])
    # location tails are not institutions: "Name, Shanghai, China(…)" is Name
    en, zh = affiliations(seed("002"), "2602.08498")[1]
    assert en.endswith(", Shanghai, China")
    [lab] = [i for i in papers["2602.08498"].institutions if i.name_zh == zh]
    assert lab.name == en.removesuffix(", Shanghai, China")


def test_latex_titles_kept(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("002")).papers}
    title = daily_entry(seed("002"), "2601.21461")["title"]
    assert "$^" in title and papers["2601.21461"].title == title
    md = {p.arxiv_id: p for p in parse_file(seed("003")).papers}
    heading = re.search(r"^### \[\d+\] \[(.*)\]\(https://arxiv\.org/abs/2601\.21338\)$",
                        seed("003").read_text(encoding="utf-8"), re.M)
    assert "$^{" in heading.group(1) and md["2601.21338"].title == heading.group(1)


def test_family_b_fields(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("003")).papers}
    p = papers["2601.20881"]
    assert_fingerprints(p, spotcheck("003", p.arxiv_id))  # title, its one author, abstract
    assert p.primary_category == "cs.CV" and p.source.section == "cs.CV"
    kinds = [s.kind for s in p.summaries]
    assert kinds == ["tldr", "motivation", "method", "result", "conclusion"]
    assert_fingerprints(papers["2601.20911"], spotcheck("003", "2601.20911"))  # eleven authors


def test_family_c_fields(seed):
    papers = parse_file(seed("004")).papers
    p = next(p for p in papers if p.arxiv_id == "2510.08564")
    assert_fingerprints(p, spotcheck("004", p.arxiv_id))  # title, date, code URL, Chinese abstract
    assert p.topics == ("多模态",)
    topics = {q.source.section for q in papers if q.arxiv_id == "2510.01471"}
    assert topics == {"大模型PEFT"}


@pytest.mark.parametrize(
    ("name", "fmt", "entries"),
    [("formatB_dw-dengwei_2025-03-19.md", "digest-md", 206), ("formatB_ZL-Asica_2025-09-18.md", "digest-md", 78),
     ("formatC_Vincentqyw_2024-12-09.md", "topic-table", 3924), ("formatC_WhiteNightTSMD_2024-08-26.md", "topic-table", 230)],
)
def test_corpus_variants(shared_dir, name, fmt, entries):
    result = parse_file(shared_dir / "corpus" / name)
    assert (result.format, len(result.papers)) == (fmt, entries)
    assert all(p.title and p.arxiv_id for p in result.papers)


def test_corpus_variant_details(shared_dir):
    zl = {p.arxiv_id: p for p in parse_file(shared_dir / "corpus" / "formatB_ZL-Asica_2025-09-18.md").papers}
    first = zl["2509.13323"]
    assert first.primary_category == "cs.HC" and first.keywords == ("AI", "Behavioral Science", "Human-AI Interaction")
    assert [s.kind for s in first.summaries] == ["tldr", "motivation", "key_contributions"]  # empty fields dropped
    dw = parse_file(shared_dir / "corpus" / "formatB_dw-dengwei_2025-03-19.md").papers[0]
    assert_fingerprints(dw, spotcheck("formatB_dw-dengwei_", dw.arxiv_id))  # authors; the wrapped abstract whole
    assert dw.summaries[0].kind == "task" and dw.summaries[2].kind == "method"
    assert "hard" not in dw.abstract_en
    vq = parse_file(shared_dir / "corpus" / "formatC_Vincentqyw_2024-12-09.md").papers[0]
    assert (vq.arxiv_id, len(vq.authors), vq.authors_complete, vq.abstract_en) == ("2412.04463", 1, False, None)
    assert_fingerprints(vq, spotcheck("formatC_Vincentqyw_", vq.arxiv_id))


def test_detect_format_override_and_unknown(seed, tmp_path):
    text = seed("003").read_text(encoding="utf-8")
    assert detect_format(text) == "digest-md"
    with pytest.raises(UnknownFormat, match=r"x\.md:1: unknown digest layout"):
        parse_text("# Just a README\n\nNothing here.\n", "x.md")
    with pytest.raises(UnknownFormat, match="unknown format 'csv'"):
        parse_text(text, "x.md", format="csv")


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ParseError, match=r"empty\.txt:1: empty file"):
        parse_file(empty)
    binary = tmp_path / "blob.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10)
    with pytest.raises(ParseError, match=r"blob\.md:1: binary file"):
        parse_file(binary)


def test_gb18030_file_is_read_and_reported(seed, tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    result = parse_file(gbk)
    assert len(result.papers) == 30
    assert sha1(result.papers[0].title_zh) == spotcheck("000", "2511.11406")["title_zh_sha1"]
    assert str(result.problems[0]).endswith("gbk.txt:1: not UTF-8: read as GB18030")


def test_file_cut_mid_entry(seed, tmp_path):
    lines = seed("003").read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "cut.md"
    cut.write_text("\n".join(lines[:50]) + "\n")  # entry [2] starts at line 37 and is cut inside <details>
    result = parse_file(cut)
    assert [p.arxiv_id for p in result.papers] == ["2601.20881"]
    assert [str(p).rsplit("/", 1)[1] for p in result.problems][0] == "cut.md:37: entry 2601.20911 is cut off"

    rows = seed("004").read_text(encoding="utf-8")
    table = tmp_path / "table.md"
    table.write_text(rows[: rows.index("2510.08559") + 40])
    result = parse_file(table)
    assert len(result.papers) == 3
    assert result.problems[-1].message == "table row is cut off"


def test_entry_without_id_and_malformed_rows(tmp_path):
    text = (
        "## Robots\n\n| Publish Date | Title | Code | Abstract |\n|---|---|---|---|\n"
        "|**2025-01-02**|[A paper](http://arxiv.org/abs/2501.00001)|null|An abstract.|\n"
        "|**2025-01-02**|[No id here](http://example.org/x)|null|Text.|\n"
        "|**2025-01-02**|[Too few cells](http://arxiv.org/abs/2501.00002)|\n"
    )
    result = parse_text(text, "t.md")
    assert [p.arxiv_id for p in result.papers] == ["2501.00001", "2501.00002"]  # a short row is padded
    assert result.papers[1].title == "Too few cells" and result.papers[1].abstract_en is None
    assert [str(p) for p in result.problems] == ["t.md:6: table row has no arXiv id"]


def test_old_style_ids_and_versions():
    text = ("arXivDaily\nhep-th/9901001v2 2026-01-05 hep-th\n\nAn old paper\n\n一篇旧论文\n\nA. Author, B. Author\n\n"
            "英文摘要\n\nText.\n\n2601.00001v3 2026-01-05 cs.LG\n\nA new paper\n\n一篇新论文\n\nC. Author\n")
    result = parse_text(text, "a.txt")
    assert [p.arxiv_id for p in result.papers] == ["hep-th/9901001", "2601.00001"]
    assert result.papers[0].authors == ("A. Author", "B. Author")


def test_family_a_entry_without_id_is_reported_and_neighbours_kept(seed, tmp_path):
    lines = seed("000").read_text(encoding="utf-8").splitlines()
    assert lines[22].startswith("2601.22985 ")
    lines[22] = "2601.22985-broken 2026-06-01"  # the id line of the second entry is damaged
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = parse_file(bad)
    assert len(result.papers) == 29
    assert_fingerprints(result.papers[0], spotcheck("000", "2511.11406"))  # its abstract whole, nothing swallowed
    assert [str(p).rsplit("/", 1)[1] for p in result.problems] == [
        "bad.txt:23: text after entry 2511.11406 belongs to no entry (an entry without an arXiv id line?)"]


def test_family_a_journal_ref_is_a_field_not_stray_text(seed):
    result = parse_file(seed("002"))
    assert result.problems == []
    paper = next(p for p in result.papers if p.arxiv_id == "2509.25289")
    assert_fingerprints(paper, spotcheck("002", paper.arxiv_id))  # comments, journal reference, abstract's start


# ---- the three known families on every corpus file of theirs: counts and fields, the expected
# values sliced out of the raw lines in the test itself (line numbers found with grep/sed)

KNOWN_FAMILY_FILES = [
    "formatB_0x0217_2026-08-18.md", "formatB_ZL-Asica_2025-09-18.md", "formatB_dw-dengwei_2025-03-19.md",
    "formatB_fyrsta7_2026-07-24.md", "formatB_zzhaozeng_2026-08-21.md", "formatC_Gaming722_2026-08-22.md",
    "formatC_Vincentqyw_2024-12-09.md", "formatC_WhiteNightTSMD_2024-08-26.md", "formatC_monologg_2023-02-23.md",
    "formatC_zezhishao_2026-08-21.md",
]


def corpus_file(shared_dir, name):
    path = shared_dir / "corpus" / name
    return path, path.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("name", KNOWN_FAMILY_FILES)
def test_known_families_read_every_corpus_paper(shared_dir, manifest, name):
    path, lines = corpus_file(shared_dir, name)
    result = parse_file(path)
    assert result.format == ("digest-md" if name.startswith("formatB") else "topic-table")
    ids = {p.arxiv_id for p in result.papers}
    expected = manifest[name]
    if name.startswith("formatC_monologg"):
        # MANIFEST counts new-style ids only (1531); the file also lists five old-style ones
        old = set(re.findall(r"arxiv\.org/abs/([a-z-]+/\d{7})v\d+\)", "\n".join(lines)))
        assert len(old) == 5 and old <= ids
        expected += len(old)
    assert len(ids) == expected
    assert all(p.title and p.title != p.arxiv_id for p in result.papers)


def entry_lines(lines, paper):
    """The raw lines of a markdown entry: from its heading to the next heading."""
    start = paper.source.line - 1
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def test_full_width_colon_and_two_abstract_labels(shared_dir):
    path, lines = corpus_file(shared_dir, "formatB_fyrsta7_2026-07-24.md")
    papers = parse_file(path).papers
    assert len(papers) == 37
    for p in papers:
        raw = entry_lines(lines, p)
        assert [p.abstract_zh, p.abstract_en] == [labelled(raw, "中文摘要："), labelled(raw, "Original abstract:")]
        assert [s.kind for s in p.summaries] == ["tldr", "motivation", "method", "result", "conclusion"]
        reason = labelled(raw, "Selection reason:")
        assert all(reason not in text for _, text in p.texts())  # an unknown label is no field's text


def labelled(raw, label):
    """The value after ``label`` on its line, joined with the indented lines that continue it."""
    at = next(i for i, line in enumerate(raw) if line.startswith(label))
    value = [raw[at][len(label):].strip()]
    value += [line.strip() for line in itertools.takewhile(lambda line: line.startswith("  "), raw[at + 1:])]
    return " ".join(value)


def test_indented_multi_paragraph_abstract_is_joined(shared_dir):
    path, lines = corpus_file(shared_dir, "formatB_0x0217_2026-08-18.md")
    p = next(p for p in parse_file(path).papers if p.arxiv_id == "2608.14407")
    assert lines[560].startswith("Abstract: ") and all(line.startswith("  ") for line in lines[561:565])
    assert p.abstract_en == " ".join([lines[560].removeprefix("Abstract: ")] + [s.strip() for s in lines[561:565]])
    assert {s.lang for s in p.summaries} == {"ko"}


def test_failed_summaries_are_reported_not_stored(shared_dir):
    path, lines = corpus_file(shared_dir, "formatB_zzhaozeng_2026-08-21.md")
    result = parse_file(path)
    placeholders = [line for line in lines if line.startswith(("TL;DR:", "Motivation:", "Method:", "Result:", "Conclusion:"))]
    assert len(result.papers) == 111 and len(placeholders) == 555
    assert all(p.summaries == () and p.abstract_en for p in result.papers)
    dropped = [x for x in result.problems if "failed summariser's placeholder" in x.message]
    assert len(dropped) == len(placeholders)


def test_bold_labels_empty_fields_and_an_indented_list(shared_dir):
    path, lines = corpus_file(shared_dir, "formatB_ZL-Asica_2025-09-18.md")
    papers = parse_file(path).papers
    first = next(p for p in papers if p.source.line == 15)
    assert lines[35] == "**Key Contributions:**" and all(line.startswith("\t") for line in lines[37:40])
    contributions = [s.text for s in first.summaries if s.kind == "key_contributions"]
    assert contributions == ["\n".join(line.strip() for line in lines[37:40])]
    with_limitations = [line for line in lines if line.startswith("**Limitations:**") and line[16:].strip()]
    assert sum(any(s.kind == "limitations" for s in p.summaries) for p in papers) == len(with_limitations) == 26


def test_html_cells_and_versioned_links(shared_dir):
    path, lines = corpus_file(shared_dir, "formatC_zezhishao_2026-08-21.md")
    p = next(p for p in parse_file(path).papers if p.source.line == 15)
    row = lines[14]
    assert p.arxiv_id == re.search(r"arxiv\.org/abs/(\d{4}\.\d{5})v\d+\)", row).group(1)
    shown = re.search(r"<summary>Show</summary><p>(.*?)</p></details>", row).group(1)
    comment = re.findall(r"<summary>[^<]*</summary><p>(.*?)</p></details>", row)[-1]
    assert p.abstract_en == " ".join(html.unescape(shown).split())
    assert p.comments == comment and p.authors == ()
    assert p.topics == (lines[11].removeprefix("## "),)


def test_extra_columns_and_a_leading_space_in_a_cell(shared_dir):
    path, lines = corpus_file(shared_dir, "formatC_Gaming722_2026-08-22.md")
    p = next(p for p in parse_file(path).papers if p.source.line == 107)
    author_cell = lines[106].split("|")[3]
    assert author_cell.startswith(" ") and author_cell.endswith(" et.al.")
    assert (p.authors, p.authors_complete) == ((author_cell.strip().removesuffix(" et.al."),), False)
    assert p.comments is None and p.published == lines[106].split("|")[1].strip("*")


def test_versions_of_one_paper_are_one_id(shared_dir):
    path, lines = corpus_file(shared_dir, "formatC_monologg_2023-02-23.md")
    papers = {p.source.line: p for p in parse_file(path).papers}
    assert "2302.02291v1" in lines[103] and "2302.02291v2" in lines[605]
    assert papers[104].arxiv_id == papers[606].arxiv_id == "2302.02291"


# ---- synthetic inputs: tolerance, nothing lost, nothing mixed

TABLE_HEAD = "| Publish Date | Title | Authors | PDF | Code | Abstract |\n|---|---|---|---|---|---|\n"


def row(n, title="A Paper Title", tail="|null|An abstract.|"):
    return f"|**2025-01-0{n}**|**{title} {n}**|Ann Lee et.al.|[2501.0000{n}](http://arxiv.org/abs/2501.0000{n}v2){tail}\n"


def test_short_rows_are_padded_not_dropped():
    text = "## Robots\n\n" + TABLE_HEAD + row(1) + row(2, tail="|") + row(3, tail="|null|")
    result = parse_text(text, "t.md")
    assert [(p.arxiv_id, p.title, p.abstract_en) for p in result.papers] == [
        ("2501.00001", "A Paper Title 1", "An abstract."), ("2501.00002", "A Paper Title 2", None),
        ("2501.00003", "A Paper Title 3", None)]
    assert result.problems == []


def test_a_table_without_a_header_row_keeps_its_first_row():
    text = ("# Picks\n\n| 2025-01-02 | [Graph Search for Agents](https://arxiv.org/abs/2501.00011) | Ann Lee et al. |\n"
            "| 2025-01-03 | [Tables Without Headers](https://arxiv.org/pdf/2501.00012v3) | Bo Wu, Cy Xu |\n")
    result = parse_text(text, "h.md")
    assert result.format == "topic-table"
    assert [(p.arxiv_id, p.title, p.published, p.authors, p.authors_complete) for p in result.papers] == [
        ("2501.00011", "Graph Search for Agents", "2025-01-02", ("Ann Lee",), False),
        ("2501.00012", "Tables Without Headers", "2025-01-03", ("Bo Wu", "Cy Xu"), True)]


def test_headings_at_any_level_are_topics_and_keep_their_path():
    text = ("# My Reading List\n\n## Robotics\n\n### Manipulation\n\n" + TABLE_HEAD + row(1)
            + "\n### Locomotion\n\n#### Legged\n\n" + TABLE_HEAD + row(2)
            + "\n## Updated on 2025.01.05\n\n## Vision\n\n" + TABLE_HEAD + row(3))
    papers = parse_text(text, "n.md").papers
    assert [p.topics for p in papers] == [("Robotics / Manipulation",), ("Robotics / Locomotion / Legged",), ("Vision",)]


def test_header_synonyms_and_unknown_headers_read_by_content():
    text = ("## 机器人\n\n| 发布日期 | 标题 | 作者 | 链接 | 代码 | 摘要 | Stars |\n|---|---|---|---|---|---|---|\n"
            "| 2025-01-02 | 一种机器人抓取方法 | 李华 | [2501.00021](https://arxiv.org/abs/2501.00021) | "
            "[code](https://github.com/a/b) | 本文提出一种新的抓取方法，并在真实机器人上验证。 | 12 |\n\n"
            "## Misc\n\n| When | Paper | Whatever |\n|---|---|---|\n"
            "| 2025-02-03 | [Unknown Headers Still Work](https://arxiv.org/abs/2501.00022) | " + "x" * 250 + " |\n")
    first, second = parse_text(text, "s.md").papers
    assert (first.title, first.authors, first.published, first.code_urls) == (
        "一种机器人抓取方法", ("李华",), "2025-01-02", ("https://github.com/a/b",))
    assert first.abstract_zh == "本文提出一种新的抓取方法，并在真实机器人上验证。" and first.abstract_en is None
    assert (second.arxiv_id, second.title, second.published, second.abstract_en) == (
        "2501.00022", "Unknown Headers Still Work", "2025-02-03", "x" * 250)


def test_html_in_cells_becomes_text():
    text = ("## T\n\n| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n"
            "| **[Caf&eacute; Agents: A &lt;Study&gt;](https://arxiv.org/abs/2501.00031v1)** | 2025-01-02 | "
            "<details><summary>Show</summary><p>First line<br>second &amp; last, with $|x|$ math.</p></details> | "
            "<details><summary>12 pa...</summary><p>12 pages, 3 figures</p></details> |\n")
    [p] = parse_text(text, "c.md").papers
    assert (p.arxiv_id, p.title) == ("2501.00031", "Café Agents: A <Study>")
    assert p.abstract_en == "First line second & last, with $|x|$ math."
    assert p.comments == "12 pages, 3 figures"


def digest_entry(n, fields="TL;DR: A summary.\n\n<details>\n  <summary>Details</summary>\nAbstract: An abstract.\n</details>\n"):
    return f"### [{n}] [Paper Number {n}](https://arxiv.org/abs/2501.0010{n})\n*Ann Lee,Bo Wu*\n\nMain category: cs.CL\n\n{fields}\n\n"


def test_an_unexpected_heading_is_reported_and_never_overwrites_its_neighbour():
    stray = ("#### Paper without a link\n*Cy Xu*\n\nMain category: cs.LG\n\nTL;DR: Stray summary.\n\n"
             "<details>\nAbstract: Stray abstract.\n</details>\n\n")
    text = "# cs.CL [[Back]](#toc)\n\n" + digest_entry(1) + stray + digest_entry(2)
    result = parse_text(text, "u.md")
    assert [(p.arxiv_id, p.abstract_en, p.categories, [s.text for s in p.summaries]) for p in result.papers] == [
        ("2501.00101", "An abstract.", ("cs.CL",), ["A summary."]), ("2501.00102", "An abstract.", ("cs.CL",), ["A summary."])]
    line = text.split("\n").index("#### Paper without a link") + 1
    assert [str(p) for p in result.problems] == [
        f"u.md:{line}: heading 'Paper without a link' starts an entry without an arXiv link: not read"]


def test_entry_headings_of_any_level_numbered_or_not():
    text = ("# Digest\n\n## 1. [First Paper Title](https://arxiv.org/abs/2501.00201)\n\n**Authors**: Ann Lee\n\n"
            "##### [Second Paper Title](http://arxiv.org/pdf/2501.00202v3)\n\nAbstract: Two.\n\n"
            "### \\[<a href='https://arxiv.org/abs/2501.00203v1'>2501.00203</a>\\]&nbsp; **Third Paper Title**\n\n"
            "# Fourth Paper Title\n\n**Link**: [PDF](https://arxiv.org/pdf/2501.00204)\n\n**Abstract**: Four.\n")
    result = parse_text(text, "l.md")
    assert result.format == "digest-md"
    assert [(p.arxiv_id, p.title) for p in result.papers] == [
        ("2501.00201", "First Paper Title"), ("2501.00202", "Second Paper Title"), ("2501.00203", "Third Paper Title"),
        ("2501.00204", "Fourth Paper Title")]


def test_a_run_on_line_is_split_into_its_fields():
    text = ("### [1] [Run On](https://arxiv.org/abs/2501.00301)\n*Ann Lee, Bo Wu* Main category: cs.AI Keywords: agents, tools\n\n"
            "### [2] [Bold Run On](https://arxiv.org/abs/2501.00302)\n"
            " &nbsp;|&nbsp;**Date:** 2025-01-02 &nbsp;|&nbsp; **Authors:** Cy Xu, Di Yu &nbsp;|&nbsp; **Category:** cs.CL\n")
    first, second = parse_text(text, "r.md").papers
    assert (first.authors, first.primary_category, first.keywords) == (("Ann Lee", "Bo Wu"), "cs.AI", ("agents", "tools"))
    assert (second.authors, second.primary_category, second.published) == (("Cy Xu", "Di Yu"), "cs.CL", "2025-01-02")


def test_labels_in_every_form():
    fields = ("**TL;DR:** Bold inside.\n\n**Motivation**: Bold before the colon.\n\nMethod：Full-width colon.\n\n"
              "> **Comment:** 9 pages\n\n<details><summary>Abstract</summary><p>From a summary tag.</p></details>\n")
    [p] = parse_text(digest_entry(1, fields), "f.md").papers
    assert [(s.kind, s.text) for s in p.summaries] == [
        ("tldr", "Bold inside."), ("motivation", "Bold before the colon."), ("method", "Full-width colon.")]
    assert (p.comments, p.abstract_en) == ("9 pages", "From a summary tag.")


def test_hard_wrapped_abstract_keeps_a_line_that_starts_like_a_label():
    fields = "<details>\nAbstract: Structured abstracts are\nwrapped at eighty columns.\nResults: stay inside it.\n</details>\n"
    [p] = parse_text(digest_entry(1, fields), "w.md").papers
    assert p.abstract_en == "Structured abstracts are wrapped at eighty columns. Results: stay inside it."


def test_placeholders_and_leaked_reasoning_are_not_summaries():
    fields = ("TL;DR: Summary generation failed\n\n<details>\nMotivation: <think>I should write a motivation.</think>"
              "Real motivation.\n\nMethod: Method extraction failed\n\nAbstract: An abstract.\n</details>\n")
    result = parse_text(digest_entry(1, fields), "p.md")
    [p] = result.papers
    assert [(s.kind, s.text) for s in p.summaries] == [("motivation", "Real motivation.")]
    assert sorted(x.message for x in result.problems) == [
        "2501.00101: method dropped: a failed summariser's placeholder ('Method extraction failed')",
        "2501.00101: model reasoning (<think>…</think>) removed from motivation",
        "2501.00101: tldr dropped: a failed summariser's placeholder ('Summary generation failed')"]


def test_korean_and_japanese_summaries_get_their_language():
    fields = "TL;DR: 이 논문은 새로운 방법을 제안한다.\n\n<details>\nMotivation: 大規模言語モデルの推論を高速化する。\n\nMethod: 提出一种新方法。\n</details>\n"
    [p] = parse_text(digest_entry(1, fields), "k.md").papers
    assert [(s.kind, s.lang) for s in p.summaries] == [("tldr", "ko"), ("motivation", "ja"), ("method", "zh")]


def test_latin1_file_is_not_read_as_gb18030(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(digest_entry(1).replace("*Ann Lee,Bo Wu*", "*Jürgen Müller,André Dupont*").encode("latin-1"))
    result = parse_file(path)
    assert result.papers[0].authors == ("Jürgen Müller", "André Dupont")
    assert str(result.problems[0]) == f"{path}:1: not UTF-8: read as cp1252"


def test_one_invalid_byte_is_replaced_and_the_rest_kept(tmp_path):
    text = "# 分类\n\n" + digest_entry(1) + digest_entry(2, "TL;DR: 摘要。\n\nAbstract: Bad here.\n") + digest_entry(3)
    data = text.encode("utf-8").replace(b"Bad here", b"Bad \xff here")
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    result = parse_file(path)
    assert [p.arxiv_id for p in result.papers] == ["2501.00101", "2501.00102", "2501.00103"]
    assert result.papers[1].abstract_en == "Bad \ufffd here."
    line, at = text.split("\n").index("Abstract: Bad here.") + 1, data.index(b"\xff")
    assert [str(p) for p in result.problems] == [f"{path}:{line}: invalid UTF-8 byte ff at byte {at}, replaced by U+FFFD"]


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_cr_only_and_crlf_line_endings(tmp_path, seed, ending):
    text = seed("000").read_text(encoding="utf-8")
    path = tmp_path / "cr.txt"
    path.write_bytes(text.replace("\n", ending).encode("utf-8"))
    unix, other = parse_file(seed("000")), parse_file(path)
    assert other.format == "arxivdaily" and len(other.papers) == 30
    assert [(p.title, p.abstract_en, p.source.line) for p in other.papers] == [
        (p.title, p.abstract_en, p.source.line) for p in unix.papers]


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "u16.md"
    path.write_bytes(digest_entry(1).encode("utf-16"))
    result = parse_file(path)
    assert [p.arxiv_id for p in result.papers] == ["2501.00101"]
    assert str(result.problems[0]) == f"{path}:1: UTF-16 with BOM"


def test_a_long_preamble_does_not_hide_the_layout():
    preamble = "".join(f"Paragraph {n} of a long introduction to this reading list, with no paper in it.\n\n"
                       for n in range(4000))  # ~330 KB
    for body, fmt in [(digest_entry(1), "digest-md"), ("## Robots\n\n" + TABLE_HEAD + row(1), "topic-table")]:
        result = parse_text(preamble + body, "long.md")
        assert (result.format, len(result.papers)) == (fmt, 1)


def test_a_file_mixing_two_families_reads_both():
    table = "## Robots\n\n" + TABLE_HEAD + row(1) + row(2)
    result = parse_text("# cs.CL [[Back]](#toc)\n\n" + digest_entry(1) + digest_entry(2) + table, "mix.md")
    assert result.format == "digest-md+topic-table"
    assert [p.arxiv_id for p in result.papers] == ["2501.00101", "2501.00102", "2501.00001", "2501.00002"]
    assert result.papers[1].abstract_en == "An abstract." and result.papers[2].topics == ("Robots",)
    # a table with no heading before it does not flow into the last entry either
    result = parse_text(digest_entry(1) + TABLE_HEAD + row(1), "mix2.md")
    assert [(p.arxiv_id, p.abstract_en) for p in result.papers] == [("2501.00101", "An abstract."), ("2501.00001", "An abstract.")]


def test_control_characters_are_dropped_and_reported_not_binary(tmp_path):
    path = tmp_path / "ctl.md"
    path.write_bytes(digest_entry(1).replace("Paper Number", "Paper\x00 Num\x07ber").encode("utf-8"))
    result = parse_file(path)
    assert result.papers[0].title == "Paper Number 1"
    assert [str(p) for p in result.problems] == [
        f"{path}:1: 2501.00101: characters not allowed in XML dropped from title"]


MEGABYTE_LINES = ["[" * 1_000_000, "<a " * 333_333, "**" * 500_000, "A-" * 500_000, "|" * 1_000_000,
                  "Results: " * 111_111, "A, " * 333_333, "$|" * 500_000, "(" * 1_000_000, "\\[" * 500_000,
                  "12 " * 333_333, "a:" * 500_000, "&amp;" * 200_000, "<think>" * 142_857, "中" * 1_000_000]


def megabyte_inputs(line):
    """The line in four fields of an entry of each family (authors, a summary, comments or category, abstract)."""
    yield "arxivdaily", (f"arXivDaily\n2601.00001 2026-01-05 cs.LG\n\nT\n\nA. Author, {line}\n\nAI总结 {line}\n\n"
                         f"Comments {line}\n\n发表机构 * {line}\n\n英文摘要\n\n{line}\n")
    yield "digest-md", (f"### [1] [T](https://arxiv.org/abs/2601.00001)\n*A, {line}*\n\nMain category: {line}\n\n"
                        f"TL;DR: {line}\n\n<details>\nAbstract: {line}\n</details>\n")
    yield "topic-table", f"## T\n\n{TABLE_HEAD}|**2026-01-01**|**{line}**|A|[2601.00001](http://arxiv.org/abs/2601.00001)|null|{line}|\n"


@pytest.mark.parametrize("line", MEGABYTE_LINES, ids=lambda s: repr(s[:8]))
def test_megabyte_lines_are_read_in_linear_time(line):
    for fmt, text in megabyte_inputs(line):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        result = parse_text(text, "big.md", format=fmt)
        assert time.process_time() - started < 3, fmt  # linear: a quadratic pattern takes minutes on 1 MB
        assert [p.arxiv_id for p in result.papers] == ["2601.00001"], fmt


@pytest.mark.parametrize(("fmt", "text"), [
    ("topic-table", f"## T\n\n{TABLE_HEAD}|---{' ' * 1_000_000}x|\n"),  # a row that almost is a |---| line
    ("topic-table", f"## T\n\n{TABLE_HEAD}|**2026-01-01**|**T**|A|[2601.00001](http://arxiv.org/abs/2601.00001)|null|x|\n"
                    f"|{'-' * 1_000_000} x|\n"),
    ("digest-md", f"### [{' ' * 1_000_000}x](https://arxiv.org/abs/2601.00001)\n"),  # "[   …" where "[1]" is expected
    ("arxivdaily", f"arXivDaily\n2601.00001 2026-01-05{' cs.LG' * 150_000} !x y\n\nT\n\nAI总结 x\n"),
])
def test_near_misses_of_structural_lines_are_linear(fmt, text):
    started = time.process_time()
    parse_text(text, "near.md", format=fmt)
    assert time.process_time() - started < 3  # linear: a quadratic pattern takes minutes on 1 MB


def test_a_part_in_no_family_layout_is_read_by_the_generic_reader():
    bullets = ("# Reading list\n\n## Picks\n\n- **A Bulleted Pick About Agents**  \n  _2026-03-11_ · "
               "https://arxiv.org/abs/2603.00001v1 · `cs.RO`\n\n")
    result = parse_text(bullets + "## Robots\n\n" + TABLE_HEAD + row(1) + row(2), "b.md")
    assert result.format == "topic-table+generic"
    assert [(p.arxiv_id, p.source.line) for p in result.papers] == [("2603.00001", 5), ("2501.00001", 12), ("2501.00002", 13)]
    assert [str(p) for p in result.problems] == ["b.md:5: 1 entry outside the topic-table layout read by the generic reader"]


def test_an_id_outside_every_entry_is_reported_not_silent():
    text = "## Robots\n\n" + TABLE_HEAD + row(1) + "\nAlso worth a look: 2603.00009 (no title given).\n"
    result = parse_text(text, "o.md")
    assert [p.arxiv_id for p in result.papers] == ["2501.00001"]
    assert [str(p) for p in result.problems] == [
        "o.md:7: arXiv id 2603.00009 named in the text but read as no entry (a damaged entry?)"]
    cited = "## Robots\n\n" + TABLE_HEAD + row(1, tail="|null|Builds on arXiv 2603.00009 directly.|")
    assert parse_text(cited, "c.md").problems == []  # cited in an abstract: not an entry


def test_arxivdaily_labels_in_english_and_missing_fields():
    text = ("arXivDaily\n2601.00001 2026-01-05 cs.LG cs.AI\n\nA Title Alone\n\nAI summary: Proposes a method.\n\n"
            "Comments: Accepted at ICML 2026\n\nEnglish abstract\n\nFirst paragraph.\n\nSecond paragraph.\n\n"
            "2601.00002 2026-01-05 cs.CL\n\nAnother Title\n\n一个标题\n\nAnn Lee, Bo Wu\n\nAI总结：提出一种方法。\n")
    first, second = parse_text(text, "e.txt").papers
    assert (first.title, first.title_zh, first.authors, first.categories) == ("A Title Alone", None, (), ("cs.LG", "cs.AI"))
    assert [(s.kind, s.text, s.lang) for s in first.summaries] == [("ai_summary", "Proposes a method.", "en")]
    assert (first.venue.name, first.abstract_en) == ("ICML", "First paragraph. Second paragraph.")
    assert (second.title_zh, second.authors, [s.text for s in second.summaries]) == ("一个标题", ("Ann Lee", "Bo Wu"), ["提出一种方法。"])


def test_a_rule_ends_an_arxivdaily_entry_and_what_follows_is_read_apart():
    text = ("arXivDaily\n2601.00001 2026-01-05 cs.LG\n\nA Title\n\nAI总结 Proposes a method.\n\n英文摘要\n\nThe abstract.\n\n"
            "-----------------------------\n\\\\\nTitle: A Listing Pasted After The Page\nAuthors: Ann Lee\n"
            "arXiv:2601.00002\n-----------------------------\n")
    result = parse_text(text, "r.txt")
    assert [(p.arxiv_id, p.abstract_en) for p in result.papers][0] == ("2601.00001", "The abstract.")
    assert [p.arxiv_id for p in result.papers][1:] == ["2601.00002"]
    assert result.format == "arxivdaily+generic"


def test_a_headingless_entry_never_lends_its_link_to_the_entry_above():
    entry = "# {title}\n\n**Authors**: {who}\n\n**Link**: [PDF](https://arxiv.org/pdf/{aid})\n\n**Abstract**: {title} abstract.\n\n---\n"
    text = (entry.format(title="First Entry", who="Ann Lee", aid="2601.00001")
            + "# Second Entry\n\n**Authors**: Bo Wu\n\n*](*Link**: [PDF](https://arxiv.org/pdf/2601.00002)\n\n"
            + "- --" + entry.format(title="Third Entry", who="Cy Ng", aid="2601.00003"))
    result = parse_text(text, "g.md")
    assert [(p.arxiv_id, p.title) for p in result.papers] == [("2601.00001", "First Entry")]
    assert [str(p) for p in result.problems] == [
        "g.md:10: heading 'Second Entry' has no arXiv link of its own and the text from line 18 holds the fields of "
        "entry 2601.00003 (a damaged heading?): neither is read",
        "g.md:14: arXiv id 2601.00002 named in the text but read as no entry (a damaged entry?)"]


def test_another_papers_link_field_ends_an_arxivdaily_entry():
    text = ("arXivDaily\n2601.00001 2026-01-05 cs.LG\n\nA Title\n\nAI总结 Proposes a method.\n\n英文摘要\n\nThe abstract.\n\n"
            "**Link**: [PDF](https://arxiv.org/pdf/2601.00002)\n\n**Abstract**: Pasted from another page.\n")
    first, second = parse_text(text, "l.txt").papers
    assert (first.arxiv_id, first.abstract_en) == ("2601.00001", "The abstract.")
    assert (second.arxiv_id, second.abstract_en) == ("2601.00002", "Pasted from another page.")


def test_every_id_outside_the_entries_gets_its_line_up_to_twenty():
    text = "## Robots\n\n" + TABLE_HEAD + row(1) + "".join(f"\nSee 2603.{n:05d} too.\n" for n in range(1, 26))
    problems = [str(p) for p in parse_text(text, "m.md").problems]
    assert problems[:2] == ["m.md:7: arXiv id 2603.00001 named in the text but read as no entry (a damaged entry?)",
                            "m.md:9: arXiv id 2603.00002 named in the text but read as no entry (a damaged entry?)"]
    assert problems[20:] == ["m.md:47: 5 more arXiv ids named in the text but read as no entry, from 2603.00021 on"]


def test_arxiv_ids_beside_other_scripts_and_at_a_sentence_end_but_not_cut_off_ones():
    from kg.parse.common import ARXIV_ID

    text = "见2405.17247；see arXiv:2405.17249v2. Not 2405.1724 (cut off), x2405.17248, 2405.17250.pdf; 0704.0001 is old."
    assert [m.group(1) for m in ARXIV_ID.finditer(text)] == ["2405.17247", "2405.17249", "0704.0001"]


def test_a_generic_prose_field_ends_at_another_papers_bare_id_line():
    text = ("- **A Bulleted Title** https://arxiv.org/abs/2601.00001\n  TL;DR: It does a thing.\n"
            "2601.00002 2026-01-05 cs.LG cs.AI\n\nA Second Title\n")
    papers = parse_text(text, "n.md", format="generic").papers
    assert [(p.arxiv_id, [s.text for s in p.summaries]) for p in papers] == [
        ("2601.00001", ["It does a thing."]), ("2601.00002", [])]
