"""What ``kg neighbors --json`` prints and ``/api/neighbors`` returns, built in one place.

A node's neighbourhood is :func:`kg.explore.neighbors.neighbors`; a method or benchmark also
gets its history (:func:`kg.explore.timeline.history`), so both front ends give the same answer.
"""

from __future__ import annotations

from .neighbors import neighbors as groups
from .resolve import Node
from .timeline import history


def neighborhood(index, node: Node, *, depth: int = 1, relation: str | None = None, limit: int = 10) -> dict:
    """``{"node", "depth", "groups", "time"?}``: the neighbours of ``node``, and when a method or benchmark was seen."""
    data = groups(index, node, depth=depth, relation=relation, limit=limit)
    if node.kind in ("method", "benchmark"):
        data["time"] = history(index, node.iri, node.kind)
    return data
