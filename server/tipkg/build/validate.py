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

import numpy as np
from rdflib import RDF, Graph

from tipkg.build.data_view import DataView
from tipkg.build.findings import SEVERITY_ORDER, Finding, ValidationReport, short_name
from tipkg.build.rdf_files import load_shapes, read_triples
from tipkg.build.shacl_oxigraph import check_view
from tipkg.build.terms import IRI, Terms, unique
from tipkg.config import Settings, get_settings
from tipkg.vocab import TIPKG


def check_vocabulary(data: Graph, ontology: Graph) -> list[Finding]:
    """Report every ``tipkg:`` term used in ``data`` that the ontology does not define."""
    return vocabulary_findings(DataView.of_graphs(data, ontology))


def vocabulary_findings(view: DataView) -> list[Finding]:
    """Report every ``tipkg:`` term used in the view's data that its ontology does not
    define (as a predicate, or as the object of any triple)."""
    terms, namespace = view.terms, str(TIPKG)
    type_code = terms.iri(str(RDF.type))
    ontology = view.ontology
    defined = {
        s for s in ontology[ontology[:, 1] == type_code, 0].tolist() if _in(terms, s, namespace)
    }
    data = view.data
    used = set(unique(data[:, [1, 2]]).tolist())
    unknown = {t for t in used - defined if _in(terms, t, namespace)}
    if not unknown:
        return []
    codes = list(unknown)
    hits = data[np.isin(data[:, 1], codes) | np.isin(data[:, 2], codes)]
    known = sorted(str(terms.rdf(t)).removeprefix(namespace) for t in defined)
    findings = []
    seen: set[tuple[int, int]] = set()
    for s, p, o in hits.tolist():
        for term in (p, o) if p != type_code else (o,):
            if term not in unknown or (s, term) in seen:
                continue
            seen.add((s, term))
            local = str(terms.rdf(term)).removeprefix(namespace)
            close = difflib.get_close_matches(local, known, n=1, cutoff=0.6)
            hint = f'; did you mean "tipkg:{close[0]}"?' if close else "; see ontology/tipkg.ttl."
            findings.append(
                Finding(
                    severity="Violation",
                    focus=str(terms.rdf(s)),
                    path=short_name(terms.rdf(p)),
                    message=f'"tipkg:{local}" is not in the ontology{hint}',
                    term=str(terms.rdf(term)),
                    root=str(terms.rdf(s)),
                )
            )
    return findings


def _in(terms: Terms, code: int, namespace: str) -> bool:
    """Whether term ``code`` is an IRI in ``namespace``."""
    return terms.kinds[code] == IRI and str(terms.rdf(code)).startswith(namespace)


def validate(data: Graph, ontology: Graph, shapes: Graph) -> list[Finding]:
    """Every finding about the rdflib graph ``data`` (see :func:`validate_view`)."""
    return validate_view(DataView.of_graphs(data, ontology), shapes)


def validate_view(view: DataView, shapes: Graph) -> list[Finding]:
    """Every finding about the view's data: ``tipkg:`` terms the ontology does not define,
    then the SHACL shapes (evaluated on Oxigraph, :mod:`.shacl_oxigraph`), the ontology
    mixed in so that shapes targeting a class reach instances of its subclasses."""
    return vocabulary_findings(view) + check_view(view, shapes)


def validate_files(paths: Sequence[Path], settings: Settings | None = None) -> ValidationReport:
    """Validate the union of ``paths`` against the project's ontology and shapes.

    Raises:
        RdfSyntaxError: one of the files (or the ontology or shapes) does not parse.
    """
    settings = settings or get_settings()
    files = [Path(p) for p in paths]
    terms = Terms()
    data = read_triples(files, terms)
    ontology = read_triples(sorted(settings.ontology_dir.glob("*.ttl")), terms)
    shapes = load_shapes(settings)
    findings = validate_view(DataView(terms, data, ontology), shapes)
    located = [locate(finding, files) for finding in findings]
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
