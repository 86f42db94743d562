"""Parsers on the real seeds and corpus digests, and on bad input."""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter

import pytest

from kg.errors import ParseError, UnknownFormat
from kg.parse import detect_format, parse_file, parse_text


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
    assert p.title == "Robust Low-Rank Sparse Framework for Video-Based Affective Computing"
    assert p.title_zh == "基于视频的情感计算的鲁棒低秩稀疏框架"
    assert p.authors[0] == "Feng-Qi Cui" and p.authors[-1] == "Xiaokang Zhou" and len(p.authors) == 7
    assert p.published == "2026-06-01" and p.categories == ("cs.CV",) and p.primary_category == "cs.CV"
    assert p.summaries[0].kind == "ai_summary" and p.summaries[0].text.startswith("提出低秩稀疏情感理解框架")
    assert p.abstract_en.startswith("Video-based Affective Computing (VAC)")
    assert p.abstract_zh.startswith("基于视频的情感计算(VAC)")
    dg = papers["2601.22985"]
    assert (dg.venue.name, dg.venue.year) == ("ICML", 2026)
    assert dg.project_urls == ("https://dgmark-watermarking.github.io",)
    assert papers["2601.22787"].code_urls == ("https://github.com/merantix-momentum/entquant",)


def test_family_a_institutions_and_units(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("002")).papers}
    p = papers["2506.06006"]
    assert p.categories == ("cs.CV", "cs.AI", "cs.CL")
    names = [i.name for i in p.institutions]
    assert names == [
        "Institute for Language, Cognition and Computation, University of Edinburgh",
        "Language Technology Lab, University of Cambridge", "NVIDIA", "University of Groningen",
    ]
    lab = p.institutions[1]
    assert lab.parent == "University of Cambridge" and lab.name_zh == "语言技术实验室,剑桥大学"
    # location tails are not institutions
    sjtu = [i for i in papers["2602.08498"].institutions if "Shanghai Artificial" in i.name][0]
    assert sjtu.name == "Shanghai Artificial Intelligence Laboratory"


def test_latex_titles_kept(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("002")).papers}
    assert papers["2601.21461"].title == "L$^3$: Large Lookup Layers"
    md = {p.arxiv_id: p for p in parse_file(seed("003")).papers}
    assert md["2601.21338"].title.startswith("SR$^{2}$-Net: A General Plug-and-Play Model")


def test_family_b_fields(seed):
    papers = {p.arxiv_id: p for p in parse_file(seed("003")).papers}
    p = papers["2601.20881"]
    assert p.title == "MA-LipNet: Multi-Dimensional Attention Networks for Robust Lipreading"
    assert p.authors == ("Matteo Rossi",)
    assert p.primary_category == "cs.CV" and p.source.section == "cs.CV"
    kinds = [s.kind for s in p.summaries]
    assert kinds == ["tldr", "motivation", "method", "result", "conclusion"]
    assert p.abstract_en.startswith("Lipreading, the technology of decoding spoken content")
    q = papers["2601.20911"]
    assert len(q.authors) == 11 and q.authors[0] == "Haochen Zhang" and q.authors[-1] == "Zecheng He"


def test_family_c_fields(seed):
    papers = parse_file(seed("004")).papers
    p = next(p for p in papers if p.arxiv_id == "2510.08564")
    assert p.title == "How to Teach Large Multimodal Models New Skills"
    assert p.published == "2025-10-09"
    assert p.code_urls == ("https://github.com/jessemelpolio/LMM_CL",)
    assert p.abstract_zh.startswith("我们如何在不抹除其先前能力的情况下")
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
    assert dw.authors == ("Jin Kim", "Byunghwee Lee", "Taekho You", "Jinhyuk Yun")
    assert dw.summaries[0].kind == "task" and dw.summaries[2].kind == "method"
    assert "hard" not in dw.abstract_en and "technology and art" in dw.abstract_en  # wrapped lines joined
    vq = parse_file(shared_dir / "corpus" / "formatC_Vincentqyw_2024-12-09.md").papers[0]
    assert (vq.arxiv_id, vq.authors, vq.authors_complete, vq.abstract_en) == ("2412.04463", ("Zhengqi Li",), False, None)


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
    assert result.papers[0].title_zh == "基于视频的情感计算的鲁棒低秩稀疏框架"
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
    assert result.papers[0].abstract_en.endswith("understanding affective dynamics.")  # not swallowed
    assert [str(p).rsplit("/", 1)[1] for p in result.problems] == [
        "bad.txt:23: text after entry 2511.11406 belongs to no entry (an entry without an arXiv id line?)"]


def test_family_a_journal_ref_is_a_field_not_stray_text(seed):
    result = parse_file(seed("002"))
    assert result.problems == []
    paper = next(p for p in result.papers if p.arxiv_id == "2509.25289")
    assert paper.comments == "Published in IEEE Access"
    assert paper.journal_ref == "IEEE Access, vol. 14, pp. 81352 - 81365, 2026"
    assert paper.abstract_en.startswith("Identifying an effective clustering algorithm")


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


def manifest_papers(shared_dir) -> dict[str, int]:
    rows = (shared_dir / "corpus" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return {r.split("\t")[0]: int(r.split("\t")[1]) for r in rows if not r.startswith("#")}


@pytest.mark.parametrize("name", KNOWN_FAMILY_FILES)
def test_known_families_read_every_corpus_paper(shared_dir, name):
    path, lines = corpus_file(shared_dir, name)
    result = parse_file(path)
    assert result.format == ("digest-md" if name.startswith("formatB") else "topic-table")
    ids = {p.arxiv_id for p in result.papers}
    expected = manifest_papers(shared_dir)[name]
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
