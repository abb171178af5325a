"""Validate RDF data against the tipkg ontology and SHACL shapes, and say what is wrong in words.

:func:`validate` is the one entry point (``tipkg validate``, ``tipkg extract`` and
``tipkg build`` all call it); two checks run over the data:

* a vocabulary check: every ``tipkg:`` term the data uses must be defined in the
  ontology (catches typos such as ``tipkg:Meetng`` that SHACL alone would not see);
* the SHACL shapes, evaluated on Oxigraph (:mod:`.shacl_oxigraph`, with
  :mod:`.shacl_core`), which give the same findings as pyshacl (:mod:`.shacl_pyshacl`).

Each finding names its severity, focus node, property path, message, and the file
and line where the focus node is described.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from tipkg.build.findings import SEVERITY_ORDER, Finding, ValidationReport, short_name
from tipkg.build.rdf_files import load_ontology, load_shapes, union_of
from tipkg.build.shacl_oxigraph import check_shapes_fast
from tipkg.config import Settings, get_settings
from tipkg.vocab import TIPKG


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


def validate(data: Graph, ontology: Graph, shapes: Graph) -> list[Finding]:
    """Every finding about ``data``: ``tipkg:`` terms the ontology does not define, then the
    SHACL shapes (evaluated on Oxigraph, :mod:`.shacl_oxigraph`), the ontology mixed in so
    that shapes targeting a class reach instances of its subclasses."""
    return check_vocabulary(data, ontology) + check_shapes_fast(data, ontology, shapes)


def validate_files(paths: Sequence[Path], settings: Settings | None = None) -> ValidationReport:
    """Validate the union of ``paths`` against the project's ontology and shapes.

    Raises:
        RdfSyntaxError: one of the files (or the ontology or shapes) does not parse.
    """
    settings = settings or get_settings()
    files = [Path(p) for p in paths]
    data = union_of(files)
    ontology = load_ontology(settings)
    shapes = load_shapes(settings)
    located = [locate(finding, files) for finding in validate(data, ontology, shapes)]
    located.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.location or "", f.focus))
    return ValidationReport(files=files, findings=located)


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
