"""The names of unlabelled resources (graph/labels): every resource of a real build has a
human name, never the last piece of its IRI, and each kind's rule gives what a reader
expects, whatever the State, meeting, item or document."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.build.labels import label_rows
from tipkg.build.terms import Terms, rows
from tipkg.store.names import Facts, made_name, name, short_meeting

BASE = "https://w3id.org/tipkg/"
ID = f"{BASE}id/"
T = "https://w3id.org/tipkg/def#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORDINALS = ["first", "second", "seventh", "tenth", "twelfth", "twentieth"]
STATES = {"AZE": "Azerbaijan", "CIV": "Côte d'Ivoire", "NLD": "Netherlands (Kingdom of the)"}


def facts_of(turtle: str) -> Facts:
    prefixes = f"@prefix t: <{T}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    return Facts(ox.parse(prefixes + turtle, format=ox.RdfFormat.TURTLE, base_iri=ID))


def meeting_turtle(ordinal: int) -> str:
    word = ORDINALS[ordinal]
    return (
        f'<meeting/wg-tip/{ordinal}> a t:Meeting ; rdfs:label "{word} meeting of the Working '
        f'Group on Trafficking in Persons"@en .\n'
        f'<meeting/wg-tip/{ordinal}/item/4> a t:AgendaItem ; t:itemNumber "4" ; '
        f'rdfs:label "Item 4: Other matters"@en .\n'
    )


@pytest.mark.parametrize("ordinal", range(len(ORDINALS)))
@pytest.mark.parametrize("code", sorted(STATES))
def test_statement_and_participation_names(ordinal: int, code: str) -> None:
    meeting = f"<meeting/wg-tip/{ordinal}>"
    facts = facts_of(
        meeting_turtle(ordinal)
        + f'<state/{code}> a t:MemberState ; rdfs:label "{STATES[code]}"@en , "x"@fr .\n'
        + f"<meeting/wg-tip/{ordinal}/statement/41> a t:Statement ; t:speaker <state/{code}> ;"
        + f" t:underItem <meeting/wg-tip/{ordinal}/item/4> ; t:atMeeting {meeting} .\n"
        + f"<meeting/wg-tip/{ordinal}/participation/{code}> a t:Participation ;"
        + f" t:participant <state/{code}> ; t:participationIn {meeting} .\n"
    )
    word = ORDINALS[ordinal]
    statement = ox.NamedNode(f"{ID}meeting/wg-tip/{ordinal}/statement/41")
    participation = ox.NamedNode(f"{ID}meeting/wg-tip/{ordinal}/participation/{code}")
    assert made_name(facts, statement) == (
        f"Statement by {STATES[code]} under item 4, {word} meeting"
    )
    assert made_name(facts, participation) == (
        f"Participation of {STATES[code]} in the {word} meeting"
    )
    assert short_meeting(facts, ox.NamedNode(f"{ID}meeting/wg-tip/{ordinal}"), ["en"]) == (
        f"{word} meeting"
    )


@pytest.mark.parametrize(
    ("symbol", "issued", "expected"),
    [
        ("CTOC/COP/WG.4/2022/4", "2022-07-14", "CTOC/COP/WG.4/2022/4 — Report (2022)"),
        ("CTOC/COP/WG.4/2017/L.1", "", "CTOC/COP/WG.4/2017/L.1 — Report (2017)"),
        ("S/RES/2331(2016)", "", "S/RES/2331(2016) — Report"),
    ],
)
def test_document_and_paragraph_names(symbol: str, issued: str, expected: str) -> None:
    date = f' ; t:issued "{issued}"' if issued else ""
    facts = facts_of(
        f'<document/{symbol}> t:symbol "{symbol}" ; t:title "Report"@en{date} .\n'
        f"<document/{symbol}/para/37> a t:Paragraph ; t:paragraphNumber 37 ;"
        f" t:partOfDocument <document/{symbol}> .\n"
    )
    assert made_name(facts, ox.NamedNode(f"{ID}document/{symbol}")) == expected
    assert made_name(facts, ox.NamedNode(f"{ID}document/{symbol}/para/37")) == (
        f"Paragraph 37 of {symbol}"
    )


def test_a_label_in_the_readers_language_wins() -> None:
    facts = facts_of('<state/AZE> rdfs:label "Azerbaijan"@en , "Azerbaïdjan"@fr .')
    node = ox.NamedNode(f"{ID}state/AZE")
    assert name(facts, node, ("fr", "en")) == "Azerbaïdjan"
    assert name(facts, node, ("ru", "en")) == "Azerbaijan"  # no Russian: English


def test_an_unknown_kind_gets_its_class_and_number_not_the_iri() -> None:
    facts = facts_of(
        f'<x/thing/5> a t:Gadget . t:Gadget rdfs:label "gadget"@en .\n<x/bare/7> <{T}p> 1 .'
    )
    assert made_name(facts, ox.NamedNode(f"{ID}x/thing/5"), base_iri=BASE) == "Gadget 5"
    assert made_name(facts, ox.NamedNode(f"{ID}x/bare/7"), base_iri=BASE) == "7"
    assert made_name(facts, ox.NamedNode("http://example.org/a"), base_iri=BASE) == ""


def test_label_rows_name_only_unlabelled_resources() -> None:
    turtle = (
        meeting_turtle(4)
        + '<state/AZE> rdfs:label "Azerbaijan"@en .\n'
        + "<meeting/wg-tip/4/statement/1> a t:Statement ; t:speaker <state/AZE> ;"
        + " t:atMeeting <meeting/wg-tip/4> .\n"
    )
    prefixes = f"@prefix t: <{T}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    terms = Terms()
    parsed = ox.parse(prefixes + turtle, format=ox.RdfFormat.TURTLE, base_iri=ID)
    data = rows([terms.id(x) for t in parsed for x in (t.subject, t.predicate, t.object)])
    labels = list(terms.triples(label_rows(terms, [data], BASE)))
    labels = [ox.Triple(*t) for t in labels]  # type: ignore[misc]
    assert [(t.subject.value, t.object.value) for t in labels] == [
        (f"{ID}meeting/wg-tip/4/statement/1", "Statement by Azerbaijan, twelfth meeting")
    ]
    assert labels[0].object.language == "en"


def test_every_resource_of_the_build_has_a_human_name(project_build: Path) -> None:
    store = ox.Store.read_only(str(project_build))
    rows = list(
        store.query(
            f"""SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
              ?s a ?type FILTER(STRSTARTS(STR(?s), "{ID}"))
              OPTIONAL {{ ?s <{LABEL}> ?l FILTER(LANG(?l) IN ("en", "")) }}
            }} GROUP BY ?s"""
        )
    )
    assert len(rows) > 900
    unnamed = [r["s"].value for r in rows if r["label"] is None]
    assert not unnamed, unnamed[:20]
    # never the last piece of the IRI ("4", "41", "AZE"), which the issue found as headings
    bare = [
        (r["s"].value, r["label"].value)
        for r in rows
        if r["label"].value == r["s"].value.rstrip("/").rsplit("/", 1)[-1]
    ]
    assert not bare, bare[:20]
    named = {r["s"].value: r["label"].value for r in rows}
    assert named[f"{ID}meeting/wg-tip/12/statement/41"] == (
        "Statement by Azerbaijan under item 4, twelfth meeting"
    )
    assert named[f"{ID}document/CTOC/COP/WG.4/2022/4/para/37"] == (
        "Paragraph 37 of CTOC/COP/WG.4/2022/4"
    )
    assert named[f"{ID}document/CTOC/COP/WG.4/2022/4"].startswith(
        "CTOC/COP/WG.4/2022/4 — Report on the meeting of the Working Group"
    )
    assert named[f"{ID}document/CTOC/COP/WG.4/2022/4"].endswith("(2022)")
    graph = list(store.quads_for_pattern(None, None, None, ox.NamedNode(f"{BASE}graph/labels")))
    assert graph and all(q.predicate.value == LABEL for q in graph)
