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
import hashlib
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import owlrl
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from tipkg import __version__
from tipkg.build.dataset import Dataset, NamedGraph, graph_iri, named_graphs
from tipkg.build.findings import Finding
from tipkg.build.nquads import NQuadsWriter, StoreWriter
from tipkg.build.rdf_files import load_shapes
from tipkg.build.reasoning import UnsupportedAxiom, inferred_rows
from tipkg.build.terms import distinct, rows, to_ox
from tipkg.build.validate import locate, validate_view
from tipkg.config import Settings, get_settings
from tipkg.errors import TipkgError
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


class BuildError(TipkgError):
    """Raised when the data does not conform to the shapes; the store in service is kept."""

    code = "build_invalid"


@dataclass
class BuildReport:
    """What a build did: its hash, where the store is, counts and the time of each stage."""

    hash: str
    path: Path
    triples: dict[str, int] = field(default_factory=dict)
    distinct_triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # the build thread's CPU time
    warnings: int = 0
    skipped: bool = False
    loader_seconds: float = 0.0  # the bulk loader's thread: wall time, during the stages
    loader_cpu_seconds: float = 0.0  # and CPU time

    def as_json(self) -> dict[str, object]:
        return {
            "hash": self.hash,
            "tipkg": __version__,
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "triples": self.triples,
            "distinct_triples": self.distinct_triples,
            "default_graph": "merged",
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "cpu_seconds": {k: round(v, 3) for k, v in self.cpu_seconds.items()},
            "loader_seconds": round(self.loader_seconds, 3),
            "loader_cpu_seconds": round(self.loader_cpu_seconds, 3),
            "warnings": self.warnings,
        }


#: Changes whenever a build writes the store differently (2: the default graph is the merge).
STORE_FORMAT = 2


def input_hash(graphs: list[NamedGraph], settings: Settings) -> str:
    """Return a hash of everything a build reads: the files, the shapes, tipkg's version
    and the store format."""
    digest = hashlib.sha256(f"{__version__} store format {STORE_FORMAT}".encode())
    shapes = sorted(settings.shapes_dir.glob("*.ttl"))
    for path in [p for g in graphs for p in g.paths] + shapes:
        digest.update(str(path.relative_to(settings.root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    digest = input_hash(graphs, settings)
    current = current_store(settings)
    if endpoint is None and current is not None and not force and build_hash(current) == digest:
        progress(f"store is up to date ({digest[:12]}): {current}")
        return BuildReport(hash=digest, path=current, skipped=True)
    report = BuildReport(hash=digest, path=settings.store_dir)
    inferred_iri = graph_iri("inferred", settings)
    with _stage(report, "parse", progress):
        dataset = Dataset.read(graphs, graph_iri("ontology", settings))
    if endpoint is not None:
        inferred = _reason_and_validate(settings, report, dataset, progress)
        dataset.graphs[inferred_iri] = inferred
        with _stage(report, "load", progress):
            _load_remote(settings, report, dataset, endpoint, progress)
        return report
    # The store is loaded while the build reasons and validates (:mod:`.nquads`), in a new
    # directory under the lock until it is complete and in service: retention by another
    # build would take a directory without build.json for the remains of a killed build.
    with build_lock(settings.store_dir):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        report.path = settings.store_dir / f"{BUILD_PREFIX}{digest[:12]}-{stamp}"
        writer = StoreWriter(report.path, dataset.terms)
        try:
            with _stage(report, "load", progress):
                writer.add(dataset.graphs)
            inferred = _reason_and_validate(settings, report, dataset, progress, writer)
            dataset.graphs[inferred_iri] = inferred
            with _stage(report, "load", progress):
                report.distinct_triples = writer.finish()
        except BaseException:
            writer.abort()
            raise
        report.loader_seconds, report.loader_cpu_seconds = writer.loader_seconds
        report.triples = {str(iri): len(rows) for iri, rows in dataset.graphs.items()}
        (report.path / BUILD_INFO).write_text(json.dumps(report.as_json(), indent=2) + "\n")
        switch_current(settings.store_dir, report.path)
        for old in prune(settings.store_dir):
            progress(f"removed the old or incomplete build {old.name}")
    progress(f"store in service: {report.path} ({report.distinct_triples} distinct triples)")
    return report


def _reason_and_validate(
    settings: Settings,
    report: BuildReport,
    dataset: Dataset,
    progress: Callable[[str], None],
    writer: StoreWriter | None = None,
) -> np.ndarray:
    """The inferred rows (handed to ``writer`` as soon as they are known), once the asserted
    data is found to conform to the shapes."""
    with _stage(report, "reason", progress):
        inferred = _reason(dataset, progress)
    if writer is not None:
        with _stage(report, "load", progress):
            writer.add({graph_iri("inferred", settings): inferred})
    with _stage(report, "validate", progress):
        findings = validate_view(dataset.view(), load_shapes(settings))  # asserted only
        files = [p for g in named_graphs(settings) for p in g.paths]
        _raise_on_violations(findings, files)
        report.warnings = sum(f.severity == "Warning" for f in findings)
    return inferred


def _reason(dataset: Dataset, progress: Callable[[str], None]) -> np.ndarray:
    """The rows the OWL-RL closure adds: the compiled materializer, or plain owlrl for
    axioms it does not compile."""
    try:
        return inferred_rows(dataset.terms, dataset.graphs.values())
    except UnsupportedAxiom as exc:
        progress(f"reason: {exc}; using owlrl")
        inferred = infer(dataset.rdflib(iri) for iri in dataset.graphs)
        v, terms = dataset.terms.id, dataset.terms
        return distinct(rows([v(to_ox(t)) for triple in inferred for t in triple]), len(terms))


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
    dataset.add(graph_iri("build", settings), _build_graph(settings, report))
    report.triples = {str(iri): len(rows) for iri, rows in dataset.graphs.items()}
    sink = io.BytesIO()
    writer = NQuadsWriter(sink, dataset.terms, settings.default_graph)
    writer.add(dataset.graphs)
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


def _raise_on_violations(findings: list[Finding], files: list[Path]) -> None:
    violations = [f for f in findings if f.severity == "Violation"]
    if violations:
        shown = sorted(str(locate(v, files)) for v in violations[:50])
        lines = "\n".join(f"  {line}" for line in shown)
        more = f"\n  ... and {len(violations) - 50} more" if len(violations) > 50 else ""
        raise BuildError(
            f"{len(violations)} violation(s) of the shapes; the store in service is unchanged. "
            f"Run `tipkg validate` for the full report.\n{lines}{more}"
        )


@contextmanager
def _stage(report: BuildReport, name: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(f"{name} ...")
    start, cpu = time.perf_counter(), time.thread_time()
    yield
    elapsed = time.perf_counter() - start
    report.seconds[name] = report.seconds.get(name, 0.0) + elapsed
    report.cpu_seconds[name] = report.cpu_seconds.get(name, 0.0) + time.thread_time() - cpu
    progress(f"{name} done in {elapsed:.1f} s")
