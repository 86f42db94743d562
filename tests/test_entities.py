"""The entities graph: node-level facts derived from every digest's candidates, the same in any
build order or batching, replaced by each build, and what the read index shows."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.build import build
from kg.store import Store
from kg.store.entities import GRAPH

KGNS = "https://w3id.org/kg/ontology#"


def quads(store: Path) -> set[str]:
    with Store(store) as db:
        return {str(q) for q in db.db.quads_for_pattern(None, None, None, None)}


def counts(store: Path) -> tuple[int, int]:
    """The store's kept triple count, and the distinct triples of its named graphs counted."""
    with Store(store) as db:
        counted = db.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        return db.triple_count(), int(counted[0]["n"])


def digest(path: Path, entries: list[tuple[str, str, str]]) -> Path:
    """A small digest-md file of (arXiv id, title, abstract) entries."""
    blocks = [f"### [{n}] [{title}](https://arxiv.org/abs/{aid})\n*Ann Lee,Bo Chen*\n\nMain category: cs.LG\n\n"
              f"TL;DR: A short study.\n\n<details>\n  <summary>Details</summary>\nAbstract: {abstract}\n</details>\n"
              for n, (aid, title, abstract) in enumerate(entries, 1)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def index_kinds(store: Path, label: str) -> set[tuple[str, str]]:
    from kg.store.index import open_index

    with open_index(store) as ix:
        return set(ix.rows("SELECT n.iri, n.kind FROM nodes n WHERE n.label = ? AND n.kind IS NOT NULL", label))


@pytest.mark.slow
def test_seeds_give_one_graph_in_any_order_and_batching(seeds_store, seeds_dir, tmp_path):
    files = sorted(seeds_dir.glob("*.txt"))
    assert len(files) == 5
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    build(files[::-1], store=tmp_path / "reversed")
    build(shuffled, store=tmp_path / "shuffled")
    for f in [files[3], files[0], files[4], files[2], files[1]]:  # one build per file
        build([f], store=tmp_path / "one-by-one")
    want = quads(seeds_store)  # built in sorted order, all at once
    assert len(want) > 50_000 and any(f"<{GRAPH}>" in q for q in want)
    for name in ("reversed", "shuffled", "one-by-one"):
        got = quads(tmp_path / name)
        assert got == want, (name, sorted(got - want)[:3], sorted(want - got)[:3])
    kept, counted = counts(tmp_path / "one-by-one")  # each build after the first counted what it added
    assert kept == counted > 50_000


@pytest.mark.slow
def test_the_corpus_one_file_at_a_time_gives_the_graph_of_one_build(shared_dir, tmp_path):
    """Every corpus format, added one file per build in reverse order (each build revising the
    entities graph from the candidate cache), ends as the graph one build of them all gives."""
    from kg.build import digest_files

    files = digest_files([shared_dir / "corpus"])
    assert len(files) >= 15
    build(files, store=tmp_path / "together")
    for f in files[::-1]:
        build([f], store=tmp_path / "one-by-one")
    want, got = quads(tmp_path / "together"), quads(tmp_path / "one-by-one")
    assert len(want) > 100_000 and got == want, (sorted(got - want)[:3], sorted(want - got)[:3])
    kept, counted = counts(tmp_path / "one-by-one")
    assert kept == counted > 50_000


def test_kind_is_decided_from_every_digest_and_the_index_follows(tmp_path):
    store = tmp_path / "store"
    a = digest(tmp_path / "a.md", [("2601.00001", "Faster Sorting", "Our model is compared with KorVex and is faster.")])
    b = digest(tmp_path / "b.md", [
        ("2601.00002", "Sorting at Scale", "We report results on the KorVex benchmark and on two others."),
        ("2601.00003", "Sorting Again", "Experiments on the KorVex dataset show clear gains."),
    ])
    build([a], store=store)
    assert index_kinds(store, "KorVex") == {("https://w3id.org/kg/id/method/korvex", "method")}
    build([b], store=store)
    assert index_kinds(store, "KorVex") == {("https://w3id.org/kg/id/benchmark/korvex", "benchmark")}
    with Store(store) as db:
        rows = db.select("SELECT ?p ?rel WHERE { ?p a schema:ScholarlyArticle ; ?rel <https://w3id.org/kg/id/benchmark/korvex> }")
        assert {(r["p"].rsplit("/", 1)[1], r["rel"]) for r in rows} == {
            (aid, KGNS + "evaluatesOn") for aid in ("2601.00001", "2601.00002", "2601.00003")}
        assert not db.select("SELECT ?p WHERE { ?p ?rel <https://w3id.org/kg/id/method/korvex> }")
    from kg.store.index import open_index

    with open_index(store) as ix:  # where it was seen: the digests whose candidates name it
        seen = ix.rows("SELECT d.name FROM seen s JOIN digests d ON d.id = s.digest JOIN nodes n ON n.id = s.node"
                       " WHERE n.label = 'KorVex'")
    assert sorted(seen) == [("a.md",), ("b.md",)]
    # the same two digests in one build give the same graph
    build([b, a], store=tmp_path / "together")
    assert quads(tmp_path / "together") == quads(store)


def test_digests_hold_candidates_and_the_entities_graph_the_decisions(tmp_path):
    store = tmp_path / "store"
    a = digest(tmp_path / "a.md", [("2601.00011", "Vehicles", "Connected Autonomous Vehicles (CAVs) share roads. "
                                    "We propose Zorbit, a planner that is compared with PPO.")])
    build([a], store=store)
    with Store(store) as db:
        graphs = {r["g"]: r["n"] for r in db.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a kg:Candidate } } GROUP BY ?g")}
        assert set(graphs) != {GRAPH} and GRAPH not in graphs  # candidates live in the digest graph
        keys = {r["k"] for r in db.select("SELECT ?k WHERE { ?c kg:candidateKey ?k }")}
        assert {"cavs", "zorbit", "ppo"} <= keys
        decided = {(r["label"], r["cls"].rsplit("#", 1)[1]) for r in db.select(
            f"SELECT ?label ?cls WHERE {{ GRAPH <{GRAPH}> {{ ?e a ?cls ; skos:prefLabel ?label }} "
            "VALUES ?cls { kg:Method kg:Benchmark } }")}
        assert decided == {("Zorbit", "Method"), ("PPO", "Method")}  # the domain acronym is not kept
        roles = {(r["label"], r["rel"].rsplit("#", 1)[1]) for r in db.select(
            f"SELECT ?label ?rel WHERE {{ GRAPH <{GRAPH}> {{ ?p ?rel ?e . ?e skos:prefLabel ?label }} "
            "FILTER(?rel IN (kg:proposesMethod, kg:usesMethod)) }")}
        assert roles == {("Zorbit", "proposesMethod"), ("PPO", "usesMethod")}
        mentions = db.select("SELECT ?m ?e WHERE { ?p kg:mention ?m . ?m a kg:Mention ; kg:entity ?e ; kg:evidence ?ev }")
        assert len({r["e"] for r in mentions}) == 2


def test_the_entities_graph_in_small_chunks_is_the_stored_one(seeds_store):
    """Decided again from the stored candidates and written a few lines a chunk, the entities
    graph is line for line the one the build stored, each line once."""
    from kg.extract import EXTRACTOR, decide
    from kg.store.entities import nquads, stored_candidates
    from kg.store.index_rows import graph_lines

    with Store(seeds_store) as db:
        rows = stored_candidates(db.db)
        stored = list(graph_lines(db.db, GRAPH, batch=1000))
    chunks = list(nquads([m for m, _, _ in rows], [c for _, _, c in rows], decide([c for _, _, c in rows]), EXTRACTOR,
                         lines=7))
    lines = [line for chunk in chunks for line in chunk.splitlines()]
    assert len(chunks) > 100 and all(chunks)
    assert len(lines) == len(set(lines)) and set(lines) == set(stored) and len(stored) > 1000


def test_a_build_that_changes_nothing_keeps_the_entities_graph(tmp_path):
    store = tmp_path / "store"
    a = digest(tmp_path / "a.md", [("2601.00021", "Faster Sorting", "Our model is compared with KorVex and is faster.")])
    build([a], store=store)
    before = quads(store)
    report = build([a], store=store)
    assert [f.status for f in report.files] == ["unchanged"] and quads(store) == before


def test_one_generic_definition_does_not_drop_a_name_other_papers_use(tmp_path):
    store = tmp_path / "store"
    a = digest(tmp_path / "a.md", [
        ("2601.00031", "Long Context", "Our method is compared with ZiPE and with PPO on long sequences."),
        ("2601.00032", "Position Codes", "We add the ZiPE method to a small model and report gains."),
        ("2601.00033", "Phase Codes", "A transformer is compared with baselines such as ZiPE and ALiBi."),
        ("2601.00034", "Garbled", "It adds a zonal interleaved phase encoding (ZiPE) to the layers."),
    ])
    build([a], store=store)
    with Store(store) as db:
        rows = db.select(f"SELECT ?p ?rel ?e ?cls WHERE {{ GRAPH <{GRAPH}> {{ ?p ?rel ?e . ?e a ?cls ; "
                         "skos:prefLabel 'ZiPE' } ?p a schema:ScholarlyArticle VALUES ?cls { kg:Method kg:Benchmark } }")
    assert {(r["p"].rsplit("/", 1)[1], r["rel"], r["e"], r["cls"]) for r in rows} == {
        (aid, KGNS + "usesMethod", "https://w3id.org/kg/id/method/zipe", KGNS + "Method")
        for aid in ("2601.00031", "2601.00032", "2601.00033")}  # the paper with the generic definition makes no link


def entity_links(store: Path) -> set[tuple[str, str]]:
    """(mention, entity node) as the stored entities graph has them."""
    with Store(store) as db:
        return {(r["m"], r["e"]) for r in db.select(f"SELECT ?m ?e WHERE {{ GRAPH <{GRAPH}> {{ ?m kg:entity ?e }} }}")}


@pytest.mark.parametrize("names, whole", [
    (["001_c422ae2b7ecba479.txt", "000_b9db59897b87019b.txt", "002_f2da8318debe1b6b.txt"], []),
    (["000_b9db59897b87019b.txt", "001_c422ae2b7ecba479.txt", "002_f2da8318debe1b6b.txt", "003_7e57a61666cf7777.txt"], [3]),
])
def test_the_candidate_cache_holds_what_the_store_says(seeds_dir, tmp_path, monkeypatch, names, whole):
    """Built one digest at a time, the store's candidate cache holds every stored candidate as
    the store gives it back, and each one's entity as the entities graph names it: after
    revisions, and after a build whose names reach so much of the store (the fourth seed's)
    that it decides every entity again and updates the cache in place."""
    from kg.store import candidate_cache
    from kg.store.entities import stored_candidates

    updates, update = [], candidate_cache.update
    monkeypatch.setattr(candidate_cache, "update", lambda *a, **kw: (updates.append(kw.get("every_node", False)), update(*a, **kw)))
    store = tmp_path / "store"
    for name in names:
        build([seeds_dir / name], store=store)
    # every build after the first updates the cache in place; those in ``whole`` after deciding everything
    assert updates == [n in whole for n in range(1, len(names))]
    with Store(store) as db:
        cached = candidate_cache.load(db, set(db.digests()))
        stored = stored_candidates(db.db)
    assert cached is not None and len(stored) > 200
    assert cached.rows == stored
    from kg import keys

    got = {(iri, keys.iri(e.kind, e.key)) for iri, e in cached.decided.items()}
    assert got == entity_links(store) and len(got) > 50


def test_a_build_trusts_the_candidate_cache_only_for_the_store_it_was_written_for(seeds_dir, tmp_path, monkeypatch):
    """After another writer opened the store, or with the cache file damaged, a build reads the
    candidates from the store again; the graph is the one a single build gives."""
    import kg.store.entities as entities
    from kg.store.candidate_cache import FILE

    reads, read = [], entities.stored_candidates
    monkeypatch.setattr(entities, "stored_candidates", lambda db, **kw: reads.append(1) or read(db, **kw))
    files = [seeds_dir / n for n in ("000_b9db59897b87019b.txt", "001_c422ae2b7ecba479.txt", "002_f2da8318debe1b6b.txt")]
    store = tmp_path / "store"
    build(files[:1], store=store)
    build(files[1:2], store=store)
    assert reads == []  # the cache written by the first build was trusted by the second
    Store(store, write=True).close()  # another writer: what it did is unknown
    build(files[2:], store=store)
    assert reads == [1]
    build([files[0]], store=tmp_path / "other")
    (tmp_path / "other" / FILE).write_bytes(b"not a database at all" * 100)
    build(files[1:], store=tmp_path / "other")
    assert reads == [1, 1]
    build(files, store=tmp_path / "together")
    assert quads(store) == quads(tmp_path / "together") == quads(tmp_path / "other")


def test_changes_turn_one_entities_graph_into_the_other(seeds_store):
    """The lines :func:`changes` says go and come turn the graph decided from some candidates
    into the one decided from all of them, and the other way."""
    from kg.extract import EXTRACTOR, decide
    from kg.store.entities import changes, nquads, stored_candidates

    with Store(seeds_store) as db:
        rows = stored_candidates(db.db)
    mentions, found = [m for m, _, _ in rows], [c for _, _, c in rows]
    some = [i for i in range(len(rows)) if random.Random(i).random() < 0.8]
    old: list = [None] * len(rows)
    for i, e in zip(some, decide([found[i] for i in some])):
        old[i] = e
    new = decide(found)

    def lines(decided) -> set[str]:
        return {line for chunk in nquads(mentions, found, decided, EXTRACTOR) for line in chunk.splitlines()}

    gone, came = changes(mentions, found, old, new)
    assert len(gone) > 10 and len(came) > 100
    assert (lines(old) - set(gone)) | set(came) == lines(new)
    back_gone, back_came = changes(mentions, found, new, old)
    assert (set(back_gone), set(back_came)) == (set(came), set(gone))


def test_a_cache_of_the_right_shape_with_wrong_contents_is_not_trusted(seeds_dir, tmp_path, monkeypatch):
    """A cache file that is a database of the right tables holding the wrong kind of values is
    read as untrusted, never an error: the next build reads the store, whether the candidates
    or the decisions are damaged, and writes it again; the graph is the one a single build gives."""
    import marshal
    import sqlite3

    import kg.store.entities as entities
    from kg.store import candidate_cache

    reads, read = [], entities.stored_candidates
    monkeypatch.setattr(entities, "stored_candidates", lambda db, **kw: reads.append(1) or read(db, **kw))
    files = [seeds_dir / n for n in ("000_b9db59897b87019b.txt", "001_c422ae2b7ecba479.txt", "002_f2da8318debe1b6b.txt")]
    store = tmp_path / "store"
    build(files[:1], store=store)
    with sqlite3.connect(store / candidate_cache.FILE) as sql:
        sql.execute("UPDATE rows SET fields = ?", (marshal.dumps([1, 2, 3]),))
    with Store(store) as db:
        assert candidate_cache.load(db, set(db.digests())) is None
    build(files[1:2], store=store)
    assert reads == [1]
    with Store(store) as db:
        assert candidate_cache.load(db, set(db.digests())) is not None
    with sqlite3.connect(store / candidate_cache.FILE) as sql:  # entities a revision reads
        assert sql.execute("UPDATE nodes SET entity = ? WHERE entity IS NOT NULL", (marshal.dumps(("k", "K", "tool", ())),)).rowcount > 50
    build(files[2:], store=store)
    assert reads == [1, 1]  # the decisions it would revise are not to be trusted either
    build(files, store=tmp_path / "together")
    assert quads(store) == quads(tmp_path / "together")
    with Store(store) as db:
        assert candidate_cache.load(db, set(db.digests())) is not None


class _Held:
    """Stored candidates and the decisions made from them alone, in memory (``Stored``)."""

    def __init__(self, refs: list, cands: list) -> None:
        from kg.extract import assign
        from kg.extract.revision import StoredRow

        d = assign(cands)
        self.rows = [StoredRow(r, c, n, e is not None) for r, c, n, e in zip(refs, cands, d.nodes, d.linked)]
        self.decided = d.entities

    def with_keys(self, keys):
        return [r for r in self.rows if r.cand.key in keys]

    def keys_present(self, keys):
        return {r.cand.key for r in self.rows} & set(keys)

    def of_nodes(self, nodes):
        return [r for r in self.rows if r.node in nodes]

    def of_papers(self, papers):
        return [r for r in self.rows if r.cand.arxiv_id in papers]

    def entities(self, nodes):
        return {n: self.decided[n] for n in nodes}


@pytest.mark.parametrize("share", [2, 10, 40])
def test_a_revision_for_added_papers_gives_the_decisions_made_from_all(shared_dir, share):
    """Decisions revised for the candidates of some added papers are those made from every
    candidate at once, for each candidate and node; those it leaves out did not change."""
    from kg.build import digest_files
    from kg.extract import assign, revise
    from kg.parse import parse_file
    from kg.reading import candidates
    from kg.store.candidate_cache import slim

    cands = [slim(c) for f in digest_files([shared_dir / "corpus"])[::3] for c in candidates(parse_file(f))]
    refs = [(c.arxiv_id, n) for n, c in enumerate(cands)]
    whole = assign(cands)
    papers = sorted({c.arxiv_id for c in cands})
    added = set(random.Random(share).sample(papers, len(papers) // share))
    old = [i for i, c in enumerate(cands) if c.arxiv_id not in added]
    held = _Held([refs[i] for i in old], [cands[i] for i in old])
    revision = revise([(refs[i], c) for i, c in enumerate(cands) if c.arxiv_id in added], held)
    assert len(revision.refs) < len(cands) and any(e is not None for e in revision.before)
    revised = dict(zip(revision.refs, zip(revision.nodes, revision.after)))
    kept = {r.ref: (r.node, held.decided[r.node] if r.linked else None) for r in held.rows}
    assert [revised.get(r, kept.get(r)) for r in refs] == list(zip(whole.nodes, whole.linked))
    assert {n: e for n, e in revision.entities.items() if n in whole.entities} == \
        {n: whole.entities[n] for n in revision.entities if n in whole.entities}
    assert all(e is None for n, e in revision.entities.items() if n not in whole.entities)


def test_a_named_part_is_linked_again_when_its_paper_no_longer_proposes_anything():
    """Paper 1 proposes ZQ, so its DeBlock module is a named part and not linked; once another
    paper defines ZQ only generically, ZQ names nothing in paper 1, and DeBlock is linked: the
    revision decides the part again though no added candidate names it."""
    from kg.extract import assign, revise
    from kg.model import Candidate

    paper1 = [Candidate("1", "zq", "ZQ", role="proposed", cues=("use",)),
              Candidate("1", "deblock", "DeBlock", cues=("part", "method"))]
    paper2 = Candidate("2", "zq", "ZQ", long_forms=("Zero Quality",), cues=("generic",))
    assert [e and e.label for e in assign(paper1).linked] == ["ZQ", None]
    assert [e and e.label for e in assign(paper1 + [paper2]).linked] == [None, "DeBlock", None]
    revision = revise([(("2", 0), paper2)], _Held([("1", 0), ("1", 1)], paper1))
    assert revision.refs == [("1", 0), ("1", 1), ("2", 0)]
    assert [e and e.label for e in revision.after] == [None, "DeBlock", None]
    assert [e and e.label for e in revision.before] == ["ZQ", None, None]
