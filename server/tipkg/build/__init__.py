"""The build: the project's files (ontology/, shapes/, data/) into a store.

Owns the named graphs of the project's files (:mod:`.dataset`), the OWL-RL materialisation
(:mod:`.reasoning`), SHACL validation (:mod:`.validate` is the one entry point; the
Oxigraph-backed checks :mod:`.shacl_oxigraph` and :mod:`.shacl_core`, the pyshacl
reference :mod:`.shacl_pyshacl`, the shared :mod:`.findings`), the pipeline that
parses, reasons, validates and loads (:mod:`.pipeline`), and each build's search index and
links to the UN Digital Library (:mod:`.search_index`).

May import: the shared modules (config, errors, vocab), :mod:`tipkg.extract` for the
sources' manifest, and :mod:`tipkg.store` for the store's layout and remote loading.
Must not import: :mod:`tipkg.web`.
"""
