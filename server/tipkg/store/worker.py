"""The query worker process: it cuts itself off from the network (:mod:`.sandbox`), opens
the store read-only once (or copies it into memory), and answers jobs from its pipe,
evaluating each on a thread with a large stack and returning the result already
serialized (or an error as a picklable outcome tuple)."""

from __future__ import annotations

import os
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

from tipkg.store import sandbox
from tipkg.store.jobs import QueryJob, ResultKind
from tipkg.store.layout import DUMP_FILE
from tipkg.store.search_functions import TextFunctions

#: Stack of the thread that evaluates queries in a worker: Oxigraph's parser and evaluator
#: recurse, and a deep query must not overflow the 8 MB of a main thread (reserved, not used).
WORKER_STACK_BYTES = 256 * 1024 * 1024


class _LimitedWriter:
    """A file-like sink for pyoxigraph's serializers that stops past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush; pyoxigraph may call it."""


class _TooLarge(Exception):
    pass


def _evaluate(
    store: Any, job: QueryJob, functions: dict[Any, Any] | None = None
) -> tuple[str, object, object, object]:
    """Run one job in the worker (with the ``search:`` functions, if given); return a
    picklable outcome tuple."""
    import pyoxigraph as ox

    try:
        kwargs: dict[str, object] = {"base_iri": job.base_iri}
        if functions:
            kwargs["custom_functions"] = functions
        if job.default_graph is not None or job.named_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        result = store.query(job.query, **kwargs)
        if isinstance(result, ox.QueryTriples):
            kind: ResultKind = "graph"
            name = job.graph_format
            fmt: object = getattr(ox.RdfFormat, name) if name else None
        else:
            kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
            name = job.results_format
            fmt = getattr(ox.QueryResultsFormat, name) if name else None
        if fmt is None or name is None:
            return ("not_acceptable", kind, None, None)
        sink = _LimitedWriter(job.max_result_bytes)
        # Oxigraph serializes (JSON-LD included, natively since pyoxigraph 0.5): no rdflib.
        result.serialize(sink, fmt)
        return ("ok", kind, name, b"".join(sink.parts))
    except SyntaxError as exc:
        return ("error", "bad_query", str(exc), None)
    except _TooLarge:
        limit = job.max_result_bytes
        detail = (
            f"the result is larger than the {limit:,} byte limit; add LIMIT or narrow the query"
        )
        return ("error", "result_too_large", detail, None)
    except ValueError as exc:
        return ("error", "bad_request", str(exc), None)
    except OSError as exc:
        return ("error", "store_error", str(exc), None)
    except RuntimeError as exc:
        if "custom function" in str(exc):  # a function IRI Oxigraph does not know
            return ("error", "bad_query", str(exc), None)
        return ("error", "internal", f"{type(exc).__name__}: {exc}", None)
    except Exception as exc:  # never let one query end the worker
        return ("error", "internal", f"{type(exc).__name__}: {exc}", None)


#: The distinct triples of a store whose default graph is the merge of all its graphs, and
#: of any other store (``serve --data`` without a union: the default graph as loaded).
_COUNT_MERGED = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_COUNT_ANY = (
    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
    "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }"
)


def _stats(store: Any, merged: bool) -> tuple[str, object, object, object]:
    """Count the store's distinct triples and list its named graphs."""
    (row,) = store.query(_COUNT_MERGED if merged else _COUNT_ANY)
    graphs = tuple(sorted(g.value for g in store.named_graphs()))
    return ("stats", int(row["n"].value), graphs, None)


def worker_main(store_path: str, conn: Connection, in_memory: bool, merged: bool) -> None:
    """Worker process: isolate it from the network, then serve on a large-stack thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the web process to handle
    layers = sandbox.isolate()
    threading.stack_size(WORKER_STACK_BYTES)
    thread = threading.Thread(
        target=_serve, args=(store_path, conn, in_memory, merged, layers), name="tipkg-eval"
    )
    thread.start()
    thread.join()


def _serve(
    store_path: str, conn: Connection, in_memory: bool, merged: bool, layers: dict[str, str]
) -> None:
    """Open the store read-only once (or copy it into memory, where heavy queries run
    several times faster), then answer jobs until told to stop."""
    try:
        import pyoxigraph as ox

        store = ox.Store.read_only(store_path)
        if in_memory:
            store = _in_memory_copy(ox, store, store_path)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}", None, None))
        return
    try:
        conn.send(("ready", os.getpid(), layers, None))
    except (BrokenPipeError, OSError):
        return  # the pool closed while this worker started
    functions = TextFunctions(store_path).functions()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        outcome = _stats(store, merged) if job == "stats" else _evaluate(store, job, functions)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


def _in_memory_copy(ox: Any, on_disk: Any, store_path: str) -> Any:
    """Load the store's quads into an in-memory store, from the N-Quads dump that
    ``tipkg build`` writes beside it when there is one (streamed from the file)."""
    memory = ox.Store()
    dump = os.path.join(store_path, DUMP_FILE)
    if os.path.exists(dump):
        memory.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    else:
        memory.bulk_load(on_disk.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return memory
