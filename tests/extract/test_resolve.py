"""Resolving printed names to reference IRIs, and refusing unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from tipkg.extract.resolve import ExtractError, NameIndex, Where

WHERE = Where(Path("data/sources/x.txt"), 41)


@pytest.fixture(scope="module")
def names(reference_graph: Graph) -> NameIndex:
    return NameIndex(reference_graph)


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Türkiye", "state/TUR"),
        ("Turkey", "state/TUR"),
        ("United States", "state/USA"),
        ("United States of America", "state/USA"),
        ("Venezuela (Bolivarian Republic of)", "state/VEN"),
        ("the Islamic Republic of Iran", "state/IRN"),
        ("Czechia", "state/CZE"),
        ("Côte d'Ivoire", "state/CIV"),
        ("Holy See", "state/VAT"),
        ("INTERPOL", "organization/interpol"),
        ("Attorney General’s Office", "organization/slv-attorney-generals-office"),
        ("European Union", "organization/european-union"),
    ],
)
def test_names_resolve(names: NameIndex, printed: str, key: str) -> None:
    assert str(names.resolve(printed, WHERE)).endswith(f"/id/{key}")


def test_lists_with_commas_inside_names_and_acronyms(names: NameIndex) -> None:
    iris, complete = names.resolve_list(
        "European Institute for Crime Prevention and Control, affiliated with the United "
        "Nations, European Union Agency for Criminal Justice Cooperation (Eurojust), "
        "Migration, Asylum, Refugees Regional Initiative, The Organization for Security and "
        "Co-operation in Europe (OSCE) and Organization of American States",
        WHERE,
    )
    assert [str(i).rsplit("/", 1)[1] for i in iris] == ["heuni", "eurojust", "marri", "osce", "oas"]
    assert complete


def test_truncated_lists_are_flagged(names: NameIndex) -> None:
    iris, complete = names.resolve_list("Czechia [...]", WHERE)
    assert [str(i).rsplit("/", 1)[1] for i in iris] == ["CZE"]
    assert not complete


def test_an_unknown_name_is_an_error_naming_the_file_line_and_name(names: NameIndex) -> None:
    with pytest.raises(ExtractError) as error:
        names.resolve_list("Algeria, Atlantis and Chile", WHERE)
    message = str(error.value)
    assert message.startswith('data/sources/x.txt:41: "Atlantis" is not a State')
    assert "data/reference/" in message


@pytest.mark.parametrize(
    "debris",
    [
        "Transnational Organized Crime       Distr.: General",
        "14 July 2022",
        "a signatory to the Protocol",
        "Original: English Working Group on Trafficking in Persons",
    ],
)
def test_layout_debris_is_not_a_name(names: NameIndex, debris: str) -> None:
    with pytest.raises(ExtractError, match="layout debris") as raised:
        names.resolve_list(f"Algeria, {debris}", WHERE)
    assert "do not add it to data/reference/" in str(raised.value)
    assert str(raised.value).startswith("data/sources/x.txt:41:")


def test_an_unknown_name_that_looks_like_one_is_to_be_added(names: NameIndex) -> None:
    with pytest.raises(ExtractError, match="Add it"):
        names.resolve_list("Algeria and Republic of Atlantis", WHERE)
