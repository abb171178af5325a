"""End to end, against a real ``tipkg serve`` process (see conftest.py): the SPARQL
endpoint through SPARQLWrapper, dereferenceable URIs through rdflib (303 and content
negotiation), and the query page and a linked-data page in headless Chromium."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from tests.e2e.conftest import BASE, ROOT

TIPKG = "https://w3id.org/tipkg/def#"
MEETING_12 = URIRef(f"{BASE}id/meeting/wg-tip/12")
MEETING_12_LABEL = "twelfth meeting of the Working Group on Trafficking in Persons"
ITEM_4 = f"{BASE}id/meeting/wg-tip/12/item/4"
SPEAKERS_UNDER_ITEM_4 = {
    "AGO": "Angola",
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "CAN": "Canada",
    "CHN": "China",
    "NZL": "New Zealand",
}
SPEAKERS_QUERY = f"""PREFIX tipkg: <{TIPKG}>
SELECT DISTINCT ?state WHERE {{
  ?s tipkg:speaker ?state ; tipkg:underItem <{ITEM_4}> .
  ?state a tipkg:State
}} ORDER BY ?state"""
EXAMPLE = ROOT / "queries" / "states-speaking-under-item-4-in-2022.rq"
SCREENSHOT = Path("/tmp/tipkg-home.png")
WAIT = 30  # seconds for anything the browser waits for


def state_iri(code: str) -> str:
    return f"{BASE}id/state/{code}"


def endpoint(base_url: str) -> SPARQLWrapper:
    return SPARQLWrapper(f"{base_url}/sparql", agent="tipkg-e2e-tests")


# --------------------------------------------------------------------------- SPARQLWrapper


def test_select_as_json(base_url: str) -> None:
    sparql = endpoint(base_url)
    sparql.setQuery(SPEAKERS_QUERY)
    sparql.setReturnFormat(JSON)
    result = sparql.query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = result.convert()
    assert data["head"]["vars"] == ["state"]
    states = [b["state"]["value"] for b in data["results"]["bindings"]]
    assert states == [state_iri(code) for code in sorted(SPEAKERS_UNDER_ITEM_4)]
    assert {b["state"]["type"] for b in data["results"]["bindings"]} == {"uri"}


def test_select_as_xml(base_url: str) -> None:
    sparql = endpoint(base_url)
    sparql.setQuery(SPEAKERS_QUERY)
    sparql.setReturnFormat(XML)
    result = sparql.query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    document = result.convert()  # xml.dom.minidom
    assert document.documentElement.tagName == "sparql"
    variables = [v.getAttribute("name") for v in document.getElementsByTagName("variable")]
    assert variables == ["state"]
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [state_iri(code) for code in sorted(SPEAKERS_UNDER_ITEM_4)]


@pytest.mark.parametrize("method", ["GET", POST])
def test_ask(base_url: str, method: str) -> None:
    sparql = endpoint(base_url)
    sparql.setMethod(method)
    sparql.setReturnFormat(JSON)
    sparql.setQuery(
        f"PREFIX tipkg: <{TIPKG}> ASK {{ ?s tipkg:speaker <{state_iri('AZE')}> ; "
        f"tipkg:underItem <{ITEM_4}> }}"
    )
    assert sparql.queryAndConvert()["boolean"] is True
    sparql.setQuery(
        f"PREFIX tipkg: <{TIPKG}> ASK {{ ?s tipkg:speaker <{state_iri('ESP')}> ; "
        f"tipkg:underItem <{ITEM_4}> }}"
    )
    assert sparql.queryAndConvert()["boolean"] is False


def test_construct_as_turtle(base_url: str) -> None:
    sparql = endpoint(base_url)
    sparql.setQuery(
        f"""PREFIX tipkg: <{TIPKG}>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        CONSTRUCT {{ ?m a tipkg:Meeting ; tipkg:ordinal ?n ; rdfs:label ?label }}
        WHERE {{ ?m a tipkg:Meeting ; tipkg:ordinal ?n ; rdfs:label ?label }}"""
    )
    sparql.setReturnFormat(TURTLE)
    result = sparql.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    body = result.convert()
    assert isinstance(body, bytes)
    graph = Graph().parse(data=body, format="turtle")
    meetings = set(graph.subjects(RDF.type, URIRef(f"{TIPKG}Meeting")))
    assert MEETING_12 in meetings
    assert len(meetings) >= 2
    assert graph.value(MEETING_12, URIRef(f"{TIPKG}ordinal")).toPython() == 12
    assert Literal(MEETING_12_LABEL, lang="en") in set(graph.objects(MEETING_12, RDFS.label))


# --------------------------------------------------------------------------- rdflib


def meeting_checks(graph: Graph, base_url: str) -> None:
    """The twelfth meeting's own triples, under the base IRI (not the server's host)."""
    assert (MEETING_12, RDF.type, URIRef(f"{TIPKG}Meeting")) in graph
    assert (MEETING_12, RDFS.label, Literal(MEETING_12_LABEL, lang="en")) in graph
    assert graph.value(MEETING_12, URIRef(f"{TIPKG}ordinal")).toPython() == 12
    assert graph.value(MEETING_12, URIRef(f"{TIPKG}ofBody")) == URIRef(f"{BASE}id/body/wg-tip")
    assert str(graph.value(MEETING_12, URIRef(f"{TIPKG}startDate"))) == "2022-06-29"
    assert set(graph.subjects()) == {MEETING_12}
    terms = {str(t) for triple in graph for t in triple}
    assert not [t for t in terms if t.startswith(base_url)]
    assert len(graph) >= 10


def test_the_iri_answers_303_to_the_document(base_url: str) -> None:
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", "/id/meeting/wg-tip/12", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 303
    assert response.getheader("Location") == "/doc/meeting/wg-tip/12"
    assert "Accept" in (response.getheader("Vary") or "")


def test_rdflib_dereferences_the_meeting(base_url: str) -> None:
    graph = Graph().parse(f"{base_url}/id/meeting/wg-tip/12")
    meeting_checks(graph, base_url)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_reads_json_ld_with_the_published_context(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/doc/meeting/wg-tip/12.jsonld", timeout=30) as r:
        assert r.headers["Content-Type"].startswith("application/ld+json")
        document = json.load(r)
    # the published context (a saved document outlives this server); the server serves
    # the same context at /context.jsonld, which a client offline uses in its place
    assert document["@context"] == "https://w3id.org/tipkg/context.jsonld"
    with urllib.request.urlopen(f"{base_url}/context.jsonld", timeout=30) as r:
        document["@context"] = json.load(r)["@context"]
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    meeting_checks(graph, base_url)
    turtle = Graph().parse(f"{base_url}/doc/meeting/wg-tip/12.ttl", format="turtle")
    assert isomorphic(graph, turtle)


def test_rdflib_reads_rdf_xml(base_url: str) -> None:
    by_extension = Graph().parse(f"{base_url}/doc/meeting/wg-tip/12.rdf", format="xml")
    meeting_checks(by_extension, base_url)
    # the IRI again, asking for RDF/XML (rdflib sends Accept: application/rdf+xml)
    negotiated = Graph().parse(f"{base_url}/id/meeting/wg-tip/12", format="xml")
    assert isomorphic(by_extension, negotiated)


# --------------------------------------------------------------------------- browser


def example_title(path: Path) -> str:
    match = re.search(r"^#\s*title:\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)
    assert match, path
    return match.group(1)


def wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(driver, WAIT)


def assert_speaker_rows(rows: list[WebElement]) -> None:
    texts = [row.text for row in rows]
    assert len(texts) == len(SPEAKERS_UNDER_ITEM_4), texts
    for code, name in SPEAKERS_UNDER_ITEM_4.items():
        assert [t for t in texts if state_iri(code) in t and name in t], (code, name, texts)


def run_example_with_yasgui(driver: WebDriver) -> list[WebElement]:
    title = example_title(EXAMPLE)
    button = wait(driver).until(
        ec.element_to_be_clickable(
            (By.XPATH, f"//button[@class='example'][normalize-space()='{title}']")
        )
    )
    button.click()
    # the example opens in a new YASGUI tab, which becomes the active one
    wait(driver).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".tabsList .tab.active"), title)
    )
    panel = driver.find_element(By.CSS_SELECTOR, ".tabPanel.active")
    assert "tipkg:speaker" in panel.find_element(By.CSS_SELECTOR, ".CodeMirror").text
    panel.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(driver).until(
        ec.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".tabPanel.active .yasr_response_chip"), "6 results"
        )
    )
    rows = panel.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    driver.execute_script("arguments[0].scrollIntoView();", driver.find_element(By.ID, "yasgui"))
    return rows


def run_example_with_the_plain_form(driver: WebDriver) -> list[WebElement]:
    textarea = driver.find_element(By.CSS_SELECTOR, "#query-form textarea[name=query]")
    driver.execute_script(
        "arguments[0].value = arguments[1];", textarea, EXAMPLE.read_text(encoding="utf-8")
    )
    driver.find_element(By.XPATH, "//button[normalize-space()='Show as table']").click()
    table = wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.results")))
    count = driver.find_element(
        By.XPATH, "//h2[@id='results']/following-sibling::p[not(@class)][1]"
    )
    assert count.text.startswith("6 results"), count.text
    return table.find_elements(By.CSS_SELECTOR, "tbody tr")


def severe_console_errors(driver: WebDriver) -> list[str]:
    """SEVERE browser console messages, except the missing favicon."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]


def test_query_page_runs_an_example(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}/")
    assert browser.title.startswith("Query")
    # the dataset summary lists the twelfth meeting, linked to its page
    meeting = browser.find_element(
        By.XPATH,
        "//h3[normalize-space()='Meetings']/following-sibling::table"
        "//a[@href='/doc/meeting/wg-tip/12']",
    )
    assert meeting.text == MEETING_12_LABEL
    dates = meeting.find_element(By.XPATH, "ancestor::tr/td[2]").text
    assert dates == "29–30 June 2022"

    if browser.find_elements(By.ID, "yasgui"):
        wait(browser).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .yasqe_queryButton"))
        )
        rows = run_example_with_yasgui(browser)
    else:  # the YASGUI assets are not installed: the plain form
        rows = run_example_with_the_plain_form(browser)
    assert_speaker_rows(rows)
    browser.save_screenshot(str(SCREENSHOT))
    assert not severe_console_errors(browser)


def test_state_page(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}/id/state/AZE")  # 303 to /doc/state/AZE
    assert browser.current_url == f"{base_url}/doc/state/AZE"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Azerbaijan"
    assert browser.title.startswith("Azerbaijan")
    assert browser.find_element(By.CSS_SELECTOR, "p.iri").text == state_iri("AZE")
    # reference data has no source paragraph of its own: the statement Azerbaijan made is
    # linked from its page, and the statement's page quotes the paragraph of the report
    statements = browser.find_element(
        By.XPATH, "//details[summary/span[@class='prop'][normalize-space()='Statements']]"
    )
    statements.find_element(By.TAG_NAME, "summary").click()  # folded: grouped by meeting
    speaker_of = statements.find_element(By.XPATH, ".//h4[starts-with(., 'twelfth meeting')]")
    speaker_of = speaker_of.find_element(By.XPATH, "following-sibling::ul[1]/li/a")
    assert speaker_of.text == "Statement by Azerbaijan under item 4, twelfth meeting"
    speaker_of.click()
    wait(browser).until(ec.url_contains("/doc/meeting/wg-tip/12/statement/"))
    heading = browser.find_element(By.XPATH, "//h2[normalize-space()='Source']")
    quote = heading.find_element(By.XPATH, "following-sibling::blockquote")
    assert "Under agenda item 4" in quote.text
    assert "Azerbaijan" in quote.text
    paragraph = quote.find_element(By.TAG_NAME, "a")
    assert paragraph.text == "¶ 37 of CTOC/COP/WG.4/2022/4"  # names its document
    assert paragraph.get_attribute("href").startswith(
        f"{base_url}/doc/document/CTOC/COP/WG.4/2022/4/para/"
    )
    assert not severe_console_errors(browser)
