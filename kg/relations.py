"""The graph's node kinds (by RDF class) and relations (as SPARQL patterns), shared by every reader."""

KINDS = {
    "schema:ScholarlyArticle": "paper", "schema:Person": "author", "schema:Organization": "institution",
    "kg:Method": "method", "kg:Benchmark": "benchmark", "kg:Category": "category", "kg:Topic": "topic",
    "bibo:Conference": "venue", "schema:SoftwareSourceCode": "code",
}
RELATIONS = {
    "authored": "?o kg:authorship/kg:author ?s",
    "affiliated_with": "?s kg:affiliation ?o",
    "proposes_method": "?s kg:proposesMethod ?o",
    "uses_method": "?s kg:usesMethod ?o",
    "proposes_benchmark": "?s kg:proposesBenchmark ?o",
    "evaluated_on": "?s kg:evaluatesOn ?o",
    "in_category": "?s dcterms:subject ?o . ?o a kg:Category",
    "in_topic": "?s dcterms:subject ?o . ?o a kg:Topic",
    "presented_at": "?s bibo:presentedAt ?o",
    "has_code": "?s kg:code ?o",
    "unit_of": "?s org:unitOf ?o",
}

# How a node of each kind reaches "its papers": the index relation from a paper to the node.
PAPERS_OF = {
    "author": "creator", "institution": "affiliated_with", "method": "method", "benchmark": "benchmark",
    "category": "subject", "topic": "subject", "venue": "presented_at", "code": "has_code",
}
# The neighbours counted over a node's papers, by kind: the index relation from a paper to them.
# Each is stored once per (paper, node), so counting rows counts shared papers.
OVER_PAPERS = {
    "author": "creator", "institution": "affiliated_with", "method": "method", "benchmark": "benchmark",
    "category": "in_category", "topic": "in_topic",
}
