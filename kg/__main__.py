"""``python -m kg`` and the ``kg`` script.

``kg --help`` at 80 columns or more (typer's widest page; piped output counts as 80) prints the
saved copy of typer's page, ``kg/cli/help.txt``, without importing typer, which is half of the
start-up; tests/test_cli_start.py checks the copy against typer. Anything else runs the typer app,
built with only the command named (:func:`kg.cli.run`), and exits without tearing the
interpreter down (:func:`_exit`).
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

    try:
        run()
    except SystemExit as done:
        _exit(done.code)
    _exit(0)


def _exit(code) -> None:
    """End the process with ``code`` (a ``SystemExit`` code) once output is flushed and the
    atexit handlers ran, skipping the interpreter's teardown: freeing a build's objects one by
    one (spaCy's vocabulary, the candidates) took 0.2 s after its work was done. While another
    thread still runs, the ordinary exit waits for it."""
    import atexit
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`kg search x | head -1`), a stream closed
            code = code or 1
    os._exit(code)


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
