"""Each kind of page in headless Chromium, at desktop and phone width: the heading is the
resource's human name, its key content is in the DOM and above the fold, no raw IRI of
the dataset is shown as a link text, and the query page opens on a tipkg example whose
result IRIs stay on this server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import BASE, ROOT

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
#: path, heading, (text the key content holds, selector of the element holding it)
PAGES = [
    (
        "/doc/meeting/wg-tip/12/recommendation/7",
        "Recommendation 7",
        ("(b) Ensure, in accordance with their domestic law", ".key-text"),
    ),
    (
        "/doc/document/CTOC/COP/WG.4/2022/4",
        "CTOC/COP/WG.4/2022/4 — Report on the meeting of the Working Group on Trafficking in "
        "Persons held in Vienna on 29 and 30 June 2022 (2022)",
        ("CTOC/COP/WG.4/2022/4", "dl.key"),
    ),
    (
        "/doc/meeting/wg-tip/12",
        "twelfth meeting of the Working Group on Trafficking in Persons",
        ("29 June 2022", "dl.key"),
    ),
    ("/doc/state/AZE", "Azerbaijan", ("Азербайджан", "table.names")),
    (
        "/doc/meeting/wg-tip/12/statement/41",
        "Statement by Azerbaijan under item 4, twelfth meeting",
        ("Azerbaijan", "dl.key"),
    ),
    (
        "/doc/meeting/wg-tip/12/participation/AZE",
        "Participation of Azerbaijan in the twelfth meeting",
        ("party to the Protocol", "dl.key"),
    ),
    (
        "/doc/document/CTOC/COP/WG.4/2022/4/para/37",
        "Paragraph 37 of CTOC/COP/WG.4/2022/4",
        ("Under agenda item 4", ".key-text"),
    ),
    (
        "/doc/meeting/wg-tip/12/item/4",
        "Item 4: Matters pertaining to the Mechanism for the Review of the Implementation of "
        "the United Nations Convention against Transnational Organized Crime and the "
        "Protocols thereto",
        ("twelfth meeting", "dl.key"),
    ),
    (
        "/doc/organization/interpol",
        "International Criminal Police Organization",
        ("INTERPOL", "dl.key"),
    ),
    ("/doc/person/hilary-axam", "Hilary Axam", ("Hilary Axam", "h1")),
]


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: WebDriver) -> Iterator[WebDriver]:
    width, height = WIDTHS[request.param]
    browser.set_window_size(width, height)
    yield browser
    browser.set_window_size(1280, 1600)


@pytest.mark.parametrize(("path", "heading", "key"), PAGES, ids=[p[0][5:] for p in PAGES])
def test_page_kind(sized: WebDriver, base_url: str, path: str, heading: str, key) -> None:
    sized.get(f"{base_url}{path}")
    h1 = sized.find_element(By.TAG_NAME, "h1")
    assert h1.text == heading
    text, selector = key
    holder = sized.find_element(By.CSS_SELECTOR, selector)
    assert text in holder.text
    # the heading and the start of the key content are above the fold
    fold = sized.execute_script("return window.innerHeight")
    assert h1.location["y"] + h1.size["height"] <= fold
    assert holder.location["y"] < fold, (holder.location, fold)
    # every link names what it links to: no raw IRI of the dataset as link text
    texts = [a.text for a in sized.find_elements(By.CSS_SELECTOR, "main a")]
    assert not [t for t in texts if t.startswith(BASE)], texts
    # the header's search box sends the words to /search
    search = sized.find_element(By.CSS_SELECTOR, "header form.search")
    assert search.get_attribute("action").endswith("/search")
    # the page is as wide as the window (nothing to scroll sideways on a phone)
    assert (
        sized.execute_script("return document.documentElement.scrollWidth")
        <= sized.execute_script("return window.innerWidth") + 1
    )


def test_statement_breadcrumbs_go_through_the_agenda_item(
    browser: WebDriver, base_url: str
) -> None:
    browser.get(f"{base_url}/doc/meeting/wg-tip/12/statement/41")
    crumbs = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.crumbs a")]
    assert crumbs[0] == "tipkg"
    assert crumbs[1] == "twelfth meeting of the Working Group on Trafficking in Persons"
    assert crumbs[2].startswith("Item 4: Matters pertaining")


def test_meeting_groups_participants_by_status(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}/doc/meeting/wg-tip/12")
    participants = browser.find_element(
        By.XPATH, "//details[summary/span[@class='prop'][normalize-space()='Participants']]"
    )
    summary = participants.find_element(By.TAG_NAME, "summary").text
    assert "party to the Protocol" in summary
    participants.find_element(By.TAG_NAME, "summary").click()
    groups = [h.text for h in participants.find_elements(By.TAG_NAME, "h4")]
    assert any(g.startswith("party to the Protocol ") for g in groups), groups
    links = [a.text for a in participants.find_elements(By.TAG_NAME, "a")]
    assert "Participation of Azerbaijan in the twelfth meeting" in links
    # statements sort as numbers, the ontology's examples are left out
    page = browser.page_source
    assert "example of" not in page


@pytest.mark.parametrize(
    ("lang", "name", "direction"), [("ar", "أذربيجان", "rtl"), ("zh", "阿塞拜疆", "ltr")]
)
def test_language_switch(
    browser: WebDriver, base_url: str, lang: str, name: str, direction: str
) -> None:
    browser.get(f"{base_url}/doc/state/AZE?lang={lang}")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    switch = browser.find_element(By.CSS_SELECTOR, ".langs a[aria-current]")
    assert switch.get_attribute("lang") == lang


def test_dataset_page_and_home_sessions(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}/")
    browser.find_element(By.LINK_TEXT, "dataset").click()
    WebDriverWait(browser, 30).until(ec.url_contains("/.well-known/void"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "The tipkg dataset"
    browser.get(f"{base_url}/")
    cop = browser.find_element(
        By.XPATH, "//table[@class='meetings'][caption[starts-with(., 'Conference of the Parties')]]"
    )
    ordinals = [
        a.get_attribute("href").rsplit("/", 1)[-1] for a in cop.find_elements(By.TAG_NAME, "a")
    ]
    assert ordinals == sorted(ordinals, key=int), ordinals


def test_query_page_opens_on_the_first_example(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}/")
    if not browser.find_elements(By.ID, "yasgui"):
        pytest.skip("the YASGUI assets are not installed")
    # a first visit: YASGUI keeps the tabs of earlier visits (other tests') in localStorage
    browser.execute_script("window.localStorage.clear()")
    browser.get(f"{base_url}/")
    wait = WebDriverWait(browser, 30)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    first = sorted((ROOT / "queries").glob("*.rq"))[0].read_text(encoding="utf-8")
    shown = browser.execute_script(
        "return document.querySelector('#yasgui .tabPanel.active .CodeMirror').CodeMirror.getValue()"
    )
    assert shown.strip() == first.strip()
    assert "?sub ?pred ?obj" not in shown
    # run it: the IRIs in the result table open this server's pages
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".tabPanel.active .yasr table tbody tr"))
    )
    hrefs = [
        a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasr table a[href]")
    ]
    ours = [h for h in hrefs if "/doc/" in h]
    assert ours, hrefs
    assert not [h for h in hrefs if h.startswith(f"{BASE}id/")], hrefs
