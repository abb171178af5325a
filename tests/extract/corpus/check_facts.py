"""Self-check of the extraction test corpus, without the extractor.

Every document in ``manifest.toml`` must have its text and a ``{stem}.facts.toml``; every
facts file must parse with :mod:`tomllib` and hold only ``[[fact]]``, ``[[absent]]``,
``[[set]]`` and ``[[pending]]`` tables with their keys; every query must parse and run (on
an empty :mod:`pyoxigraph` store) with the predeclared prefixes, as an ASK or a SELECT
whose width matches its rows; every ``tipkg:`` term must be defined in the ontology;
every State must exist in ``data/reference/states.ttl``; and every other reference IRI
(organization, body, act, instrument, ...) must exist in ``data/reference/`` or be listed
under "Reference data to add" in this directory's README.

Run from the repository root::

    python tests/extract/corpus/check_facts.py

It prints one line per document (counts of facts, absent checks, sets, rows and pending
facts) and every problem found, with the file and the table, and exits 1 on a problem.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
REFERENCE = ROOT / "data" / "reference"
ONTOLOGY = ROOT / "ontology" / "tipkg.ttl"

TIPKG = "https://w3id.org/tipkg/def#"
ID = "https://w3id.org/tipkg/id/"
#: The prefixes the corpus harness declares before every query.
PREFIXES = {
    "tipkg": TIPKG,
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
}
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
KEYS = {
    "fact": {"what", "ask"},
    "absent": {"what", "ask"},
    "set": {"what", "select", "rows"},
    "pending": {"what"},
}
FACTS_PER_DOCUMENT = range(40, 121)
#: Kinds of id/ IRIs the extractor mints from the text (the rest come from data/reference/).
MINTED = ("document/", "meeting/", "person/", "decision/cop-extended-bureau/")
TERM_RE = re.compile(r"\btipkg:([A-Za-z][A-Za-z0-9]*)")
IRI_RE = re.compile(r"<([^<>\s]*)>")
BASE_RE = re.compile(r"^\s*BASE\s*<([^>]*)>", re.IGNORECASE)


@dataclass
class Report:
    """Problems found, each naming the file and the table."""

    problems: list[str]

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def defined_terms() -> set[str]:
    """Local names of the tipkg: terms the ontology defines (subjects in its namespace)."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    return {
        q.subject.value.removeprefix(TIPKG)
        for q in store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(TIPKG)
    }


def reference_iris() -> set[str]:
    """Every IRI data/reference/ describes (as a subject)."""
    store = ox.Store()
    for path in sorted(REFERENCE.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.NamedNode)
    }


def announced_iris() -> set[str]:
    """The id: IRIs listed under "Reference data to add" in the README."""
    text = (HERE / "README.md").read_text(encoding="utf-8")
    if "## Reference data to add" not in text:
        return set()  # all of it is in data/reference/ now
    section = text.split("## Reference data to add", 1)[-1].split("\n## ", 1)[0]
    return {ID + local for local in re.findall(r"`id:([^`\s]+)`", section)}


def expand(curie: str) -> str | None:
    """The IRI of a CURIE in a set row, or None for a literal."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def check_iri(iri: str, where: str, known: set[str], report: Report) -> None:
    """A reference IRI must exist in data/reference/ or be announced in the README."""
    if not iri.startswith(ID):
        return
    local = iri.removeprefix(ID)
    if local.startswith(MINTED) or iri in known:
        return
    if local.startswith("state/"):
        report.add(where, f"{local} is not a State in data/reference/states.ttl")
    else:
        report.add(
            where, f"{local} is neither in data/reference/ nor under 'Reference data to add'"
        )


def run_query(text: str, where: str, kind: str, report: Report) -> ox.QuerySolutions | None:
    """Parse and run one query on an empty store; None if it fails or has the wrong form."""
    try:
        result = ox.Store().query(PROLOGUE + text)
    except SyntaxError as error:
        report.add(where, f"query does not parse: {error}")
        return None
    if kind == "ask" and not isinstance(result, ox.QueryBoolean):
        report.add(where, "an ASK query is expected")
    if kind == "select" and not isinstance(result, ox.QuerySolutions):
        report.add(where, "a SELECT query is expected")
    return result if isinstance(result, ox.QuerySolutions) else None


def query_iris(text: str) -> list[str]:
    """The id: IRIs a query names, resolved against its BASE."""
    match = BASE_RE.match(text)
    base = match.group(1) if match else ""
    body = text[match.end() :] if match else text
    iris = [base + i if not re.match(r"[a-z]+:", i) else i for i in IRI_RE.findall(body)]
    iris += [ID + c for c in re.findall(r"\bid:([\w\-./]+)", body)]
    return iris


def check_table(
    kind: str, table: dict, where: str, terms: set[str], known: set[str], report: Report
) -> int:
    """Check one table; return the number of expected rows (1 for a fact or absent check)."""
    extra = set(table) - KEYS[kind]
    missing = KEYS[kind] - set(table)
    if extra or missing:
        report.add(where, f"keys {sorted(extra)} unknown, {sorted(missing)} missing")
        return 0
    if not isinstance(table["what"], str) or not table["what"].strip():
        report.add(where, "'what' must say in words what is checked")
    if kind == "pending":
        return 0
    text = table["ask"] if kind != "set" else table["select"]
    for term in TERM_RE.findall(text):
        if term not in terms:
            report.add(where, f"tipkg:{term} is not defined in ontology/tipkg.ttl")
    for iri in query_iris(text):
        check_iri(iri, where, known, report)
    solutions = run_query(text, where, "ask" if kind != "set" else "select", report)
    if kind != "set":
        return 1
    rows = table["rows"]
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and all(isinstance(v, str) for v in r) for r in rows
    ):
        report.add(where, "rows must be a list of lists of strings")
        return 0
    if len({tuple(r) for r in rows}) != len(rows):
        report.add(where, "rows repeat")
    if solutions is not None:
        width = len(solutions.variables)
        for row in rows:
            if len(row) != width:
                report.add(where, f"row {row} has {len(row)} values for {width} variables")
    for row in rows:
        for value in row:
            iri = expand(value)
            if iri:
                check_iri(iri, where, known, report)
    return len(rows)


def check_document(
    stem: str, manifest: dict, terms: set[str], known: set[str], report: Report
) -> dict[str, int]:
    """Check one document's text and facts file; return its counts of tables and set rows."""
    if not (HERE / f"{stem}.txt").is_file():
        report.add(f"{stem}.txt", "the document text is missing")
    if "symbol" not in manifest.get(stem, {}):
        report.add("manifest.toml", f"[{stem}] has no symbol")
    path = HERE / f"{stem}.facts.toml"
    try:
        facts = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        report.add(path.name, f"cannot be read: {error}")
        return {}
    unknown = set(facts) - set(KEYS)
    if unknown:
        report.add(path.name, f"unknown tables {sorted(unknown)}")
    counts = {kind: 0 for kind in KEYS}
    rows = 0
    for kind in KEYS:
        for n, table in enumerate(facts.get(kind, []), start=1):
            where = f"{path.name} [[{kind}]] #{n} ({table.get('what', '?')!r})"
            rows += check_table(kind, table, where, terms, known, report)
            counts[kind] += 1
    checked = counts["fact"] + counts["absent"] + counts["set"]
    if checked not in FACTS_PER_DOCUMENT:
        report.add(path.name, f"{checked} checks; aim for 40-120 per document")
    return counts | {"rows": rows - counts["fact"] - counts["absent"]}


def summary(name: str, counts: dict[str, int]) -> str:
    """One line of counts: facts, absent checks, sets (with their rows), pending facts."""
    if not counts:
        return f"{name}: unreadable"
    return (
        f"{name}: {counts['fact']} facts, {counts['absent']} absent, {counts['set']} sets "
        f"({counts['rows']} rows), {counts['pending']} pending"
    )


def main() -> int:
    """Check the whole corpus; print a summary and the problems; return the exit code."""
    report = Report([])
    manifest = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
    terms = defined_terms()
    known = reference_iris() | announced_iris()
    stems = sorted(
        set(manifest) | {p.name.removesuffix(".facts.toml") for p in HERE.glob("*.facts.toml")}
    )
    total = dict.fromkeys([*KEYS, "rows"], 0)
    for stem in stems:
        counts = check_document(stem, manifest, terms, known, report)
        print(summary(stem, counts))
        for key, value in counts.items():
            total[key] += value
    print(summary("corpus", total))
    for problem in report.problems:
        print("PROBLEM", problem)
    print(f"{len(stems)} documents, {len(report.problems)} problem(s)")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
