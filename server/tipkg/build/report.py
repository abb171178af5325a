"""What a build reports: its counts and the time of each stage (``build.json``), and the
error that stops it when the data violates the shapes. Shared by the full and the
incremental build."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tipkg import __version__
from tipkg.build.findings import Finding
from tipkg.build.validate import locate
from tipkg.errors import TipkgError


class BuildError(TipkgError):
    """Raised when the data does not conform to the shapes; the store in service is kept."""

    code = "build_invalid"


@dataclass
class BuildReport:
    """What a build did: its hash, where the store is, counts and the time of each stage."""

    hash: str
    path: Path
    triples: dict[str, int] = field(default_factory=dict)
    distinct_triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # the build thread's CPU time
    warnings: int = 0
    skipped: bool = False
    loader_seconds: float = 0.0  # the bulk loader's thread: wall time, during the stages
    loader_cpu_seconds: float = 0.0  # and CPU time
    incremental_of: str | None = None  # the build an incremental build added to

    def as_json(self) -> dict[str, object]:
        return {
            "hash": self.hash,
            "tipkg": __version__,
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "triples": self.triples,
            "distinct_triples": self.distinct_triples,
            "default_graph": "merged",
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "cpu_seconds": {k: round(v, 3) for k, v in self.cpu_seconds.items()},
            "loader_seconds": round(self.loader_seconds, 3),
            "loader_cpu_seconds": round(self.loader_cpu_seconds, 3),
            "warnings": self.warnings,
            "incremental_of": self.incremental_of,
        }


def raise_on_violations(findings: list[Finding], files: list[Path]) -> None:
    violations = [f for f in findings if f.severity == "Violation"]
    if violations:
        shown = sorted(str(locate(v, files)) for v in violations[:50])
        lines = "\n".join(f"  {line}" for line in shown)
        more = f"\n  ... and {len(violations) - 50} more" if len(violations) > 50 else ""
        raise BuildError(
            f"{len(violations)} violation(s) of the shapes; the store in service is unchanged. "
            f"Run `tipkg validate` for the full report.\n{lines}{more}"
        )


@contextmanager
def stage(report: BuildReport, name: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(f"{name} ...")
    start, cpu = time.perf_counter(), time.thread_time()
    yield
    elapsed = time.perf_counter() - start
    report.seconds[name] = report.seconds.get(name, 0.0) + elapsed
    report.cpu_seconds[name] = report.cpu_seconds.get(name, 0.0) + time.thread_time() - cpu
    progress(f"{name} done in {elapsed:.1f} s")
