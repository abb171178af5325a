"""Facts of the 2022 report and the 2017 draft report."""

from __future__ import annotations

from tests.extract.conftest import Select

R2017 = "wg4-2017-draft-report"
R2022 = "wg4-2022-report"
TIPKG = "https://w3id.org/tipkg/def#"


def _local(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [tuple(v.removeprefix(TIPKG) for v in row) for row in rows]


def test_reports_and_their_meetings(select: Select) -> None:
    query = """
        SELECT ?kind ?symbol ?distribution ?issued ?ordinal ?start ?end ?count WHERE {
          ?doc tipkg:symbol ?symbol ; a ?kind ; tipkg:distribution ?distribution ;
               tipkg:issued ?issued ; tipkg:preparedFor ?m .
          FILTER(?kind IN (tipkg:Report, tipkg:DraftReport))
          ?m tipkg:ordinal ?ordinal ; tipkg:startDate ?start ; tipkg:endDate ?end ;
             tipkg:plenaryMeetingCount ?count .
        }"""
    assert _local(select(R2022, query)) == [
        (
            "Report",
            "CTOC/COP/WG.4/2022/4",
            "LimitedDistribution",
            "2022-07-14",
            "12",
            "2022-06-29",
            "2022-06-30",
            "4",
        )
    ]
    assert _local(select(R2017, query)) == [
        (
            "DraftReport",
            "CTOC/COP/WG.4/2017/L.1",
            "LimitedDistribution",
            "2017-09-08",
            "7",
            "2017-09-06",
            "2017-09-08",
            "5",
        )
    ]


def test_fourteen_numbered_recommendations_2022(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?n ?section ?item WHERE {
          ?r a tipkg:Recommendation ; tipkg:recommendationNumber ?n ; tipkg:inSection ?s ;
             tipkg:aboutAgendaItem ?item ; tipkg:addressee <group/states-parties> ;
             tipkg:forwardedTo <body/cop> ; tipkg:adoptedAt <meeting/wg-tip/12> .
          ?s tipkg:sectionNumber ?section .
        } ORDER BY ?n""",
    )
    assert [int(r[0]) for r in rows] == list(range(1, 15))
    sections = [r[1] for r in rows]
    assert sections == ["II.A"] * 7 + ["II.B"] * 6 + ["II.C"]
    assert {r[2] for r in rows[:7]} == {"meeting/wg-tip/12/item/2"}
    assert rows[13][2] == "meeting/wg-tip/12/item/4"


def test_recommendation_7_sub_paragraphs_and_article_6(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?letter ?text WHERE {
          <meeting/wg-tip/12/recommendation/7> tipkg:subParagraph ?s ;
              tipkg:cites <instrument/tip-protocol/article/6> .
          ?s tipkg:letter ?letter ; tipkg:text ?text } ORDER BY ?letter""",
    )
    assert [r[0] for r in rows] == ["a", "b", "c"]
    assert rows[2][1] == (
        "Ensure that their domestic legal systems contain measures that offer "
        "victims the possibility of obtaining compensation for damages suffered."
    )


def test_recommendation_6_mentions_sherloc_and_unodc(select: Select) -> None:
    rows = select(
        R2022,
        "SELECT ?o WHERE { <meeting/wg-tip/12/recommendation/6> tipkg:mentions ?o } ORDER BY ?o",
    )
    assert rows == [("organization/unodc",), ("resource/sherloc",)]


def test_2017_bulleted_recommendations_each_in_order(select: Select) -> None:
    rows = select(
        R2017,
        """
        SELECT ?position ?section ?text WHERE {
          ?r a tipkg:Recommendation ; tipkg:position ?position ; tipkg:inSection ?s ; tipkg:text ?text ;
             tipkg:addressee <group/states-parties> .
          ?s tipkg:sectionNumber ?section } ORDER BY ?position""",
    )
    assert len(rows) == 19
    assert [r[1] for r in rows] == ["II.A"] * 8 + ["II.B"] * 11
    assert rows[0][2].startswith("Build capacity within the private sector")
    assert (
        rows[18][2]
        == "Ensure victims have access to legal representation, free of charge if necessary."
    )


def test_summary_paragraphs_8_to_28_are_linked_to_their_items(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?n ?item WHERE { ?p a tipkg:SummaryParagraph ; tipkg:paragraphNumber ?n ;
                                   tipkg:aboutAgendaItem ?item } ORDER BY ?n""",
    )
    assert [int(r[0]) for r in rows] == list(range(8, 29))
    by_item = {int(n): item.rsplit("/", 1)[1] for n, item in rows}
    assert {by_item[n] for n in range(8, 12)} == {"2"}
    assert {by_item[n] for n in range(12, 20)} == {"3"}
    assert {by_item[n] for n in range(20, 27)} == {"4"}
    assert {by_item[n] for n in (27, 28)} == {"5"}


def test_states_that_spoke_under_item_4_in_2022(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT DISTINCT ?speaker WHERE { ?s a tipkg:Statement ; tipkg:speaker ?speaker ;
                                           tipkg:underItem <meeting/wg-tip/12/item/4>
          FILTER(STRSTARTS(STR(?speaker), STR(<state/>))) } ORDER BY ?speaker""",
    )
    assert rows == [
        ("state/AGO",),
        ("state/ARM",),
        ("state/AZE",),
        ("state/CAN",),
        ("state/CHN",),
        ("state/NZL",),
    ]


def test_statements_under_items_2_and_3_and_by_observers(select: Select) -> None:
    parties = select(
        R2022,
        """
        SELECT (COUNT(DISTINCT ?speaker) AS ?n) WHERE {
          ?s tipkg:speaker ?speaker ; tipkg:speakerStatus tipkg:PartyToProtocol ;
             tipkg:underItem <meeting/wg-tip/12/item/2>, <meeting/wg-tip/12/item/3> }""",
    )
    assert parties == [("30",)]
    observers = select(
        R2022,
        """
        SELECT ?speaker ?item WHERE { ?s tipkg:speaker ?speaker ; tipkg:underItem ?item ;
          tipkg:source ?p . ?p tipkg:paragraphNumber ?n FILTER(STR(?n) IN ("34", "35", "36", "39")) }
        ORDER BY ?speaker ?item""",
    )
    assert observers == [
        ("organization/interpol", "meeting/wg-tip/12/item/2"),
        ("organization/interpol", "meeting/wg-tip/12/item/3"),
        ("state/IRN", "meeting/wg-tip/12/item/2"),
        ("state/IRN", "meeting/wg-tip/12/item/3"),
        ("state/IRN", "meeting/wg-tip/12/item/5"),
        ("state/VAT", "meeting/wg-tip/12/item/2"),
        ("state/VAT", "meeting/wg-tip/12/item/3"),
    ]


def test_attendance_2022_by_status(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?status (COUNT(?p) AS ?n) WHERE { ?p a tipkg:Participation ; tipkg:participationStatus ?status ;
          tipkg:participationIn <meeting/wg-tip/12> } GROUP BY ?status ORDER BY ?status""",
    )
    assert _local(rows) == [
        ("IntergovernmentalObserver", "16"),
        ("NonMemberStateObserver", "1"),
        ("NonPartyObserver", "3"),
        ("ObserverEntityObserver", "1"),
        ("PartyToProtocol", "101"),
    ]


def test_truncated_2017_lists_are_recorded_as_incomplete_never_padded(select: Select) -> None:
    rows = select(
        R2017,
        """
        SELECT ?list ?complete (COUNT(?p) AS ?n) WHERE { ?list a tipkg:AttendanceList ;
          tipkg:complete ?complete . OPTIONAL { ?p tipkg:listedIn ?list } }
        GROUP BY ?list ?complete ORDER BY ?list""",
    )
    assert [(r[0].rsplit("/", 1)[1], r[1], r[2]) for r in rows] == [
        ("1", "false", "79"),
        ("2", "true", "1"),
        ("3", "false", "1"),
        ("4", "false", "4"),
        ("5", "true", "1"),
        ("6", "false", "6"),
    ]
    incomplete = select(
        R2017, "SELECT ?n WHERE { ?p tipkg:complete false ; tipkg:paragraphNumber ?n } ORDER BY ?n"
    )
    assert [int(r[0]) for r in incomplete] == [14, 15, 16, 17, 19, 21, 22, 24]


def test_chairs_and_panellists(select: Select) -> None:
    offices = select(
        R2022,
        """
        SELECT ?name ?state ?role WHERE { ?o a tipkg:Office ; tipkg:holder ?h ; tipkg:role ?role ;
          tipkg:atMeeting <meeting/wg-tip/12> . ?h rdfs:label ?name ; tipkg:fromState ?state }
        ORDER BY ?name""",
    )
    assert _local(offices) == [
        ("Esther Monterrubio Villar", "state/ESP", "CoChair"),
        ("Virginia Prugh", "state/USA", "CoChair"),
    ]
    assert _local(
        select(
            R2017,
            """
        SELECT ?h ?role WHERE { ?o a tipkg:Office ; tipkg:holder ?h ; tipkg:role ?role }""",
        )
    ) == [("person/virginia-prugh", "Chair")]
    panel = select(
        R2022,
        """
        SELECT ?name ?title ?affiliation ?state ?role WHERE {
          ?r a tipkg:PanelRole ; tipkg:participant ?p ; tipkg:role ?role .
          ?p rdfs:label ?name ; tipkg:fromState ?state ; tipkg:affiliation ?affiliation .
          OPTIONAL { ?p tipkg:jobTitle ?title } } ORDER BY ?name""",
    )
    assert _local(panel) == [
        (
            "Alda Hrönn Jóhannsdóttir",
            "Head of Prosecution Unit",
            "organization/isl-sudurnes-police-district",
            "state/ISL",
            "Panellist",
        ),
        (
            "Ana Esther Serrano",
            "None",
            "organization/slv-attorney-generals-office",
            "state/SLV",
            "Panellist",
        ),
        (
            "Hilary Axam",
            "Director, Human Trafficking Prosecution Unit",
            "organization/usa-department-of-justice",
            "state/USA",
            "Facilitator",
        ),
        ("Hilda Sirec", "Commander", "organization/aus-accce", "state/AUS", "Panellist"),
    ]
    panel_2017 = select(
        R2017,
        """
        SELECT ?name ?honorific ?state WHERE { ?r a tipkg:PanelRole ; tipkg:participant ?p ;
          tipkg:underItem <meeting/wg-tip/7/item/2> . ?p rdfs:label ?name ; tipkg:honorific ?honorific ;
          tipkg:fromState ?state } ORDER BY ?name""",
    )
    assert panel_2017 == [
        ("Darlene Pajarito", "Mrs.", "state/PHL"),
        ("Dina Dominitz", "Ms.", "state/ISR"),
        ("Miriam Heredia Zertuche", "Ms.", "state/MEX"),
        ("Pam Bowen", "Ms.", "state/GBR"),
        ("Sid Ahmed Mourad", "Mr.", "state/DZA"),
    ]


def test_the_secretariat_presented_under_item_4(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?kind ?n WHERE { ?s tipkg:speaker <body/secretariat> ; tipkg:statementKind ?kind ;
          tipkg:underItem <meeting/wg-tip/12/item/4> ; tipkg:source ?p . ?p tipkg:paragraphNumber ?n }""",
    )
    assert rows == [("https://w3id.org/tipkg/def#Presentation", "21")]


def test_statement_read_by_a_delegate(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?speaker ?by WHERE { ?s tipkg:deliveredBy ?by ; tipkg:speaker ?speaker }""",
    )
    assert rows == [("person/ana-esther-serrano", "organization/slv-permanent-mission-vienna")]


def test_plenary_meetings_and_adoptions(select: Select) -> None:
    plenaries = select(
        R2022,
        """
        SELECT ?n ?date (GROUP_CONCAT(?number; separator=",") AS ?items) WHERE {
          ?p a tipkg:PlenaryMeeting ; tipkg:ordinal ?n ; tipkg:date ?date .
          OPTIONAL { ?p tipkg:consideredItem ?i . ?i tipkg:itemNumber ?number } }
        GROUP BY ?n ?date ORDER BY ?n""",
    )
    assert [(n, d, ",".join(sorted(i.split(",")))) for n, d, i in plenaries] == [
        ("1", "2022-06-29", "2,3"),
        ("2", "2022-06-29", "2,3"),
        ("3", "2022-06-30", "3,4"),
        ("4", "2022-06-30", "5"),
    ]
    adoptions = select(
        R2022,
        """
        SELECT ?what ?date ?plenary ?consensus WHERE { ?a a tipkg:Adoption ; tipkg:adopted ?what ;
          tipkg:date ?date ; tipkg:duringPlenary ?plenary . OPTIONAL { ?a tipkg:byConsensus ?consensus } }
        ORDER BY ?what""",
    )
    assert adoptions == [
        (
            "document/CTOC/COP/WG.4/2022/4/section/I",
            "2022-06-30",
            "meeting/wg-tip/12/plenary/4",
            "None",
        ),
        (
            "document/CTOC/COP/WG.4/2022/4/section/II",
            "2022-06-30",
            "meeting/wg-tip/12/plenary/4",
            "None",
        ),
        (
            "document/CTOC/COP/WG.4/2022/4/section/IV",
            "2022-06-30",
            "meeting/wg-tip/12/plenary/4",
            "None",
        ),
        (
            "document/CTOC/COP/WG.4/2022/4/section/V",
            "2022-06-30",
            "meeting/wg-tip/12/plenary/4",
            "None",
        ),
        ("meeting/wg-tip/12/agenda/adopted", "2022-06-29", "meeting/wg-tip/12/plenary/1", "true"),
    ]


def test_earlier_sessions_of_2017_report(select: Select) -> None:
    rows = select(
        R2017,
        """
        SELECT ?n ?start ?end WHERE { ?m a tipkg:Meeting ; tipkg:ofBody <body/wg-tip> ; tipkg:ordinal ?n ;
          tipkg:startDate ?start ; tipkg:endDate ?end } ORDER BY ?n""",
    )
    assert [(int(n), s, e) for n, s, e in rows] == [
        (1, "2009-04-14", "2009-04-15"),
        (2, "2010-01-27", "2010-01-29"),
        (3, "2010-10-19", "2010-10-19"),
        (4, "2011-10-10", "2011-10-12"),
        (5, "2013-11-06", "2013-11-08"),
        (6, "2015-11-16", "2015-11-18"),
        (7, "2017-09-06", "2017-09-08"),
    ]


def test_documentation_and_list_of_participants(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?symbol WHERE { ?d tipkg:beforeMeeting <meeting/wg-tip/12> ; tipkg:symbol ?symbol }
        ORDER BY ?symbol""",
    )
    assert [r[0] for r in rows] == [
        "CTOC/COP/2020/CRP.2",
        "CTOC/COP/WG.4/2020/2",
        "CTOC/COP/WG.4/2020/3",
        "CTOC/COP/WG.4/2022/1",
        "CTOC/COP/WG.4/2022/2",
        "CTOC/COP/WG.4/2022/3",
        "CTOC/COP/WG.6/2022/CRP.1/Rev.1",
    ]
    revised = select(
        R2022,
        """
        SELECT ?rev ?of WHERE { ?d a tipkg:ListOfParticipants ; tipkg:symbol ?rev ; tipkg:revisionOf ?b .
          ?b tipkg:symbol ?of }""",
    )
    assert revised == [("CTOC/COP/WG.4/2022/INF/1/Rev.1", "CTOC/COP/WG.4/2022/INF/1")]


def test_opening_statements_and_secretariat_2017(select: Select) -> None:
    rows = select(
        R2017,
        """
        SELECT ?speaker ?kind WHERE { ?s a tipkg:Statement ; tipkg:speaker ?speaker ; tipkg:statementKind ?k .
          FILTER(?k != tipkg:Intervention) BIND(STRAFTER(STR(?k), "#") AS ?kind) } ORDER BY ?speaker""",
    )
    assert rows == [
        ("body/secretariat", "IntroductoryStatement"),
        ("organization/european-union", "OpeningStatement"),
        ("state/JPN", "OpeningStatement"),
    ]


def test_provenance_points_to_numbered_paragraphs(select: Select) -> None:
    rows = select(
        R2022,
        """
        SELECT ?n ?text WHERE { ?s a tipkg:Statement ; tipkg:speaker <state/AZE> ; tipkg:source ?p .
          ?p tipkg:paragraphNumber ?n ; tipkg:text ?text }""",
    )
    assert rows == [
        (
            "37",
            "Under agenda item 4, statements were made by the representatives of "
            "Angola, Armenia, Azerbaijan, Canada, China and New Zealand.",
        )
    ]
