"""The search index of the store in service, following it build by build.

A build of ``tipkg build`` carries its index (``search.sqlite``); when the server moves to
a new build, :meth:`LiveSearch.follow` opens that build's index, so search and SPARQL
always answer from the same build. A store without an index of its own (a remote SPARQL
store, a build made before there were indexes) gets one at startup: the index's queries
are sent through the query pool like any other query and the index is written into a
temporary directory, deleted at shutdown. Until an index is open, :meth:`LiveSearch.require`
says why there is none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from tipkg.store import search_sources as src
from tipkg.store.search import IndexUnavailable, SearchIndex
from tipkg.store.search_index import INDEX_FILE, kind_of_classes, write_index

log = logging.getLogger(__name__)

#: Evaluates a SELECT query on the store in service and returns its SPARQL JSON results.
RunQuery = Callable[[str], Awaitable[bytes]]


class LiveSearch:
    """The index of the build in service (see the module docstring).

    Args:
        base_iri: the base IRI, whose ``id/`` IRIs are the pages.
        run_query: evaluates the index's queries when a store has no index of its own.
    """

    def __init__(self, base_iri: str, run_query: RunQuery) -> None:
        self.base_iri = base_iri
        self.run_query = run_query
        self.index: SearchIndex | None = None
        self.reason = "the search index is not open yet"
        self._task: asyncio.Task[None] | None = None
        self._tmp: Path | None = None
        self._built = 0

    def require(self) -> SearchIndex:
        """The index in service.

        Raises:
            IndexUnavailable: there is none (yet); the message says why.
        """
        if self.index is None:
            raise IndexUnavailable(self.reason)
        return self.index

    def status(self) -> dict[str, str]:
        """What /health says about search: ready (and when the index was written), or why
        not."""
        if self.index is None:
            return {"state": "unavailable", "reason": self.reason}
        return {"state": "ready", "built": self.index.built}

    def follow(self, store_dir: str | Path | None) -> None:
        """Serve the index of the store in ``store_dir`` (a build), or, where it has none
        (or for a remote store, ``None``), build one from the store in the background."""
        self._cancel()
        path = Path(store_dir) / INDEX_FILE if store_dir is not None else None
        if path is not None and path.is_file():
            try:
                self._serve(SearchIndex(path))
                return
            except IndexUnavailable as exc:
                log.warning("%s; indexing the store instead", exc)
        self.reason = "the search index is being built from the store; try again shortly"
        self._task = asyncio.get_running_loop().create_task(self._build())

    async def _build(self) -> None:
        """Index the store in service through the query pool, into a temporary file."""
        try:
            rows = await self._collect()
            self._tmp = self._tmp or Path(tempfile.mkdtemp(prefix="tipkg-search-"))
            self._built += 1
            path = self._tmp / f"{self._built}-{INDEX_FILE}"
            await asyncio.to_thread(write_index, rows.__getitem__, path, self.base_iri)
            self._serve(SearchIndex(path))
            log.warning("search index built from the store: %s", path)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the server keeps serving; /search says why not
            self.reason = f"the store could not be indexed for search: {exc}"
            log.error("%s", self.reason)

    async def _collect(self) -> dict[str, list[src.Row]]:
        """Run the index's queries (in the order :func:`write_index` asks them)."""
        rows: dict[str, list[src.Row]] = {}

        async def run(query: str) -> list[src.Row]:
            rows[query] = list(src.rows_from_json(await self.run_query(query)))
            return rows[query]

        kinds = kind_of_classes(await run(src.classes_query()))
        await run(src.types_query([*kinds, *src.VOCABULARY_CLASSES]))
        for query in (src.literals_query(), src.links_query(), src.resources_query(self.base_iri)):
            await run(query)
        return rows

    def _serve(self, index: SearchIndex) -> None:
        """Answer from ``index``; close the previous one (deleted if built at startup)."""
        previous, self.index, self.reason = self.index, index, ""
        if previous is not None:
            previous.close()  # a search still running closes its connection when done
            if self._tmp is not None and previous.path.parent == self._tmp:
                previous.path.unlink(missing_ok=True)

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    async def close(self) -> None:
        """Stop indexing, close the index, and delete an index built at startup."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.index is not None:
            self.index.close()
        self.index = None
        self.reason = "the server is shutting down"
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
