"""The corpus's facts files are well formed: they parse, their queries run, their terms exist.

This checks the corpus itself, without the extractor; the extraction tests score the
extractor against these facts.
"""

from __future__ import annotations

import tomllib

import pytest

from tests.extract.corpus import check_facts

MANIFEST = tomllib.loads((check_facts.HERE / "manifest.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def terms() -> set[str]:
    return check_facts.defined_terms()


@pytest.fixture(scope="module")
def known() -> set[str]:
    return check_facts.reference_iris() | check_facts.announced_iris()


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_facts_file_is_well_formed(stem: str, terms: set[str], known: set[str]) -> None:
    report = check_facts.Report([])
    check_facts.check_document(stem, MANIFEST, terms, known, report)
    assert report.problems == []


def test_every_facts_file_is_in_the_manifest() -> None:
    stems = {p.name.removesuffix(".facts.toml") for p in check_facts.HERE.glob("*.facts.toml")}
    assert stems == set(MANIFEST)


def test_check_catches_an_undefined_term_and_an_unknown_state(
    terms: set[str], known: set[str]
) -> None:
    report = check_facts.Report([])
    table = {"what": "bad", "ask": "ASK { ?s tipkg:speakr <https://w3id.org/tipkg/id/state/XXX> }"}
    check_facts.check_table("fact", table, "here", terms, known, report)
    assert any("tipkg:speakr" in p for p in report.problems)
    assert any("state/XXX" in p for p in report.problems)


def test_check_catches_a_row_of_the_wrong_width(terms: set[str], known: set[str]) -> None:
    report = check_facts.Report([])
    table = {"what": "bad", "select": "SELECT ?a ?b WHERE { ?a ?p ?b }", "rows": [["x"]]}
    check_facts.check_table("set", table, "here", terms, known, report)
    assert any("1 values for 2 variables" in p for p in report.problems)
