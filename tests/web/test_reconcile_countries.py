"""Reconciling a column of country names as UN documents print them: every name variant the
reference data holds (six UN languages, the UN's short and formal names, altLabels, the
spellings documents use), printed in capitals, without accents, with "the" or another
apostrophe, as OpenRefine sends them. The right State must come first for at least 99 %,
and ``match: true`` must be given only where the name is unambiguous."""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from tests.conftest import ROOT
from tests.web.reconcile_client import OpenRefine
from tipkg.store.search_text import name_key

STATE = URIRef("https://w3id.org/tipkg/def#State")
NAMES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


def _variants() -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """(name as printed, ISO alpha-3) for every name of every State, printed several ways;
    and the States each name key belongs to."""
    graph = Graph().parse(ROOT / "data" / "reference" / "states.ttl")
    names: list[tuple[str, str]] = []
    for state in graph.subjects(RDF.type, STATE):
        code = str(state).rsplit("/", 1)[-1]
        names += [(str(o), code) for p in NAMES for o in graph.objects(state, p)]
    owners: dict[str, set[str]] = defaultdict(set)
    for name, code in names:
        owners[name_key(name)].add(code)
    printed = []
    for name, code in sorted(set(names)):
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", name) if unicodedata.category(c) != "Mn"
        )
        for form in {name, name.upper(), bare, name.replace("'", "’"), name.replace("’", "'")}:
            printed.append((form, code))
        if name[:1].isupper() and " " in name and name.isascii():
            printed.append((f"the {name}", code))
    return printed, owners


PRINTED, OWNERS = _variants()
#: Names that are only part of a State's name: they must never be a match.
PARTIAL = [
    "Korea",
    "Republic",
    "Islands",
    "Saint",
    "Emirates",
    "Democratic Republic",
    "Sudan South",
]


@pytest.fixture(scope="module")
def column() -> list[tuple[str, str]]:
    """The column: 200 printed names drawn (with a fixed seed) from all the variants."""
    return random.Random(14).sample(PRINTED, 200)


def test_the_reference_data_has_many_variants() -> None:
    assert len({code for _, code in PRINTED}) >= 195
    assert len(PRINTED) >= 2000
    assert len({name for name, _ in PRINTED}) >= 1500


def test_a_column_of_200_printed_names_finds_the_right_states(
    app_client: TestClient, column: list[tuple[str, str]]
) -> None:
    refine = OpenRefine(app_client)
    refine.manifest()
    queries = [{"query": name, "type": "State", "type_strict": "should"} for name, _ in column]
    results = refine.reconcile(queries)
    right = sum(
        bool(r) and r[0]["id"] == f"state/{code}"
        for r, (_, code) in zip(results, column, strict=True)
    )
    assert right / len(column) >= 0.99, right
    for result, (name, code) in zip(results, column, strict=True):
        matched = [c["id"] for c in result if c["match"]]
        unambiguous = OWNERS[name_key(name)] == {code}
        assert matched == ([f"state/{code}"] if unambiguous else []), (name, result[:2])


def test_every_printed_variant_finds_its_state(app_client: TestClient) -> None:
    """The whole list, not a sample: the right State first for at least 99 %, and a match
    only for an unambiguous name."""
    results = OpenRefine(app_client).reconcile(
        [{"query": name, "type": "State"} for name, _ in PRINTED]
    )
    right = 0
    for result, (name, code) in zip(results, PRINTED, strict=True):
        right += bool(result) and result[0]["id"] == f"state/{code}"
        for candidate in result:
            if candidate["match"]:
                assert OWNERS[name_key(name)] == {candidate["id"].removeprefix("state/")}
    assert right / len(PRINTED) >= 0.99, (right, len(PRINTED))


def test_part_of_a_name_is_never_a_match(app_client: TestClient) -> None:
    results = OpenRefine(app_client).reconcile([{"query": n, "type": "State"} for n in PARTIAL])
    for name, result in zip(PARTIAL, results, strict=True):
        assert result, name
        assert not any(c["match"] for c in result), name
        assert all(c["score"] < 100 for c in result), name


@pytest.mark.parametrize(
    ("code", "state"),
    [("TR", "TUR"), ("tur", "TUR"), ("792", "TUR"), ("4", "AFG"), ("Q43", "TUR"), ("va", "VAT")],
)
def test_codes_find_their_state(app_client: TestClient, code: str, state: str) -> None:
    (result,) = OpenRefine(app_client).reconcile([{"query": code, "type": "State"}])
    assert result[0]["id"] == f"state/{state}" and result[0]["match"]
