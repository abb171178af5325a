"""Build the store: parse, reason (OWL-RL), validate (SHACL), load, and switch atomically.

Each build writes a new Oxigraph store directory ``{store_dir}/build-{hash}-{time}`` and
only when it is complete points the ``current`` symlink at it (a rename, which is
atomic), so a failed or interrupted build leaves the store in service untouched; running
servers notice the switch and move to the new build (:mod:`tipkg.store_layout`).

The store holds each named graph (a document, the reference data, the ontology, the
inferred triples) and, as its default graph, their RDF merge: each distinct triple once,
so queries without ``GRAPH`` count right (Oxigraph's own union default graph repeats a
triple once per graph that holds it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import owlrl
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from tipkg.build.dataset import Dataset, NamedGraph, graph_iri, named_graphs
from tipkg.build.findings import Finding
from tipkg.build.incremental import (
    NotIncremental,
    added_graphs,
    build_incremental,
    file_hashes,
    input_hash,
    previous_state,
    write_state,
)
from tipkg.build.labels import label_rows
from tipkg.build.nquads import NQuadsWriter, StoreWriter
from tipkg.build.previous import BuildState
from tipkg.build.rdf_files import load_shapes
from tipkg.build.reasoning import UnsupportedAxiom, materialize_rows
from tipkg.build.reasoning_delta import TBoxChanged
from tipkg.build.report import BuildError, BuildReport, raise_on_violations, stage
from tipkg.build.search_index import link_rows, page_iris, write_search_index
from tipkg.build.terms import distinct, rows, to_ox
from tipkg.build.validate import validate_view
from tipkg.config import Settings, get_settings
from tipkg.store.layout import (
    BUILD_INFO,
    BUILD_PREFIX,
    build_hash,
    build_lock,
    current_build,
    prune,
    switch_current,
)
from tipkg.store.remote_load import LoadTarget, load_dataset

__all__ = ["BuildError", "BuildReport", "build_store", "current_store", "infer"]


def current_store(settings: Settings | None = None) -> Path | None:
    """Return the directory of the store in service, or None if none was built."""
    settings = settings or get_settings()
    return current_build(settings.store_dir)


def build_store(
    settings: Settings | None = None,
    progress: Callable[[str], None] = lambda message: None,
    force: bool = False,
    endpoint: str | LoadTarget | None = None,
) -> BuildReport:
    """Parse, reason, validate and load the dataset into a new store, then switch to it.

    With ``endpoint`` (a URL: a Graph Store Protocol dataset endpoint, or a
    :class:`LoadTarget`), the whole dataset is loaded into that external store instead, in
    the same N-Quads as the embedded store's, replacing what tipkg loaded there before; a
    build graph records the build's hash.

    Raises:
        BuildError: the data violates the shapes (the message lists each violation).
        TipkgError: a file does not parse (the message names the file and line).
    """
    settings = settings or get_settings()
    graphs = named_graphs(settings)
    current = current_store(settings)
    recorded = previous_state(current)
    files = file_hashes(settings, graphs, recorded[0] if recorded else None)
    digest = input_hash(files)
    if endpoint is None and current is not None and not force and build_hash(current) == digest:
        progress(f"store is up to date ({digest[:12]}): {current}")
        return BuildReport(hash=digest, path=current, skipped=True)
    if endpoint is None and not force and current is not None and recorded is not None:
        report = _try_incremental(settings, digest, graphs, files, current, recorded, progress)
        if report is not None:
            return report
    report = BuildReport(hash=digest, path=settings.store_dir)
    inferred_iri = graph_iri("inferred", settings)
    with stage(report, "parse", progress):
        dataset = Dataset.read(graphs, graph_iri("ontology", settings))
    if endpoint is not None:
        made = _made_graphs(settings, report, dataset, progress)
        inferred, _, _ = _reason_and_validate(settings, report, dataset, progress)
        dataset.graphs[inferred_iri] = inferred
        dataset.graphs.update(made)
        with stage(report, "load", progress):
            _load_remote(settings, report, dataset, endpoint, progress)
        return report
    # The store is loaded while the build reasons and validates (:mod:`.nquads`), in a new
    # directory under the lock until it is complete and in service: retention by another
    # build would take a directory without build.json for the remains of a killed build.
    with build_lock(settings.store_dir):
        report.path = _new_build_dir(settings, digest)
        writer = StoreWriter(report.path, dataset.terms)
        try:
            with stage(report, "load", progress):
                writer.add(dataset.graphs)
            made = _made_graphs(settings, report, dataset, progress)
            with stage(report, "load", progress):
                writer.add(made)
            inferred, datatypes, findings = _reason_and_validate(
                settings, report, dataset, progress, writer
            )
            dataset.graphs[inferred_iri] = inferred
            dataset.graphs.update(made)
            with stage(report, "load", progress):
                report.distinct_triples = writer.finish()
        except BaseException:
            writer.abort()
            raise
        report.loader_seconds, report.loader_cpu_seconds = writer.loader_seconds
        report.triples = {str(iri): len(rows) for iri, rows in dataset.graphs.items()}
        write_state(report.path, files, datatypes, findings)
        pages = page_iris(dataset.terms, dataset.graphs.values(), settings.base_iri)
        _put_in_service(settings, report, progress, pages)
    return report


def _try_incremental(
    settings: Settings,
    digest: str,
    graphs: list[NamedGraph],
    files: dict[str, dict[str, object]],
    current: Path,
    recorded: tuple[BuildState, list[Finding]],
    progress: Callable[[str], None],
) -> BuildReport | None:
    """Build the new documents on the build in service (:mod:`.incremental`), or return
    None when the change is of another kind."""
    try:
        added = added_graphs(graphs, files, recorded[0], settings.root)
    except NotIncremental as exc:
        progress(f"building everything: {exc}")
        return None
    progress(f"adding {len(added)} new document(s) to {current.name}")
    report = BuildReport(hash=digest, path=_new_build_dir(settings, digest))
    with build_lock(settings.store_dir):
        try:
            build_incremental(settings, report, added, current, recorded, files, progress)
        except (NotIncremental, TBoxChanged, UnsupportedAxiom) as exc:
            progress(f"building everything: {exc}")
            return None
        _put_in_service(settings, report, progress)
    return report


def _new_build_dir(settings: Settings, digest: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return settings.store_dir / f"{BUILD_PREFIX}{digest[:12]}-{stamp}"


def _put_in_service(
    settings: Settings,
    report: BuildReport,
    progress: Callable[[str], None],
    pages: list[str] | None = None,
) -> None:
    """Index the new build (``pages``: its IRIs that have a page, if known), write
    build.json, switch ``current`` to it, prune old builds (holding the build lock)."""
    with stage(report, "index", progress):
        write_search_index(report.path, settings.base_iri, pages)
    (report.path / BUILD_INFO).write_text(json.dumps(report.as_json(), indent=2) + "\n")
    switch_current(settings.store_dir, report.path)
    for old in prune(settings.store_dir):
        progress(f"removed the old or incomplete build {old.name}")
    progress(f"store in service: {report.path} ({report.distinct_triples} distinct triples)")


def _made_graphs(
    settings: Settings, report: BuildReport, dataset: Dataset, progress: Callable[[str], None]
) -> dict[URIRef, np.ndarray]:
    """The graphs the build makes from the asserted data, neither reasoned on nor
    validated: the names of unlabelled resources ("Statement by Azerbaijan under item 4,
    ...") and the links to the UN Digital Library."""
    with stage(report, "labels", progress):
        data = list(dataset.graphs.values())
        return {
            graph_iri("labels", settings): label_rows(dataset.terms, data, settings.base_iri),
            graph_iri("links", settings): link_rows(dataset.terms, data),
        }


def _reason_and_validate(
    settings: Settings,
    report: BuildReport,
    dataset: Dataset,
    progress: Callable[[str], None],
    writer: StoreWriter | None = None,
) -> tuple[np.ndarray, list[str], list[Finding]]:
    """The inferred rows (handed to ``writer`` as soon as they are known), the datatypes of
    the asserted literals and the findings, once the asserted data is found to conform to
    the shapes."""
    with stage(report, "reason", progress):
        inferred, datatypes = _reason(dataset, progress)
    if writer is not None:
        with stage(report, "load", progress):
            writer.add({graph_iri("inferred", settings): inferred})
    with stage(report, "validate", progress):
        findings = validate_view(dataset.view(), load_shapes(settings))  # asserted only
        files = [p for g in named_graphs(settings) for p in g.paths]
        raise_on_violations(findings, files)
        report.warnings = sum(f.severity == "Warning" for f in findings)
    return inferred, datatypes, findings


def _reason(dataset: Dataset, progress: Callable[[str], None]) -> tuple[np.ndarray, list[str]]:
    """The rows the OWL-RL closure adds and the asserted literals' datatypes: the compiled
    materializer, or plain owlrl for axioms it does not compile."""
    try:
        return materialize_rows(dataset.terms, dataset.graphs.values())
    except UnsupportedAxiom as exc:
        progress(f"reason: {exc}; using owlrl")
        inferred = infer(dataset.rdflib(iri) for iri in dataset.graphs)
        v, terms = dataset.terms.id, dataset.terms
        flat = [v(to_ox(t)) for triple in inferred for t in triple]
        return distinct(rows(flat), len(terms)), []


def _load_remote(
    settings: Settings,
    report: BuildReport,
    dataset: Dataset,
    endpoint: str | LoadTarget,
    progress: Callable[[str], None],
) -> None:
    """Load the dataset, its merged default graph and a build graph into an external store."""
    target = endpoint if isinstance(endpoint, LoadTarget) else LoadTarget(endpoint)
    if target.user is None and settings.endpoint_user is not None:
        password = settings.endpoint_password
        target = dataclasses.replace(
            target,
            user=settings.endpoint_user,
            password=password.get_secret_value() if password else None,
        )
    sink = io.BytesIO()
    writer = NQuadsWriter(sink, dataset.terms, settings.default_graph)
    writer.add(dataset.graphs)
    build_iri = graph_iri("build", settings)
    dataset.add(build_iri, _build_graph(settings, report))
    writer.add({build_iri: dataset.graphs[build_iri]}, merge=False)
    report.triples = {str(iri): len(rows) for iri, rows in dataset.graphs.items()}
    report.distinct_triples = writer.finish()
    nquads = sink.getvalue()
    load_dataset(target, nquads, graph_iri("", settings), progress)


def _build_graph(settings: Settings, report: BuildReport) -> Graph:
    """Describe a build in RDF, for stores that hold no build.json (remote ones)."""
    graph = Graph()
    build = URIRef(f"{settings.base_iri}build")
    graph.add((build, DCTERMS.identifier, Literal(report.hash)))
    graph.add(
        (
            build,
            DCTERMS.created,
            Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime),
        )
    )
    return graph


def infer(graphs: Iterable[Graph]) -> Graph:
    """Return the triples the OWL 2 RL rules entail from ``graphs`` and that none asserts,
    computed by plain owlrl (the reference that ``tipkg.reasoning.materialize`` equals)."""
    asserted = Graph()
    for graph in graphs:
        asserted += graph
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    inferred = Graph()
    for triple in closure:
        # OWL-RL rules also derive statements about literals (e.g. their datatypes), which
        # RDF cannot express: a subject is an IRI or blank node.
        if isinstance(triple[0], Literal) or triple in asserted:
            continue
        inferred.add(triple)
    return inferred
