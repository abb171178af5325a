"""The store directory's layout: the builds in it, the one in service, and the builds that
running servers still use.

```
var/store/
  current -> build-<hash>-<time>     the build in service (a symlink, switched atomically)
  build-<hash>-<time>/               one complete build: Oxigraph files, dataset.nq, build.json
  leases/<pid>.json                  a running server's claim on the builds its workers use
  .build.lock                        held by the build that is writing (one at a time)
```

A build directory without ``build.json`` is incomplete: a build in progress (it holds the
lock) or one that was killed. Retention (:func:`prune`) runs under the lock, so it can tell
the two apart; it never removes the current build or a leased one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

CURRENT = "current"
DUMP_FILE = "dataset.nq"  # the dataset as N-Quads, beside the store: /dump.nq, in-memory workers
BUILD_INFO = "build.json"
LEASES = "leases"
LOCK = ".build.lock"
BUILD_PREFIX = "build-"


def current_build(store_dir: Path) -> Path | None:
    """The build in service (where ``current`` points), or None."""
    link = store_dir / CURRENT
    return link.resolve() if link.exists() else None


def read_build_info(build_dir: str | Path) -> dict[str, object] | None:
    """The ``build.json`` of a build (None for a store that has none)."""
    try:
        data = json.loads((Path(build_dir) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def build_hash(build_dir: str | Path) -> str | None:
    """The ``hash`` of a build (None for a store without build.json)."""
    info = read_build_info(build_dir)
    value = info.get("hash") if info else None
    return str(value) if value is not None else None


def switch_current(store_dir: Path, target: Path) -> None:
    """Point ``current`` at ``target`` with one rename (readers see the old or the new)."""
    temporary = store_dir / f".{CURRENT}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(target.name, temporary)
    os.replace(temporary, store_dir / CURRENT)


@contextlib.contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    """Hold the store directory's build lock (waits for another build to finish)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with (store_dir / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prune(store_dir: Path, keep: int = 3) -> list[Path]:
    """Remove old and incomplete builds; call it holding :func:`build_lock`.

    Kept: the current build, every build a live server has leased, and the ``keep`` newest
    complete builds. Removed: other complete builds and every incomplete one (a build that
    was killed: the caller holds the lock, so none is being written). Returns what went.
    """
    current = current_build(store_dir)
    leased = leased_builds(store_dir)
    builds = [p for p in store_dir.glob(f"{BUILD_PREFIX}*") if p.is_dir()]
    complete = sorted(
        (p for p in builds if (p / BUILD_INFO).is_file()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    keeping = {p.name for p in complete[:keep]} | leased
    if current is not None:
        keeping.add(current.name)
    removed = [p for p in builds if p.name not in keeping]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


class Lease:
    """A running server's claim on the builds it uses, so retention keeps them.

    The claim is the file ``leases/<pid>.json`` naming the process (with its start time,
    so a recycled pid claims nothing) and the builds; :meth:`hold` rewrites it when the set
    changes and :meth:`release` removes it. A server killed without releasing leaves a file
    that :func:`leased_builds` recognises as stale and deletes.
    """

    def __init__(self, store_dir: Path) -> None:
        self.path = store_dir / LEASES / f"{os.getpid()}.json"
        self._held: frozenset[str] = frozenset()

    def hold(self, builds: Iterable[str | Path]) -> None:
        """Claim exactly ``builds`` (directories in the store directory)."""
        names = frozenset(Path(b).name for b in builds)
        if names == self._held and self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"pid": os.getpid(), "started": _start_time(os.getpid()), "builds": sorted(names)}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, self.path)
        self._held = names

    def release(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._held = frozenset()


def leased_builds(store_dir: Path) -> set[str]:
    """The builds that live servers claim; stale lease files are removed on the way."""
    names: set[str] = set()
    for path in (store_dir / LEASES).glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            pid, started, builds = int(record["pid"]), record["started"], record["builds"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being written, or not ours
        if _start_time(pid) != started:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        names.update(str(b) for b in builds)
    return names


def _start_time(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot), or None if it does not exist."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "alive"  # no /proc (not Linux): the pid's existence is all we can tell
    return stat.rsplit(")", 1)[1].split()[19]


def merge_default_graph(store: ox.Store) -> int:
    """Add every triple of the store's named graphs to its default graph (the store is a
    set, so each distinct triple is there once): ``serve --data`` with a union default
    graph, where the files were loaded as they are. Returns the default graph's size."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # type: ignore[misc]
    return int(row["n"].value)
