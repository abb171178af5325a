"""Point lookups answered in the web process (``tipkg.store.lookups``): which queries the
store's degrees bound (and every other kind that must go to a worker), the degrees a build
records against those the store itself counts, and lookups answered at once while the only
worker runs a runaway query, with the worker's own answers."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.store.jobs import QueryJob, QueryTimeout
from tipkg.store.lookups import MAX_ROWS, Degrees, Lookups
from tipkg.store.pool import PoolLimits, QueryPool
from tipkg.store.worker import _evaluate

T = "https://w3id.org/tipkg/def#"
PREFIX = f"PREFIX t: <{T}>\n"
DEGREES = Degrees(
    out={f"{T}title": 3, f"{T}speaker": 1, f"{T}symbol": 1, "urn:many": 10_000},
    into={f"{T}symbol": 1, f"{T}speaker": 2_000, "urn:many": 10_000},
    out_any=300,
)
BOUNDED = [
    "DESCRIBE <https://w3id.org/tipkg/id/meeting/wg-tip/12>",
    "DESCRIBE <urn:a> <urn:b> # two at once",
    PREFIX + 'SELECT ?d ?title WHERE { ?d t:symbol "CTOC/COP/WG.4/2022/4" '
    "OPTIONAL { ?d t:title ?title } }",
    PREFIX + 'SELECT * { ?d t:symbol "X"@en ; t:title ?a , ?b . ?d t:speaker ?s } LIMIT 10',
    PREFIX + "ASK { <urn:s> t:speaker ?x . ?y t:speaker ?x }",
    PREFIX + "SELECT * { <urn:s> t:speaker ?x OPTIONAL { ?x t:title ?t } ?x t:symbol ?d }",
    "SELECT DISTINCT ?t WHERE { <urn:s> a ?t }",
    PREFIX + 'SELECT ?d { ?d t:symbol "1"^^<http://www.w3.org/2001/XMLSchema#string> }',
    "PREFIX t: <urn:t:> SELECT * { ?d t:unknown 'x' }",  # a predicate the store lacks
]
UNBOUNDED = [
    "SELECT * WHERE { ?s ?p ?o }",  # a scan
    "SELECT * WHERE { <urn:s> ?p ?o }",  # a variable predicate
    PREFIX + "SELECT * { ?d t:title ?t }",  # not joined to anything known
    PREFIX + 'SELECT * { ?d t:symbol "X" . ?x t:title ?y }',  # a second, separate scan
    "SELECT * { <urn:s> <urn:many> ?x . ?x <urn:many> ?y }",  # 10,000 x 10,000 rows
    PREFIX + 'SELECT * { ?d t:symbol "X" FILTER(?d != <urn:x>) }',
    PREFIX + 'SELECT * { ?d t:symbol "X" } ORDER BY ?d',
    PREFIX + 'SELECT * { { ?d t:symbol "X" } UNION { ?d t:symbol "Y" } }',
    PREFIX + "SELECT * { <urn:s> t:speaker+ ?x }",
    PREFIX + 'SELECT * { GRAPH ?g { ?d t:symbol "X" } }',
    PREFIX + 'SELECT * FROM <urn:g> { ?d t:symbol "X" }',
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    PREFIX + 'SELECT * { ?d t:symbol "X" { SELECT ?d { ?d t:title ?t } } }',
    PREFIX + 'SELECT (COUNT(*) AS ?n) { ?d t:symbol "X" }',
    PREFIX + 'SELECT * { ?d t:symbol "\\u0058" }',  # escapes: the check's business
    "SELECT * { <state/ESP> ?p ?o }",  # a relative IRI needs the base
    "DESCRIBE " + " ".join(f"<urn:x:{n}>" for n in range(17)),  # too many at once
    "DESCRIBE ?x WHERE { ?x ?p ?o }",
    "INSERT DATA { <urn:s> <urn:p> <urn:o> }",
    # joined only through a variable an OPTIONAL may leave unbound: a scan for such rows
    PREFIX + "SELECT * { <urn:s> t:speaker ?x OPTIONAL { ?x t:title ?t } ?t t:symbol ?d }",
    PREFIX + "ASK { <urn:s> t:speaker ?x OPTIONAL { ?x t:symbol ?d } ?d t:title ?t }",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_lookups_the_degrees_bound(query: str) -> None:
    assert Lookups("unused", DEGREES).bounded(QueryJob(query))


@pytest.mark.parametrize("query", UNBOUNDED)
def test_everything_else_goes_to_a_worker(query: str) -> None:
    assert not Lookups("unused", DEGREES).bounded(QueryJob(query))


def test_a_protocol_dataset_goes_to_a_worker() -> None:
    job = QueryJob("DESCRIBE <urn:a>", default_graph=("urn:g",))
    assert not Lookups("unused", DEGREES).bounded(job)


def test_the_bound_is_the_product_of_the_degrees_met() -> None:
    wide = Degrees(out={"urn:p": 100}, into={}, out_any=1)
    assert Lookups("unused", wide).bounded(QueryJob("SELECT * { <urn:s> <urn:p> ?x }"))
    two = "SELECT * { <urn:s> <urn:p> ?x . ?x <urn:p> ?y }"
    assert Lookups("unused", wide).bounded(QueryJob(two)) == (MAX_ROWS >= 100 * 100)


def test_a_build_records_the_degrees_its_store_has(project_build: Path) -> None:
    recorded = Degrees.load(project_build)
    assert recorded is not None and recorded.out_any > 10
    assert recorded == Degrees.of_store(ox.Store.read_only(str(project_build)))


def test_lookups_answer_while_the_only_worker_runs_away(project_build: Path) -> None:
    """A lookup needs no worker: it is answered at once while the only one is busy with a
    query that the time limit then stops, and its answer is the worker's."""
    heavy = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    lookups = [
        QueryJob(
            "DESCRIBE <https://w3id.org/tipkg/id/meeting/wg-tip/12>", graph_format="N_TRIPLES"
        ),
        QueryJob(
            PREFIX + 'SELECT ?d ?title WHERE { ?d t:symbol "CTOC/COP/WG.4/2022/4" '
            "OPTIONAL { ?d t:title ?title } }"
        ),
    ]
    pool = QueryPool(project_build, PoolLimits(size=1, max_size=1))

    async def scenario() -> list[tuple[bytes, float]]:
        await pool.start()
        try:
            runaway = asyncio.ensure_future(pool.run(heavy, timeout=3))
            await asyncio.sleep(0.3)  # the worker is busy
            answers = []
            for job in lookups:
                started = time.monotonic()
                answers.append(((await pool.run(job, timeout=3)).body, time.monotonic() - started))
            with pytest.raises(QueryTimeout):
                await runaway
            return answers
        finally:
            await pool.close()

    answers = asyncio.run(scenario())
    store = ox.Store.read_only(str(project_build))
    for job, (body, seconds) in zip(lookups, answers, strict=True):
        assert seconds < 1.0
        status, _, _, expected = _evaluate(store, job)
        assert status == "ok" and body == expected and len(body) > 100
    assert json.loads(answers[1][0])["results"]["bindings"]
