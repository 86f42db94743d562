"""Pictures of the graph: the NetworkX projection (:mod:`.graph`), the data a view shows
(:mod:`.data`) and its HTML page (:mod:`.html`, the only module that knows vis-network)."""
