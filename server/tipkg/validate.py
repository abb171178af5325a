"""Validate RDF data against the tipkg ontology and SHACL shapes, and say what is wrong in words.

Two checks run over the union of the given files:

* a vocabulary check: every ``tipkg:`` term the data uses must be defined in the
  ontology (catches typos such as ``tipkg:Meetng`` that SHACL alone would not see);
* SHACL validation with pyshacl, the ontology mixed in so that shapes targeting a
  class reach instances of its subclasses.

Each finding names its severity, focus node, property path, message, and the file
and line where the focus node is described.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node
from rdflib.util import guess_format

from tipkg.config import Settings, get_settings
from tipkg.errors import RdfSyntaxError
from tipkg.vocab import TIPKG

SH = Namespace("http://www.w3.org/ns/shacl#")
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One problem found in the data."""

    severity: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    location: str | None = None
    term: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        on = f" {self.path}" if self.path else ""
        got = f" (value: {self.value})" if self.value is not None else ""
        return f"{where}{self.severity}: <{self.focus}>{on}: {self.message}{got}"


@dataclass
class ValidationReport:
    """The findings of one validation run over a set of files."""

    files: list[Path]
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """True when nothing breaks queries: warnings alone still conform."""
        return not self.violations

    def summary(self) -> str:
        return (
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
            f"in {len(self.files)} file(s)"
        )


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (or a new graph), by its extension.

    Raises:
        RdfSyntaxError: the file is not valid RDF; the message names the file and line.
    """
    graph = graph if graph is not None else Graph()
    fmt = guess_format(str(path)) or "turtle"
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        # rdflib's line count drifts after multi-line literals; Oxigraph's is exact
        line, why = syntax_error_at(path) or (exc.lines + 1, exc._why)
        raise RdfSyntaxError(
            f"{path}:{line}: not valid Turtle: {why}. "
            "Fix the syntax at that line (a missing '.', ';' or quote is the usual cause)."
        ) from exc
    except (ParserError, ValueError, SyntaxError) as exc:
        raise RdfSyntaxError(f"{path}: not valid {fmt}: {exc}") from exc
    return graph


def syntax_error_at(path: Path) -> tuple[int, str] | None:
    """The line and message of the first syntax error Oxigraph's parser finds in ``path``."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None:
        return None
    try:
        for _ in ox.parse(path=str(path), format=rdf_format):
            pass
    except SyntaxError as exc:
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", exc.msg or str(exc))
        return (exc.lineno or 0), message
    except OSError:
        return None
    return None


def load_shapes(settings: Settings | None = None) -> Graph:
    """Return the union of the project's SHACL shapes (shapes/*.ttl)."""
    settings = settings or get_settings()
    return _union(sorted(settings.shapes_dir.glob("*.ttl")))


def load_ontology(settings: Settings | None = None) -> Graph:
    """Return the union of the project's ontology files (ontology/*.ttl)."""
    settings = settings or get_settings()
    return _union(sorted(settings.ontology_dir.glob("*.ttl")))


def _union(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        parse_file(path, graph)
    return graph


def check_vocabulary(data: Graph, ontology: Graph) -> list[Finding]:
    """Report every ``tipkg:`` term used in ``data`` that the ontology does not define."""
    defined = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(TIPKG))}
    known = sorted(str(term).removeprefix(str(TIPKG)) for term in defined)
    findings = []
    seen: set[tuple[Node, Node]] = set()
    for s, p, o in data:
        for term in (p, o) if p != RDF.type else (o,):
            if not isinstance(term, URIRef) or not str(term).startswith(str(TIPKG)):
                continue
            if term in defined or (s, term) in seen:
                continue
            seen.add((s, term))
            local = str(term).removeprefix(str(TIPKG))
            close = difflib.get_close_matches(local, known, n=1, cutoff=0.6)
            hint = f'; did you mean "tipkg:{close[0]}"?' if close else "; see ontology/tipkg.ttl."
            findings.append(
                Finding(
                    severity="Violation",
                    focus=str(s),
                    path=short_name(p),
                    message=f'"tipkg:{local}" is not in the ontology{hint}',
                    term=str(term),
                )
            )
    return findings


def check_shapes(data: Graph, ontology: Graph, shapes: Graph) -> list[Finding]:
    """Run SHACL validation and return its results as findings."""
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        value = results.value(result, SH.value)
        path = results.value(result, SH.resultPath)
        findings.append(
            Finding(
                severity=str(severity).removeprefix(str(SH)),
                focus=str(results.value(result, SH.focusNode)),
                path=short_name(path) if isinstance(path, URIRef) else None,
                value=literal_text(value),
                message=" ".join(messages) or f"fails {short_name(component)}",
                shape=str(results.value(result, SH.sourceShape)),
            )
        )
    return findings


def validate_files(paths: Sequence[Path], settings: Settings | None = None) -> ValidationReport:
    """Validate the union of ``paths`` against the project's ontology and shapes.

    Raises:
        RdfSyntaxError: one of the files (or the ontology or shapes) does not parse.
    """
    settings = settings or get_settings()
    files = [Path(p) for p in paths]
    data = _union(files)
    ontology = load_ontology(settings)
    shapes = load_shapes(settings)
    from tipkg.fast_validate import check_shapes_fast  # it builds on this module

    findings = check_vocabulary(data, ontology) + check_shapes_fast(data, ontology, shapes)
    located = [locate(finding, files) for finding in findings]
    located.sort(key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.location or "", f.focus))
    return ValidationReport(files=files, findings=located)


def literal_text(value: Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.n3()
    return f"<{value}>"


def short_name(term: Node | None) -> str:
    for prefix, namespace in (("tipkg", TIPKG), ("sh", SH), ("rdf", RDF)):
        if str(term).startswith(str(namespace)):
            return f"{prefix}:{str(term).removeprefix(str(namespace))}"
    return f"<{term}>"


def locate(finding: Finding, files: Sequence[Path]) -> Finding:
    """Add the file and line of the finding: where its unknown term is used, or else where
    its focus node is first written as a subject."""
    for path in files:
        line = _line_of(path, finding.focus)
        if line and finding.term:
            line = _line_using(path, finding.term, after=line) or line
        if line:
            return replace(finding, location=f"{path}:{line}")
    return finding


_PREFIX_RE = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)


def _line_of(path: Path, iri: str) -> int | None:
    """Return the first line of a Turtle file whose first term is ``iri`` (full or prefixed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    namespaces = dict(_PREFIX_RE.findall(text))
    for number, line in enumerate(text.splitlines(), start=1):
        if _expand(line.split(maxsplit=1)[0] if line.strip() else "", namespaces) == iri:
            return number
    return None


def _line_using(path: Path, iri: str, after: int) -> int | None:
    """Return the first line from ``after`` on that mentions ``iri`` as a Turtle term."""
    text = path.read_text(encoding="utf-8")
    namespaces = dict(_PREFIX_RE.findall(text))
    for number, line in enumerate(text.splitlines()[after - 1 :], start=after):
        if any(_expand(token.rstrip(";,."), namespaces) == iri for token in line.split()):
            return number
    return None


def _expand(token: str, namespaces: dict[str, str]) -> str | None:
    """Expand a Turtle term written at the start of a line into its IRI."""
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, colon, local = token.partition(":")
    if not colon or prefix not in namespaces:
        return None
    return namespaces[prefix] + local.replace("\\", "")
