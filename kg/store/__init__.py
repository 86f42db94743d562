"""Storage: records → N-Quads (:mod:`.quads`), the Oxigraph database (:mod:`.database`) in a store
directory (:mod:`.layout`, checked by :mod:`.check`), user edits (:mod:`.curation`) and the
SQLite read index derived from it all (:mod:`.index`).

``Store`` and ``open_store`` load on first use, so the read index is usable without pyoxigraph.
"""

from importlib import import_module

_API = {"Store": ".database", "open_store": ".database", "default_path": ".database", "DB": ".database"}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_API[name], __name__), name)
    raise AttributeError(f"module 'kg.store' has no attribute {name!r}")
