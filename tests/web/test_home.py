"""The home page: what the dataset holds, example queries, the editor and the plain form."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
from markupsafe import escape

from tipkg.web.home import load_examples

from .conftest import ROOT, XSS_LABEL, XSS_MEETING

EXAMPLES = load_examples(ROOT / "queries")
TIMELINE = (ROOT / "queries" / "meeting-timeline.rq").read_text(encoding="utf-8")


def count(store: ox.Store, query: str) -> int:
    solutions = store.query(query)
    return int(next(iter(solutions))[0].value)


def test_examples_are_read_with_title_and_description():
    assert len(EXAMPLES) == len(list((ROOT / "queries").glob("*.rq")))
    timeline = next(e for e in EXAMPLES if e.name == "meeting-timeline")
    assert timeline.title == "Timeline of the Working Group meetings"
    assert timeline.description.startswith("When was each meeting")
    assert "SELECT ?meeting" in timeline.query


def test_home_lists_meetings_counts_and_graphs(client, store):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "twelfth meeting of the Working Group on Trafficking in Persons" in page
    assert 'href="/doc/meeting/wg-tip/12"' in page
    assert '<time datetime="2022-06-29">29–30 June 2022</time>' in page
    # each body's sessions in order: the Conference's 4, 5, 7, 10, 11 (not 10, 11, 4, ...)
    cop = page[page.index("<caption>Conference of the Parties") :]
    cop = cop[: cop.index("</table>")]
    ordinals = [int(n) for n in re.findall(r'href="/doc/meeting/cop/(\d+)"', cop)]
    assert ordinals and ordinals == sorted(ordinals)
    meetings = count(
        store, "SELECT (COUNT(DISTINCT ?m) AS ?n) { ?m a <https://w3id.org/tipkg/def#Meeting> }"
    )
    row = re.search(r'href="/def#Meeting">[^<]*</a></td><td class="n">(\d+)<', page)
    assert row and int(row.group(1)) == meetings
    graphs = count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g {} }")
    assert f"in {graphs} named graphs" in page
    assert "https://w3id.org/tipkg/graph/document/CTOC/COP/WG.4/2022/4" in page
    # each distinct triple once: the default graph is the merge of the named graphs
    triples = count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    distinct = count(
        store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert triples == distinct < count(store, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert f"{triples:,} distinct statements" in page


def test_home_escapes_labels(client):
    page = client.get("/").text
    assert XSS_LABEL not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; meeting" in page
    assert 'href="/doc/meeting/test/1"' in page


def test_plain_form_when_assets_are_absent(client):
    page = client.get("/").text
    assert "yasgui.min.js" not in page
    assert '<form method="get" action="/sparql"' in page
    assert '<textarea name="query"' in page
    assert 'formaction="/#results" formmethod="post"' in page
    for example in EXAMPLES:
        assert str(escape(example.title)) in page
        assert str(escape(example.description)) in page


def test_yasgui_when_assets_are_installed(yasgui_client):
    page = yasgui_client.get("/").text
    assert '<script src="/static/yasgui/yasgui.min.js"></script>' in page
    assert 'href="/static/yasgui/yasgui.min.css"' in page
    assert "cdn" not in page.lower() and "unpkg" not in page and "jsdelivr" not in page
    # the page's own script is a static file: no inline script for the CSP to allow
    assert '<script src="/static/query-page.js"></script>' in page
    scripts = re.findall(r"<script([^>]*)>", page)
    data_blocks = ('type="application/json"', 'type="application/ld+json"')  # not run
    assert all(
        "src=" in attrs or any(attrs.endswith(block) for block in data_blocks) for attrs in scripts
    ), scripts
    script = yasgui_client.get("/static/query-page.js")
    assert script.status_code == 200 and 'new URL("/sparql", window.location.href)' in script.text
    data = re.search(
        r'<script id="tipkg-examples" type="application/json">(.*?)</script>', page, re.S
    )
    assert data is not None
    import json

    examples = json.loads(data.group(1))
    assert [e["title"] for e in examples] == [e.title for e in EXAMPLES]
    assert examples[0]["query"] == EXAMPLES[0].query
    assert "<" not in data.group(1)  # queries with < cannot end the script element
    assert yasgui_client.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert yasgui_client.get("/static/yasgui/yasgui.min.css").status_code == 200
    assert yasgui_client.get("/static/install_assets.py").status_code == 404


def test_plain_form_posts_a_results_table(client):
    response = client.post("/", data={"query": TIMELINE, "table": "1"})
    assert response.status_code == 200
    page = response.text
    assert '<table class="results">' in page
    assert "<th>meeting</th><th>ordinal</th><th>start</th><th>end</th>" in page
    assert (
        '<a href="/doc/meeting/wg-tip/12">https://w3id.org/tipkg/id/meeting/wg-tip/12</a>' in page
    )
    assert "2022-06-29" in page
    links = dict(re.findall(r'<a href="(/sparql\?[^"]+)">(csv|json|tsv)</a>', page)[::1])
    assert len(links) == 3
    for url, fmt in links.items():
        params = parse_qs(urlparse(html.unescape(url)).query)
        assert params["format"] == [fmt]
        assert params["query"] == [TIMELINE]


def test_results_table_by_get_and_download_link_works(client):
    page = client.get("/", params={"query": TIMELINE}).text
    url = re.search(r'<a href="(/sparql\?[^"]+)">csv</a>', page).group(1)
    csv = client.get(html.unescape(url))
    assert csv.status_code == 200
    assert csv.text.splitlines()[0] == "meeting,ordinal,start,end"


def test_results_table_escapes_values(client):
    query = f"SELECT ?label WHERE {{ <{XSS_MEETING}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    page = client.post("/", data={"query": query}).text
    assert XSS_LABEL not in page
    assert "&lt;script&gt;" in page


def test_results_table_ask_and_construct(client):
    ask = client.get(
        "/", params={"query": "ASK { ?s a <https://w3id.org/tipkg/def#Meeting> }"}
    ).text
    assert "Answer: <strong>yes (true)</strong>" in ask
    construct = client.get(
        "/",
        params={
            "query": "CONSTRUCT { <https://w3id.org/tipkg/id/meeting/wg-tip/12> ?p ?o } WHERE { <https://w3id.org/tipkg/id/meeting/wg-tip/12> ?p ?o }"
        },
    ).text
    assert "<th>subject</th><th>predicate</th><th>object</th>" in construct
    assert ">ttl</a>" in construct


def test_results_table_errors(client):
    bad = client.get("/", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400
    assert 'class="error"' in bad.text
    service = client.get(
        "/", params={"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}
    )
    assert service.status_code == 400 and "SERVICE" in service.text
    update = client.post("/", data={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert update.status_code == 400 and "read-only" in update.text


def test_summary_is_cached_per_build(client, monkeypatch):
    client.get("/")
    calls = []
    pool = client.app.state.sparql.pool
    original = pool.run

    async def spy(job, timeout, client="", wait=None):
        calls.append(job.query)
        return await original(job, timeout, client, wait)

    monkeypatch.setattr(pool, "run", spy)
    assert client.get("/").status_code == 200
    assert calls == []


def test_static_dir_is_in_the_package():
    assert (
        Path(__file__).resolve().parents[2]
        / "server"
        / "tipkg"
        / "web"
        / "static"
        / "install_assets.py"
    ).is_file()
