"""The web tier: the FastAPI application and everything it serves.

Owns the app and its middleware (:mod:`.app`, :mod:`.http_cache`,
:mod:`.security_headers`), the SPARQL 1.1 Protocol (:mod:`.sparql_protocol`, its fast lane
:mod:`.sparql_lane`, :mod:`.negotiation`, :mod:`.errors`, :mod:`.service_description`),
the linked-data pages (:mod:`.linked_data`, :mod:`.jsonld`), the home and query page
(:mod:`.home`), the vocabulary (:mod:`.vocabulary_pages`), VoID (:mod:`.void`), dumps
(:mod:`.dumps`), search (:mod:`.search_page`), the reconciliation service
(:mod:`.reconcile`, :mod:`.reconcile_catalog`, :mod:`.reconcile_match`,
:mod:`.reconcile_extend`), identifier lookup and canonical IRIs (:mod:`.lookup`), the sitemap
(:mod:`.sitemap`), what they share (:mod:`.search_support`), the OpenAPI description
(:mod:`.http_docs`), templates (``pages/``) and static assets (``static/``). Every store
access goes through :class:`.service.SparqlService`, every search index access through
:class:`tipkg.store.search_live.LiveSearch`.

May import: the shared modules (config, errors, vocab) and :mod:`tipkg.store`.
Must not import: :mod:`tipkg.build`, :mod:`tipkg.extract`.
"""
