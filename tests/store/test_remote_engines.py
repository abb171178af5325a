"""tipkg over two real SPARQL engines, compared with the embedded store.

For each engine a server is started (tests/remote_servers.py), loaded with ``build_store(...,
endpoint=...)`` (what ``tipkg build --endpoint`` runs) and served with ``create_app(...,
endpoint=...)`` (``tipkg serve --endpoint``); every competency query in queries/ then runs
through tipkg's /sparql on it and on the embedded store, and the answers must be the same set
of rows. The Oxigraph server is loaded both ways (N-Quads to /store, SPARQL Update to
/update); Virtuoso through SPARQL Update at /sparql-auth in requests of 1,000 triples (with
the stock ``MaxQueryCostEstimationTime`` of Debian's virtuoso.ini it compiles the data of a
request into SQL, at most 10,000 lines), with the merged default graph in a named graph (its
default graph is the union of all its graphs).

Differences that are the engine's right, normalised before comparing:

* blank nodes are compared as "a blank node" (labels are the store's own);
* Virtuoso stores an ``xsd:boolean`` as the integer 1 or 0 and answers it as ``xsd:integer``
  (``"true"^^xsd:boolean`` comes back as ``"1"^^xsd:integer``): booleans are compared in
  that form;
* Oxigraph (the embedded store and the Oxigraph server) stores the types derived from
  ``xsd:integer`` (``xsd:positiveInteger``, ``xsd:nonNegativeInteger``, ...) as
  ``xsd:integer``, where Virtuoso keeps the data's type: they are compared as ``xsd:integer``.

Every other literal (dates, strings, language tags) comes back as the embedded store gives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.store.remote_servers import (
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    Server,
    running_oxigraph,
    running_virtuoso,
)
from tipkg.build.pipeline import build_store, current_store
from tipkg.config import Settings
from tipkg.store.remote_load import LoadTarget, RemoteStoreError
from tipkg.web.app import create_app

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
GRAPH = "https://w3id.org/tipkg/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_GRAPH = f"{GRAPH}default"
FOREIGN_GRAPH = "http://example.org/not-tipkg"
STALE_GRAPH = f"{GRAPH}document/WITHDRAWN"

Row = tuple[object, ...]


@dataclass(frozen=True)
class Engine:
    """How one engine is started, loaded and queried."""

    name: str
    protocol: str  # "dataset" or "update"
    batch: int | None = None

    def start(self, directory: Path) -> AbstractContextManager[Server]:
        if self.name == "virtuoso":
            return running_virtuoso(directory)
        return running_oxigraph(directory)

    def load_url(self, base: str) -> str:
        if self.name == "virtuoso":
            return f"{base}/sparql-auth"
        return f"{base}/store" if self.protocol == "dataset" else f"{base}/update"

    def update_url(self, base: str) -> str:
        return f"{base}/sparql-auth" if self.name == "virtuoso" else f"{base}/update"

    def query_url(self, base: str) -> str:
        return f"{base}/sparql" if self.name == "virtuoso" else f"{base}/query"

    def settings(self) -> Settings:
        if self.name != "virtuoso":
            return Settings(root=ROOT)
        return Settings(
            root=ROOT,
            default_graph=DEFAULT_GRAPH,
            endpoint_user=VIRTUOSO_USER,
            endpoint_password=VIRTUOSO_PASSWORD,
        )

    def auth(self) -> httpx.Auth | None:
        return (
            httpx.DigestAuth(VIRTUOSO_USER, VIRTUOSO_PASSWORD) if self.name == "virtuoso" else None
        )


ENGINES = [
    pytest.param(Engine("oxigraph", "dataset"), id="oxigraph-store"),
    pytest.param(Engine("oxigraph", "update"), id="oxigraph-update"),
    pytest.param(Engine("virtuoso", "update", batch=1000), id="virtuoso"),
]


@dataclass
class Remote:
    """A loaded engine and tipkg serving from it."""

    engine: Engine
    target: LoadTarget
    query_url: str
    client: TestClient


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(root=ROOT, store=tmp_path_factory.mktemp("embedded"))
    build_store(settings)
    with TestClient(create_app(settings, current_store(settings))) as client:
        yield client


@pytest.fixture(scope="module", params=ENGINES)
def remote(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Remote]:
    engine: Engine = request.param
    directory = tmp_path_factory.mktemp(engine.name)
    with engine.start(directory) as server:
        base = server.base
        settings = engine.settings()
        # what a store shared with others holds, and a graph of a document tipkg no longer has
        _update(
            engine,
            base,
            f"INSERT DATA {{ GRAPH <{FOREIGN_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} "
            f"GRAPH <{STALE_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        )
        target = LoadTarget(engine.load_url(base), engine.protocol, engine.batch)  # type: ignore[arg-type]
        build_store(settings, endpoint=target)
        build_store(settings, endpoint=target)  # a second build replaces the first
        app = create_app(settings, endpoint=engine.query_url(base))
        with TestClient(app) as client:
            yield Remote(engine, target, engine.query_url(base), client)


def _update(engine: Engine, base: str, update: str) -> None:
    response = httpx.post(
        engine.update_url(base),
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
        auth=engine.auth(),
        timeout=120,
    )
    assert response.status_code < 300, response.text


def _store_select(remote: Remote, query: str) -> list[dict[str, str]]:
    """Ask the store itself (not through tipkg), with its own default dataset."""
    response = httpx.post(
        remote.query_url,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return [
        {name: term["value"] for name, term in binding.items()}
        for binding in response.json()["results"]["bindings"]
    ]


def select(client: TestClient, query: str) -> list[Row]:
    """Run ``query`` through tipkg's /sparql and return its rows, normalised."""
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [tuple(_normal(solution[name]) for name in names) for solution in solutions]


def _normal(term: object) -> object:
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.NamedNode):
        return term.value
    assert isinstance(term, ox.Literal)
    if term.language:
        return (term.value, "@" + term.language.lower())
    datatype = term.datatype.value
    if datatype == f"{XSD}boolean":  # Virtuoso stores a boolean as 1 or 0
        return ("1" if term.value in ("true", "1") else "0", f"{XSD}integer")
    if datatype.removeprefix(XSD) in _INTEGERS:  # Oxigraph stores these as xsd:integer
        return (term.value, f"{XSD}integer")
    return (term.value, datatype)


_INTEGERS = {
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
}


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_competency_query_answers_as_on_the_embedded_store(
    remote: Remote, embedded: TestClient, path: Path
) -> None:
    query = path.read_text(encoding="utf-8")
    expected = select(embedded, query)
    answered = select(remote.client, query)
    assert expected, f"{path.name} answers nothing on the embedded store: nothing to compare"
    assert set(answered) == set(expected)


def _count(rows: list[Row]) -> int:
    (((value, _),),) = rows
    return int(value)  # type: ignore[call-overload]


def test_default_graph_is_a_set(remote: Remote, embedded: TestClient) -> None:
    meetings = select(
        remote.client, "SELECT ?s WHERE { ?s a <https://w3id.org/tipkg/def#Meeting> }"
    )
    assert meetings and len(meetings) == len(set(meetings))
    distinct = _count(
        select(
            embedded,
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
        )
    )
    assert _count(select(remote.client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == distinct
    assert remote.client.get("/health").json()["triples"] == distinct


def _foreign_visible(remote: Remote) -> bool:
    """Whether tipkg sees the other graphs of a shared store: on the Oxigraph server loaded
    by an update (a PUT empties the store), where tipkg asks for no dataset of its own."""
    return remote.engine.name == "oxigraph" and remote.engine.protocol == "update"


def test_graphs_are_tipkgs_and_a_shared_store_keeps_its_other_graphs(
    remote: Remote, embedded: TestClient
) -> None:
    stored = {
        row["g"]
        for row in _store_select(remote, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    }
    assert STALE_GRAPH not in stored
    # PUT to /store replaces the whole dataset; an update replaces tipkg's graphs only
    shared = remote.engine.protocol == "update"
    assert (FOREIGN_GRAPH in stored) == shared
    expected = {
        g for (g,) in select(embedded, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    }
    expected.add(f"{GRAPH}build")
    if _foreign_visible(remote):
        expected.add(FOREIGN_GRAPH)
    through_tipkg = select(remote.client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {g for (g,) in through_tipkg} == expected


_SHARED_BLANK_NODES = """
SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {
  GRAPH <https://w3id.org/tipkg/graph/inferred> { ?x ?p ?b }
  GRAPH <https://w3id.org/tipkg/graph/ontology> { ?b ?q ?o }
  ?b ?r ?v
  FILTER(isBlank(?b))
}"""
_ALL_BLANK_NODES = """
SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {
  GRAPH ?g { { ?b ?p ?o } UNION { ?s ?p ?b } } FILTER(isBlank(?b))
}"""


def test_blank_node_shared_by_two_graphs_stays_one_node(
    remote: Remote, embedded: TestClient
) -> None:
    shared = _count(select(embedded, _SHARED_BLANK_NODES))
    assert shared > 0
    assert _count(select(remote.client, _SHARED_BLANK_NODES)) == shared
    everywhere = _count(select(embedded, _ALL_BLANK_NODES))
    assert _count(select(remote.client, _ALL_BLANK_NODES)) == everywhere


def test_a_store_without_a_default_graph_of_its_own_is_refused_with_what_to_do(
    remote: Remote, embedded: TestClient
) -> None:
    """Without --default-graph, Virtuoso (whose default graph is the union of all) refuses the
    first request whole, with tipkg's advice, and keeps what it holds; the Oxigraph server
    has a default graph of its own and takes the same load."""
    settings = remote.engine.settings().model_copy(update={"default_graph": None})
    if remote.engine.name == "virtuoso":
        with pytest.raises(RemoteStoreError, match="give --default-graph IRI"):
            build_store(settings, endpoint=remote.target)
    else:
        build_store(settings, endpoint=remote.target)
    query = (ROOT / "queries" / "meeting-timeline.rq").read_text(encoding="utf-8")
    assert set(select(remote.client, query)) == set(select(embedded, query))


def test_one_update_request_is_atomic_on_oxigraph_only(remote: Remote) -> None:
    """What the README's table says: a request whose last operation fails leaves no trace on
    the Oxigraph server (one transaction) and keeps its first operation on Virtuoso."""
    probe = "urn:tipkg-test:atomicity"
    base = remote.query_url.rsplit("/", 1)[0]
    response = httpx.post(
        remote.engine.update_url(base),
        content=f"INSERT DATA {{ GRAPH <{probe}> {{ <urn:a> <urn:b> <urn:c> }} }} ; "
        "LOAD <http://127.0.0.1:9/unreachable>".encode(),
        headers={"Content-Type": "application/sparql-update"},
        auth=remote.engine.auth(),
        timeout=120,
    )
    assert response.status_code >= 400
    kept = _store_select(remote, f"SELECT * WHERE {{ GRAPH <{probe}> {{ ?s ?p ?o }} }}")
    assert bool(kept) == (remote.engine.name == "virtuoso")
    _update(remote.engine, base, f"DROP SILENT GRAPH <{probe}>")


def test_service_is_refused_by_tipkg_and_by_virtuosos_anonymous_user(remote: Remote) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    through_tipkg = remote.client.get("/sparql", params={"query": query})
    assert through_tipkg.status_code == 400
    assert through_tipkg.json()["code"] == "service_refused"
    if remote.engine.name == "virtuoso":  # the store's own endpoint, as the README says
        direct = httpx.post(remote.query_url, data={"query": query}, timeout=60)
        assert direct.status_code >= 400 and "SECURITY" in direct.text


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/doc/state/AZE.nt", "application/n-triples"),
        ("/doc/meeting/wg-tip/12.nt", "application/n-triples"),
        ("/dump.nq", "application/n-quads"),
    ],
    ids=["state", "meeting", "dump"],
)
def test_linked_data_and_dumps_as_on_the_embedded_store(
    remote: Remote, embedded: TestClient, path: str, accept: str
) -> None:
    def statements(client: TestClient) -> set[tuple[object, ...]]:
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        fmt = ox.RdfFormat.N_QUADS if path.endswith(".nq") else ox.RdfFormat.N_TRIPLES
        parsed = ox.parse(response.content, format=fmt)
        return {
            tuple(_normal(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
            for q in parsed
        }

    expected = statements(embedded)
    assert expected
    answered = statements(remote.client)
    if path == "/dump.nq":
        # the remote store also holds the build graph, and a shared Oxigraph server's other
        # graphs are seen (tipkg asks it for no dataset of its own)
        extra = {f"{GRAPH}build"} | ({FOREIGN_GRAPH} if _foreign_visible(remote) else set())
        assert {q[3] for q in answered} - {q[3] for q in expected} == extra
        answered = {q for q in answered if q[3] not in extra}
    assert answered == expected


def test_pages_and_ask_answer_from_the_remote_store(remote: Remote) -> None:
    page = remote.client.get("/doc/state/AZE", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<h1>Azerbaijan</h1>" in page.text
    assert remote.client.get("/", headers={"Accept": "text/html"}).status_code == 200
    void = remote.client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    ask = remote.client.get(
        "/sparql",
        params={"query": "ASK { ?s a <https://w3id.org/tipkg/def#Meeting> }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.status_code == 200 and ask.json()["boolean"] is True
