"""Tests for the generated list of UN Member States and observer States."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from tipkg.reference import states

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "data" / "reference" / "states.ttl"
TIPKG = Namespace("https://w3id.org/tipkg/def#")
STATE = Namespace("https://w3id.org/tipkg/id/state/")
WD = Namespace("http://www.wikidata.org/entity/")
# Not rdflib's XSD: pytest's collection probes module attributes, which a closed namespace
# answers with a warning.
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


@pytest.fixture(scope="module")
def generated() -> str:
    return states.generate()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(COMMITTED, format="turtle")


def labels(graph: Graph, iso3: str, predicate: URIRef, lang: str = "en") -> set[str]:
    return {
        str(o)
        for o in graph.objects(STATE[iso3], predicate)
        if isinstance(o, Literal) and o.language == lang
    }


def test_committed_file_is_fresh(generated: str) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "data/reference/states.ttl is stale: run " + states.COMMAND
    )


def test_generation_is_deterministic(generated: str) -> None:
    assert states.generate() == generated


def test_header_says_generated(generated: str) -> None:
    head = generated.splitlines()[:3]
    assert head[0].startswith("# GENERATED FILE")
    assert "python -m tipkg.reference.states" in head[1]


def test_main_writes_the_file(tmp_path: Path, generated: str) -> None:
    out = tmp_path / "states.ttl"
    assert states.main(["-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generated


def test_counts(graph: Graph) -> None:
    all_states = set(graph.subjects(RDF.type, TIPKG.State))
    members = set(graph.subjects(RDF.type, TIPKG.MemberState))
    observers = set(graph.subjects(RDF.type, TIPKG.NonMemberObserverState))
    assert len(all_states) == 195
    assert len(members) == 193
    assert observers == {STATE.VAT, STATE.PSE}
    assert members | observers == all_states
    assert not members & observers


def test_every_state_has_core_properties(graph: Graph) -> None:
    for s in graph.subjects(RDF.type, TIPKG.State):
        iso3 = str(s).rsplit("/", 1)[1]
        assert graph.value(s, TIPKG.iso3166Alpha3) == Literal(iso3)
        assert len(str(graph.value(s, TIPKG.iso3166Alpha2))) == 2
        m49 = str(graph.value(s, TIPKG.m49Code))
        assert len(m49) == 3 and m49.isdigit()
        (label,) = labels(graph, iso3, RDFS.label)
        assert labels(graph, iso3, SKOS.prefLabel) == {label}
        assert label not in labels(graph, iso3, SKOS.altLabel)
        year = graph.value(s, TIPKG.unMemberSince)
        if (s, RDF.type, TIPKG.MemberState) in graph:
            assert isinstance(year, Literal) and year.datatype == GYEAR
            assert 1945 <= int(str(year)) <= 2011
        else:
            assert year is None


def test_one_pref_label_per_language(graph: Graph) -> None:
    for s in graph.subjects(RDF.type, TIPKG.State):
        langs = [o.language for o in graph.objects(s, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), s


def test_spain(graph: Graph) -> None:
    s = STATE.ESP
    assert graph.value(s, TIPKG.m49Code) == Literal("724")
    assert graph.value(s, TIPKG.iso3166Alpha2) == Literal("ES")
    assert graph.value(s, TIPKG.unMemberSince) == Literal("1955", datatype=GYEAR)
    assert graph.value(s, TIPKG.wikidataEntity) == WD.Q29
    assert labels(graph, "ESP", SKOS.prefLabel, "es") == {"España"}


def test_holy_see(graph: Graph) -> None:
    s = URIRef("https://w3id.org/tipkg/id/state/VAT")
    assert (s, RDF.type, TIPKG.NonMemberObserverState) in graph
    assert (s, RDF.type, TIPKG.MemberState) not in graph
    assert labels(graph, "VAT", RDFS.label) == {"Holy See"}
    assert set(graph.objects(s, TIPKG.wikidataEntity)) == {WD.Q159583}
    assert WD.Q237 not in set(graph.objects(None, TIPKG.wikidataEntity))


def test_palestine(graph: Graph) -> None:
    assert (STATE.PSE, RDF.type, TIPKG.NonMemberObserverState) in graph
    assert labels(graph, "PSE", RDFS.label) == {"State of Palestine"}
    assert graph.value(STATE.PSE, TIPKG.wikidataEntity) == WD.Q219060
    assert graph.value(STATE.PSE, TIPKG.unMemberSince) is None


@pytest.mark.parametrize(
    ("iso3", "label", "alt"),
    [
        ("TUR", "Türkiye", "Turkey"),
        ("USA", "United States of America", "United States"),
        ("GBR", "United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("NLD", "Netherlands (Kingdom of the)", "Netherlands"),
        ("CZE", "Czechia", "Czech Republic"),
        ("SWZ", "Eswatini", "Swaziland"),
        ("MKD", "North Macedonia", "The former Yugoslav Republic of Macedonia"),
        ("VEN", "Venezuela (Bolivarian Republic of)", None),
        ("KOR", "Republic of Korea", None),
        ("PRK", "Democratic People's Republic of Korea", None),
        ("IRN", "Iran (Islamic Republic of)", None),
        ("COD", "Democratic Republic of the Congo", None),
        ("COG", "Congo", None),
        ("CIV", "Côte d'Ivoire", None),
        ("BOL", "Bolivia (Plurinational State of)", None),
        ("MDA", "Republic of Moldova", None),
        ("FSM", "Micronesia (Federated States of)", None),
        ("TZA", "United Republic of Tanzania", None),
        ("LAO", "Lao People's Democratic Republic", None),
        ("SYR", "Syrian Arab Republic", None),
        ("RUS", "Russian Federation", None),
        ("VNM", "Viet Nam", None),
        ("BRN", "Brunei Darussalam", None),
        ("CPV", "Cabo Verde", None),
        ("TLS", "Timor-Leste", None),
        ("BHS", "Bahamas", None),
        ("GMB", "Gambia", None),
    ],
)
def test_un_names(graph: Graph, iso3: str, label: str, alt: str | None) -> None:
    assert labels(graph, iso3, RDFS.label) == {label}
    assert labels(graph, iso3, SKOS.prefLabel) == {label}
    if alt is not None:
        assert alt in labels(graph, iso3, SKOS.altLabel)


def test_wikidata_well_known(graph: Graph) -> None:
    expected = {
        "USA": "Q30", "FRA": "Q142", "DEU": "Q183", "CHN": "Q148", "RUS": "Q159",
        "GBR": "Q145", "CAN": "Q16", "AUS": "Q408", "JPN": "Q17", "ITA": "Q38",
        "MEX": "Q96", "BRA": "Q155",
    }  # fmt: skip
    for iso3, qid in expected.items():
        assert graph.value(STATE[iso3], TIPKG.wikidataEntity) == WD[qid], iso3


def test_wikidata_qids_are_unique(graph: Graph) -> None:
    qids = list(graph.objects(None, TIPKG.wikidataEntity))
    assert len(qids) == len(set(qids))
    assert all(str(q).startswith("http://www.wikidata.org/entity/Q") for q in qids)


@pytest.mark.parametrize("lang", sorted(states.LANGUAGES))
def test_translations_where_pycountry_has_them(graph: Graph, lang: str) -> None:
    with_label = 0
    for state in states.build_states():
        expected = states.translate(state_iso_name(state.iso3), lang)
        got = labels(graph, state.iso3, SKOS.prefLabel, lang)
        if expected is None:
            assert not got
        else:
            assert got == {expected}
            with_label += 1
    assert with_label >= 190


def state_iso_name(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    assert country is not None
    return str(country.name)


def test_some_translations(graph: Graph) -> None:
    assert labels(graph, "FRA", SKOS.prefLabel, "fr") == {"France"}
    assert labels(graph, "DEU", SKOS.prefLabel, "ru") == {"Германия"}
    assert labels(graph, "CHN", SKOS.prefLabel, "zh") == {"中国"}
    assert labels(graph, "EGY", SKOS.prefLabel, "ar") == {"مصر"}
