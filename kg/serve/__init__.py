"""``kg serve``: a SPARQL 1.1 Protocol endpoint, the JSON API and the live views over one store.

``create_app(store)`` builds the Starlette application (:mod:`.app`); it loads on first use, so
the query processes (:mod:`.workers`) start without the web stack.
"""


def create_app(*args, **kwargs):
    """See :func:`kg.serve.app.create_app`."""
    from .app import create_app as create

    return create(*args, **kwargs)
