"""The store: everything that evaluates SPARQL, behind one small interface.

The web tier calls a store backend: ``start()``, ``run(job, timeout, client)``,
``stats()``, ``health()``, ``drain()``, ``close()`` and ``store_path``; the jobs and
results it exchanges, and the errors, are in :mod:`.jobs`. Two backends: the embedded
Oxigraph store's worker pool (:mod:`.pool`, its worker processes :mod:`.worker`, cut off
from the network by :mod:`.sandbox`) and a remote SPARQL store (:mod:`.remote`, loaded by
:mod:`.remote_load`). Also here: the query safety check (:mod:`.query_check`), the store
directory's layout with its builds and leases (:mod:`.layout`), following new builds while
serving (:mod:`.live`), stores made from plain RDF files (:mod:`.files`), and the search
index: written from a store's data (:mod:`.search_index`, its queries :mod:`.search_sources`,
its text rules :mod:`.search_text`), read (:mod:`.search`), following the build in service
(:mod:`.search_live`) and searched from SPARQL in the workers (:mod:`.search_functions`).

May import: the shared modules (config, errors, vocab) and pyoxigraph.
Must not import: :mod:`tipkg.web`, :mod:`tipkg.build`, :mod:`tipkg.extract`.
"""
