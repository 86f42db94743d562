"""Start-up of the ``kg`` command: ``kg --help`` from the saved page, without typer; any other
command built alone, with what the whole app would print."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg

SAVED = Path(kg.__file__).parent / "cli" / "help.txt"
TYPER = "from kg.cli import app; app(['--help'], prog_name='kg')"


def run(args: list[str], columns: int, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=check)


def imported(stderr: str) -> set[str]:
    """The modules ``python -X importtime`` reported."""
    return {line.split("|")[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_saved_page_is_typers():
    assert run(["-c", TYPER], 80).stdout == SAVED.read_text(encoding="utf-8"), (
        f"kg/cli/help.txt is stale: regenerate it with COLUMNS=80 python -c \"{TYPER}\" > kg/cli/help.txt")


def test_help_does_not_import_typer():
    out = run(["-X", "importtime", "-m", "kg", "--help"], 120)
    assert out.stdout == SAVED.read_text(encoding="utf-8")
    modules = imported(out.stderr)
    assert "kg" in modules and not {m for m in modules if m.startswith(("typer", "kg.cli"))}


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--version"]])
def test_other_widths_and_commands_go_to_typer(args):
    narrow = run(["-m", "kg", *args], 60).stdout
    assert narrow == run(["-c", f"from kg.cli import app; app({args!r}, prog_name='kg')"], 60).stdout
    assert narrow and narrow != SAVED.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["stats", "--help"], ["search"], ["neighbors", "--depth", "3", "x"],
                                  ["viz", "--help"], ["viz", "method"], ["path", "a", "b", "c"],
                                  ["stat"], ["--store", "s", "stats"], []])
def test_a_command_built_alone_says_what_the_whole_app_says(args):
    alone = run(["-m", "kg", *args], 80, check=False)
    whole = run(["-c", f"from kg.cli import app; app({args!r}, prog_name='kg')"], 80, check=False)
    assert (alone.returncode, alone.stdout, alone.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    assert alone.stdout + alone.stderr


@pytest.mark.parametrize("args", [["stats", "--json"], ["neighbors", "Lena Hartmann"], ["show", "no such name"],
                                  ["sparql", "SELECT ?s WHERE {"], ["export", "--format", "nt", "-o", "OUT"]])
def test_the_process_ends_as_the_app_does_after_real_work(args, examples_store, tmp_path):
    """``python -m kg`` skips the interpreter's teardown: its output, files and exit code are the app's."""
    outputs = []
    for name, command in (("alone", ["-m", "kg"]), ("whole", ["-c", "import sys; from kg.cli import app; app(sys.argv[1:], prog_name='kg')"])):
        out = tmp_path / f"{name}.nt"
        done = run([*command, *(str(out) if a == "OUT" else a for a in args), "--store", str(examples_store)], 80, check=False)
        outputs.append((done.returncode, done.stdout.replace(str(out), "OUT"), done.stderr, out.read_bytes() if out.exists() else None))
    assert outputs[0] == outputs[1]
    assert outputs[0][1] + outputs[0][2]


def test_the_exit_takes_any_code_and_waits_for_a_running_thread():
    """A string code is printed and exits 1, as Python's own exit does; a thread still running is waited for."""
    said = run(["-c", "from kg.__main__ import _exit; _exit('no such thing')"], 80, check=False)
    assert (said.returncode, said.stdout, said.stderr) == (1, "", "no such thing\n")
    code = ("import threading, time; from kg.__main__ import _exit; "
            "threading.Thread(target=lambda: (time.sleep(0.3), print('finished', flush=True))).start(); _exit(3)")
    waited = run(["-c", code], 80, check=False)
    assert (waited.returncode, waited.stdout) == (3, "finished\n")


def test_a_reader_gone_ends_the_command_quietly(seeds_store):
    """`kg sparql … | head -1`: exit 1 with nothing on stderr, not a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "sparql", "SELECT * WHERE { ?s ?p ?o }", "--store", str(seeds_store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=120) == 1
    assert proc.stderr.read() == b""


@pytest.mark.parametrize("command, module", [("stats", "ingest"), ("search", "explore"), ("new", "time"), ("viz", "viz")])
def test_a_command_imports_only_its_module(command, module):
    out = run(["-X", "importtime", "-m", "kg", command, "--help"], 80)
    assert out.stdout.startswith(f"Usage: kg {command} ")
    commands = {m for m in imported(out.stderr) if m.startswith("kg.cli.")} - {"kg.cli.output"}
    assert commands == {f"kg.cli.{module}", "kg.cli.ingest"}  # ingest: the --store option every command shares


def test_the_read_index_does_not_load_the_records():
    """kg.model (the parsers' records) was a third of the read index's import time; readers never build records."""
    code = "import sys, kg.store.index, kg.explore.resolve; print('kg.model' in sys.modules)"
    assert run(["-c", code], 80).stdout.strip() == "False"
