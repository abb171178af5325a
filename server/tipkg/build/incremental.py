"""Incremental builds: when the only change since the build in service is new documents,
build on it instead of from nothing.

Every build records what it read (:class:`~tipkg.build.previous.BuildState`: each file's
hash and graph) and what validation found. A build whose inputs are the previous build's,
unchanged, plus new document files:

1. parses the new files only;
2. reasons on them over the previous closure (:mod:`.reasoning_delta`): the inferred
   graph gains what the new triples entail, and loses what they now assert;
3. validates again only what the new triples can change (:mod:`.validate_delta`);
4. copies the previous store into a new build directory (hard links to its files: the
   store in service is never written) and adds the new graphs, the inferred triples
   and the default graph's new triples; ``dataset.nq`` is copied in the kernel and
   the new lines appended;

so its time follows the new documents and what they touch, not the corpus. Anything
else (a file changed or removed, the ontology, shapes or reference data, tipkg's version,
new triples that change the TBox, shapes that read further than a slice) builds
everything, as does ``tipkg build --force``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from tipkg import __version__
from tipkg.build.dataset import NamedGraph, graph_iri, named_graphs
from tipkg.build.findings import Finding
from tipkg.build.labels import label_delta
from tipkg.build.nquads import degrees_of, write_delta
from tipkg.build.previous import BuildState, Previous, StoreBlankNode, load_state, store_forms
from tipkg.build.rdf_files import load_shapes
from tipkg.build.reasoning_delta import delta_rows
from tipkg.build.report import BuildReport, raise_on_violations, stage
from tipkg.build.search_index import link_rows
from tipkg.build.terms import Terms, distinct, stack, unique, without
from tipkg.build.validate_delta import slice_plan, validate_delta
from tipkg.config import Settings
from tipkg.errors import TipkgError
from tipkg.store.layout import read_build_info
from tipkg.store.lookups import Degrees
from tipkg.store.search_index import INDEX_FORMAT

#: Changes whenever a build writes the store differently (2: the default graph is the
#: merge; 3: the names of unlabelled resources in graph/labels; 4: builds record their
#: state for incremental builds; 5: links to the UN Digital Library, a search index beside
#: the store).
STORE_FORMAT = f"5 index {INDEX_FORMAT}"


class NotIncremental(TipkgError):
    """The change since the previous build is not only new documents."""

    code = "not_incremental"


def file_hashes(
    settings: Settings, graphs: Iterable[NamedGraph], known: BuildState | None = None
) -> dict[str, dict[str, object]]:
    """What a build reads, by path relative to the project: each file's SHA-256, size,
    modification time and graph (the shapes have none). A file whose size and time are
    what ``known`` recorded keeps its recorded hash, as git's index does."""
    files = [(p, str(g.iri)) for g in graphs for p in g.paths]
    files += [(p, "") for p in sorted(settings.shapes_dir.glob("*.ttl"))]
    recorded = known.files if known else {}
    found: dict[str, dict[str, object]] = {}
    for path, graph in files:
        name = str(path.relative_to(settings.root))
        stat = path.stat()
        entry = recorded.get(name)
        if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            sha = entry["sha256"]
        else:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        found[name] = {
            "sha256": sha,
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "graph": graph,
        }
    return found


def input_hash(files: dict[str, dict[str, object]]) -> str:
    """A hash of everything a build reads: the files, tipkg's version, the store format."""
    digest = hashlib.sha256(f"{__version__} store format {STORE_FORMAT}".encode())
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]['sha256']}\0".encode())
    return digest.hexdigest()


def added_graphs(
    graphs: list[NamedGraph], files: dict[str, dict[str, object]], state: BuildState, root: Path
) -> list[NamedGraph]:
    """The graphs of the files that are new since ``state``.

    Raises:
        NotIncremental: any other change (a file changed or removed, a new file that is
            not a document of its own, another version of tipkg).
    """
    if state.version != f"{__version__} {STORE_FORMAT}":
        raise NotIncremental("the previous build was made by another version of tipkg")
    for name, entry in state.files.items():
        now = files.get(name)
        if now is None or now["sha256"] != entry["sha256"] or now["graph"] != entry["graph"]:
            raise NotIncremental(f"{name} changed or was removed since the previous build")
    new = [name for name in files if name not in state.files]
    added = [g for g in graphs if any(str(p.relative_to(root)) in new for p in g.paths)]
    if any(set(g.paths) - {root / n for n in new} or "/document/" not in g.iri for g in added):
        raise NotIncremental("a new file adds to a graph the previous build holds")
    return added


def previous_state(current: Path | None) -> tuple[BuildState, list[Finding]] | None:
    """The state of the build in service, if it recorded one."""
    return load_state(current) if current is not None else None


def build_incremental(
    settings: Settings,
    report: BuildReport,
    added: list[NamedGraph],
    base: Path,
    recorded: tuple[BuildState, list[Finding]],
    files: dict[str, dict[str, object]],
    progress: Callable[[str], None],
) -> Path:
    """Build ``added`` on the build ``base`` into the new build directory ``report.path``
    and return it (module doc); call it holding the build lock.

    Raises:
        NotIncremental, TBoxChanged: build everything instead.
        BuildError: the data violates the shapes.
    """
    state, findings = recorded
    shapes = load_shapes(settings)
    plan = slice_plan(shapes)
    if plan is None:
        raise NotIncremental("the shapes read further than a focus node's neighbourhood")
    terms = Terms()
    inferred_iri = graph_iri("inferred", settings)
    before = [g for g in named_graphs(settings) if g not in added]
    previous = Previous(
        base, terms, before, str(graph_iri("ontology", settings)), str(inferred_iri)
    )
    with stage(report, "parse", progress):
        graphs = {g.iri: g.read(terms) for g in added}
        new = distinct(stack(graphs.values()), len(terms))
    labels_iri = graph_iri("labels", settings)
    links_iri = graph_iri("links", settings)
    with stage(report, "labels", progress):
        named, unnamed = label_delta(previous, new, settings.base_iri, str(labels_iri))
        links = link_rows(terms, [new])
        links = without(links, previous.in_graph(links, ox.NamedNode(links_iri)), len(terms))
    with stage(report, "reason", progress):
        # the store's closure holds literals normalised: reason on the new triples so too
        forms = store_forms(terms, unique(new).tolist())
        stored = _remap(terms, new, {c: terms.id(t) for c, t in forms.items()})
        inferred, datatypes = delta_rows(terms, stored, previous.store, state.datatypes)
        moved = previous.inferred_of(stored)  # inferred before, asserted now
        back = {terms.id(t): c for c, t in forms.items()}  # as the new files write them
    with stage(report, "validate", progress):
        try:
            findings, roots = validate_delta(previous, new, shapes, plan, findings)
        except StoreBlankNode as exc:
            raise NotIncremental(str(exc)) from None
        raise_on_violations(findings, [p for g in added for p in g.paths])
        report.warnings = sum(f.severity == "Warning" for f in findings)
    progress(f"validated {roots} focus node(s) again")
    with stage(report, "load", progress):
        merged = distinct(stack([stored, inferred, named, links]), len(terms))
        fresh = [not previous.in_default(s, p, o) for s, p, o in merged.tolist()]
        default = merged[np.array(fresh, dtype=bool)] if len(merged) else merged
        inferred, moved, default = (_remap(terms, r, back) for r in (inferred, moved, default))
        write_delta(
            previous,
            report.path,
            terms,
            {**graphs, inferred_iri: inferred, labels_iri: named, links_iri: links},
            {inferred_iri: moved, labels_iri: unnamed},
            default,
            without(unnamed, new, len(terms)),  # a name no graph states any longer
        )
    degrees = Degrees.load(base)
    if degrees is not None:  # what bounds the lookups answered without a worker
        degrees.grown(degrees_of(terms, default)).save(report.path)
    info = read_build_info(base) or {}
    triples = {**info.get("triples", {}), **{str(i): len(r) for i, r in graphs.items()}}  # type: ignore[dict-item]
    changes = [
        (inferred_iri, inferred, moved),
        (labels_iri, named, unnamed),
        (links_iri, links, []),
    ]
    for iri, more, fewer in changes:
        triples[str(iri)] = int(triples.get(str(iri), 0)) + len(more) - len(fewer)
    report.triples = triples
    report.distinct_triples = (
        int(info.get("distinct_triples", 0)) + len(default) - len(without(unnamed, new, len(terms)))  # type: ignore[call-overload]
    )
    report.incremental_of = base.name
    BuildState(files, f"{__version__} {STORE_FORMAT}", datatypes).save(report.path, findings)
    return report.path


def _remap(terms: Terms, triples: np.ndarray, mapping: dict[int, int]) -> np.ndarray:
    """``triples`` with each id replaced by what ``mapping`` maps it to, if anything."""
    table = np.arange(len(terms), dtype=np.int64)
    for old, new in mapping.items():
        table[old] = new
    return distinct(table[triples], len(terms)) if len(triples) else triples


def write_state(
    path: Path, files: dict[str, dict[str, object]], datatypes: list[str], findings: list[Finding]
) -> None:
    """Record what a full build read and found, for the next build."""
    BuildState(files, f"{__version__} {STORE_FORMAT}", datatypes).save(path, findings)
