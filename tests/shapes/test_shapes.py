"""Tests for the SHACL shapes in shapes/: well-formedness, coverage and fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .conftest import FIXTURES, REPO, SH, SHAPES_DIR, Result, Validate, load_shapes

TIPKG = Namespace("https://w3id.org/tipkg/def#")
TIPKGSH = Namespace("https://w3id.org/tipkg/shapes#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
PYSHACL_ASSETS = Path(pyshacl.__file__).resolve().parent / "assets"
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
EXPECT = re.compile(r"^# expect(-warning)?: (.+)$")


def _ids(paths: list[Path]) -> list[str]:
    return [path.name for path in paths]


def _node_shapes(shapes: Graph) -> set[Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape))


def _targeted(shapes: Graph) -> set[Node]:
    return {s for s in _node_shapes(shapes) if any(shapes.value(s, t) for t in TARGETS)}


def _owner(shapes: Graph, shape: Node) -> Node:
    """Return the node shape a property shape belongs to (or the shape itself)."""
    owner = shapes.value(predicate=SH.property, object=shape)
    return shape if owner is None else owner


# -- 1. parsing, SHACL-SHACL, vocabulary ---------------------------------------------


@pytest.mark.parametrize("path", SHAPE_FILES, ids=_ids(SHAPE_FILES))
def test_shape_file_parses_and_describes_itself(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    header = URIRef(f"https://w3id.org/tipkg/shapes/{path.stem}")
    assert (header, RDF.type, OWL.Ontology) in graph
    assert graph.value(header, DCTERMS.title) is not None
    assert graph.value(header, DCTERMS.description) is not None
    assert graph.value(header, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(header, DCTERMS.license) == CC_BY


def test_expected_shape_files_exist() -> None:
    names = {path.stem for path in SHAPE_FILES}
    expected = {"agents", "documents", "meetings", "participation", "outcomes", "common"}
    assert expected | {"recommended"} <= names


def test_shapes_conform_to_shacl_shacl(shapes_graph: Graph) -> None:
    shacl_shacl = Graph().parse(PYSHACL_ASSETS / "shacl-shacl.ttl", format="turtle")
    conforms, _report, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_shacl)
    assert conforms, text


def test_meta_shacl_accepts_shapes(shapes_graph: Graph) -> None:
    conforms, _report, text = pyshacl.validate(
        Graph(), shacl_graph=shapes_graph, meta_shacl=True, advanced=True
    )
    assert conforms, text


def test_only_shacl_vocabulary_is_used(shapes_graph: Graph) -> None:
    shacl = Graph().parse(PYSHACL_ASSETS / "shacl.ttl", format="turtle")
    known = {s for s in shacl.subjects() if str(s).startswith(str(SH))}
    used = {t for triple in shapes_graph for t in triple if str(t).startswith(str(SH))}
    unknown = sorted(str(t) for t in used - known)
    assert not unknown, f"not SHACL terms (did you mean sh:node for sh:shape?): {unknown}"


def _tipkg_terms_used(shapes: Graph) -> set[URIRef]:
    terms = {
        t
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(TIPKG)) and t != URIRef(TIPKG)
    }
    for select in shapes.objects(None, SH.select):
        terms |= {TIPKG[name] for name in re.findall(r"\btipkg:(\w+)", str(select))}
    return {URIRef(t) for t in terms}


def test_only_ontology_terms_are_used(shapes_graph: Graph, ontology_graph: Graph) -> None:
    defined = set(ontology_graph.subjects(RDF.type, None))
    unknown = sorted(str(t) for t in _tipkg_terms_used(shapes_graph) - defined)
    assert not unknown, f"tipkg terms the ontology does not define: {unknown}"


# -- 2. shape conventions and class coverage ----------------------------------------------


def test_node_shapes_have_label_and_ontology_target(
    shapes_graph: Graph, ontology_graph: Graph
) -> None:
    problems = []
    for shape in sorted(_node_shapes(shapes_graph), key=str):
        if not str(shape).startswith(str(TIPKGSH)):
            problems.append(f"{shape}: node shapes need a tipkgsh: IRI (never pun a class)")
        if shapes_graph.value(shape, RDFS.label) is None:
            problems.append(f"{shape}: no rdfs:label")
        if shapes_graph.value(shape, SH.closed) == Literal(True):
            problems.append(f"{shape}: shapes must stay open")
        for cls in shapes_graph.objects(shape, SH.targetClass):
            if (cls, RDF.type, OWL.Class) not in ontology_graph:
                problems.append(f"{shape}: target class {cls} is not an ontology class")
        if shape not in _targeted(shapes_graph):
            used = any(
                shapes_graph.triples((None, p, shape)) for p in (SH.node, SH.qualifiedValueShape)
            )
            if not used:
                problems.append(f"{shape}: neither targeted nor used as a value shape")
    assert not problems, "\n".join(problems)


def test_property_shapes_have_name_description_and_message(shapes_graph: Graph) -> None:
    problems = []
    properties = set(shapes_graph.objects(None, SH.property))
    properties |= set(shapes_graph.subjects(RDF.type, SH.PropertyShape))
    for shape in sorted(properties, key=str):
        for predicate in (SH.name, SH.description, SH.message, SH.severity):
            if shapes_graph.value(shape, predicate) is None:
                problems.append(f"{shape}: no {predicate}")
    assert not problems, "\n".join(problems)


def test_every_ontology_class_is_targeted(shapes_graph: Graph, ontology_graph: Graph) -> None:
    classes = {
        c for c in ontology_graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(TIPKG))
    }
    targeted = set(shapes_graph.objects(None, SH.targetClass))
    missing = sorted(str(c) for c in classes - targeted)
    assert not missing, f"classes no shape targets: {missing}"


def test_one_node_shape_per_class_outside_recommended(shapes_graph: Graph) -> None:
    recommended = Graph().parse(SHAPES_DIR / "recommended.ttl", format="turtle")
    core = shapes_graph - recommended
    for cls in set(core.objects(None, SH.targetClass)):
        shapes = sorted(str(s) for s in core.subjects(SH.targetClass, cls))
        assert len(shapes) == 1, f"{cls} is targeted by {shapes}"
        assert shapes[0] == str(TIPKGSH[f"{str(cls).rsplit('#', 1)[-1]}Shape"])


def test_recommended_shapes_are_all_warnings() -> None:
    recommended = Graph().parse(SHAPES_DIR / "recommended.ttl", format="turtle")
    shapes = set(recommended.subjects(RDF.type, SH.NodeShape))
    shapes |= set(recommended.subjects(RDF.type, SH.PropertyShape))
    assert shapes
    for shape in shapes:
        assert recommended.value(shape, SH.severity) == SH.Warning, shape


# -- 3. fixtures ------------------------------------------------------------------------------


def _expectations(path: Path) -> list[tuple[str, str]]:
    expected = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line.strip())
        if match:
            severity = "Warning" if match.group(1) else "Violation"
            expected.append((severity, match.group(2).strip()))
    return expected


@pytest.fixture(scope="session")
def invalid_results(validate: Validate) -> dict[str, list[Result]]:
    return {path.name: validate(Graph().parse(path, format="turtle")) for path in INVALID}


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_fixture_has_no_violation(path: Path, validate: Validate) -> None:
    results = validate(Graph().parse(path, format="turtle"))
    violations = [r for r in results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus} {r.path}: {r.message}" for r in violations)


@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_fixture_yields_expected_message(
    path: Path, invalid_results: dict[str, list[Result]]
) -> None:
    expected = _expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    results = invalid_results[path.name]
    for severity, text in expected:
        found = [r for r in results if r.severity == severity and text in r.message]
        got = "\n".join(f"{r.severity}: {r.message}" for r in results)
        assert found, f"no {severity} containing {text!r}; got:\n{got}"


def test_every_node_shape_is_exercised(
    shapes_graph: Graph, invalid_results: dict[str, list[Result]]
) -> None:
    exercised = {
        _owner(shapes_graph, r.source_shape)
        for results in invalid_results.values()
        for r in results
        if r.source_shape is not None
    }
    missing = sorted(str(s) for s in _targeted(shapes_graph) - exercised)
    assert not missing, f"node shapes no invalid fixture exercises: {missing}"


def test_fixture_counts() -> None:
    assert len(VALID) >= 5
    assert len(INVALID) >= len(_targeted(load_shapes()))


# -- 4. reference data ---------------------------------------------------------------------------


def test_reference_states_conform(validate: Validate) -> None:
    data = Graph().parse(REPO / "data" / "reference" / "states.ttl", format="turtle")
    violations = [r for r in validate(data) if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus}: {r.message}" for r in violations[:20])
