"""``python -m kg`` and the ``kg`` script.

``kg --help`` at 80 columns or more (typer's widest page; piped output counts as 80) prints the
saved copy of typer's page, ``kg/cli/help.txt``, without importing typer, which is half of the
start-up; tests/test_cli_start.py checks the copy against typer. Anything else runs the typer app,
built with only the command named (:func:`kg.cli.run`).
"""

import os
import sys


def main() -> None:
    """Run the command line."""
    if sys.argv[1:] == ["--help"] and _columns() >= 80:
        with open(os.path.join(os.path.dirname(__file__), "cli", "help.txt"), encoding="utf-8") as page:
            sys.stdout.write(page.read())
        return
    from kg.cli import run

    run()


def _columns() -> int:
    """The width shutil.get_terminal_size() gives typer, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


if __name__ == "__main__":
    main()
