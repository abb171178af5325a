"""SHACL validation with pyshacl (the reference implementation): used for the constraints
the Oxigraph-backed checks (:mod:`.shacl_oxigraph`) do not evaluate themselves, and by the
tests that prove both give the same findings."""

from __future__ import annotations

import pyshacl
from rdflib import RDF, Graph, URIRef

from tipkg.build.findings import SH, Finding, literal_text, short_name


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
    parents = dict((detail, result) for result, detail in results.subject_objects(SH.detail))
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        top = result
        while top in parents:
            top = parents[top]
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
                root=str(results.value(top, SH.focusNode)),
            )
        )
    return findings
