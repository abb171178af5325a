"""The index of the store in service: the ``search:`` functions inside SPARQL (real query
workers), a store without an index of its own indexed through the query pool, and the
index following the store from build to build."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.store.jobs import QueryError, QueryJob
from tipkg.store.pool import PoolLimits, QueryPool
from tipkg.store.search import IndexUnavailable, SearchIndex
from tipkg.store.search_index import INDEX_FILE
from tipkg.store.search_live import LiveSearch

BASE = "https://w3id.org/tipkg/"
PATTERN = """PREFIX search: <https://w3id.org/tipkg/search#>
PREFIX tipkg: <https://w3id.org/tipkg/def#>
SELECT ?rec ?score ?snippet WHERE {
  ?rec a tipkg:Recommendation .
  BIND(search:score(?rec, "%s") AS ?score)
  FILTER(BOUND(?score))
  BIND(search:snippet(?rec, "%s") AS ?snippet)
} ORDER BY DESC(?score)"""


def with_pool(path: Path, scenario: Callable[[QueryPool], Awaitable[None]]) -> None:
    async def main() -> None:
        pool = QueryPool(path, PoolLimits(size=1, max_size=1))
        await pool.start()
        try:
            await scenario(pool)
        finally:
            await pool.close()

    asyncio.run(main())


async def _select(pool: QueryPool, query: str) -> list[dict[str, str]]:
    result = await pool.run(QueryJob(query=query, results_format="JSON"), timeout=30)
    parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
    return [{v.value: s[v].value for v in parsed.variables if s[v]} for s in parsed]


@pytest.mark.parametrize("words", ["non-punishment", "victim* -children", '"joint investigative"'])
def test_sparql_search_ranks_what_the_search_finds(project_build: Path, words: str) -> None:
    index = SearchIndex(project_build / INDEX_FILE)
    expected = [
        h.entity.iri
        for g in index.search(words, kind="recommendation", per_kind=1000).groups
        for h in g.hits
    ]
    escaped = words.replace('"', '\\"')

    async def scenario(pool: QueryPool) -> None:
        rows = await _select(pool, PATTERN % (escaped, escaped))
        assert [r["rec"] for r in rows] == expected
        assert all("[" in r["snippet"] for r in rows)
        scores = [float(r["score"]) for r in rows]
        assert scores == sorted(scores, reverse=True)

    assert expected
    with_pool(project_build, scenario)


def test_an_unknown_function_or_a_bad_query_text_finds_nothing(project_build: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        assert await _select(pool, PATTERN % ("-nothing", "-nothing")) == []
        with pytest.raises(QueryError) as refused:
            await _select(pool, "PREFIX search: <https://w3id.org/tipkg/search#> "
                          "SELECT ?x WHERE { BIND(search:nope(1) AS ?x) }")  # fmt: skip
        assert refused.value.code == "bad_query"

    with_pool(project_build, scenario)


@pytest.fixture
def unindexed(project_build: Path, tmp_path: Path) -> Path:
    """A copy of the build without its index (a store from before there were indexes)."""
    copy = tmp_path / "store"
    shutil.copytree(project_build, copy)
    (copy / INDEX_FILE).unlink()
    return copy


def test_a_store_without_index_is_indexed_through_the_pool(
    project_build: Path, unindexed: Path
) -> None:
    built = SearchIndex(project_build / INDEX_FILE)

    async def scenario(pool: QueryPool) -> None:
        async def run(query: str) -> bytes:
            job = QueryJob(query=query, results_format="JSON")
            return (await pool.run(job, timeout=60)).body

        live = LiveSearch(BASE, run)
        live.follow(unindexed)
        with pytest.raises(IndexUnavailable, match="being built"):
            live.require()
        assert live.status() == {"state": "unavailable", "reason": live.reason}
        for _ in range(600):
            if live.index is not None:
                break
            await asyncio.sleep(0.05)
        index = live.require()
        assert live.status() == {"state": "ready", "built": index.built}
        tmp = index.path.parent
        assert index.page_count() == built.page_count()
        for words in ("non-punishment", "Türkiye", "traffick*"):
            assert index.search(words).total == built.search(words).total
        # without an index in the store, SPARQL has no search functions
        with pytest.raises(QueryError, match="custom function"):
            await _select(pool, PATTERN % ("x", "x"))
        live.follow(project_build)  # a new build with its own index: the temporary one goes
        assert live.require().path == project_build / INDEX_FILE
        assert not index.path.exists()
        await live.close()
        assert not tmp.exists()
        with pytest.raises(IndexUnavailable, match="shutting down"):
            live.require()

    with_pool(unindexed, scenario)


def test_an_index_that_cannot_be_built_says_why(tmp_path: Path) -> None:
    async def main() -> None:
        async def run(query: str) -> bytes:
            raise QueryError("store_error", "the store is gone")

        live = LiveSearch(BASE, run)
        live.follow(None)
        for _ in range(100):
            if "could not" in live.reason:
                break
            await asyncio.sleep(0.02)
        with pytest.raises(IndexUnavailable, match=r"could not be indexed.*the store is gone"):
            live.require()
        await live.close()

    asyncio.run(main())
