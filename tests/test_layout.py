"""Imports point one way: parse/extract know nothing of RDF or graphs; only the CLI prints."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

KG = Path(__file__).resolve().parents[1] / "kg"


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names |= {f"{base}.{a.name}" if node.module else f"{base}{a.name}" for a in node.names}
    return names


def modules(folder: str) -> list[Path]:
    return sorted((KG / folder).rglob("*.py"))


def test_parse_and_extract_stay_below_the_store():
    heavy = ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "pyvis", "typer", "rich")
    for path in modules("parse") + modules("extract"):
        bad = {name for name in imports(path) for h in heavy if name == h or name.startswith(h + ".")}
        bad |= {name for name in imports(path) if any(x in name for x in ("store", "rdf", "graph", "cli"))
                and name.startswith(".")}
        assert not bad, f"{path.relative_to(KG)} imports {bad}"


def test_only_the_cli_prints_and_nothing_imports_it():
    for path in KG.rglob("*.py"):
        rel = path.relative_to(KG)
        if rel.parts[0] in ("cli", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert "print" not in calls, f"{rel} prints"
        assert not {i for i in imports(path) if "cli" in i.split(".")}, f"{rel} imports the CLI"


def test_pyvis_only_in_viz():
    users = [p.relative_to(KG).as_posix() for p in KG.rglob("*.py") if any(i.startswith("pyvis") for i in imports(p))]
    assert users in ([], ["viz.py"])


def test_cli_start_up_does_not_load_heavy_libraries():
    code = "import sys, kg.cli; print(sorted(m for m in ('rdflib','networkx','pyvis','spacy','pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
