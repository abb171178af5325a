"""Attack probes against a running ``tipkg serve``, as an attacker would send them.

* SSRF: the three reported families of SERVICE bypass (a comment ended by a carriage
  return, a number glued to the keyword, an empty prefixed name before a dot), each through
  GET, POST (form and direct) and the home page's form, against the embedded store and, in
  ``--endpoint`` mode, an Oxigraph server (which itself follows SERVICE: the control shows
  it). A canary HTTP server counts what reaches it: nothing may.
* Undecodable paths answer 400 or 404, never 500; ``If-None-Match: *`` and weak validators
  are honoured (RFC 9110).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Server, free_port
from tests.store.canary import Canary


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with Canary() as running:
        yield running


def bypasses(url: str) -> list[str]:
    """The reported families, each in several spellings."""
    service = f"SERVICE <{url}> {{ ?s ?p ?leak }}"
    escaped = service.replace("SERVICE", "\\u0053ERVICE")
    return [
        f"SELECT * WHERE {{ # x\r{service} }}",
        f"SELECT * WHERE {{ # x\r\n{service} }}",
        f"SELECT * WHERE {{ ?a ?b 1{service} }}",
        f"SELECT * WHERE {{ ?a ?b 1.5e3{service} }}",
        f"PREFIX : <http://e/> SELECT * WHERE {{ ?a ?b :.{service} }}",
        f"PREFIX : <http://e/> SELECT * WHERE {{ ?a ?b :x.{service} }}",
        f"SELECT * WHERE {{ {service.replace('SERVICE', 'SeRvIcE')} }}",
        f"SELECT * WHERE {{ {escaped} }}",
    ]


def send_every_way(client: httpx.Client, query: str) -> list[httpx.Response]:
    return [
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post(
            "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
        client.get("/", params={"query": query}),
        client.post("/", data={"query": query}),
    ]


def test_no_bypass_reaches_the_canary_from_the_embedded_store(
    base_url: str, canary: Canary
) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for query in bypasses(canary.url):
            for response in send_every_way(client, query):
                assert response.status_code == 400, (query, response.text[:200])
    assert canary.requests == []


@pytest.fixture(scope="module")
def oxigraph_server() -> Iterator[str]:
    """``oxigraph serve`` on a free port (an empty store: the probes need no data)."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the Oxigraph server (pip install oxigraph) is not installed")
    location = Path(tempfile.mkdtemp(prefix="tipkg-probe-oxigraph-"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(location, ignore_errors=True)


@pytest.fixture(scope="module")
def endpoint_server(oxigraph_server: str) -> Iterator[Server]:
    from tests.e2e.conftest import start_serve

    tmp = Path(tempfile.mkdtemp(prefix="tipkg-probe-endpoint-"))
    running = start_serve(tmp, "--endpoint", f"{oxigraph_server}/query")
    try:
        yield running
    finally:
        running.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_control_the_oxigraph_server_follows_service(oxigraph_server: str) -> None:
    with Canary() as probe:
        query = f"SELECT * WHERE {{ SERVICE <{probe.url}> {{ ?s ?p ?o }} }}"
        httpx.get(f"{oxigraph_server}/query", params={"query": query}, timeout=30)
        assert probe.requests, "the control should reach the canary"


def test_no_bypass_reaches_the_canary_through_a_remote_store(
    endpoint_server: Server, canary: Canary
) -> None:
    with httpx.Client(base_url=endpoint_server.url, timeout=30) as client:
        for query in bypasses(canary.url):
            for response in send_every_way(client, query):
                assert response.status_code == 400, (query, response.text[:200])
    assert canary.requests == []


@pytest.mark.parametrize(
    "path",
    [
        "/doc/state/%FF",
        "/doc/state/%C3%28",
        "/id/state/%FF",
        "/%FF",
        "/sparql/%FF",
        "/doc/state/FRA%00",
        "/doc/%E4%B8%AD%E6%96%87",
        "/static/%2e%2e/%2e%2e/app.py",
        "/doc/" + "a/" * 2000,
    ],
)
def test_bad_paths_are_400_or_404(base_url: str, path: str) -> None:
    response = httpx.get(base_url + path, timeout=30)
    assert response.status_code in (400, 404), response.text[:200]


@pytest.mark.parametrize("path", ["/doc/state/FRA", "/sparql?query=ASK%7B%7D", "/def"])
def test_if_none_match_star_and_weak_validators(base_url: str, path: str) -> None:
    first = httpx.get(base_url + path, timeout=30)
    etag = first.headers["etag"]
    for header in ("*", f"W/{etag}", f'"other", {etag}', f'W/"other", W/{etag}'):
        response = httpx.get(base_url + path, headers={"If-None-Match": header}, timeout=30)
        assert response.status_code == 304, header
    other = httpx.get(base_url + path, headers={"If-None-Match": '"other"'}, timeout=30)
    assert other.status_code == 200
