"""Start-up of the ``kg`` command: ``kg --help`` from the saved page, without typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg

SAVED = Path(kg.__file__).parent / "cli" / "help.txt"
TYPER = "from kg.cli import app; app(['--help'], prog_name='kg')"


def run(args: list[str], columns: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=True)


def test_saved_page_is_typers():
    assert run(["-c", TYPER], 80).stdout == SAVED.read_text(encoding="utf-8"), (
        f"kg/cli/help.txt is stale: regenerate it with COLUMNS=80 python -c \"{TYPER}\" > kg/cli/help.txt")


def test_help_does_not_import_typer():
    out = run(["-X", "importtime", "-m", "kg", "--help"], 120)
    assert out.stdout == SAVED.read_text(encoding="utf-8")
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "kg" in imported and not {m for m in imported if m.startswith(("typer", "kg.cli"))}


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--version"]])
def test_other_widths_and_commands_go_to_typer(args):
    narrow = run(["-m", "kg", *args], 60).stdout
    assert narrow == run(["-c", f"from kg.cli import app; app({args!r}, prog_name='kg')"], 60).stdout
    assert narrow and narrow != SAVED.read_text(encoding="utf-8")
