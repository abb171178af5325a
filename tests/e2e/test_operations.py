"""Operating a running ``tipkg serve``: it follows rebuilds without a failed request, never
loses its store to retention, says when it is degraded, and shuts down promptly.

Each test runs its own server over its own copy of the project (so that builds can change
the data) and stops it at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import ROOT, Server, start_serve

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FRANCE = "https://w3id.org/tipkg/id/state/FRA"
MARKER = 'ASK {{ <https://w3id.org/tipkg/id/state/FRA> ?p "Rebuild marker {n}"@en }}'


@pytest.fixture
def project() -> Iterator[Path]:
    """A copy of the project's inputs, which the test may change and rebuild."""
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-ops-"))
    root = tmp / "project"
    for name in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / name, root / name)
    try:
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build(root: Path, store: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPKG_")}
    env.update(TIPKG_ROOT=str(root), TIPKG_STORE=str(store))
    return subprocess.run(
        [sys.executable, "-m", "tipkg.cli", "build"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def add_marker(root: Path, n: int) -> None:
    """Give France one more name variant: a change that passes the shapes."""
    states = root / "data" / "reference" / "states.ttl"
    with states.open("a", encoding="utf-8") as out:
        out.write(
            "\n<https://w3id.org/tipkg/id/state/FRA> "
            f'<http://www.w3.org/2004/02/skos/core#altLabel> "Rebuild marker {n}"@en .\n'
        )


def ask(client: httpx.Client, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    response.raise_for_status()
    return bool(response.json()["boolean"])


class Traffic:
    """Requests in a loop from a background thread, recording every status."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.statuses: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        paths = [
            "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
            "/doc/state/FRA",
            "/doc/meeting/wg-tip/12.ttl",
            "/health",
            "/search?q=France&format=json",
        ]
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self._stop.is_set():
                for path in paths:
                    self.statuses.append((path, client.get(path).status_code))

    def __enter__(self) -> Traffic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(60)


def test_the_server_follows_five_rebuilds_without_a_failed_request(project: Path) -> None:
    tmp = project.parent
    server = start_serve(
        tmp, "--workers", "2", "--query-timeout", "2", "--memory", "yes", root=project
    )
    try:
        client = httpx.Client(base_url=server.url, timeout=30)
        # another client (address): one client's runaway query holds its share of workers
        # and would keep its own other queries waiting, by the fair-use rules
        other_client = httpx.Client(
            base_url=server.url,
            timeout=30,
            transport=httpx.HTTPTransport(local_address="127.0.0.2"),
        )
        first_build = client.get("/health").json()["build"]
        with Traffic(server.url) as traffic:
            for n in range(1, 6):
                add_marker(project, n)
                done = build(project, server.store)
                assert done.returncode == 0, done.stderr
                deadline = time.monotonic() + 30
                while not ask(client, MARKER.format(n=n)):
                    assert time.monotonic() < deadline, f"rebuild {n} was never served"
                    time.sleep(0.2)
                # the search index moved with the build: the new name is found at once
                params = {"q": f'"rebuild marker {n}"', "format": "json"}
                found = client.get("/search", params=params).json()
                assert [h["iri"] for g in found["groups"] for h in g["hits"]] == [FRANCE]
                if n in (2, 4):  # a query past the limit: its worker is killed and replaced
                    response = other_client.get("/sparql", params={"query": HEAVY})
                    assert response.status_code == 503
                    assert response.json()["code"] == "query_timeout"
        failed = [(path, status) for path, status in traffic.statuses if status != 200]
        assert not failed, failed[:10]
        assert len(traffic.statuses) > 50
        health = client.get("/health").json()
        newest = json.loads((server.store / "current" / "build.json").read_text())["hash"]
        assert health["status"] == "ok" and health["build"] == newest != first_build
        assert all(ask(client, MARKER.format(n=n)) for n in range(1, 6))
        # retention kept at most three complete builds and the one in service
        builds = sorted(p.name for p in server.store.glob("build-*"))
        assert 1 <= len(builds) <= 3
        assert Path(health["store"]).name in builds
        # the ETag follows the build
        etag = client.get("/doc/state/FRA").headers["etag"]
        add_marker(project, 6)
        assert build(project, server.store).returncode == 0
        deadline = time.monotonic() + 30
        while not ask(client, MARKER.format(n=6)):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert client.get("/doc/state/FRA").headers["etag"] != etag
    finally:
        stray = server.stop()
    assert not stray
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_a_build_in_use_is_kept_and_a_lost_store_is_reported(project: Path) -> None:
    """Retention never removes the served build; if it disappears anyway (an operator's
    rm -rf), workers that cannot be replaced make /health say so, with the path."""
    tmp = project.parent
    server = start_serve(
        tmp, "--workers", "1", "--query-timeout", "1", "--memory", "no", root=project
    )
    try:
        client = httpx.Client(base_url=server.url, timeout=30)
        served = Path(client.get("/health").json()["store"])
        lease = json.loads(next((server.store / "leases").glob("*.json")).read_text())
        assert served.name in lease["builds"]
        shutil.rmtree(served)
        for _ in range(2):  # the killed worker's replacement cannot open the store
            assert client.get("/sparql", params={"query": HEAVY}).status_code in (503, 500)
        deadline = time.monotonic() + 30
        while (health := client.get("/health")).status_code != 503:
            assert time.monotonic() < deadline, health.json()
            time.sleep(0.3)
        body = health.json()
        assert body["status"] == "degraded"
        assert str(served) in body["reason"]
        assert "could not open the store" in server.log.read_text(errors="replace")
    finally:
        server.stop()


def test_sigterm_answers_waiting_queries_503_and_exits_within_ten_seconds(
    project: Path,
) -> None:
    tmp = project.parent
    server: Server = start_serve(
        tmp, "--workers", "1", "--query-timeout", "60", "--memory", "no", root=project
    )
    answers: dict[str, httpx.Response] = {}

    def query(name: str, text: str) -> None:
        try:
            answers[name] = httpx.get(f"{server.url}/sparql", params={"query": text}, timeout=60)
        except httpx.HTTPError as exc:
            answers[name] = exc  # type: ignore[assignment]

    running = threading.Thread(target=query, args=("running", HEAVY))
    running.start()
    time.sleep(0.5)
    waiting = threading.Thread(target=query, args=("waiting", "ASK { ?s ?p ?o }"))
    waiting.start()
    time.sleep(0.5)
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(15)
    took = time.monotonic() - started
    waiting.join(15)
    running.join(15)
    assert took < 10, f"shutdown took {took:.1f} s"
    assert isinstance(answers["waiting"], httpx.Response), answers["waiting"]
    assert answers["waiting"].status_code == 503
    assert "shutting down" in answers["waiting"].text
    assert not server.stop()
