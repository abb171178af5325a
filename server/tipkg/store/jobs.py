"""What the web tier asks of a store and what it gets back: a query job, its serialized
result, the store's size, and the errors of evaluation (the interface both the embedded
pool and the remote store speak)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class QueryJob:
    """One query with its dataset and the acceptable output formats.

    ``results_format`` names a ``pyoxigraph.QueryResultsFormat`` (SELECT/ASK) and
    ``graph_format`` a ``pyoxigraph.RdfFormat`` (CONSTRUCT/DESCRIBE); ``None`` means the
    client accepts no format for that kind of result. Without ``default_graph`` and
    ``named_graphs`` the query sees the store's default graph, which ``tipkg build`` makes
    the RDF merge of all graphs.
    """

    query: str
    base_iri: str | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    results_format: str | None = "JSON"
    graph_format: str | None = "TURTLE"
    max_result_bytes: int = 50_000_000


@dataclass(frozen=True)
class QueryResult:
    """A serialized result: which kind of result it is, the format name and the bytes."""

    kind: ResultKind
    format: str
    body: bytes


@dataclass(frozen=True)
class StoreStats:
    """What /health and the service description show about the store."""

    triples: int
    named_graphs: tuple[str, ...] = field(default_factory=tuple)


class QueryError(Exception):
    """The worker could not answer; ``code`` says why (bad_query, bad_request, too_large...)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class NotAcceptable(QueryError):
    """The query gives a kind of result for which the client accepts no format."""

    def __init__(self, kind: ResultKind) -> None:
        super().__init__("not_acceptable", f"no acceptable format for a {kind} result")
        self.kind = kind


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker process was killed."""

    def __init__(self, seconds: float, pid: int | None) -> None:
        super().__init__(f"query exceeded the {seconds:g} s time limit and was stopped")
        self.seconds = seconds
        self.pid = pid


class PoolBusy(Exception):
    """No worker became free in time, too many queries wait, or the pool is closed."""


class ClientLimit(Exception):
    """The client already has as many queries running or waiting as one client may."""
