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

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
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
from tipkg.config import Settings, get_settings
from tipkg.dataset import NamedGraph, graph_iri, named_graphs
from tipkg.errors import TipkgError
from tipkg.fast_validate import cached_to_ox, check_shapes_fast
from tipkg.query_pool import DUMP_FILE
from tipkg.reasoning import UnsupportedAxiom, inferred_triples
from tipkg.remote_store import load_graphs
from tipkg.store_layout import (
    BUILD_INFO,
    BUILD_PREFIX,
    build_hash,
    build_lock,
    current_build,
    prune,
    switch_current,
)
from tipkg.validate import Finding, check_vocabulary, load_shapes, locate


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
    endpoint: str | None = None,
) -> BuildReport:
    """Parse, reason, validate and load the dataset into a new store, then switch to it.

    With ``endpoint`` (a Graph Store Protocol URL), the graphs are loaded into that
    external store instead, each replacing the graph of the same name there; a build
    hash graph records what was loaded.

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
        findings = check_vocabulary(data, ontology) + check_shapes_fast(
            data, ontology, load_shapes(settings)
        )
        _raise_on_violations(findings, [p for g in graphs for p in g.paths])
        report.warnings = sum(f.severity == "Warning" for f in findings)
    report.triples = {str(iri): len(graph) for iri, graph in loaded.items()}
    report.triples[str(inferred_iri)] = len(inferred)
    bodies: dict[URIRef | None, bytes] = {
        iri: graph.serialize(format="nt", encoding="utf-8") for iri, graph in loaded.items()
    }
    bodies[inferred_iri] = _ntriples(inferred)
    if endpoint is not None:
        with _stage(report, "load", progress):
            build = _build_graph(settings, report)
            bodies[graph_iri("build", settings)] = build.serialize(format="nt", encoding="utf-8")
            bodies[None] = b"".join(dict.fromkeys(merged_lines(bodies.values())))
            load_graphs(endpoint, bodies.items(), progress)
        return report
    # under the lock until the new build is complete and in service: retention by another
    # build would take the directory without build.json for the remains of a killed build
    with build_lock(settings.store_dir):
        with _stage(report, "load", progress):
            report.path, report.distinct_triples = _write_store(settings, digest, bodies)
        (report.path / BUILD_INFO).write_text(json.dumps(report.as_json(), indent=2) + "\n")
        switch_current(settings.store_dir, report.path)
        for old in prune(settings.store_dir):
            progress(f"removed the old or incomplete build {old.name}")
    progress(f"store in service: {report.path} ({report.distinct_triples} distinct triples)")
    return report


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


def merged_lines(bodies: Iterable[bytes]) -> Iterator[bytes]:
    """The N-Triples lines of ``bodies`` (each graph's triples), each distinct line once:
    the default graph of the store, the RDF merge of all its graphs."""
    seen: set[bytes] = set()
    for body in bodies:
        for line in body.splitlines(keepends=True):
            if line not in seen:
                seen.add(line)
                yield line


def write_dataset(bodies: dict[URIRef, bytes], path: Path) -> int:
    """Write the dataset as N-Quads: each graph's N-Triples as quads of that graph, then
    the default graph: the merge of all graphs, each distinct triple once. Returns the
    number of distinct triples.

    One file loaded in one go keeps a blank node shared by two graphs (an ontology
    restriction and what is inferred about it) one node, which separate loads would split
    (Oxigraph renames blank nodes per load); the in-memory workers load the same file.
    N-Triples lines end with " .\n" and hold no other raw newline (literals escape them).
    """
    distinct = 0
    with path.open("wb") as dump:
        for iri, body in bodies.items():
            dump.write(body.replace(b" .\n", f" <{iri}> .\n".encode()))
        for line in merged_lines(bodies.values()):
            dump.write(line)
            distinct += 1
    return distinct


def _write_store(
    settings: Settings, digest: str, bodies: dict[URIRef | None, bytes]
) -> tuple[Path, int]:
    """Write the dataset into a new store directory; return it and the distinct triples."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.store_dir / f"{BUILD_PREFIX}{digest[:12]}-{stamp}"
    store = ox.Store(str(path))
    try:
        distinct = write_dataset(bodies, path / DUMP_FILE)
        store.bulk_load(path=str(path / DUMP_FILE), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
    except BaseException:
        del store
        shutil.rmtree(path, ignore_errors=True)
        raise
    del store
    return path, distinct


@contextmanager
def _stage(report: BuildReport, name: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(f"{name} ...")
    start = time.perf_counter()
    yield
    report.seconds[name] = time.perf_counter() - start
    progress(f"{name} done in {report.seconds[name]:.1f} s")
