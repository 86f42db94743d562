"""Read-only questions about a store, returning data shared by the CLI and the server:
resolve a name, neighbors, paths, show, search, stats and SPARQL."""
