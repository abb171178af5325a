"""What validation finds: one finding per problem (severity, focus node, path, message, and
where in which file), a report over a set of files, and the short names used to show
terms. Shared by every check, so that none imports another."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Literal, Namespace
from rdflib.term import Node

from tipkg.vocab import TIPKG

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


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
    #: The focus node whose validation gave the finding (a nested result's is its parent's):
    #: what an incremental build validates again. Not part of the finding's identity.
    root: str | None = field(default=None, compare=False)

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
