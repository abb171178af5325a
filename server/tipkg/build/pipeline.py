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
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import owlrl
import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from tipkg import __version__
from tipkg.build.dataset import NamedGraph, graph_iri, named_graphs
from tipkg.build.findings import Finding
from tipkg.build.labels import label_triples
from tipkg.build.rdf_files import load_shapes
from tipkg.build.reasoning import UnsupportedAxiom, inferred_triples
from tipkg.build.search_index import digital_library_links, write_search_index
from tipkg.build.shacl_oxigraph import cached_to_ox
from tipkg.build.validate import locate, validate
from tipkg.config import Settings, get_settings
from tipkg.errors import TipkgError
from tipkg.store.layout import (
    BUILD_INFO,
    BUILD_PREFIX,
    DUMP_FILE,
    build_hash,
    build_lock,
    current_build,
    prune,
    switch_current,
)
from tipkg.store.remote_load import LoadTarget, load_dataset
from tipkg.store.search_index import INDEX_FORMAT


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
    warnings: int = 0
    skipped: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "hash": self.hash,
            "tipkg": __version__,
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "triples": self.triples,
            "distinct_triples": self.distinct_triples,
            "default_graph": "merged",
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "warnings": self.warnings,
        }


#: Changes whenever a build writes the store differently (2: the default graph is the merge;
#: 3: a search index beside the store, links to the UN Digital Library; 4: the names of
#: unlabelled resources in graph/labels).
STORE_FORMAT = 4


def input_hash(graphs: list[NamedGraph], settings: Settings) -> str:
    """Return a hash of everything a build reads: the files, the shapes, tipkg's version
    and the formats of the store and its search index."""
    digest = hashlib.sha256(
        f"{__version__} store format {STORE_FORMAT} index format {INDEX_FORMAT}".encode()
    )
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
    ontology_iri = graph_iri("ontology", settings)
    inferred_iri = graph_iri("inferred", settings)
    with _stage(report, "parse", progress):
        loaded = {g.iri: g.load() for g in graphs}
    ontology = loaded[ontology_iri]
    asserted = [graph for iri, graph in loaded.items() if iri != ontology_iri]
    with _stage(report, "reason", progress):
        try:  # the compiled materializer; plain owlrl for axioms it does not compile
            inferred = list(inferred_triples(ontology, asserted))
        except UnsupportedAxiom as exc:
            progress(f"reason: {exc}; using owlrl")
            inferred = list(infer(loaded.values()))
    with _stage(report, "validate", progress):
        data = ReadOnlyGraphAggregate(asserted)  # the union, without copying 1M triples
        findings = validate(data, ontology, load_shapes(settings))
        _raise_on_violations(findings, [p for g in graphs for p in g.paths])
        report.warnings = sum(f.severity == "Warning" for f in findings)
    report.triples = {str(iri): len(graph) for iri, graph in loaded.items()}
    report.triples[str(inferred_iri)] = len(inferred)
    bodies: dict[URIRef | None, bytes] = {
        iri: graph.serialize(format="nt", encoding="utf-8") for iri, graph in loaded.items()
    }
    bodies[inferred_iri] = _ntriples(inferred)
    links = digital_library_links(asserted)
    report.triples[str(graph_iri("links", settings))] = len(links)
    bodies[graph_iri("links", settings)] = links.serialize(format="nt", encoding="utf-8")
    # the names of unlabelled resources ("Statement by Azerbaijan under item 4, ...")
    labels_iri = graph_iri("labels", settings)
    bodies[labels_iri] = label_triples(bodies, settings.base_iri, frozenset({inferred_iri}))
    report.triples[str(labels_iri)] = bodies[labels_iri].count(b"\n")
    bodies[None] = merged_default_graph(bodies)
    report.distinct_triples = bodies[None].count(b"\n")
    if endpoint is not None:
        with _stage(report, "load", progress):
            _load_remote(settings, report, bodies, endpoint, progress)
        return report
    # under the lock until the new build is complete and in service: retention by another
    # build would take the directory without build.json for the remains of a killed build
    with build_lock(settings.store_dir):
        with _stage(report, "load", progress):
            report.path = _write_store(settings, digest, bodies)
        with _stage(report, "index", progress):
            write_search_index(report.path, settings.base_iri)
        (report.path / BUILD_INFO).write_text(json.dumps(report.as_json(), indent=2) + "\n")
        switch_current(settings.store_dir, report.path)
        for old in prune(settings.store_dir):
            progress(f"removed the old or incomplete build {old.name}")
    progress(f"store in service: {report.path} ({report.distinct_triples} distinct triples)")
    return report


def dataset_nquads(
    bodies: Mapping[URIRef | None, bytes], default_graph: str | None = None
) -> Iterator[bytes]:
    """Yield the dataset as N-Quads, one chunk per graph: what the embedded store loads and
    what ``tipkg build --endpoint`` sends.

    Args:
        bodies: each graph's triples as N-Triples, by graph IRI; ``None`` is the default graph.
        default_graph: write the default graph's triples into this named graph (for stores
            whose default graph is the union of all graphs); by default they stay triples.
    """
    # Every N-Triples line ends with " .\n" and there is no other raw newline (N-Triples
    # escapes them in literals), so a graph name goes in before the last " .".
    for iri, body in bodies.items():
        name = default_graph if iri is None else str(iri)
        yield body if name is None else body.replace(b" .\n", f" <{name}> .\n".encode())


def merged_default_graph(bodies: Mapping[URIRef | None, bytes]) -> bytes:
    """Return the RDF merge of the named graphs ``bodies`` as N-Triples: each distinct triple
    once, blank node labels kept (so a node stays the same node as in its named graphs)."""
    merged = ox.Store()
    for iri, body in bodies.items():
        if iri is not None:
            merged.extend(
                ox.Quad(q.subject, q.predicate, q.object)
                for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            )
    return merged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def _load_remote(
    settings: Settings,
    report: BuildReport,
    bodies: dict[URIRef | None, bytes],
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
    build = _build_graph(settings, report)
    bodies[graph_iri("build", settings)] = build.serialize(format="nt", encoding="utf-8")
    nquads = b"".join(dataset_nquads(bodies, settings.default_graph))
    load_dataset(target, nquads, graph_iri("", settings), progress)


def _ntriples(triples: list[tuple[Node, Node, Node]]) -> bytes:
    """Serialize rdflib-term triples as N-Triples with Oxigraph (the inferred graph: over a
    million triples at scale, which an rdflib ``Graph`` would take 4x longer to hold and
    write)."""
    term = cached_to_ox()
    return ox.serialize(
        [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples],  # type: ignore[arg-type]
        format=ox.RdfFormat.N_TRIPLES,
    )


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


def _write_store(settings: Settings, digest: str, bodies: Mapping[URIRef | None, bytes]) -> Path:
    """Write the dataset into a new store directory and return it.

    One N-Quads file for all graphs, loaded in one go: a blank node shared by two graphs (an
    ontology restriction and what is inferred about it) stays one node, which separate
    loads would split (Oxigraph renames blank nodes per load). The in-memory workers load
    the same file, and ``/dump.nq`` serves it.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.store_dir / f"{BUILD_PREFIX}{digest[:12]}-{stamp}"
    store = ox.Store(str(path))
    try:
        with (path / DUMP_FILE).open("wb") as dump:
            dump.writelines(dataset_nquads(bodies))
        store.bulk_load(path=str(path / DUMP_FILE), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
    except BaseException:
        del store
        shutil.rmtree(path, ignore_errors=True)
        raise
    del store
    return path


@contextmanager
def _stage(report: BuildReport, name: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(f"{name} ...")
    start = time.perf_counter()
    yield
    report.seconds[name] = time.perf_counter() - start
    progress(f"{name} done in {report.seconds[name]:.1f} s")
