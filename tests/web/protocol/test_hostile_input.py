"""Pages cannot run injected script, and a forged Host header changes nothing any client
later receives.

Every page kind is rendered from a store full of hostile data (``javascript:``/``data:``
IRIs, markup in labels and literals, attribute breakouts) and parsed as HTML: the only
scripts are our static files (and JSON data blocks), no attribute is an event handler, and
only http(s) or same-site targets are links. Every response carries the security headers.
"""

from __future__ import annotations

import html.parser
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tipkg.config import Settings
from tipkg.web.app import create_app_for_files

BASE = "https://w3id.org/tipkg/"
HOSTILE_IRIS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
]


def hostile_turtle() -> str:
    me = f"<{BASE}id/meeting/test/1>"
    lines = [f"{me} a <{BASE}def#Meeting> ."]
    for i, escaped in enumerate(HOSTILE_IRIS):
        lines.append(f"{me} <http://example.org/link{i}> <{escaped}> .")
        lines.append(f"<{escaped}> <http://example.org/points> {me} .")
        lines.append(f"{me} <{escaped}> <{BASE}id/state/FRA> .")
        lines.append(f'<{escaped}> <http://www.w3.org/2000/01/rdf-schema#label> "x{i}" .')
    for text in HOSTILE_TEXT:
        literal = text.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'{me} <http://www.w3.org/2000/01/rdf-schema#label> "{literal}"@en .')
        lines.append(f'{me} <{BASE}def#text> "{literal}" .')
    lines.append(f"{me} <{BASE}def#source> <javascript:alert(2)> .")
    lines.append(f'<javascript:alert(2)> <{BASE}def#text> "{HOSTILE_TEXT[0]}" .')
    lines.append(f"{me} <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(3)> .")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    data.write_text(hostile_turtle(), encoding="utf-8")
    settings = Settings(workers=1, union_default_graph=True)
    with TestClient(create_app_for_files([data], settings)) as client:
        yield client


class Inspector(html.parser.HTMLParser):
    """Collect what could run script in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value is not None:
                target = value.strip().lower()
                image = tag in ("link", "img") and target.startswith("data:image/")
                if not image and not target.startswith(("/", "#", "?", "http://", "https://")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            source, kind = values.get("src"), values.get("type")
            if not (
                (source or "").startswith("/static/")
                or kind in ("application/json", "application/ld+json")
            ):
                self.problems.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "svg", "img") and tag != "img":
            self.problems.append(f"<{tag}>")


def problems(page: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(page)
    return inspector.problems


def hostile_pages(client: TestClient) -> list[tuple[str, dict[str, str]]]:
    """Every page kind, requested so that the hostile data is on it."""
    results_query = (
        "SELECT ?x ?y WHERE { VALUES (?x ?y) { "
        + " ".join(
            f"(<{iri.replace('<', '%3C').replace('>', '%3E')}> {lit!r})"
            for iri, lit in zip(HOSTILE_IRIS, [f'"{t}"' for t in HOSTILE_TEXT], strict=True)
        ).replace("'", "")
        + " } }"
    )
    return [
        ("/doc/meeting/test/1", {}),
        ("/", {"query": "SELECT (<javascript:alert(document.domain)> AS ?x) {}"}),
        ("/", {"query": results_query}),
        ("/", {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}),
        ("/", {"query": HOSTILE_TEXT[0]}),  # a syntax error quoting the query
        ("/doc/" + HOSTILE_TEXT[1], {}),
        ("/doc/nothing/here", {}),
        ("/def", {}),
        ("/.well-known/void", {}),  # the dataset page
    ]


def test_no_page_runs_injected_script(hostile: TestClient) -> None:
    for path, params in hostile_pages(hostile):
        response = hostile.get(path, params=params, headers={"Accept": "text/html"})
        assert response.headers["content-type"].startswith("text/html"), path
        assert problems(response.text) == [], (path, params)
        for text in HOSTILE_TEXT:
            assert text not in response.text, (path, text)


def test_the_reported_javascript_iri_is_shown_not_linked(hostile: TestClient) -> None:
    query = "SELECT (<javascript:alert(document.domain)> AS ?x) {}"
    page = hostile.get("/", params={"query": query}).text
    assert "javascript:alert(document.domain)" in page  # shown as text
    assert 'href="javascript:' not in page.lower()


def test_safe_iris_stay_links(hostile: TestClient) -> None:
    page = hostile.get("/doc/meeting/test/1").text
    assert 'href="/doc/state/FRA"' in page


@pytest.mark.parametrize(
    "path",
    ["/", "/doc/meeting/test/1", "/def", "/sparql?query=ASK%7B%7D", "/health", "/nowhere"],
)
def test_every_response_carries_the_security_headers(hostile: TestClient, path: str) -> None:
    response = hostile.get(path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"


FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/doc/meeting/test/1.jsonld", "application/ld+json"),
        ("/doc/meeting/test/1", "text/html"),
        ("/sparql", "text/turtle"),
        ("/.well-known/void", "text/turtle"),
        ("/id/meeting/test/1", "text/html"),
    ],
)
def test_a_forged_host_changes_nothing_later_clients_get(
    hostile: TestClient, path: str, accept: str
) -> None:
    forged = hostile.get(path, headers={"Accept": accept, **FORGED}, follow_redirects=False)
    later = hostile.get(path, headers={"Accept": accept}, follow_redirects=False)
    for response in (forged, later):
        assert "evil.example" not in response.text
        assert "evil.example" not in str(response.headers)
    assert forged.content == later.content
    assert forged.headers.get("etag") == later.headers.get("etag")


def test_the_public_url_is_what_links_name(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(hostile_turtle(), encoding="utf-8")
    settings = Settings(workers=1, public_url="https://tipkg.example.org/kg")
    with TestClient(create_app_for_files([data], settings)) as client:
        description = client.get("/sparql", headers={"Accept": "text/turtle", **FORGED}).text
        assert "<https://tipkg.example.org/kg/sparql>" in description
        document = client.get("/doc/meeting/test/1.jsonld", headers=FORGED).json()
        # the published context, whatever the host: a saved document outlives the server
        assert document["@context"] == "https://w3id.org/tipkg/context.jsonld"
