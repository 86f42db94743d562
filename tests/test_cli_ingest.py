"""`kg build`, `kg stats`, `kg export` through typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


def test_build_then_stats_json(seeds_dir, tmp_path):
    store = tmp_path / "s"
    result = runner.invoke(app, ["build", str(seeds_dir), "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [f["entries"] for f in report["files"]] == [30, 30, 30, 335, 500]
    assert report["triples_before"] == 0 and report["triples_after"] > 40000
    # the only problems in the seeds: four rows repeated under the same topic in 004
    assert [p["path"].rsplit("/", 1)[1] for p in report["problems"]] == [seeds_dir.glob("004_*").__next__().name] * 4
    assert report["problem_kinds"] == [{"kind": "duplicate entry … (first at line …)", "count": 4}]
    again = json.loads(runner.invoke(app, ["build", str(seeds_dir), "--store", str(store), "--json"]).stdout)
    assert again["triples_after"] == report["triples_after"]
    assert {f["status"] for f in again["files"]} == {"unchanged"}

    stats = json.loads(runner.invoke(app, ["stats", "--store", str(store), "--json"]).stdout)
    assert stats["nodes"]["paper"] == 886
    assert stats["nodes"]["category"] == 25  # distinct codes on the arXivDaily id lines (003 adds none)
    assert stats["nodes"]["topic"] == 6  # 004's six section headings
    assert stats["sources"] == {p.name: n for p, n in zip(sorted(seeds_dir.iterdir()), [30, 30, 30, 335, 465])}
    assert stats["triples"] == report["triples_after"]


def test_build_plain_output_names_problems(seed, tmp_path):
    bad = tmp_path / "notes.md"
    bad.write_text("# My notes\n")
    result = runner.invoke(app, ["build", str(seed("001")), str(bad), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert f"warning: {bad}:1: unknown digest layout" in result.stderr
    assert "30 entries read" in result.stdout


def test_build_nothing_readable_fails(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["build", str(empty), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: nothing could be read: {empty}:1: empty file"
    assert "Traceback" not in result.output


def test_strict_build_fails_cleanly(seed, tmp_path, seeds_store):
    result = runner.invoke(app, ["build", str(seed("004")), "--store", str(tmp_path / "s"), "--strict"])
    assert result.exit_code == 1
    # four rows repeat a paper within the same topic (counted by hand with awk over the file)
    assert result.stderr.startswith("Error: 4 problem(s) found; nothing stored (--strict): ")
    assert not (tmp_path / "s" / "oxigraph").exists()


def test_export_formats_and_errors(seeds_store, tmp_path):
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["export", "--store", str(seeds_store), "--format", "turtle", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8").startswith("@prefix")
    result = runner.invoke(app, ["export", "--store", str(seeds_store), "--format", "csv"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: unknown export format 'csv'; choose from: turtle, nt, nquads, trig, "
                                     "jsonld, rdfxml, graphml, gexf, jsonl")


def test_missing_store(tmp_path):
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no kg store at {tmp_path / 'none'} (run `kg build` first, or pass --store)"


def test_store_from_environment(seeds_store):
    result = runner.invoke(app, ["stats", "--json"], env={"KG_STORE": str(seeds_store)})
    assert json.loads(result.stdout)["nodes"]["paper"] == 886


def test_python_m_kg_help():
    out = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=True).stdout
    assert "build" in out and "export" in out


def test_default_store_in_the_current_directory(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    assert runner.invoke(app, ["build", str(seed("000"))]).exit_code == 0
    result = runner.invoke(app, ["neighbors", "2601.22985", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".kg" / "oxigraph").is_dir()


def _digest(entries: list[tuple[str, str, bool]]) -> str:
    """A small digest-md file: ``(arxiv id, title, has an abstract)`` per entry."""
    out = ["# 2026-02-01", ""]
    for n, (arxiv, title, abstract) in enumerate(entries, 1):
        out += [f"### [{n}] [{title}](https://arxiv.org/abs/{arxiv})", "*Ann Author, Bob Writer*", "",
                "Main category: cs.LG", ""]
        if abstract:
            out += ["<details>", "<summary>Details</summary>", "", "Abstract: We study a small made-up problem.",
                    "</details>", ""]
    return "\n".join(out)


def test_build_summarises_problems_by_kind(tmp_path):
    # six entries repeat the first paper: one kind of problem, shown once with three examples
    digest = tmp_path / "d.md"
    digest.write_text(_digest([("2602.00001", "First Made-Up Paper", True)] * 7 + [("2602.00002", "Second", False)]))
    args = ["build", str(digest), "--store", str(tmp_path / "s"), "--no-extract"]
    result = runner.invoke(app, args + ["--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "warning: 6 × duplicate entry … (first at line …)"
    assert lines[1] == f"    {digest}:14: duplicate entry 2602.00001 (first at line 3)"
    assert lines[4] == "    … 3 more (--verbose or --report FILE lists them)" and len(lines) == 5
    # per file: distinct papers, then the share with authors, abstract, categories
    assert f"{digest}\tdigest-md\t2\t100%\t50%\t100%\tadded" in result.stdout.splitlines()
    report = json.loads((tmp_path / "r.json").read_text())
    assert [p["line"] for p in report["problems"]] == [14, 25, 36, 47, 58, 69]

    args[3] = str(tmp_path / "s2")  # a fresh store: an unchanged file is not read (nor reported) again
    verbose = runner.invoke(app, args + ["--verbose"])
    assert len(verbose.stderr.splitlines()) == 6 and verbose.stderr.startswith(f"warning: {digest}:14: duplicate")
    args[3] = str(tmp_path / "s3")
    quiet = runner.invoke(app, args + ["--quiet"])
    assert quiet.stderr == "" and "6 problem(s)" in quiet.stdout
    both = runner.invoke(app, args + ["--quiet", "--verbose"])
    assert both.exit_code == 1 and both.stderr == "Error: --verbose and --quiet exclude each other\n"


def test_version_is_the_package_version():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"kg {pyproject['project']['version']}\n"


def test_jsonl_has_one_line_per_paper_whatever_its_titles(tmp_path):
    # the same paper under two titles in two digests is still one record
    (tmp_path / "a.md").write_text(_digest([("2602.00001", "Made-Up Title", True)]))
    (tmp_path / "b.md").write_text(_digest([("2602.00001", "Made-Up Title, Revised", True), ("2602.00002", "Other", False)]))
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["build", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--store", store, "--no-extract"]).exit_code == 0
    out = tmp_path / "kg.jsonl"
    assert runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--store", store]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["arxiv_id"], r["title"]) for r in records] == [("2602.00001", "Made-Up Title"), ("2602.00002", "Other")]
    assert records[0]["sources"] == ["a.md", "b.md"]
