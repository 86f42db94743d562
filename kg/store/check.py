"""``kg check``: is a store whole, and does its read index (and the totals it keeps) tell the truth about it?

Each check gives a :class:`Finding`: ``ok``, ``note`` (nothing is wrong, but there is something to
know, such as a stale index the next reader rebuilds) or ``error`` (readers or builds would fail or
answer wrongly), with what to do about it. Nothing is changed: the store is opened read-only.
:func:`repair` rebuilds the consolidated default graph and the read index from the digest graphs,
which is what ``kg check --repair`` does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import KGError, StoreError
from ..relations import KINDS
from . import layout
from .generation import sealed_tables

REPAIR = "rebuild it from the store: kg check --repair"


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ``status`` is ok, note or error; ``todo`` what to do ('' if nothing)."""

    check: str
    status: str
    detail: str
    todo: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def check(path: str | Path) -> list[Finding]:
    """Check the store at ``path``: layout, schema, leftovers, database, digests, read index."""
    path = Path(path)
    if not path.is_dir():
        what = "is a file, not a store directory" if path.exists() else "does not exist"
        return [Finding("directory", "error", f"{path} {what}", f"build a store there: kg build FILES --store {path}")]
    out = [_layout(path)]
    if out[-1].status == "error":
        return out
    out.append(_schema(path))
    odd = [name for name in ("lock", "generation", "counts.json", "index.sqlite", "candidates.sqlite") if (path / name).exists()
           and not (path / name).is_file()]
    if odd:
        out.append(Finding("files", "error", f"not files: {', '.join(odd)} (kg reads and writes these as files)",
                           "remove them: " + " ".join(f"rm -r {path / name}" for name in odd)))
    left = [p.name for pattern in (*layout.LEFTOVERS, f"{layout.DB}.old") for p in sorted(path.glob(pattern))]
    if left:
        out.append(Finding("leftovers", "note", f"left by a killed build: {', '.join(left)}",
                           "nothing: the next kg build removes them (readers already read around them)"))
    out += _database(path)
    return out


def _layout(path: Path) -> Finding:
    problem = layout.damage(path, sealed_tables(path))
    if problem:
        return Finding("layout", "error", *problem)
    if not (path / layout.DB).exists() and not (path / f"{layout.DB}.old").exists():
        return Finding("layout", "error", f"no database in {path}", f"build one: kg build FILES --store {path}")
    return Finding("layout", "ok", f"database in {path / layout.DB}/")


def _schema(path: Path) -> Finding:
    try:
        m = layout.manifest(path)
    except KGError as exc:
        return Finding("schema", "error", str(exc).split(": restore")[0], "restore kg-store.json, or delete it")
    if m.schema < layout.SCHEMA:
        lacks = layout.MANIFEST if m.schema == 1 else "a consolidated default graph"
        return Finding("schema", "note", f"schema {m.schema}: written by an older kg, without {lacks}",
                       f"nothing: the next kg build upgrades it to schema {layout.SCHEMA}")
    return Finding("schema", "ok", f"schema {m.schema}, store id {m.store_id}")


def _database(path: Path) -> list[Finding]:
    from . import index as ix
    from . import totals
    from .curation import GRAPH
    from .database import Store

    try:
        with Store(path) as store:
            with store.reading():
                quads = {str(r["g"]): int(r["n"]) for r in store.select(
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}  # reads every quad
            digests = store.digests()
            typed = _seen_per_graph(store)
            counted = totals.of_store(store)
            union = _consolidated(store)
    except KGError as exc:
        return [Finding("database", "error", str(exc).split(" — ")[0],
                        str(exc).partition(" — ")[2] or "restore the store from a backup")]
    others = sorted(set(quads) - set(digests) - {GRAPH})
    out = [Finding("database", "ok", f"opens and reads: {sum(quads.values())} quads in {len(quads)} graphs"
                   + (f", {quads[GRAPH]} in the curation graph" if GRAPH in quads else ""))]
    if digests:
        out.append(Finding("digests", "ok", f"{len(digests)} digest(s): " + ", ".join(
            f"{d['name']} ({d['entries'] or '?'} entries, {quads.get(g, 0)} quads)" for g, d in sorted(
                digests.items(), key=lambda kv: kv[1]["name"]))))
    else:
        out.append(Finding("digests", "note", "no digest in the store", f"add some: kg build FILES --store {path}"))
    if others:
        out.append(Finding("graphs", "note", f"graphs that are not digests: {', '.join(others)}"))
    if union:
        out.append(union)
    index = ix._open(path)
    if index is None:
        state = "missing" if not (path / ix.FILE).exists() else "stale (the store changed since it was built)"
        out.append(Finding("index", "note", f"read index {state}",
                           "nothing: the next kg neighbors/search/path rebuilds it"))
        return out
    with index:
        seen = dict(index.rows("SELECT d.iri, COUNT(DISTINCT s.node) FROM digests d LEFT JOIN seen s"
                               " ON s.digest = d.id GROUP BY d.iri"))
        kept = json.loads(index.meta("totals") or "{}")
    wrong = [f"{digests[g]['name'] if g in digests else g}: store {typed.get(g, 0)} nodes, index {seen.get(g, 0)}"
             for g in sorted(set(digests) | set(seen)) if typed.get(g, 0) != seen.get(g, 0)]
    if wrong:
        out.append(Finding("index", "error", "read index disagrees with the store: " + "; ".join(wrong[:5]), REPAIR))
    else:
        out.append(Finding("index", "ok", f"read index fresh, matching the store for all {len(seen)} digest(s)"))
    off = _differences(kept, counted)
    if off:
        out.append(Finding("totals", "error", f"kg stats totals kept in the read index disagree with the store: "
                           + "; ".join(off[:5]) + (f" (and {len(off) - 5} more)" if len(off) > 5 else ""), REPAIR))
    else:
        out.append(Finding("totals", "ok", f"kg stats totals match the store ({counted['triples']} triples)"))
    return out


def _differences(kept: dict, counted: dict) -> list[str]:
    """``group.key: index N, store M`` for every total the index keeps wrong (or lacks)."""
    out = []
    for group, values in counted.items():
        have = kept.get(group, {})
        if not isinstance(values, dict):
            values, have = {"": values}, {"": have}
        for key in sorted(set(values) | set(have)):
            if have.get(key, 0) != values.get(key, 0):
                out.append(f"{group}{'.' + key if key else ''}: index {have.get(key, 0)}, store {values.get(key, 0)}")
    return out


def repair(path: str | Path) -> None:
    """Rebuild the consolidated default graph of the store at ``path`` from its digest graphs, then
    the read index, with its totals and the triple count."""
    from . import index as ix
    from .consolidated import fill
    from .database import Store

    with Store(path, write=True) as store:
        try:
            with store.reading():
                fill(store.db)
            store.forget_count()
            ix.refresh(store, force=True)
        except OSError as exc:
            raise StoreError(f"cannot repair the read index of {path}: {exc.strerror or exc}") from None


def _consolidated(store) -> Finding | None:
    """Whether the default graph holds exactly the digest graphs' triples (None for a schema-2 store)."""
    if not store.consolidated:
        return None
    default = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    union = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
                [0]["n"])
    stray = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
                [0]["n"])
    if default == union and not stray:
        return Finding("consolidated", "ok", f"the default graph holds the digest graphs' {union} distinct triples")
    return Finding("consolidated", "error", f"the default graph holds {default} triples, {stray} of them in no digest "
                   f"graph; the digest graphs hold {union} distinct triples",
                   "rebuild it from the digest graphs: kg check --repair")


def _seen_per_graph(store) -> dict[str, int]:
    """Distinct nodes seen in each digest graph, as the index's ``seen`` holds them: those of a kg
    kind the graph types, and the methods and benchmarks its papers' candidates name."""
    from .entities import GRAPH as ENTITIES

    kinds = " ".join(KINDS)
    return {r["g"]: int(r["n"]) for r in store.select(
        f"SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?g a kg:Digest }} "
        f"{{ GRAPH ?g {{ VALUES ?c {{ {kinds} }} ?s a ?c FILTER(isIRI(?s)) }} }} UNION "
        f"{{ GRAPH ?g {{ ?paper kg:candidate ?candidate }} GRAPH <{ENTITIES}> {{ ?candidate kg:entity ?s }} }} }} GROUP BY ?g")}
