"""Files read two at a time: a second process gives what reading here gives, in order, and a
second process that fails or dies loses nothing."""

import hashlib
import os

import pytest

import kg.reading
from kg.build import build, digest_files
from kg.reading import Job, read_file, read_files
from kg.store import Store


@pytest.fixture(scope="module")
def files(seeds_dir, corpus, tmp_path_factory):
    """The seeds, a feed and a file no reader knows (its error comes back too)."""
    junk = tmp_path_factory.mktemp("reading") / "junk.txt"
    junk.write_text("nothing to read here\n", encoding="utf-8")
    return [*digest_files([seeds_dir]), corpus("formatX_rss-filtered_"), junk]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def jobs(files):
    return [Job(path, sha256(path), extractor="methods.test", rows=True) for path in files]


def plain(reads):
    """Reads as comparable values (rows are compared by what they hold)."""
    return [(vars(r) | {"rows": r.rows and vars(r.rows)}) for r in reads]


@pytest.fixture(scope="module")
def here(jobs):
    return plain(read_file(job) for job in jobs)


def test_a_second_process_reads_the_seeds_as_this_one_does(jobs, here, monkeypatch):
    spawned = []
    start = kg.reading._Second.__init__

    def counting(self):
        start(self)
        spawned.append(self.proc.pid)

    local = []
    read_here = kg.reading.read_file

    def reading_here(job):
        local.append(job)
        return read_here(job)

    monkeypatch.setattr(kg.reading._Second, "__init__", counting)
    monkeypatch.setattr(kg.reading, "read_file", reading_here)
    assert plain(read_files(jobs)) == here
    assert len(spawned) == 1  # the seeds are more than PARALLEL_BYTES: read in two processes
    assert 0 < len(local) < len(jobs)  # each process read some: this one while the other one started
    with pytest.raises(ProcessLookupError):
        os.kill(spawned[0], 0)  # and the second one is gone when reading ends


@pytest.mark.parametrize("command", [("-c", "pass"), ("-c", "import sys; sys.stdin.buffer.read(1)"),
                                     ("-m", "no_such_module_for_kg")])
def test_a_second_process_that_dies_leaves_its_files_to_this_one(jobs, here, monkeypatch, command):
    monkeypatch.setattr(kg.reading._Second, "command", command)
    assert plain(read_files(jobs)) == here


def test_no_second_process_without_extraction_or_for_small_files(files, seed, monkeypatch):
    def refuse(self):
        raise AssertionError("a second process was started")

    monkeypatch.setattr(kg.reading._Second, "__init__", refuse)
    reads = list(read_files([Job(path, sha256(path)) for path in files]))
    assert [bool(r.counts[0]) for r in reads] == [True] * 6 + [False]
    assert "junk.txt:1: unknown digest layout" in reads[-1].error
    small = [seed("000"), seed("001")]
    assert len(list(read_files([Job(path, sha256(path), extractor="methods.test") for path in small]))) == 2


def test_a_build_whose_second_process_dies_stores_what_one_process_stores(seeds_store, seeds_dir, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(kg.reading._Second, "command", ("-c", "pass"))
    report = build([seeds_dir], store=tmp_path / "s")
    assert [f.status for f in report.files] == ["added"] * 5
    with Store(tmp_path / "s") as a, Store(seeds_store) as b:
        assert set(a.db.quads_for_pattern(None, None, None)) == set(b.db.quads_for_pattern(None, None, None))
