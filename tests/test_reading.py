"""Reading one file: what a build writes comes from the file alone, and a file that gives nothing
says why."""

import hashlib

import pytest

from kg.reading import Job, read_file


@pytest.fixture(scope="module")
def files(seeds_dir, corpus, tmp_path_factory):
    """Two seeds, a feed and a file no reader knows."""
    junk = tmp_path_factory.mktemp("reading") / "junk.txt"
    junk.write_text("nothing to read here\n", encoding="utf-8")
    return [*sorted(seeds_dir.iterdir())[:2], corpus("formatX_rss-filtered_"), junk]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_that_gives_nothing_says_why(files):
    read = read_file(Job(files[-1], sha256(files[-1])))
    assert "junk.txt:1: unknown digest layout" in read.error
    assert (read.text, read.kept, read.counts) == ("", [], (0, 0, 0, 0, 0))


def test_reading_only_to_check_writes_no_graph(files):
    read = read_file(Job(files[0], sha256(files[0]), extractor="methods.test", graph=False))
    assert read.error is None and read.counts[0] > 0
    assert (read.text, read.kept, read.rows) == ("", [], None)


def test_a_read_depends_on_the_file_alone(files):
    """The same job gives the same read whatever was read before it (the extractor keeps no state
    between files): each file's graph is named by its hash and carries its own candidates."""
    jobs = [Job(path, sha256(path), extractor="methods.test", rows=True) for path in files[:3]]
    forward = [read_file(job) for job in jobs]
    backward = [read_file(job) for job in reversed(jobs)][::-1]
    for a, b, job in zip(forward, backward, jobs):
        assert a.text == b.text and a.kept == b.kept and vars(a.rows) == vars(b.rows)
        assert a.kept and {graph for _, graph, _ in a.kept} == {f"https://w3id.org/kg/id/digest/{job.sha[:16]}"}
