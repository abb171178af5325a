"""Score an extracted graph against a corpus document's expected facts ({stem}.facts.toml).

A facts file holds ``[[fact]]`` (an ASK that must hold), ``[[absent]]`` (an ASK that must
not: a fact the extractor must not invent), ``[[set]]`` (a SELECT whose rows must be
exactly the listed rows) and ``[[pending]]`` (facts waiting for an ontology term; not
scored). Each fact and each expected row of a set counts as one expected fact; a row a
set did not list, and an absent fact that holds, count as invented.

Run from the repository root to print the score of a directory of documents::

    python -m tests.extract.corpus_score tests/extract/corpus
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from tests.extract.corpus.check_facts import PREFIXES, PROLOGUE


@dataclass
class Score:
    """Checks right and missed, and facts invented, for one document."""

    stem: str
    checks: int = 0
    checks_right: int = 0
    missed: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.stem}: {self.checks_right}/{self.checks} checks right, "
            f"{len(self.invented)} invented"
        )


def _term(text: str) -> str:
    """A cell of a set's rows, as the query returns it: id:x -> IRI, else as written."""
    for prefix, iri in PREFIXES.items():
        if text.startswith(f"{prefix}:"):
            return iri + text.removeprefix(f"{prefix}:")
    return text


def _value(term: object) -> str:
    return term.value if hasattr(term, "value") else str(term)  # type: ignore[attr-defined]


def score(stem: str, graph: Graph, facts: Path, reference: Graph | None = None) -> Score:
    """Score ``graph`` (with ``reference``, as the build would hold both) against ``facts``.

    Each fact, absent fact and set is one check; a set is right when its rows are exactly
    the listed ones. A missing row or fact is missed; an absent fact that holds, or a row
    no set lists, is invented.
    """
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    if reference is not None:
        store.load(reference.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    table = tomllib.loads(facts.read_text(encoding="utf-8"))
    result = Score(stem)
    for fact in table.get("fact", []):
        result.checks += 1
        if store.query(PROLOGUE + fact["ask"]):
            result.checks_right += 1
        else:
            result.missed.append(fact["what"])
    for fact in table.get("absent", []):
        result.checks += 1
        if store.query(PROLOGUE + fact["ask"]):
            result.invented.append(fact["what"])
        else:
            result.checks_right += 1
    for fact in table.get("set", []):
        result.checks += 1
        wanted = {tuple(_term(c) for c in row) for row in fact["rows"]}
        rows = store.query(PROLOGUE + fact["select"])
        found = {tuple(_value(v) for v in row) for row in rows}  # type: ignore[union-attr]
        if found == wanted:
            result.checks_right += 1
        result.missed += [f"{fact['what']}: {row}" for row in sorted(wanted - found)]
        result.invented += [f"{fact['what']}: {row}" for row in sorted(found - wanted)]
    return result


def main() -> int:
    from tipkg.extract import extract, load_manifest

    directory = Path(sys.argv[1])
    root = Path(__file__).resolve().parents[2]
    reference = Graph()
    for path in sorted((root / "data" / "reference").glob("*.ttl")):
        reference.parse(path)
    manifest = load_manifest(directory / "manifest.toml")
    total = Score("all")
    for stem in manifest:
        extraction = extract(directory / f"{stem}.txt", manifest, reference)
        result = score(stem, extraction.graph, directory / f"{stem}.facts.toml", reference)
        print(result, "|", extraction.coverage.summary())
        for what in result.missed:
            print(f"  missed: {what}")
        for what in result.invented:
            print(f"  invented: {what}")
        for finding in extraction.coverage.findings:
            print(f"  {finding}")
        total.checks_right += result.checks_right
        total.checks += result.checks
        total.invented += result.invented
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
