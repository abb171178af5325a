"""Load the dataset into an external SPARQL store, all graphs together, so that a blank node
shared by two graphs (an OWL restriction in the ontology and what is inferred about it) stays
one node there.

Two protocols, chosen by the operator (``tipkg build --endpoint URL [--update]``):

* ``dataset``: one ``PUT`` of the whole dataset as N-Quads to a Graph Store Protocol endpoint
  without ``?graph=`` (the Oxigraph server's ``/store``, Fuseki's ``/{dataset}``); the store
  replaces all its content with it.
* ``update``: SPARQL 1.1 Update. The graphs tipkg loaded before (every graph under
  ``{base}graph/``, and the default graph when the dataset has one) are emptied, then the
  quads inserted. Quads linked by blank nodes go into one ``INSERT { ... } WHERE {}``
  (template blank nodes are fresh per operation, so a node must not be split across two;
  Virtuoso refuses blank nodes in ``INSERT DATA``), the others into ``INSERT DATA``. All of it
  is one request unless ``batch`` caps the triples per request (Virtuoso with the stock
  ``MaxQueryCostEstimationTime`` of its virtuoso.ini takes about 1,000).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import httpx
import pyoxigraph as ox

from tipkg.errors import TipkgError

Protocol = Literal["dataset", "update"]
_DATA_OPERATION = 5000  # triples per INSERT DATA operation
_TEMPLATE_OPERATION = 200  # triples per INSERT ... WHERE {} (Virtuoso compiles each to code)
_BLOCK = 1000  # triples per GRAPH block


class RemoteStoreError(TipkgError):
    """Raised when the external store refuses the load; the message quotes its answer."""

    code = "remote_store"


@dataclass(frozen=True)
class LoadTarget:
    """Where and how ``tipkg build --endpoint`` loads an external store.

    ``batch`` (update protocol only) is the most triples sent in one request; ``None`` sends
    everything in one request. ``user`` and ``password`` answer the store's Basic or Digest
    challenge (Virtuoso's ``/sparql-auth`` asks for Digest).
    """

    url: str
    protocol: Protocol = "dataset"
    batch: int | None = None
    user: str | None = None
    password: str | None = None


def load_dataset(
    target: LoadTarget,
    nquads: bytes,
    graph_prefix: str,
    progress: Callable[[str], None] = lambda message: None,
    timeout: float = 600.0,
) -> None:
    """Replace tipkg's content in the store at ``target`` with the dataset ``nquads``.

    Args:
        target: the endpoint and protocol.
        nquads: the whole dataset as N-Quads (all graphs, and the default graph if any).
        graph_prefix: the IRI every graph tipkg loads starts with (``{base}graph/``); with
            the update protocol, graphs under it that the dataset no longer has are emptied.
        progress: called with a sentence per request.
        timeout: seconds each request may take.

    Raises:
        RemoteStoreError: the store cannot be reached or refused a request (the requests
            before it were applied).
    """
    with httpx.Client(timeout=timeout) as client:
        auth = _authenticate(client, target)
        if target.protocol == "dataset":
            requests: Iterable[tuple[str, bytes, int]] = [("PUT", nquads, nquads.count(b"\n"))]
            content_type = "application/n-quads"
        else:
            quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
            requests = (
                ("POST", text.encode(), size)
                for text, size in update_requests(quads, graph_prefix, target.batch)
            )
            content_type = "application/sparql-update"
        for number, (method, body, size) in enumerate(requests, start=1):
            try:
                response = client.request(
                    method,
                    target.url,
                    content=body,
                    auth=auth,
                    headers={"Content-Type": content_type},
                )
            except httpx.TimeoutException as exc:
                raise RemoteStoreError(
                    f"{target.url} did not answer request {number} within {timeout:g} s"
                ) from exc
            except httpx.HTTPError as exc:
                raise RemoteStoreError(f"{target.url} cannot be reached: {exc}") from exc
            if response.status_code >= 300:
                raise RemoteStoreError(_refusal(target, number, response))
            progress(f"request {number}: {size} triples loaded into {target.url}")


def update_requests(
    quads: list[ox.Quad], graph_prefix: str, batch: int | None = None
) -> Iterator[tuple[str, int]]:
    """Yield the SPARQL Update requests that replace tipkg's graphs with ``quads``, each with
    the number of triples it inserts.

    The first request starts by emptying the graphs under ``graph_prefix`` (and the default
    graph if ``quads`` has one). Quads that share a blank node, directly or through other
    quads, are inserted by the same operation. With ``batch``, no request inserts more than
    ``batch`` triples unless one blank-node group alone is larger.
    """
    linked, plain = _split_linked(quads)
    clear = [
        "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {ox.Literal(graph_prefix)})) }}"
    ]
    if any(q.graph_name == ox.DefaultGraph() for q in quads):
        clear.append("CLEAR DEFAULT")
    templates = list(_pack(linked, min(_TEMPLATE_OPERATION, batch or _TEMPLATE_OPERATION)))
    # Virtuoso 7.2 fails ("string_output_string needs a string output") on a template of two
    # GRAPH blocks whose every triple holds a blank node; one plain triple in it avoids that.
    anchors, plain = plain[: len(templates)], plain[len(templates) :]
    operations = [
        (_insert(group + anchors[i : i + 1], data=False), len(group) + len(anchors[i : i + 1]))
        for i, group in enumerate(templates)
    ]
    size = min(_DATA_OPERATION, batch or _DATA_OPERATION)
    operations += [(_insert(chunk, data=True), len(chunk)) for chunk in _chunks(plain, size)]
    request, count = list(clear), 0
    for text, triples in operations:
        if batch is not None and count and count + triples > batch:
            yield " ;\n".join(request), count
            request, count = [], 0
        request.append(text)
        count += triples
    yield " ;\n".join(request), count


def _split_linked(quads: list[ox.Quad]) -> tuple[list[list[ox.Quad]], list[ox.Quad]]:
    """Split ``quads`` into groups linked by blank nodes (union-find) and the plain rest."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    linked: list[tuple[ox.Quad, list[ox.BlankNode]]] = []
    plain: list[ox.Quad] = []
    for quad in quads:
        nodes = [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]
        if isinstance(quad.graph_name, ox.BlankNode):
            raise RemoteStoreError(
                f"a graph named by a blank node ({quad.graph_name}) cannot be loaded by "
                "SPARQL Update; name the graph with an IRI"
            )
        if not nodes:
            plain.append(quad)
            continue
        for node in nodes:
            parent.setdefault(node, node)
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
        linked.append((quad, nodes))
    groups: dict[ox.BlankNode, list[ox.Quad]] = {}
    for quad, nodes in linked:
        groups.setdefault(root(nodes[0]), []).append(quad)
    return list(groups.values()), plain


def _pack(groups: list[list[ox.Quad]], size: int) -> Iterator[list[ox.Quad]]:
    """Pack whole groups into operations of about ``size`` quads (a larger group alone)."""
    operation: list[ox.Quad] = []
    for group in groups:
        if operation and len(operation) + len(group) > size:
            yield operation
            operation = []
        operation.extend(group)
    if operation:
        yield operation


def _chunks(quads: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    for start in range(0, len(quads), size):
        yield quads[start : start + size]


def _insert(quads: list[ox.Quad], data: bool) -> str:
    """One ``INSERT DATA`` (or, with blank nodes, ``INSERT ... WHERE {}``) of ``quads``."""
    parts = ["INSERT DATA {\n" if data else "INSERT {\n"]
    by_graph = sorted(quads, key=lambda q: str(q.graph_name))
    for graph, members in itertools.groupby(by_graph, key=lambda q: q.graph_name):
        # Virtuoso's SPARQL parser runs out of stack past about 5,000 triples in one block
        for block in _chunks(list(members), _BLOCK):
            triples = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in block)
            if graph == ox.DefaultGraph():
                parts.append(triples)
            else:
                parts.append(f"GRAPH {graph} {{\n{triples}}}\n")
    parts.append("}" if data else "} WHERE {}")
    return "".join(parts)


def _authenticate(client: httpx.Client, target: LoadTarget) -> httpx.Auth | None:
    """Answer the store's challenge (Basic or Digest) with a cheap HEAD request, so the
    dataset itself is sent once."""
    if target.user is None:
        return None
    password = target.password or ""
    try:
        challenge = client.head(target.url)
    except httpx.HTTPError as exc:
        raise RemoteStoreError(f"{target.url} cannot be reached: {exc}") from exc
    scheme = challenge.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
    if scheme != "digest":
        return httpx.BasicAuth(target.user, password)
    auth = httpx.DigestAuth(target.user, password)
    client.head(target.url, auth=auth)  # keeps the challenge for the next request
    return auth


def _refusal(target: LoadTarget, number: int, response: httpx.Response) -> str:
    text = response.text.strip()[:600]
    message = f"{target.url} refused request {number} ({response.status_code}): {text}"
    if response.status_code in (401, 403):
        message += (
            "\nIf the store takes writes from some users only, give the user and password in "
            "TIPKG_ENDPOINT_USER and TIPKG_ENDPOINT_PASSWORD."
        )
    elif "exceeded" in text or "memory exhausted" in text:
        message += (
            "\nThe store cannot take this many triples in one request: give --batch N "
            "(Virtuoso with its stock MaxQueryCostEstimationTime: 1000)."
        )
    elif "default graph" in text.lower():
        message += (
            "\nThis store has no default graph of its own (its default graph is the union of "
            "all graphs): give --default-graph IRI to hold the merged default graph in a named "
            "graph, at build and at serve."
        )
    if number > 1:
        message += f"\nRequests 1 to {number - 1} were applied: run the build again."
    return message
