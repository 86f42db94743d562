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
    "Store": "kg.store.database", "open_store": "kg.store.database",
    "parse_file": "kg.parse", "detect_format": "kg.parse",
    "export": "kg.export",
    "resolve": "kg.explore.resolve", "Node": "kg.explore.resolve", "neighbors": "kg.explore.neighbors",
    "show": "kg.explore.show", "search": "kg.explore.search", "path": "kg.explore.paths",
    "sparql": "kg.explore.sparql", "stats": "kg.explore.stats",
    "method_view": "kg.views.data", "coauthor_view": "kg.views.data", "node_view": "kg.views.data",
    "overview": "kg.views.data",
    "KGError": "kg.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
