"""kg: a knowledge graph of AI research papers built from arXiv daily digests.

>>> import kg
>>> report = kg.build(["examples/"], store=".kg")          # doctest: +SKIP
>>> with kg.open_store(".kg") as store:                      # doctest: +SKIP
...     kg.neighbors(store, "GRPO")

Heavy libraries load on first use, so ``import kg`` stays cheap.
"""

from importlib import import_module

__version__ = "0.1.0"
_API = {
    "build": "kg.build", "BuildReport": "kg.build",
    "Store": "kg.store", "open_store": "kg.store",
    "parse_file": "kg.parse", "detect_format": "kg.parse",
    "export": "kg.export",
    "resolve": "kg.resolve", "Node": "kg.resolve", "neighbors": "kg.neighbors", "show": "kg.show",
    "search": "kg.search", "path": "kg.paths", "sparql": "kg.sparql",
    "method_view": "kg.views", "coauthor_view": "kg.views", "node_view": "kg.views", "overview": "kg.views",
    "KGError": "kg.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
