"""kg's SPARQL prefixes as plain strings, so a store can be opened and queried without rdflib.

``kg.vocab`` holds the same namespaces as closed rdflib namespaces; a test checks the two agree.
"""

PREFIXES = {
    "kg": "https://w3id.org/kg/ontology#", "kgid": "https://w3id.org/kg/id/", "schema": "https://schema.org/",
    "fabio": "http://purl.org/spar/fabio/", "bibo": "http://purl.org/ontology/bibo/",
    "codemeta": "https://codemeta.github.io/terms/", "dblp": "https://dblp.org/rdf/schema#",
    "lpwc": "https://linkedpaperswithcode.com/property/", "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/", "org": "http://www.w3.org/ns/org#", "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def expand(curie: str) -> str:
    """The full IRI of a prefixed name.

    >>> expand("kg:usesMethod")
    'https://w3id.org/kg/ontology#usesMethod'
    """
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local
