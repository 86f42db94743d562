"""Read-only questions about a store, returning data shared by the CLI and the server:
resolve a name, neighbors, paths, show, search, stats and SPARQL."""


def to_json(data) -> str:
    """The JSON text both front ends give for ``data`` (the CLI's ``--json``, the server's /api).

    >>> print(to_json({"label": "图", "n": [1]}), end="")
    {
      "label": "图",
      "n": [
        1
      ]
    }
    """
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
