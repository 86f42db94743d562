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


def test_pyvis_only_in_the_html_views():
    users = [p.relative_to(KG).as_posix() for p in KG.rglob("*.py") if any(i.startswith("pyvis") for i in imports(p))]
    assert users in ([], ["views/html.py"])


# Each layer may import only the layers listed for it (and the shared base modules).
BASE = {"errors", "model", "vocab", "keys", "prefixes", "relations", "data", "problems"}
ALLOWED = {
    "parse": BASE, "extract": BASE,
    "store": BASE | {"parse"},  # quads.py reuses parse.common's text cleaning
    "reading": BASE | {"parse", "extract", "store"},
    "build": BASE | {"parse", "extract", "store", "reading"},
    "explore": BASE | {"store"},
    "views": BASE | {"store", "explore"},
    "export": BASE | {"store", "explore", "views", "parse"},  # parse.validate's XML-illegal characters
    "serve": BASE | {"store", "explore", "views", "build"},
}


def kg_imports(path: Path) -> set[str]:
    """The top-level kg modules/packages that ``path`` imports (relative or absolute)."""
    rel = path.relative_to(KG).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1] if node.level > 1 else package
            parts = base + (node.module.split(".") if node.module else [a.name for a in node.names][:1])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg."):
            parts = node.module.split(".")[1:]
        elif isinstance(node, ast.Import):
            parts = next((a.name.split(".")[1:] for a in node.names if a.name.startswith("kg.")), [])
        else:
            continue
        if parts:
            out.add(parts[0])
    return out - {rel.parts[0]}


def test_imports_point_down_the_pipeline():
    for path in KG.rglob("*.py"):
        layer = path.relative_to(KG).with_suffix("").parts[0]
        if layer not in ALLOWED:
            continue
        extra = kg_imports(path) - ALLOWED[layer]
        assert not extra, f"{path.relative_to(KG)} imports {sorted(extra)}"


def test_no_import_cycles_between_modules():
    import networkx as nx

    G = nx.DiGraph()
    for path in KG.rglob("*.py"):
        rel = path.relative_to(KG).with_suffix("")
        me = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = list(rel.parts[:-1])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                targets = [".".join(base + ([node.module] if node.module else [a.name])) for a in node.names]
                if node.module:
                    targets = [".".join(base + [node.module])] + [f"{t}.{a.name}" for t in targets[:1] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                mod = node.module.removeprefix("kg").lstrip(".")
                targets = [mod] + [f"{mod}.{a.name}".lstrip(".") for a in node.names]
            else:
                continue
            for t in targets:
                if (KG / (t.replace(".", "/") + ".py")).exists() or (KG / t.replace(".", "/") / "__init__.py").exists():
                    if t and t != me:
                        G.add_edge(me, t)
    cycles = list(nx.simple_cycles(G))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_cli_start_up_does_not_load_heavy_libraries():
    code = "import sys, kg.cli; print(sorted(m for m in ('rdflib','networkx','pyvis','spacy','pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
