"""Counts over the store: nodes per type, edges per relation, papers per digest."""

from __future__ import annotations

import json


def stats(store) -> dict:
    """``{"nodes": {kind: n}, "edges": {relation: n}, "sources": {digest: n}, "triples": n}``.

    ``store``: an open Store or read Index; the totals are the ones kept in the read index
    (:mod:`kg.store.totals`), so this reads one row.
    """
    from ..store import index as ix

    index = ix.of(store)
    try:
        return json.loads(index.meta("totals"))
    finally:
        if index is not store:
            index.close()
