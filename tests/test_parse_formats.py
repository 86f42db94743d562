"""The arXiv e-mail, feed, Hugging Face JSON, JSON-store and generic readers on the real corpus files
and on small hostile inputs."""

from __future__ import annotations

import re
import time

import pytest

from kg.errors import ParseError
from kg.parse import detect_format, parse_file, parse_text

from fingerprints import assert_fingerprints, sha1, spotcheck


def by_id(result):
    return {p.arxiv_id: p for p in result.papers}


def assert_spot_checked(p, file_prefix):
    """The paper's texts match their fingerprints in tests/data/corpus_spotchecks.json."""
    assert_fingerprints(p, spotcheck(file_prefix, p.arxiv_id))


# --- the arXiv mailing-list e-mail -------------------------------------------------------------

def test_email_counts_and_kinds(corpus, manifest):
    path = corpus("formatX_email_")
    result = parse_file(path)
    assert result.format == "arxiv-email" and result.problems == []
    assert len({p.arxiv_id for p in result.papers}) == manifest[path.name] == 382
    kinds = [p.source.section for p in result.papers]
    assert (kinds.count("new"), kinds.count("cross-list"), kinds.count("replaced"),
            kinds.count("replaced cross-list")) == (116, 109, 140, 17)


def test_email_fields(corpus):
    papers = by_id(parse_file(corpus("formatX_email_")))
    p = papers["2601.15305"]  # title, two authors, comments, whole abstract
    assert_spot_checked(p, "formatX_email_")
    assert p.published == "2026-01-12"
    cross = papers["2601.15280"]  # authors joined by "and", wrapped onto a continuation line
    assert_spot_checked(cross, "formatX_email_")
    assert cross.source.section == "cross-list"
    assert cross.categories == ("cs.HC", "cs.AI") and cross.primary_category == "cs.HC"
    replaced = papers["2504.03729"]  # no abstract; TeX accents in names
    assert_spot_checked(replaced, "formatX_email_")
    assert replaced.abstract_en is None and replaced.published is None
    last = papers["2511.13520"]  # a journal reference wrapped onto a continuation line
    assert_spot_checked(last, "formatX_email_")
    assert last.source.section == "replaced cross-list" and last.categories == ("quant-ph", "cs.SE")
    head = corpus("formatX_email_").read_text(encoding="utf-8").split(f"arXiv:{last.arxiv_id} ", 1)[1].split("\n\\\\", 1)[0]
    [doi] = re.findall(r"^DOI: (\S+)", head, re.M)  # its header fields end at the next "\\" line
    assert last.doi == doi


EMAIL = """\
------------------------------------------------------------------------------
\\\\
arXiv:2601.00001
Date: Fri, 2 Jan 2026 10:00:00 GMT   (10kb)

Title: A Made-Up Paper
Authors: Ann Lee
Categories: cs.LG
\\\\
  An abstract.
\\\\ ( https://arxiv.org/abs/2601.00001 ,  10kb)
------------------------------------------------------------------------------
\\\\
arXiv:2601.00002
Date: Fri, 2 Jan 2026 11:00:00 GMT   (10kb)

Authors: Bo Wu
Categories: cs.CL
\\\\
  No title above.
\\\\ ( https://arxiv.org/abs/2601.00002 ,  10kb)
------------------------------------------------------------------------------
\\\\
arXiv:2601.00003
Date: Fri, 2 Jan 2026 12:00:00 GMT   (10kb)

Title: Cut Off
Authors: Cy Ng
\\\\
  The mail ends in the middle of"""


def test_email_bad_entries_are_problems():
    result = parse_text(EMAIL, "mail.txt")
    assert result.format == "arxiv-email"
    assert [p.arxiv_id for p in result.papers] == ["2601.00001"]
    assert [str(p) for p in result.problems] == ["mail.txt:14: entry arXiv:2601.00002 has no Title",
                                                 "mail.txt:24: entry arXiv:2601.00003 is cut off"]


def test_email_entry_with_text_glued_to_its_id_line_is_read_and_reported():
    glued = EMAIL.replace("arXiv:2601.00001\n", "arXiv:2601.00001 # Notes\n").replace("arXiv:2601.00002\n", "")
    glued = glued.replace("Authors: Bo Wu", "arXiv:2601.00004 (*cross-listing")
    result = parse_text(glued, "mail.txt")
    assert [(p.arxiv_id, p.source.line, p.title) for p in result.papers] == [("2601.00001", 3, "A Made-Up Paper")]
    assert [str(p) for p in result.problems] == ["mail.txt:3: entry arXiv:2601.00001 has text after its id: '# Notes'",
                                                 "mail.txt:16: entry arXiv:2601.00004 has no Title",
                                                 "mail.txt:23: entry arXiv:2601.00003 is cut off",
                                                 "mail.txt:20: arXiv id 2601.00002 named in the text but read as no "
                                                 "entry (a damaged entry?)"]


# --- RSS / Atom feeds --------------------------------------------------------------------------

def test_rss_feed(corpus, manifest):
    path = corpus("formatX_rss-filtered_")
    result = parse_file(path)
    assert result.format == "feed" and result.problems == []
    assert len({p.arxiv_id for p in result.papers}) == manifest[path.name] == 63
    papers = by_id(result)
    p = papers["2504.13983"]  # its guid repeats the "oai:arXiv.org:" prefix before the versioned id
    assert_spot_checked(p, "formatX_rss-filtered_")  # title, authors, abstract, the summary's start
    assert p.published == "2025-04-22" and p.source.section == "new" and p.source.line == 18
    # the text before "arXiv:ID Announce Type: new / Abstract:" is the filter's Chinese summary
    assert [(s.kind, s.lang) for s in p.summaries] == [("ai_summary", "zh")]
    assert "Announce Type" not in p.summaries[0].text
    assert_spot_checked(papers["2504.00837"], "formatX_rss-filtered_")
    # every <category> holds a leaked research-interest prompt, not an arXiv category
    assert all(p.categories == () for p in result.papers)


ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query</title>
  <entry>
    <id>http://arxiv.org/abs/2601.00007v2</id>
    <updated>2026-01-09T10:00:00Z</updated>
    <published>2026-01-03T18:00:00Z</published>
    <title>Synthetic Atom Entry:
  A Wrapped Title</title>
    <summary>  We study a made-up problem. Code: https://github.com/example/repo
</summary>
    <author><name>Ann Lee</name></author>
    <author><name>Bo Wu</name><arxiv:affiliation>Nowhere U</arxiv:affiliation></author>
    <arxiv:comment>Accepted at ICML 2026</arxiv:comment>
    <arxiv:doi>10.1000/xyz</arxiv:doi>
    <link href="http://arxiv.org/abs/2601.00007v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2601.00007v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="I.2.7" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://example.org/not-arxiv</id>
    <title>No id here</title>
  </entry>
</feed>"""


def test_atom_feed_as_served_by_the_arxiv_api():
    result = parse_text(ATOM, "q.atom")
    assert result.format == "feed"
    [p] = result.papers
    assert (p.arxiv_id, p.title, p.authors) == ("2601.00007", "Synthetic Atom Entry: A Wrapped Title", ("Ann Lee", "Bo Wu"))
    assert p.published == "2026-01-03" and p.categories == ("cs.CL", "cs.LG") and p.primary_category == "cs.CL"
    assert p.abstract_en == "We study a made-up problem. Code: https://github.com/example/repo"
    assert p.code_urls == ("https://github.com/example/repo",)
    assert (p.comments, p.doi, p.venue.name, p.venue.year) == ("Accepted at ICML 2026", "10.1000/xyz", "ICML", 2026)
    assert [str(x) for x in result.problems] == ["q.atom:23: item 'No id here' has no arXiv id"]


def test_malformed_xml_is_one_problem_with_its_line():
    text = "<?xml version='1.0'?>\n<rss><channel>\n<item><title>A</title>\n<link>https://arxiv.org/abs/2601.00001</item>\n</channel></rss>"
    result = parse_text(text, "bad.xml")
    assert result.papers == []
    assert [str(p) for p in result.problems] == ["bad.xml:4: malformed XML: mismatched tag (column 41)"]


def test_entity_bomb_is_refused_not_expanded():
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    text = (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n{lol}]>\n'
            "<rss><channel><item><title>&lol9;</title><link>https://arxiv.org/abs/2601.00001</link></item></channel></rss>")
    started = time.process_time()
    result = parse_text(text, "bomb.rss")
    assert time.process_time() - started < 1
    assert result.papers == []
    assert [str(p) for p in result.problems] == ["bomb.rss:3: XML entity and DTD declarations are not read (EntitiesForbidden)"]


def test_external_entity_is_not_fetched():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
            "<rss><channel><item><title>&x;</title><link>https://arxiv.org/abs/2601.00001</link></item></channel></rss>")
    assert [p.message for p in parse_text(text, "x.rss").problems] == [
        "XML entity and DTD declarations are not read (EntitiesForbidden)"]


def test_empty_feed():
    result = parse_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title></channel></rss>', "e.xml")
    assert result.format == "feed" and result.papers == []
    assert [str(p) for p in result.problems] == ["e.xml:1: no entries found in a feed layout"]


# --- Hugging Face daily-papers JSON and the table generator's JSON store -----------------------

def test_hf_papers_2024_array(corpus, manifest):
    path = corpus("formatX_hfapi-json_")
    result = parse_file(path)
    assert result.format == "hf-papers" and result.problems == []
    assert len({p.arxiv_id for p in result.papers}) == manifest[path.name] == 15
    p = by_id(result)["2405.17247"]
    assert p.source.line == 4
    assert_spot_checked(p, "formatX_hfapi-json_")  # every author by the paper's name for them, not the HF user's
    assert p.published == "2024-05-27"  # the paper's date, not the day it was featured (05-28)


HF_NEW = """{"date": "2026-02-02", "papers": [
  {"paper": {"id": "2602.00011", "title": "A Synthetic Paper", "authors": [{"name": "Ann Lee"}, {"name": "Bo Wu"}],
             "summary": "We do a thing.", "publishedAt": "2026-01-30T08:00:00.000Z",
             "ai_summary": "It does a thing.", "ai_keywords": ["thing", "doing"],
             "githubRepo": "https://github.com/example/thing"},
   "upvotes": 3},
  {"id": "2602.00012", "title": "Flat Record", "authors": ["Cy Ng"], "summary": "Flat.", "upvotes": 1},
  {"id": "2602.00013", "summary": "No title.", "upvotes": 0}
]}"""


def test_hf_papers_newer_shapes_found_by_their_keys():
    result = parse_text(HF_NEW, "hf.json")
    assert result.format == "hf-papers"
    a, b = result.papers
    assert (a.arxiv_id, a.title, a.authors, a.published) == ("2602.00011", "A Synthetic Paper", ("Ann Lee", "Bo Wu"), "2026-01-30")
    assert [(s.kind, s.text) for s in a.summaries] == [("ai_summary", "It does a thing.")]
    assert a.keywords == ("thing", "doing") and a.code_urls == ("https://github.com/example/thing",)
    assert (b.arxiv_id, b.title, b.authors, b.source.line) == ("2602.00012", "Flat Record", ("Cy Ng",), 7)
    assert [str(p) for p in result.problems] == ["hf.json:8: paper 2602.00013 has no title"]


def test_json_syntax_error_names_its_line():
    text = '[\n  {"paper": {"id": "2602.00011", "title": "T"},\n   "upvotes": 3,,\n  }\n]'
    with pytest.raises(ParseError, match=r"^hf\.json:3: invalid JSON: Expecting property name"):
        parse_text(text, "hf.json", format="hf-papers")


def test_table_json_store(corpus, manifest):
    path = corpus("formatC_Len-Li_")
    result = parse_file(path)
    assert result.format == "table-json" and result.problems == []
    assert len(result.papers) == 2167
    assert len({p.arxiv_id for p in result.papers}) == manifest[path.name] == 1701
    p = by_id(result)["2310.16035"]
    assert_spot_checked(p, "formatC_Len-Li_")  # title, first author of an et.al. byline, date, code URL
    assert len(p.authors) == 1 and len(p.code_urls) == 1 and p.topics == ("3D",)
    assert p.source.line == 1 and p.source.parser == "table-json.v1"


def test_table_json_pretty_printed_rows_keep_their_lines():
    text = ('{\n "Robots": {\n  "2602.00021": "|**2026-02-01**|**Grasping Things**|Ann Lee et.al.|'
            '[2602.00021](http://arxiv.org/abs/2602.00021)|null|\\n",\n'
            '  "2602.00022": "|**2026-02-01**|**Cut**|Bo Wu et.al.|[2602.00022](http://arxiv.org/abs/2602.00022)|null"\n },\n'
            ' "Empty": {}\n}')
    result = parse_text(text, "store.json")
    assert result.format == "table-json"
    [p] = result.papers
    assert (p.arxiv_id, p.title, p.topics, p.source.line) == ("2602.00021", "Grasping Things", ("Robots",), 3)
    assert [str(x) for x in result.problems] == ["store.json:4: table row is cut off"]


# --- the generic reader ------------------------------------------------------------------------

GENERIC = ["formatX_rssbot_", "formatX_reporter-md_", "formatX_cards_", "formatX_topic-bullets_", "formatX_hf-digest-md_"]


@pytest.mark.parametrize("prefix", GENERIC)
def test_generic_reads_each_listed_paper_once(corpus, manifest, prefix):
    path = corpus(prefix)
    result = parse_file(path, format="generic")
    assert result.format == "generic"
    ids = {p.arxiv_id for p in result.papers}
    assert len(result.papers) == len(ids)
    # the hf digest lists its 26 papers of the day and 11 earlier ones it compares them with
    assert len(ids) in ((26, 37) if prefix == "formatX_hf-digest-md_" else (manifest[path.name],))
    assert all(p.title and p.title != p.arxiv_id for p in result.papers)


@pytest.mark.parametrize("prefix", GENERIC)
def test_detected_readers_read_each_target_file_fully(corpus, manifest, prefix):
    path = corpus(prefix)
    ids = {p.arxiv_id for p in parse_file(path).papers}
    assert len(ids) in ((26, 37) if prefix == "formatX_hf-digest-md_" else (manifest[path.name],))


def test_generic_is_the_fallback_for_unknown_layouts():
    text = "Reading group picks\n\n* 2601.00001 — A Bulleted Pick\n* 2601.00002 — Another Pick\n"
    assert detect_format(text) == "generic"
    result = parse_text(text, "picks.txt")
    assert [(p.arxiv_id, p.title, p.source.line) for p in result.papers] == [
        ("2601.00001", "A Bulleted Pick", 3), ("2601.00002", "Another Pick", 4)]
    with pytest.raises(ParseError, match="unknown digest layout"):
        parse_text("no papers here\n", "none.txt")


def test_generic_heading_entries_with_bold_labels(corpus):
    papers = by_id(parse_file(corpus("formatX_rssbot_"), format="generic"))
    p = papers["2407.08883"]  # ### 1. [Title](abs URL), **Authors**:, **Category**:, **Published**:
    assert_spot_checked(p, "formatX_rssbot_")
    assert p.categories == ("cs.CV",) and p.published == "2025-09-10" and p.source.line == 18


def test_generic_title_heading_then_a_pdf_link(corpus):
    papers = by_id(parse_file(corpus("formatX_reporter-md_"), format="generic"))
    p = papers["2603.30032"]  # "# Title " then **Authors**:, **Link**: [PDF](…/pdf/ID), **Abstract**:
    assert_spot_checked(p, "formatX_reporter-md_")
    assert p.source.section is None  # the previous entry's heading is not a section
    wrapped = papers["2603.29979"]  # an abstract of three paragraphs: all three, by its length
    assert_spot_checked(wrapped, "formatX_reporter-md_")


def test_generic_cards_and_ids_mentioned_in_abstracts(corpus):
    papers = by_id(parse_file(corpus("formatX_cards_"), format="generic"))
    p = papers["2608.20313"]
    assert_spot_checked(p, "formatX_cards_")
    assert len(p.authors) == 1 and p.published == "2026-08-20" and p.categories == ("math.RT",)
    assert_spot_checked(papers["2608.08234"], "formatX_cards_")  # with its comments
    q = papers["2505.04166"]
    assert_spot_checked(q, "formatX_cards_")
    assert q.comments == "12 pages"
    assert not {"2504.06444", "2305.11139", "2608.00421"} & set(papers)  # cited inside abstracts


def test_generic_topic_bullets(corpus):
    result = parse_file(corpus("formatX_topic-bullets_"), format="generic")
    p = by_id(result)["2603.10597"]  # - **Title**, author line, _date_ · bare versioned URL · `cs.RO`
    assert_spot_checked(p, "formatX_topic-bullets_")
    assert p.published == "2026-03-11" and p.categories == ("cs.RO",)
    assert p.source.section == "Autonomous Driving & AV"
    dyn = by_id(result)["2603.11041"]  # an author line ending ", et al.": the last name before it, incomplete
    assert_spot_checked(dyn, "formatX_topic-bullets_")


def test_generic_hf_digest_titles_from_its_lists(corpus):
    papers = by_id(parse_file(corpus("formatX_hf-digest-md_"), format="generic"))
    for arxiv_id in ("2608.02023", "2607.22798"):
        assert_spot_checked(papers[arxiv_id], "formatX_hf-digest-md_")


def test_generic_ids_only_in_prose_is_a_problem():
    text = "# Notes\n\nWe liked the method of arXiv:2601.00001 and the follow-up 2601.00002v2 a lot.\n"
    result = parse_text(text, "notes.md")
    assert result.format == "generic" and result.papers == []
    assert [str(p) for p in result.problems] == [
        "notes.md:3: arXiv ids appear only inside prose (abstracts, comments, paragraphs); none is listed as an entry"]


def test_generic_id_lines_and_html_page():
    text = "arXiv:2601.00001 First Paper\nAuthors: Ann Lee, Bo Wu\n\narXiv:2601.00002 Second Paper\nDate: 2026-01-02\n"
    result = parse_text(text, "ids.txt")
    assert [(p.arxiv_id, p.title, p.authors, p.published, p.source.line) for p in result.papers] == [
        ("2601.00001", "First Paper", ("Ann Lee", "Bo Wu"), None, 1), ("2601.00002", "Second Paper", (), "2026-01-02", 4)]
    page = ("<!DOCTYPE html>\n<html><body>\n<h2>Reading list</h2>\n<ul>\n"
            '<li><a href="https://arxiv.org/abs/2601.00003v1">A Listed Paper</a> by Cy Ng</li>\n'
            "</ul>\n<p>Unlike arXiv:2601.00004, which is only cited.</p>\n</body></html>")
    [p] = parse_text(page, "list.html").papers
    assert (p.arxiv_id, p.title, p.source.line, p.source.section) == ("2601.00003", "A Listed Paper", 5, "Reading list")


def test_generic_json_and_json_errors(corpus):
    result = parse_text('{"items": [{"arxiv_id": "2601.00005", "title": "From JSON"}]}', "x.json")
    assert result.format == "generic" and [(p.arxiv_id, p.title) for p in result.papers] == [("2601.00005", "From JSON")]
    other = parse_text('{"reading": [\n "https://arxiv.org/abs/2601.00007",\n "arXiv:2601.00008"],\n'
                       ' "note": "as in 2601.00009, which is only cited"}', "list.json")
    assert [(p.arxiv_id, p.source.line) for p in other.papers] == [("2601.00007", 2), ("2601.00008", 3)]
    store = parse_file(corpus("formatC_Len-Li_"), format="generic")  # its strings read as table rows
    assert len({p.arxiv_id for p in store.papers}) == 1701
    assert sha1(by_id(store)["2310.16035"].title) == spotcheck("formatC_Len-Li_", "2310.16035")["title_sha1"]
    broken = parse_text('[\n  {"id": "2601.00006", "title": "Cut"\n', "cut.json")
    assert broken.format == "generic"
    assert str(broken.problems[0]).startswith("cut.json:3: invalid JSON: Expecting ',' delimiter")


HOSTILE = ["[" * 1_000_000, "<a " * 333_333, "**" * 500_000, "a-" * 500_000, "|" * 1_000_000, "- " * 500_000,
           "`2601.00001` (" * 70_000, "Authors: " + "A, " * 330_000, "arXiv:" + "9" * 1_000_000,
           "https://arxiv.org/abs/" * 45_000, "<details><summary>" * 55_000, "# " + "[x](y) " * 140_000]


@pytest.mark.parametrize("line", HOSTILE, ids=lambda s: repr(s[:12]))
def test_one_megabyte_line_is_read_in_linear_time(line):
    for fmt in ("generic", "arxiv-email"):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        try:
            parse_text(f"# Digest\n{line}\n- [Paper](https://arxiv.org/abs/2601.00009)\n", "big.md", format=fmt)
        except ParseError:
            pass
        assert time.process_time() - started < 1, fmt


def test_build_picks_up_the_new_suffixes(tmp_path):
    from kg.build import digest_files

    names = ["a.json", "b.jsonl", "c.xml", "d.rss", "e.atom", "f.eml", "g.html", "h.md", "i.png", "j.pdf"]
    for name in names:
        (tmp_path / name).write_text("x")
    assert [p.name for p in digest_files([tmp_path])] == names[:8]


@pytest.mark.slow
def test_kg_build_and_turtle_export_of_the_new_formats(kg, corpus, tmp_path):
    """Each new family through ``kg build`` (extraction included) and ``kg export --format turtle``."""
    import json

    import rdflib

    store_json = tmp_path / "store.json"
    store_json.write_text('{"Agents": {"2602.00031": "|**2026-02-01**|**Tool Use With GRPO**|Ann Lee et.al.|'
                          '[2602.00031](http://arxiv.org/abs/2602.00031)|null|\\n"}}')
    files = [corpus("formatX_email_"), corpus("formatX_rss-filtered_"), corpus("formatX_hfapi-json_"),
             corpus("formatX_topic-bullets_"), store_json]
    store = tmp_path / "store"
    result = kg(store, "build", *map(str, files), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["format"], f["entries"], f["status"]) for f in report["files"]] == [
        ("arxiv-email", 382, "added"), ("feed", 63, "added"), ("hf-papers", 15, "added"), ("generic", 54, "added"),
        ("table-json", 1, "added")]
    assert report["links"] > 0
    out = tmp_path / "kg.ttl"
    exported = kg(store, "export", "--format", "turtle", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    g = rdflib.Graph().parse(out, format="turtle")
    assert len(g) == report["triples_after"]
    paper = rdflib.URIRef("https://arxiv.org/abs/2601.15305")
    title = spotcheck("formatX_email_", "2601.15305")["title_sha1"]
    assert title in {sha1(o) for o in g.objects(paper, None) if isinstance(o, rdflib.Literal)}


def test_email_saved_as_eml_with_quoted_printable_body():
    import quopri

    body = EMAIL.split("------------------------------------------------------------------------------\n\\\\\narXiv:2601.00002")[0]
    body = body.replace("An abstract.", "An abstract with a = sign that runs on " + "and on " * 12 + "to the end.")
    eml = ("From: no-reply@arxiv.org\nTo: reader@example.org\nSubject: cs daily\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
           + quopri.encodestring(body.encode()).decode())
    assert "=3D" in eml and "=\n" in eml
    result = parse_text(eml, "digest.eml")
    assert result.format == "arxiv-email"
    [p] = result.papers
    assert (p.arxiv_id, p.title, p.source.line) == ("2601.00001", "A Made-Up Paper", 10)
    assert p.abstract_en == "An abstract with a = sign that runs on " + "and on " * 12 + "to the end."


def test_generic_reports_a_link_it_cannot_place_and_ignores_zero_width_marks():
    text = ("## Picks\n\n- **First Pick**\n  Ann Lee\n  https://arxiv.org/abs/2601.00011\n\n"
            "Some words, then\n\nalso worth a look, https://arxiv.org/abs/2601.00012 in passing\n\n"
            "\u200b- **Third Pick**\n  https://arxiv.org/abs/2601.00013\n")
    result = parse_text(text, "picks.md", format="generic")
    assert [(p.arxiv_id, p.title) for p in result.papers] == [("2601.00011", "First Pick"), ("2601.00013", "Third Pick")]
    assert [str(p) for p in result.problems] == ["picks.md:9: 2601.00012: an arXiv link outside every entry (or in prose), not read"]


def test_generic_entry_glued_after_a_details_tag_starts_there():
    text = ("## Picks\n\n- **First Pick**\n  Ann Lee\n  _2026-01-02_ · https://arxiv.org/abs/2601.00021 · `cs.AI`\n"
            "  <details><summary>Abstract</summary>- **Second Pick**\n  Bo Chen\n"
            "  _2026-01-02_ · https://arxiv.org/abs/2601.00022 · `cs.LG`\n"
            "  <details><summary>Abstract</summary>\n\n  The second abstract.\n\n  </details>\n")
    result = parse_text(text, "picks.md", format="generic")
    first, second = result.papers
    assert (first.arxiv_id, first.title, first.abstract_en) == ("2601.00021", "First Pick", None)
    assert (second.arxiv_id, second.title, second.authors, second.abstract_en) == (
        "2601.00022", "Second Pick", ("Bo Chen",), "The second abstract.")


def test_generic_unclosed_abstract_ends_at_the_id_line_of_another_paper():
    text = ("## Picks\n\n- **First Pick**\n  _2026-01-02_ · https://arxiv.org/abs/2601.00021 · `cs.AI`\n"
            "  <details><summary>Abstract</summary>\n  The first abstract, as in arXiv:2601.00029, then cut- **Lost**\n"
            "  _2026-01-03_ · [PDF](https://arxiv.org/pdf/2601.00022) · `cs.LG`\n"
            "  <details><summary>Abstract</summary>\n\n  The second abstract.\n\n  </details>\n")
    result = parse_text(text, "picks.md", format="generic")
    first, second = result.papers
    assert (first.arxiv_id, first.abstract_en) == ("2601.00021", "The first abstract, as in arXiv:2601.00029, then cut- Lost")
    assert (second.arxiv_id, second.published, second.categories, second.abstract_en) == (
        "2601.00022", "2026-01-03", ("cs.LG",), "The second abstract.")
    assert [str(p) for p in result.problems] == ["picks.md:7: 2601.00022: no title: kept with its arXiv id as the title"]


def test_markdown_entry_ends_where_an_email_entry_starts():
    text = ("# Daily\n\n### [1] [A Made-Up Heading Paper](https://arxiv.org/abs/2601.00031)\n*Ann Lee*\n\n"
            "Abstract: A markdown abstract.\n\n\\\\\narXiv:2601.00032\nDate: Thu, 22 Jan 2026 10:00:00 GMT\n"
            "Title: A Made-Up Mailed Paper\nAuthors: Bo Chen and Cy Dow\nCategories: cs.AI\n\\\\\n"
            "  A mailed abstract.\n\\\\ ( https://arxiv.org/abs/2601.00032 ,  10kb)\n")
    result = parse_text(text, "mixed.md")
    assert result.format == "digest-md+arxiv-email"
    first, second = result.papers
    assert (first.arxiv_id, first.authors, first.abstract_en) == ("2601.00031", ("Ann Lee",), "A markdown abstract.")
    assert not any("Chen" in t or "mailed" in t for _, t in first.texts())
    assert (second.arxiv_id, second.authors, second.abstract_en) == ("2601.00032", ("Bo Chen", "Cy Dow"), "A mailed abstract.")
    glued = parse_text(text.replace("2601.00032\nDate", "2601.00032 Date"), "mixed.md").papers[0]
    assert not any("Chen" in t or "mailed" in t for _, t in glued.texts())


def test_generic_bullet_whose_start_was_lost_does_not_take_the_next_abstract():
    text = ("- **First Pick**\n  _2026-01-02_ · https://arxiv.org/abs/2601.00041 · `cs.AI`\n"
            "  <details><summary>Abstract</summary>\n\n  The first abstract.\n\n  </details>\n\n"
            "  _2026-01-03_ · https://arxiv.org/abs/2601.00042 · `cs.RO`\n"
            "  <details><summary>Abstract</summary>\n\n  The second abstract.\n\n  </details>\n")
    first, second = parse_text(text, "picks.md", format="generic").papers
    assert (first.arxiv_id, first.abstract_en) == ("2601.00041", "The first abstract.")
    assert (second.arxiv_id, second.published, second.abstract_en) == ("2601.00042", "2026-01-03", "The second abstract.")


def test_markdown_entry_ends_at_an_arxivdaily_id_line():
    text = ("# Daily\n\n### [1] [A Made-Up Heading Paper](https://arxiv.org/abs/2601.00051)\n*Ann Lee*\n\n"
            "Abstract: A markdown abstract.\n\n2601.00052 2026-01-02 cs2601 cs.AI\nA Made-Up Listed Paper\n"
            "Words that belong to the listed paper.\n")
    result = parse_text(text, "mixed.md")
    first = result.papers[0]
    assert (first.arxiv_id, first.abstract_en) == ("2601.00051", "A markdown abstract.")
    assert not any("Listed" in t or "2601.00052" in t for _, t in first.texts())
    assert "2601.00052" in {p.arxiv_id for p in result.papers} | {i for p in result.problems for i in p.message.split()}


def test_email_that_reads_no_paper_still_reports_the_ids_outside_it():
    head = "Notes\n\n[A Made-Up Paper](http://arxiv.org/abs/2601.00061)\n"
    result = parse_text(head + EMAIL.split("-" * 78 + "\n")[-1], "mixed.md")
    assert result.format == "arxiv-email" and result.papers == []
    assert [str(p) for p in result.problems] == [
        "mixed.md:5: entry arXiv:2601.00003 is cut off",
        "mixed.md:3: arXiv id 2601.00061 named in the text but read as no entry (a damaged entry?)"]


def test_generic_reads_org_mode_headings_as_entries():
    text = ("#+TITLE: Week 48\n\n* Agents\n** A Made-Up Planner Paper — arXiv:2611.01234\n   Authors: Ann Lee, Bo Wu\n"
            "** Another Made-Up Paper (2611.04321v2)\n   Authors: Cy Dow\n")
    result = parse_text(text, "week.org", format="generic")
    assert [(p.arxiv_id, p.title, p.authors, p.source.line) for p in result.papers] == [
        ("2611.01234", "A Made-Up Planner Paper", ("Ann Lee", "Bo Wu"), 4),
        ("2611.04321", "Another Made-Up Paper", ("Cy Dow",), 6)]
    assert result.problems == []
