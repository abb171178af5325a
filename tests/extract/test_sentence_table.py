"""Every row of the sentence table (server/tipkg/extract/sentences.toml) reads its example.

Each example is printed in a small report of the UN's layout (masthead, meeting line,
a summary of deliberations, attendance and the adopted agenda); the test checks that the
row itself (not an earlier one) reads the sentence, that the paragraph is understood,
and that the facts the row lists in ``expect`` are in the extracted graph.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from tipkg.extract import Manifest, extract
from tipkg.extract.patterns import load_table, table_rows
from tipkg.extract.references import body_names
from tipkg.vocab import ID, TIPKG

ROWS = table_rows()
ONTOLOGY = Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "tipkg.ttl")
MEETING_PARTS = (
    "statement/",
    "item/",
    "office/",
    "participation/",
    "attendance-list/",
    "adoption/",
    "plenary/",
)
AGENDA = [
    "1. Opening of the meeting.",
    "2. Topic two.",
    "3. Topic three.",
    "4. Topic four.",
    "5. Adoption of the report.",
]


def report(row: dict[str, object]) -> tuple[str, int]:
    """Return a report printing the row's example, and the example's paragraph number."""
    meeting = int(row.get("meeting", 12))  # type: ignore[call-overload]
    ordinal = {12: "Twelfth", 3: "Third"}[meeting]
    example = str(row["example"])
    children = [f" {line}" for line in row.get("children", [])]  # type: ignore[union-attr]
    agenda_row = row["reads"] == "agenda-adoption"
    paragraphs: list[str | None] = [
        "The present report was prepared by the secretariat.",
        "The discussion under item 2 was facilitated by Hilary Axam, Director (United States of America).",
        None if not agenda_row else "The Working Group discussed the topic.",
        "The Holy See, a non-member State maintaining a permanent observer mission, was represented by an observer.",
        "The following intergovernmental organizations were represented by observers: INTERPOL.",
        "The following States that are not parties or signatories to the Protocol were represented by observers: Iran (Islamic Republic of) and Pakistan.",
        None
        if agenda_row
        else "At its 1st meeting, on 29 June 2022, the Working Group adopted by consensus the following agenda:",
    ]
    lines = [
        "Conference of the Parties to the United Nations Convention against Transnational Organized Crime",
        "Distr.: Limited",
        "14 July 2022",
        "Original: English",
        "Working Group on Trafficking in Persons",
        "Vienna, 29 and 30 June 2022",
        f"{ordinal} meeting",
        "Draft report",
        "I. Introduction",
    ]
    at = 0
    for index, text in enumerate(paragraphs):
        number = index + 1
        if index == 1:
            lines += ["II. Summary of deliberations", "A. Topic two"]
        if index == 3:
            lines += ["III. Organization of the meeting"]
        if text is None:
            at = number
            lines += [f"{number}. {example}", *children]
        else:
            lines.append(f"{number}. {text}")
        if index == 6 and not agenda_row:
            lines += [f" {line}" for line in AGENDA]
    return "\n\n".join(lines) + "\n", at


def term(token: str, meeting: URIRef, example: URIRef) -> URIRef | str:
    """Turn a token of an ``expect`` line into an IRI, or leave a literal's text."""
    if token == "meeting":
        return meeting
    if token == "example":
        return example
    if token.startswith(MEETING_PARTS):
        return URIRef(f"{meeting}/{token}")
    if token.startswith("http"):
        return URIRef(token)
    if "/" in token and token.split("/")[0].islower():
        return ID[token]
    if token.isalpha() and (TIPKG[token], None, None) in ONTOLOGY:
        return TIPKG[token]
    return token


@pytest.mark.parametrize("row", ROWS, ids=[str(r["id"]) for r in ROWS])
def test_row_reads_its_example(
    row: dict[str, object], tmp_path: Path, reference_graph: Graph
) -> None:
    table = load_table(tuple(body_names(reference_graph, ID["body/wg-tip"])))
    found = table.match(str(row["example"]))
    assert found is not None, f"no row reads the example of {row['id']}"
    assert found[0].id == row["id"], f"row {found[0].id} reads the example of {row['id']} first"
    if row["reads"] == "opening":
        return  # the sentence of an agenda: tested in test_agenda
    text, at = report(row)
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    symbol = "CTOC/COP/WG.4/2099/L.1"
    extraction = extract(path, {"doc": Manifest(symbol)}, reference_graph)
    findings = [str(f) for f in extraction.coverage.findings]
    assert findings == []
    graph = extraction.graph
    meeting = next(iter(graph.objects(ID[f"document/{symbol}"], TIPKG.preparedFor)))
    example = ID[f"document/{symbol}/para/{at}"]
    for line in row["expect"]:  # type: ignore[attr-defined]
        subject, predicate, value = str(line).split(" ", 2)
        s = term(subject, meeting, example)
        objects = list(graph.objects(URIRef(s), TIPKG[predicate]))
        wanted = term(value, meeting, example)
        if isinstance(wanted, URIRef):
            assert wanted in objects, f"{line}: found {objects}"
        else:
            assert any(isinstance(o, Literal) and str(o) == wanted for o in objects), (
                f"{line}: found {objects}"
            )
