"""Follow the builds of a store directory while serving: notice a new ``current`` build,
move the query pool to it without a failed or mixed request, and keep a lease on every
build a worker still uses so that ``tipkg build``'s retention never removes it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from tipkg.config import Settings
from tipkg.store.layout import Lease, build_hash, current_build, read_build_info
from tipkg.store.pool import QueryPool

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


def in_memory_for(settings: Settings, store_dir: Path) -> bool:
    """Whether the kept workers copy this store into memory: as set, or by its size."""
    if settings.in_memory is not None:
        return settings.in_memory
    info = read_build_info(store_dir) or {}
    try:
        triples = int(info["distinct_triples"])  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError):
        try:  # an older build, or a store made from files: count its quads
            triples = len(ox.Store.read_only(str(store_dir)))
        except OSError:
            return False
    return triples <= settings.in_memory_max_triples


def default_graph_is_merged(store_dir: Path) -> bool:
    """Whether the store's default graph is the merge of its graphs (``tipkg build``'s)."""
    return (read_build_info(store_dir) or {}).get("default_graph") == "merged"


async def follow_builds(
    store_dir: Path,
    pool: QueryPool,
    settings: Settings,
    on_switch: Callable[[Path], None],
    lease: Lease,
) -> None:
    """Poll ``store_dir/current`` and move ``pool`` to each new build; runs until cancelled.

    A build no worker can open is logged and skipped (the one in service stays) until
    ``current`` changes again.
    """
    refused: Path | None = None
    while True:
        lease.hold(pool.stores_in_use())
        await asyncio.sleep(POLL_SECONDS)
        target = current_build(store_dir)
        if target is None or str(target) == pool.store_path or target == refused:
            continue
        lease.hold(pool.stores_in_use() | {str(target)})
        try:
            await pool.switch(target, in_memory=in_memory_for(settings, target))
        except RuntimeError as exc:
            log.error(
                "the new build %s cannot be served (%s); still serving %s",
                target,
                exc,
                pool.store_path,
            )
            refused = target
            continue
        refused = None
        on_switch(target)
        log.warning("now serving build %s (%s)", build_hash(target), target)


def describe_store(store_dir: Path) -> dict[str, object]:
    """What /health says about a store directory's build."""
    info = read_build_info(store_dir) or {}
    return {"build": info.get("hash"), "built": info.get("built"), "store": str(store_dir)}
