"""Resource pages as a reader meets them: human names everywhere, the key content first,
properties grouped with natural sort, what links here grouped with counts, the reader's
language, and names made at page time for a store not built by tipkg."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tipkg.config import Settings
from tipkg.web.app import create_app_for_files
from tipkg.web.languages import from_accept_language

BASE = "https://w3id.org/tipkg/"


def test_recommendation_text_comes_first_with_its_sub_paragraphs(client):
    page = client.get("/doc/meeting/wg-tip/12/recommendation/7").text
    assert "<h1>Recommendation 7</h1>" in page
    text = page.index('<section class="key-text">')
    assert "<li>(a) Consider implementing measures" in page
    assert text < page.index("<h2>Source</h2>") < page.index("<h2>Other properties</h2>")
    # the lead-in paragraph is quoted as the source, naming its document
    assert ">¶ 4 of CTOC/COP/WG.4/2022/4</a>" in page


def test_meeting_statements_sort_as_numbers_and_values_are_grouped(client):
    page = client.get("/doc/meeting/wg-tip/12").text
    # one heading per property, its values as a list (six interpretation languages)
    assert page.count(">interpretation language</a></dt>") == 1
    languages = re.search(
        r"interpretation language</a></dt><dd><ul class=\"values\">(.*?)</ul>", page
    )
    assert languages and languages.group(1).count("<li>") == 6
    # recommendations in number order: 2 before 10
    adopted = page[page.index('<span class="prop">Adopted here</span>') :]
    assert adopted.index(">Recommendation 2<") < adopted.index(">Recommendation 10<")


def test_statement_page_names_everything(client):
    page = client.get("/doc/meeting/wg-tip/12/statement/41").text
    assert "<h1>Statement by Azerbaijan under item 4, twelfth meeting</h1>" in page
    assert 'href="/doc/state/AZE">Azerbaijan</a>' in page
    links = re.findall(r'<a href="/doc/[^"]*">([^<]*)</a>', page)
    assert links and not [t for t in links if re.fullmatch(r"[A-Z]{3}|\d+|[a-z-]+", t)], links


def test_schema_org_block_is_data_the_csp_allows(client):
    response = client.get("/doc/meeting/wg-tip/12")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert block
    data = json.loads(block.group(1))
    assert data["@type"] == "Event" and data["startDate"] == "2022-06-29"
    assert "<script>" not in block.group(1)


@pytest.mark.parametrize(
    ("header", "code", "name"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr", "Azerbaïdjan"),
        ("ar", "ar", "أذربيجان"),
        ("de, ru;q=0.5", "ru", "Азербайджан"),
        ("de", "en", "Azerbaijan"),
    ],
)
def test_accept_language_chooses_the_name(client, header, code, name):
    response = client.get("/doc/state/AZE", headers={"Accept-Language": header})
    assert response.headers["content-language"] == code
    assert f"<h1>{name}</h1>" in response.text
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in response.text


def test_the_language_switch_wins_over_the_header(client):
    response = client.get("/doc/state/AZE?lang=zh", headers={"Accept-Language": "fr"})
    assert "<h1>阿塞拜疆</h1>" in response.text
    assert 'href="/doc/state/AZE?lang=ar"' in response.text


def test_accept_language_parsing():
    assert from_accept_language("es;q=0.2, zh-Hant;q=0.9") == "zh"
    assert from_accept_language("en;q=0, fr;q=0.1") == "fr"
    assert from_accept_language("") is None


def test_names_are_made_at_page_time_for_a_store_not_built_by_tipkg(tmp_path: Path):
    data = tmp_path / "d.ttl"
    data.write_text(
        f"""@prefix t: <https://w3id.org/tipkg/def#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @base <{BASE}id/> .
        <meeting/wg-x/3> a t:Meeting ; rdfs:label "third meeting of the Working Group X"@en .
        <meeting/wg-x/3/item/2> a t:AgendaItem ; t:itemNumber "2" ; t:itemOf <meeting/wg-x/3> .
        <state/ESP> a t:State ; rdfs:label "Spain"@en .
        <meeting/wg-x/3/statement/9> a t:Statement ; t:speaker <state/ESP> ;
            t:underItem <meeting/wg-x/3/item/2> ; t:atMeeting <meeting/wg-x/3> .
        <meeting/wg-x/3/participation/ESP> a t:Participation ; t:participant <state/ESP> ;
            t:participationIn <meeting/wg-x/3> .
        """,
        encoding="utf-8",
    )
    settings = Settings(workers=1)
    with TestClient(create_app_for_files([data], settings)) as client:
        page = client.get("/doc/meeting/wg-x/3/statement/9").text
        assert "<h1>Statement by Spain under item 2, third meeting</h1>" in page
        # breadcrumbs: meeting, then the item the statement was made under
        crumbs = re.search(r'<nav class="crumbs".*?</nav>', page, re.S).group()
        assert crumbs.index("third meeting of the Working Group X") < crumbs.index("Item 2")
        meeting = client.get("/doc/meeting/wg-x/3").text
        assert ">Participation of Spain in the third meeting</a>" in meeting
        assert ">Statement by Spain under item 2, third meeting</a>" in meeting
