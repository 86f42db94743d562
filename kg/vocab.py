"""The ontology's namespaces as closed rdflib namespaces: a misspelt term fails at import.

Mirrors ``ontology/kg.ttl``; ``tests/test_ontology.py`` checks that every term is declared there.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/kg/"
ID = Namespace(BASE + "id/")


class KG(DefinedNamespace):
    """kg's own classes and properties."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    Method: URIRef
    Benchmark: URIRef
    Authorship: URIRef
    Mention: URIRef
    Candidate: URIRef
    Digest: URIRef
    Category: URIRef
    Topic: URIRef
    Retraction: URIRef
    authorship: URIRef
    author: URIRef
    position: URIRef
    authorListComplete: URIRef
    affiliation: URIRef
    primaryCategory: URIRef
    mentions: URIRef
    proposesMethod: URIRef
    usesMethod: URIRef
    proposesBenchmark: URIRef
    evaluatesOn: URIRef
    mention: URIRef
    entity: URIRef
    role: URIRef
    evidence: URIRef
    extractor: URIRef
    candidate: URIRef
    candidateKey: URIRef
    writtenAs: URIRef
    spelling: URIRef
    longForm: URIRef
    cue: URIRef
    machineSummary: URIRef
    tldr: URIRef
    aiSummary: URIRef
    task: URIRef
    motivation: URIRef
    methodSummary: URIRef
    resultSummary: URIRef
    conclusionSummary: URIRef
    keyContributions: URIRef
    limitations: URIRef
    comments: URIRef
    code: URIRef
    projectPage: URIRef
    venueSeries: URIRef
    year: URIRef
    sha256: URIRef
    entries: URIRef
    parser: URIRef
    section: URIRef
    line: URIRef


class SDO(DefinedNamespace):
    """The schema.org terms kg uses."""

    _fail = True
    _NS = Namespace("https://schema.org/")

    ScholarlyArticle: URIRef
    Person: URIRef
    Organization: URIRef
    DefinedTerm: URIRef
    Dataset: URIRef
    SoftwareSourceCode: URIRef
    Periodical: URIRef
    codeRepository: URIRef
    description: URIRef
    keywords: URIRef
    mentions: URIRef
    name: URIRef
    parentOrganization: URIRef
    sourceOrganization: URIRef
    url: URIRef


class FABIO(DefinedNamespace):
    """FaBiO: the paper class and its arXiv id."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/fabio/")

    Preprint: URIRef
    hasArXivId: URIRef


class BIBO(DefinedNamespace):
    """BIBO: conferences a paper is presented at."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    Conference: URIRef
    presentedAt: URIRef
    doi: URIRef


class CODEMETA(DefinedNamespace):
    """CodeMeta: a repository's paper."""

    _fail = True
    _NS = Namespace("https://codemeta.github.io/terms/")

    referencePublication: URIRef


class DBLP(DefinedNamespace):
    """dblp: the co-author shortcut."""

    _fail = True
    _NS = Namespace("https://dblp.org/rdf/schema#")

    coAuthorWith: URIRef


class LPWC(DefinedNamespace):
    """Linked Papers With Code: methods and datasets of papers."""

    _fail = True
    _NS = Namespace("https://linkedpaperswithcode.com/property/")

    hasMethod: URIRef
    usesDataset: URIRef
    introducedBy: URIRef


PREFIXES = {
    "kg": str(KG._NS), "kgid": str(ID), "schema": str(SDO._NS), "fabio": str(FABIO._NS),
    "bibo": str(BIBO._NS), "codemeta": str(CODEMETA._NS), "dblp": str(DBLP._NS), "lpwc": str(LPWC._NS),
    "dcterms": str(DCTERMS), "foaf": str(FOAF), "org": str(ORG), "owl": str(OWL), "prov": str(PROV),
    "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
}
# Prefixes for kg's own node kinds, so that exported Turtle reads `person:ada-lovelace`.
ID_KINDS = ("person", "org", "method", "benchmark", "category", "topic", "venue", "digest", "mention",
            "authorship", "derivation", "scheme")
EXPORT_PREFIXES = {**PREFIXES, **{f"kg{kind}": f"{ID}{kind}/" for kind in ID_KINDS}}
