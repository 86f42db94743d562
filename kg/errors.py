"""The exceptions kg raises; the CLI turns each into one ``Error: …`` line."""


class KGError(Exception):
    """Base of every error kg reports to a user."""


class ParseError(KGError):
    """A digest file could not be read at all."""


class UnknownFormat(ParseError):
    """A file's layout matches none of the known digest families."""


class NotFound(KGError):
    """A name or id resolves to nothing in the graph."""


class Ambiguous(KGError):
    """A name resolves to several nodes; ``choices`` lists them."""

    def __init__(self, message: str, choices: list) -> None:
        super().__init__(message)
        self.choices = choices


class QueryError(KGError):
    """A SPARQL query is malformed, timed out or tried to write."""


class QueryTimeout(QueryError):
    """A query was stopped at its deadline."""


class TooManyResults(QueryError):
    """A query's answer has more rows (or triples) than a server returns."""


class StoreError(KGError):
    """The store is missing, locked by another process or damaged."""
