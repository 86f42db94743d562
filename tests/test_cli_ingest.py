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
    assert [p.rsplit("/", 1)[1].split(":")[0] for p in report["problems"]] == [seeds_dir.glob("004_*").__next__().name] * 4
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
