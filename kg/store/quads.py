"""Records → RDF quads, one named graph per digest (its provenance). Pure: no store, no I/O.

Every node's IRI depends only on its key, so the same input always yields the same quads and
re-ingesting a digest adds nothing new. Quads are written as N-Quads text, which Oxigraph parses
natively: building a pyoxigraph ``Quad`` object per triple cost ten times more (3-4 µs each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .. import keys, vocab
from ..data import load_tsv
from ..model import Candidate, Digest, Institution, Paper
from ..parse.lang import HANGUL, KANA, OTHER, SAMPLE, language


def iri(value: str) -> str:
    """An IRI as an N-Quads term."""
    return f"<{value}>"


_NOT_LATIN = re.compile("|".join(p.pattern for p in (HANGUL, KANA, OTHER)))


def _tag(text: str, slot: str) -> str:
    """The language tag of a title or abstract: its slot's (en, zh) unless its script says
    otherwise — Hangul is never ``@en``, kana never ``@zh``.

    >>> _tag("A study", "en"), _tag("한국어 요약", "en"), _tag("大規模言語モデルの推論", "zh"), _tag("强化学习", "zh")
    ('en', 'ko', 'ja', 'zh')
    """
    if slot == "en" and not _NOT_LATIN.search(text, 0, SAMPLE):
        return slot  # only those scripts make language() say something an English slot does not keep
    found = language(text)
    return slot if found in ("en", "zh", "und") or (slot == "en" and found in ("de", "fr", "es", "it", "pt")) else found


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    r"""A literal as an N-Quads term; quotes, backslashes and line breaks escaped.

    >>> print(lit('a "b" \\ c\n'), lit("标题", "zh"), lit("1", datatype=XSD.integer))
    "a \"b\" \\ c\n" "标题"@zh "1"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{value}"@{lang}'
    return f'"{value}"^^{datatype}' if datatype else f'"{value}"'


class _Terms:
    """A vocabulary namespace whose terms are N-Quads IRIs, each looked up once.

    rdflib's ``DefinedNamespace`` attribute lookup costs ~3 µs, paid for every quad before;
    the first access still goes through it, so a misspelt term fails as it did.
    """

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):  # e.g. probes by doctest and copy; never a vocabulary term
            raise AttributeError(name)
        node = iri(str(getattr(self._ns, name)))
        setattr(self, name, node)
        return node


BIBO, CODEMETA, DBLP, DCTERMS, FABIO, FOAF, KG, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD = map(_Terms, (
    vocab.BIBO, vocab.CODEMETA, vocab.DBLP, vocab.DCTERMS, vocab.FABIO, vocab.FOAF, vocab.KG, vocab.ORG,
    vocab.PROV, vocab.RDF, vocab.RDFS, vocab.SDO, vocab.SKOS, vocab.XSD))
_XSD_INT, _XSD_DATE, _XSD_BOOL = XSD.integer, XSD.date, XSD.boolean
_TRUE, _FALSE = lit("true", datatype=_XSD_BOOL), lit("false", datatype=_XSD_BOOL)
SUMMARY = {
    "tldr": KG.tldr, "ai_summary": KG.aiSummary, "task": KG.task, "motivation": KG.motivation,
    "method": KG.methodSummary, "result": KG.resultSummary, "conclusion": KG.conclusionSummary,
    "key_contributions": KG.keyContributions, "limitations": KG.limitations,
}
ROLE_EDGE = {  # written by the entities graph (kg/store/entities.py)
    ("method", "proposed"): KG.proposesMethod, ("method", "used"): KG.usesMethod,
    ("benchmark", "proposed"): KG.proposesBenchmark, ("benchmark", "used"): KG.evaluatesOn,
}
MAX_COAUTHORS = 30  # dblp:coAuthorWith is emitted only for papers with at most this many authors


def digest_iri(sha256: str) -> str:
    """A digest's IRI (and named graph), from the SHA-256 of its bytes alone."""
    return keys.iri("digest", sha256[:16])


@lru_cache(maxsize=1)
def category_labels() -> dict[str, str]:
    return dict(load_tsv("arxiv_categories.tsv"))


def nquads(digest: Digest, papers: Iterable[Paper], candidates: Iterable[Candidate] = ()) -> str:
    """The N-Quads of one digest: its description, its papers and their entries' candidates."""
    d = iri(digest_iri(digest.sha256))
    emit = _Emitter(d)
    emit(d, RDF.type, KG.Digest)
    emit(d, RDF.type, PROV.Entity)
    emit(d, RDFS.label, lit(digest.name))
    emit(d, KG.sha256, lit(digest.sha256))
    emit(d, KG.parser, lit(digest.parser))
    emit(d, KG.extractor, lit(digest.extractor))
    emit(d, KG.entries, lit(str(digest.entries), datatype=_XSD_INT))
    if digest.date:
        emit(d, DCTERMS.date, lit(digest.date, datatype=_XSD_DATE))
    for paper in papers:
        _paper(emit, d, paper)
    for cand in candidates:
        _candidate(emit, digest, cand)
    return "".join(emit.out)


class _Emitter:
    """Collects the N-Quads lines of one graph from terms already written as N-Quads."""

    def __init__(self, graph: str) -> None:
        self.end = f" {graph} .\n"
        self.out: list[str] = []
        self.seen_nodes: set[str] = set()

    def __call__(self, s: str, p: str, o: str) -> None:
        self.out.append(f"{s} {p} {o}{self.end}")

    def once(self, node: str) -> bool:
        """True the first time a node is described in this digest."""
        if node in self.seen_nodes:
            return False
        self.seen_nodes.add(node)
        return True


@lru_cache(maxsize=1 << 17)
def _node(kind: str, key: str) -> str:
    """The node for a keyed thing; names recur across papers, so their IRIs are computed once."""
    return iri(keys.iri(kind, key))


@lru_cache(maxsize=1 << 17)
def _named(kind: str, name: str) -> str | None:
    """The node of a person or organisation by name, or None when the name has no key."""
    key = keys.name_key(name)
    return _node(kind, key) if key else None


def _paper(emit: _Emitter, digest: str, paper: Paper) -> None:
    from ..parse.common import plain

    p = iri(keys.paper_iri(paper.arxiv_id))
    pid = paper.arxiv_id
    if emit.once(p):
        emit(p, RDF.type, SDO.ScholarlyArticle)
        emit(p, RDF.type, FABIO.Preprint)
        emit(p, FABIO.hasArXivId, lit(pid))
        emit(p, PROV.wasDerivedFrom, digest)
    emit(p, DCTERMS.title, lit(paper.title, _tag(paper.title, "en")))
    emit(p, RDFS.label, lit(plain(paper.title)))
    if paper.title_zh:
        emit(p, DCTERMS.title, lit(paper.title_zh, _tag(paper.title_zh, "zh")))
    if paper.abstract_en:
        emit(p, DCTERMS.abstract, lit(paper.abstract_en, _tag(paper.abstract_en, "en")))
    if paper.abstract_zh:
        emit(p, DCTERMS.abstract, lit(paper.abstract_zh, _tag(paper.abstract_zh, "zh")))
    if paper.published:
        emit(p, DCTERMS.issued, lit(paper.published, datatype=_XSD_DATE))
    for s in paper.summaries:
        emit(p, SUMMARY.get(s.kind, KG.machineSummary), lit(s.text, s.lang))
    for kw in paper.keywords:
        emit(p, SDO.keywords, lit(kw))
    if paper.comments:
        emit(p, KG.comments, lit(paper.comments))
    if paper.journal_ref:
        emit(p, DCTERMS.bibliographicCitation, lit(paper.journal_ref))
    if paper.doi:
        emit(p, BIBO.doi, lit(paper.doi))
    # where in the digest it was read
    src = paper.source
    der = iri(keys.iri("derivation", f"{digest[1:-1].rsplit('/', 1)[1]}-{pid.replace('/', '_')}-{src.line}"))
    emit(p, PROV.qualifiedDerivation, der)
    emit(der, RDF.type, PROV.Derivation)
    emit(der, PROV.entity, digest)
    emit(der, KG.line, lit(str(src.line), datatype=_XSD_INT))
    if src.section:
        emit(der, KG.section, lit(src.section))
    _authors(emit, p, pid, paper)
    for inst in paper.institutions:
        emit(p, KG.affiliation, _institution(emit, inst))
    for code in paper.categories:
        c = _category(emit, code)
        emit(p, DCTERMS.subject, c)
        if code == paper.primary_category:
            emit(p, KG.primaryCategory, c)
    for topic in paper.topics:
        t = _node("topic", keys.name_key(topic) or topic)
        emit(p, DCTERMS.subject, t)
        if emit.once(t):
            emit(t, RDF.type, KG.Topic)
            emit(t, RDF.type, SKOS.Concept)
            emit(t, SKOS.prefLabel, lit(topic))
            emit(t, RDFS.label, lit(topic))
            emit(t, SKOS.inScheme, _node("scheme", "topics"))
    if paper.venue:
        v = paper.venue
        label = f"{v.name} {v.year}" if v.year else v.name
        vn = _node("venue", keys.name_key(label))
        emit(p, BIBO.presentedAt, vn)
        if emit.once(vn):
            emit(vn, RDF.type, BIBO.Conference)
            emit(vn, RDFS.label, lit(label))
            emit(vn, SDO.name, lit(label))
            emit(vn, KG.venueSeries, lit(v.name))
            if v.year:
                emit(vn, KG.year, lit(str(v.year), datatype=_XSD_INT))
    for url in paper.code_urls:
        c = iri(url)
        emit(p, KG.code, c)
        if emit.once(c):
            emit(c, RDF.type, SDO.SoftwareSourceCode)
            emit(c, SDO.codeRepository, c)
            emit(c, RDFS.label, lit(url.split("://", 1)[1]))
        emit(c, CODEMETA.referencePublication, p)
    for url in paper.project_urls:
        emit(p, KG.projectPage, iri(url))


def _authors(emit: _Emitter, p: str, pid: str, paper: Paper) -> None:
    people = []
    for pos, name in enumerate(paper.authors, 1):
        a = _named("person", name)
        if a is None:
            continue
        people.append(a)
        if emit.once(a):
            emit(a, RDF.type, SDO.Person)
            emit(a, RDF.type, FOAF.Person)
            emit(a, FOAF.name, lit(name))
            emit(a, RDFS.label, lit(name))
        ship = iri(keys.iri("authorship", f"{pid.replace('/', '_')}-{pos}"))
        emit(p, KG.authorship, ship)
        emit(p, DCTERMS.creator, a)
        emit(ship, RDF.type, KG.Authorship)
        emit(ship, KG.author, a)
        emit(ship, KG.position, lit(str(pos), datatype=_XSD_INT))
    emit(p, KG.authorListComplete, _TRUE if paper.authors_complete else _FALSE)
    if len(people) <= MAX_COAUTHORS:
        # each pair once, the smaller IRI as subject
        people.sort(key=lambda n: n[1:-1])  # by the bare IRI: "<x-1>" < "<x>" but "x" < "x-1"
        for i, x in enumerate(people):
            for y in people[i + 1:]:
                if x != y:
                    emit(x, DBLP.coAuthorWith, y)


def _institution(emit: _Emitter, inst: Institution) -> str:
    o = _node("org", keys.name_key(inst.name))
    if emit.once(o):
        emit(o, RDF.type, SDO.Organization)
        emit(o, RDF.type, FOAF.Organization)
        emit(o, RDFS.label, lit(inst.name))
        emit(o, SDO.name, lit(inst.name))
        if inst.name_zh:
            emit(o, SKOS.altLabel, lit(inst.name_zh, "zh"))
        if inst.parent:
            parent = _institution(emit, Institution(inst.parent))
            emit(o, ORG.unitOf, parent)
            emit(o, SDO.parentOrganization, parent)
    return o


def _category(emit: _Emitter, code: str) -> str:
    c = _node("category", code)
    if emit.once(c):
        emit(c, RDF.type, KG.Category)
        emit(c, RDF.type, SKOS.Concept)
        emit(c, SKOS.notation, lit(code))
        label = category_labels().get(code)
        emit(c, SKOS.prefLabel, lit(label or code))
        emit(c, RDFS.label, lit(f"{code} ({label})" if label else code))
        emit(c, SKOS.inScheme, _node("scheme", "arxiv"))
    return c


def candidate_iri(sha256: str, arxiv_id: str, key: str) -> str:
    """A candidate's IRI: one per digest, paper and key, so each digest's graph holds its own."""
    return keys.iri("candidate", f"{sha256[:16]}-{arxiv_id.replace('/', '_')}-{key}")


def _candidate(emit: _Emitter, digest: Digest, cand: Candidate) -> None:
    """What one entry says about a name; the entities graph decides what it names."""
    c = iri(candidate_iri(digest.sha256, cand.arxiv_id, cand.key))
    emit(iri(keys.paper_iri(cand.arxiv_id)), KG.candidate, c)
    emit(c, RDF.type, KG.Candidate)
    emit(c, KG.candidateKey, lit(cand.key))
    emit(c, KG.writtenAs, lit(cand.name))
    for spelling in cand.spellings:
        emit(c, KG.spelling, lit(spelling))
    for long_form in cand.long_forms:
        emit(c, KG.longForm, lit(long_form))
    for cue in cand.cues:
        emit(c, KG.cue, lit(cue))
    emit(c, KG.role, lit(cand.role))
    emit(c, KG.extractor, lit(digest.extractor))
    for ev in cand.evidence:
        emit(c, KG.evidence, lit(f"[{ev.field}] {ev.text}"))
