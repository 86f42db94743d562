"""Shared fixtures: the real digests beside the checkout, and stores built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared/ folder must sit beside the checkout ({SHARED} is missing)")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def seed(seeds_dir):
    """``seed("003")`` → the path of the seed file whose name starts with 003."""
    return lambda prefix: next(seeds_dir.glob(f"{prefix}_*"))


@pytest.fixture(scope="session")
def corpus(shared_dir):
    """``corpus("formatX_email_")`` → the path of the corpus file whose name starts so."""
    return lambda prefix: next((shared_dir / "corpus").glob(f"{prefix}*"))


@pytest.fixture(scope="session")
def manifest(shared_dir) -> dict[str, int]:
    """Distinct papers per corpus file name, as corpus/MANIFEST.tsv states them."""
    rows = (shared_dir / "corpus" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return {row.split("\t")[0]: int(row.split("\t")[1]) for row in rows if not row.startswith("#")}


@pytest.fixture(scope="session")
def seeds_store(seeds_dir, tmp_path_factory) -> Path:
    """A store built once from the five seeds (with extraction); treat it as read-only."""
    from kg.build import build

    path = tmp_path_factory.mktemp("seeds") / "store"
    build([seeds_dir], store=path)
    return path


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory) -> Path:
    """A store built once from examples/ (no extraction); treat it as read-only."""
    from kg.build import build

    path = tmp_path_factory.mktemp("examples") / "store"
    build([EXAMPLES], store=path, extract=False)
    return path


@pytest.fixture
def store_copy(seeds_store, tmp_path) -> Path:
    """A private writable copy of the seeds store."""
    import shutil

    dest = tmp_path / "store"
    shutil.copytree(seeds_store, dest, ignore=shutil.ignore_patterns("lock"))
    return dest


@pytest.fixture
def store(examples_store, tmp_path) -> Path:
    """A private writable copy of the examples store, its lock file included (as a store once used)."""
    import shutil

    return Path(shutil.copytree(examples_store, tmp_path / "store"))


@pytest.fixture(scope="session")
def kg():
    """``kg(store, *args)``: run ``kg *args --store store`` in process with typer's CliRunner."""
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    return lambda store, *args: runner.invoke(app, [*args, "--store", str(store)])


@pytest.fixture(scope="session")
def one_error():
    """``one_error(result)``: the single ``Error: …`` line a failed command printed (exit 1, no traceback)."""
    def error_line(result) -> str:
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        return lines[0]
    return error_line
