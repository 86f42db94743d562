"""The validation step every reader's records pass (kg.parse.validate), on small synthetic records."""

from __future__ import annotations

import pytest

from kg.model import Institution, Paper, Source, Summary
from kg.parse.lang import language
from kg.parse.validate import LIMITS, validate


def paper(**fields) -> Paper:
    base = {"arxiv_id": "2501.00001", "title": "A Plain Title", "source": Source("d.md", 12)}
    return Paper(**(base | fields))


def check(**fields) -> tuple[Paper, list[str]]:
    [p], problems = validate([paper(**fields)], "d.md")
    return p, [str(x) for x in problems]


@pytest.mark.parametrize(("name", "reason"), [
    ("cs.AI", "a category code, not a name"), ("q-bio.NC", "a category code, not a name"),
    ("hep-th", "a category code, not a name"), ("https://example.org/ann", "a URL"), ("www.ann.org", "a URL"),
    ("**Ann Lee**", "markup"), ("Ann | Lee", "markup"), ("[Ann](#ann)", "markup"), ("<b>Ann</b>", "markup"),
    ("Main category: cs.AI", "a field label"), ("12345", "no letters"), ("A" * 201, "over 200 characters"),
])
def test_what_is_not_a_name_is_dropped_and_reported(name, reason):
    p, problems = check(authors=("Ann Lee", name, "Bo Wu"))
    assert p.authors == ("Ann Lee", "Bo Wu")
    assert problems == [f"d.md:12: 2501.00001: author dropped ({reason}): {name[:60]!r}"]


@pytest.mark.parametrize("tail", ["et al.", "et al", "et.al.", "Et Al."])
def test_et_al_marks_the_list_incomplete(tail):
    p, problems = check(authors=(f"Ann Lee {tail}",))
    assert (p.authors, p.authors_complete, problems) == (("Ann Lee",), False, [])
    p, _ = check(authors=("Ann Lee", tail))
    assert (p.authors, p.authors_complete) == (("Ann Lee",), False)


def test_names_are_not_mangled_otherwise():
    names = ("Jürgen Müller", "Ken'ichirou Tabata", "Anne-Marie O'Neil", "李华", "Paul D. Fernhill", "de la Cruz")
    p, problems = check(authors=names)
    assert (p.authors, p.authors_complete, problems) == (names, True, [])


def test_author_lists_are_capped():
    p, problems = check(authors=tuple(f"Person {n:04d}" for n in range(2500)))
    assert len(p.authors) == LIMITS["authors"] == 2000 and p.authors[-1] == "Person 1999"
    assert p.authors_complete is False
    assert problems == ["d.md:12: 2501.00001: 2500 authors: only the first 2000 kept"]


def test_categories_must_be_in_the_taxonomy():
    p, problems = check(categories=("cs.CL", "cs.XX", "我关注的话题"), primary_category="cs.XX")
    assert (p.categories, p.primary_category) == (("cs.CL",), None)
    assert problems == ["d.md:12: 2501.00001: category 'cs.XX' dropped: not in the arXiv taxonomy",
                        "d.md:12: 2501.00001: category '我关注的话题' dropped: not in the arXiv taxonomy"]
    p, problems = check(categories=("math.NT",), primary_category="physics.optics")
    assert (p.categories, p.primary_category, problems) == (("math.NT",), "physics.optics", [])


@pytest.mark.parametrize(("title", "clean"), [
    ("**Bold Title**", "Bold Title"), ("[Linked Title](https://arxiv.org/abs/2501.00001v2)", "Linked Title"),
    ("Tom &amp; Jerry: A <i>Study</i>", "Tom & Jerry: A Study"), (r"\[Escaped\] Title", "[Escaped] Title"),
])
def test_title_markup_residue_is_removed(title, clean):
    p, problems = check(title=title)
    assert p.title == clean
    assert problems == ["d.md:12: 2501.00001: markup removed from the title"]


def test_tex_in_titles_is_not_markup():
    p, problems = check(title=r"SR$^{2}$-Net: $\alpha$-Nets for A* Search")
    assert (p.title, problems) == (r"SR$^{2}$-Net: $\alpha$-Nets for A* Search", [])


def test_a_paper_without_a_title_keeps_its_id_as_title():
    p, problems = check(title="  ", abstract_en="Still worth keeping.")
    assert (p.title, p.abstract_en) == ("2501.00001", "Still worth keeping.")
    assert problems == ["d.md:12: 2501.00001: no title: kept with its arXiv id as the title"]


@pytest.mark.parametrize(("text", "lang"), [
    ("이 연구는 로봇 팔을 위한 새로운 제어 방법을 LLM으로 제안한다.", "ko"),
    ("本論文では、大規模言語モデルの推論を高速化する手法を提案する。", "ja"),
    ("提出一种新的GRPO变体，在MATH基准上取得提升。", "zh"),
    ("We propose a new variant of GRPO for the task.", "en"),
    ("Nous proposons une méthode pour la segmentation et les données.", "fr"),
    ("Wir schlagen eine Methode für die Segmentierung und das Training vor.", "de"),
    ("Мы предлагаем новый метод обучения.", "ru"),
    ("12.5 / 7", "und"),
])
def test_languages_from_script_and_words(text, lang):
    assert language(text) == lang
    p, _ = check(summaries=(Summary("tldr", text, "en"),))
    assert [s.lang for s in p.summaries] == [lang]


def test_a_few_latin_words_never_make_korean_or_japanese_english():
    assert language("Agentao는 GPT-4o, Claude, Gemini, LLaMA 3 with LoRA and PPO를 비교한다") == "ko"
    assert language("We evaluate GPT-4o, Claude and Gemini on the ベンチマーク suite") == "ja"


@pytest.mark.parametrize("text", [
    "Summary generation failed", "Motivation analysis unavailable", "Method extraction failed", "Error",
    "N/A", "null", "摘要生成失败", "Not available.",
])
def test_placeholders_of_failed_summarisers_never_become_summaries(text):
    p, problems = check(summaries=(Summary("tldr", text, "en"), Summary("method", "A real method.", "en")),
                        abstract_en=text)
    assert [s.text for s in p.summaries] == ["A real method."]
    assert p.abstract_en is None
    assert problems == [f"d.md:12: 2501.00001: tldr dropped: a failed summariser's placeholder ({text!r})",
                        f"d.md:12: 2501.00001: abstract_en dropped: a failed summariser's placeholder ({text!r})"]


def test_a_real_sentence_ending_in_failed_is_kept():
    text = "Earlier attempts to align tiny parsers with curated lexicons have mostly failed"
    p, problems = check(summaries=(Summary("tldr", text, "en"),))
    assert ([s.text for s in p.summaries], problems) == ([text], [])


def test_leaked_model_reasoning_is_cut_out():
    p, problems = check(summaries=(
        Summary("tldr", "<think>The user wants a summary. Let me see.</think> A method for X.", "en"),
        Summary("method", "<think>Unfinished reasoning that never closes", "en"),
        Summary("result", "reasoning that lost its opening tag</think>Gains of 3 points.", "en"),
    ))
    assert [(s.kind, s.text) for s in p.summaries] == [("tldr", "A method for X."), ("result", "Gains of 3 points.")]
    assert problems == [f"d.md:12: 2501.00001: model reasoning (<think>…</think>) removed from {kind}"
                        for kind in ("tldr", "method", "result")]


def test_characters_illegal_in_xml_are_dropped_from_every_text():
    p, problems = check(title="A\x00 Title\x07", abstract_en="Text\x1b with\x0b controls\ufffe.", comments="C\ud800",
                        authors=("Ann\x01 Lee",), institutions=(Institution("Lab\x02"),), keywords=("k\x03",),
                        summaries=(Summary("tldr", "Sum\x0cmary", "en"),))
    assert (p.title, p.abstract_en, p.comments) == ("A Title", "Text with controls.", "C")
    assert (p.authors, p.institutions[0].name, p.keywords, p.summaries[0].text) == (("Ann Lee",), "Lab", ("k",), "Summary")
    assert problems == ["d.md:12: 2501.00001: characters not allowed in XML dropped from title, comments, abstract_en, "
                        "authors, keywords, tldr, institutions"]
    p, problems = check(abstract_en="Tabs\tand\nnewlines stay.")
    assert (p.abstract_en, problems) == ("Tabs\tand\nnewlines stay.", [])


def test_field_sizes_are_capped():
    p, problems = check(title="T" * 1500, abstract_en="a" * 25_000, summaries=(Summary("tldr", "s" * 30_000, "en"),))
    assert (len(p.title), len(p.abstract_en), len(p.summaries[0].text)) == (1000, 20_000, 20_000)
    assert problems == ["d.md:12: 2501.00001: title of 1500 characters cut to 1000",
                        "d.md:12: 2501.00001: tldr of 30000 characters cut to 20000",
                        "d.md:12: 2501.00001: abstract_en of 25000 characters cut to 20000"]


def test_a_chinese_abstract_in_the_english_slot_moves():
    p, problems = check(abstract_en="本文提出了一种新的强化学习方法，并在多个基准上验证。")
    assert (p.abstract_en, p.abstract_zh, problems) == (None, "本文提出了一种新的强化学习方法，并在多个基准上验证。", [])


def test_each_paper_keeps_its_own_line_and_the_rest_of_its_fields():
    papers = [paper(arxiv_id="2501.00001", source=Source("d.md", 3), authors=("cs.LG", "Ann Lee"), abstract_en="One."),
              paper(arxiv_id="2501.00002", source=Source("d.md", 9), categories=("xx.YY",), abstract_en="Two.")]
    out, problems = validate(papers, "d.md")
    assert [(p.arxiv_id, p.authors, p.categories, p.abstract_en) for p in out] == [
        ("2501.00001", ("Ann Lee",), (), "One."), ("2501.00002", (), (), "Two.")]
    assert [str(x) for x in problems] == [
        "d.md:3: 2501.00001: author dropped (a category code, not a name): 'cs.LG'",
        "d.md:9: 2501.00002: category 'xx.YY' dropped: not in the arXiv taxonomy"]
