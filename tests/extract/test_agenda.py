"""Facts of the three annotated provisional agendas (2018, 2021, 2022)."""

from __future__ import annotations

import pytest

from tests.extract.conftest import Select

A2018 = "wg4-2018-annotated-provisional-agenda"
A2021 = "wg4-2021-annotated-provisional-agenda"
A2022 = "wg4-2022-annotated-provisional-agenda"


@pytest.mark.parametrize(
    ("stem", "symbol", "issued", "meeting", "start", "end", "opening"),
    [
        (
            A2018,
            "CTOC/COP/WG.4/2018/1",
            "2018-04-09",
            "8",
            "2018-07-02",
            "2018-07-03",
            "2018-07-02T10:00:00+02:00",
        ),
        (
            A2021,
            "CTOC/COP/WG.4/2021/1",
            "2021-08-12",
            "11",
            "2021-10-12",
            "2021-10-13",
            "2021-10-12T11:00:00+02:00",
        ),
        (
            A2022,
            "CTOC/COP/WG.4/2022/1",
            "2022-03-16",
            "12",
            "2022-06-29",
            "2022-06-30",
            "2022-06-29T10:00:00+02:00",
        ),
    ],
)
def test_document_and_meeting(
    select: Select,
    stem: str,
    symbol: str,
    issued: str,
    meeting: str,
    start: str,
    end: str,
    opening: str,
) -> None:
    rows = select(
        stem,
        """
        SELECT ?symbol ?issued ?distribution ?language ?ordinal ?start ?end ?opening ?venue ?body
        WHERE {
          ?doc a tipkg:AnnotatedProvisionalAgenda ; tipkg:symbol ?symbol ; tipkg:issued ?issued ;
               tipkg:distribution ?distribution ; tipkg:originalLanguage ?language ;
               tipkg:issuingBody ?body ; tipkg:preparedFor ?m .
          ?m tipkg:ordinal ?ordinal ; tipkg:startDate ?start ; tipkg:endDate ?end ;
             tipkg:openingTime ?opening ; tipkg:venue ?venue .
        }""",
    )
    assert rows == [
        (
            symbol,
            issued,
            "https://w3id.org/tipkg/def#GeneralDistribution",
            "http://publications.europa.eu/resource/authority/language/ENG",
            meeting,
            start,
            end,
            opening,
            "place/vienna",
            "body/cop",
        )
    ]


@pytest.mark.parametrize(
    ("stem", "items"),
    [
        (A2018, ["1", "1 (a)", "1 (b)", "2", "3", "4", "5"]),
        (A2021, ["1", "1 (a)", "1 (b)", "2", "3", "4", "5"]),
        (A2022, ["1", "1 (a)", "1 (b)", "2", "3", "4", "5", "6"]),
    ],
)
def test_provisional_agenda_items_in_order(select: Select, stem: str, items: list[str]) -> None:
    rows = select(
        stem,
        """
        SELECT ?number WHERE {
          ?agenda a tipkg:ProvisionalAgenda ; tipkg:listsItem ?item .
          ?item tipkg:itemNumber ?number ; tipkg:position ?position .
        } ORDER BY ?position""",
    )
    assert [r[0] for r in rows] == items


def test_sub_items_and_titles_2022(select: Select) -> None:
    rows = select(
        A2022,
        """
        SELECT ?item ?title ?parent WHERE {
          ?item tipkg:title ?title . OPTIONAL { ?item tipkg:subItemOf ?parent }
          FILTER(STRSTARTS(STR(?item), STR(<meeting/wg-tip/12/item/1>)))
        } ORDER BY ?item""",
    )
    assert rows == [
        ("meeting/wg-tip/12/item/1", "Organizational matters", "None"),
        ("meeting/wg-tip/12/item/1a", "Opening of the meeting", "meeting/wg-tip/12/item/1"),
        (
            "meeting/wg-tip/12/item/1b",
            "Adoption of the agenda and organization of work",
            "meeting/wg-tip/12/item/1",
        ),
    ]


def test_documentation_per_item_2022(select: Select) -> None:
    rows = select(
        A2022,
        """
        SELECT ?item ?symbol WHERE { ?item tipkg:documentation ?doc . ?doc tipkg:symbol ?symbol }
        ORDER BY ?item ?symbol""",
    )
    assert rows == [
        ("meeting/wg-tip/12/item/2", "CTOC/COP/2020/CRP.2"),
        ("meeting/wg-tip/12/item/2", "CTOC/COP/WG.4/2020/2"),
        ("meeting/wg-tip/12/item/2", "CTOC/COP/WG.4/2022/2"),
        ("meeting/wg-tip/12/item/3", "CTOC/COP/2020/CRP.2"),
        ("meeting/wg-tip/12/item/3", "CTOC/COP/WG.4/2020/3"),
        ("meeting/wg-tip/12/item/3", "CTOC/COP/WG.4/2022/3"),
    ]


def test_no_documentation_foreseen(select: Select) -> None:
    rows = select(
        A2022,
        """
        SELECT ?item WHERE { ?item tipkg:noDocumentationForeseen true } ORDER BY ?item""",
    )
    assert rows == [("meeting/wg-tip/12/item/4",), ("meeting/wg-tip/12/item/5",)]


def test_document_kinds_and_titles(select: Select) -> None:
    rows = select(
        A2018,
        """
        SELECT ?symbol ?kind ?title WHERE {
          ?doc tipkg:symbol ?symbol ; a ?kind . OPTIONAL { ?doc tipkg:title ?title }
          FILTER(?kind != tipkg:Document)
        } ORDER BY ?symbol ?kind""",
    )
    assert (
        "CTOC/COP/WG.4/2018/2",
        "https://w3id.org/tipkg/def#BackgroundPaper",
        "International cooperation in cases of trafficking in persons: considering the needs "
        "and rights of victims",
    ) in rows
    kinds = {(r[0], r[1].rsplit("#", 1)[1]) for r in rows}
    assert ("CTOC/COP/WG.4/2018/CRP.1", "NonPaper") in kinds
    assert ("CTOC/COP/WG.4/2018/CRP.1", "ConferenceRoomPaper") in kinds


def test_thematic_compendium_2021(select: Select) -> None:
    rows = select(
        A2021,
        """
        SELECT ?item WHERE { ?doc a tipkg:ThematicCompendium ; tipkg:symbol "CTOC/COP/WG.4/2021/5" ;
                                  tipkg:documentationFor ?item ; tipkg:preparedBy <body/secretariat> }""",
    )
    assert rows == [("meeting/wg-tip/11/item/4",)]


@pytest.mark.parametrize(
    ("stem", "decisions"),
    [
        (
            A2018,
            [
                ("2018-01-22", "DecisionAtMeeting", "meeting/wg-tip/8"),
                ("2018-03-23", "SilenceProcedure", "meeting/wg-tip/8"),
            ],
        ),
        (
            A2021,
            [
                ("2020-09-11", "SilenceProcedure", "meeting/wg-tip/11"),
                ("2021-04-23", "SilenceProcedure", "meeting/wg-tip/11"),
                ("2021-08-11", "None", "meeting/wg-tip/11"),
            ],
        ),
        (
            A2022,
            [
                ("2021-03-02", "SilenceProcedure", "meeting/wg-tip/12"),
                ("2021-07-30", "SilenceProcedure", "meeting/wg-tip/12"),
            ],
        ),
    ],
)
def test_extended_bureau_decisions(
    select: Select, stem: str, decisions: list[tuple[str, ...]]
) -> None:
    rows = select(
        stem,
        """
        SELECT ?date ?procedure ?meeting WHERE {
          ?d a tipkg:Decision ; tipkg:adoptedBy <body/cop-extended-bureau> ; tipkg:actDate ?date .
          OPTIONAL { ?d tipkg:procedure ?p } OPTIONAL { ?d tipkg:concernsMeeting ?meeting }
          BIND(STRAFTER(STR(?p), "#") AS ?procedure)
        } ORDER BY ?date""",
    )
    assert [(r[0], r[1] or "None", r[2]) for r in rows] == decisions


def test_hybrid_format_only_where_stated(select: Select) -> None:
    assert select(A2021, "SELECT ?m WHERE { ?m tipkg:format ?f }") == [("meeting/wg-tip/11",)]
    assert select(A2022, "SELECT ?m WHERE { ?m tipkg:format ?f }") == []  # only "if" it has to


def test_organization_of_work_2022(select: Select) -> None:
    rows = select(
        A2022,
        """
        SELECT ?date ?start ?end ?number ?continued WHERE {
          ?slot a tipkg:TimeSlot ; tipkg:date ?date ; tipkg:startTime ?start ; tipkg:endTime ?end ;
                tipkg:position ?p .
          ?entry tipkg:inTimeSlot ?slot ; tipkg:scheduledItem ?item ; tipkg:position ?e ;
                 tipkg:continued ?continued .
          ?item tipkg:itemNumber ?number .
        } ORDER BY ?p ?e""",
    )
    assert rows == [
        ("2022-06-29", "2022-06-29T10:00:00+02:00", "2022-06-29T13:00:00+02:00", "1 (a)", "false"),
        ("2022-06-29", "2022-06-29T10:00:00+02:00", "2022-06-29T13:00:00+02:00", "1 (b)", "false"),
        ("2022-06-29", "2022-06-29T15:00:00+02:00", "2022-06-29T18:00:00+02:00", "2", "false"),
        ("2022-06-29", "2022-06-29T15:00:00+02:00", "2022-06-29T18:00:00+02:00", "2", "true"),
        ("2022-06-29", "2022-06-29T15:00:00+02:00", "2022-06-29T18:00:00+02:00", "3", "false"),
        ("2022-06-30", "2022-06-30T10:00:00+02:00", "2022-06-30T13:00:00+02:00", "3", "true"),
        ("2022-06-30", "2022-06-30T10:00:00+02:00", "2022-06-30T13:00:00+02:00", "4", "false"),
        ("2022-06-30", "2022-06-30T15:00:00+02:00", "2022-06-30T18:00:00+02:00", "5", "false"),
        ("2022-06-30", "2022-06-30T15:00:00+02:00", "2022-06-30T18:00:00+02:00", "6", "false"),
    ]


def test_planned_plenary_meetings_and_interpretation(select: Select) -> None:
    rows = select(
        A2022,
        """
        SELECT ?count (COUNT(?language) AS ?languages) WHERE {
          <meeting/wg-tip/12> tipkg:plannedPlenaryMeetingCount ?count ;
                                  tipkg:interpretationLanguage ?language } GROUP BY ?count""",
    )
    assert rows == [("4", "6")]


def test_acts_cited_and_their_provisions(select: Select) -> None:
    cited = select(
        A2022,
        "SELECT DISTINCT ?act WHERE { ?p tipkg:cites ?act . "
        "FILTER(STRSTARTS(STR(?act), STR(<resolution/>))) }"
        " ORDER BY ?act",
    )
    assert cited == [("resolution/cop/10-3",), ("resolution/cop/7-1",)]
    provisions = select(
        A2022,
        """
        SELECT ?act ?action WHERE { ?p tipkg:provisionOf ?act ; tipkg:action ?a .
                                    BIND(STRAFTER(STR(?a), "#") AS ?action) } ORDER BY ?act ?action""",
    )
    assert provisions == [
        ("resolution/cop/10-3", "Requests"),
        ("resolution/cop/7-1", "Decides"),
        ("resolution/cop/7-1", "Encourages"),
    ]


def test_security_council_resolutions_and_web_page_2021(select: Select) -> None:
    assert select(
        A2021,
        "SELECT DISTINCT ?act WHERE { ?p tipkg:cites ?act . "
        "FILTER(STRSTARTS(STR(?act), STR(<resolution/sc>))) } ORDER BY ?act",
    ) == [("resolution/sc/2331",), ("resolution/sc/2388",)]
    assert select(
        A2021, "SELECT ?page WHERE { ?p tipkg:citesWebPage ?page ; a tipkg:Paragraph }"
    ) == [("https://www.unodc.org/unodc/en/treaties/CTOC/working-group-on-trafficking-2021.html",)]


def test_earlier_meetings_named_in_2022(select: Select) -> None:
    rows = select(A2022, "SELECT ?m WHERE { ?m a tipkg:Meeting } ORDER BY ?m")
    assert rows == [
        ("meeting/cop/10",),
        ("meeting/cop/11",),
        ("meeting/wg-tip/10",),
        ("meeting/wg-tip/11",),
        ("meeting/wg-tip/12",),
    ]


def test_every_resource_traces_to_a_source(select: Select) -> None:
    for stem in (A2018, A2021, A2022):
        orphans = select(
            stem,
            """
            SELECT ?s WHERE { ?s a ?c . FILTER(?c IN (tipkg:AgendaItem, tipkg:Meeting, tipkg:Decision,
              tipkg:TimeSlot, tipkg:ScheduledItem, tipkg:Provision, tipkg:ProvisionalAgenda))
              FILTER NOT EXISTS { ?s tipkg:source ?p } }""",
        )
        assert orphans == [], stem
