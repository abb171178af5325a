"""Real SPARQL servers for the remote-store tests, each started on 127.0.0.1 with free ports in
a temporary directory and stopped after: the Oxigraph server (``oxigraph serve``, from the
``oxigraph`` test dependency) and Virtuoso (Debian's ``virtuoso-t``, installed by .ci/run).

A missing server skips its tests with the reason, except in CI (``CI`` set), where it fails:
CI must run them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # a fresh Virtuoso database's administrator; it listens on 127.0.0.1


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and where its log is."""

    base: str
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require(program: str, install: str) -> str:
    """Return the path of ``program``; skip the test if it is missing (fail in CI)."""
    path = shutil.which(program)
    if path is None:
        reason = f"{program} is not installed ({install})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the remote-store tests", pytrace=False)
        pytest.skip(reason)
    return path


@contextmanager
def running_oxigraph(directory: Path, read_only: bool = False) -> Iterator[Server]:
    """Run ``oxigraph serve`` (or ``serve-read-only``) on a store in ``directory``."""
    program = require("oxigraph", "pip install oxigraph, a test dependency")
    base = f"http://127.0.0.1:{free_port()}"
    log = directory / "oxigraph.log"
    if read_only:  # serve-read-only opens an existing store
        ox.Store(str(directory / "store")).flush()
    mode = "serve-read-only" if read_only else "serve"
    command = [program, mode, "--location", str(directory / "store")]
    command += ["--bind", base.removeprefix("http://")]
    with _running(command, directory, log, f"{base}/query", 30.0):
        yield Server(base, log)


@contextmanager
def running_virtuoso(directory: Path) -> Iterator[Server]:
    """Run Virtuoso on a new database in ``directory``, from a virtuoso.ini of its own (the
    settings of Debian's, with this directory's paths and free ports)."""
    program = require("virtuoso-t", "apt-get install virtuoso-opensource-7-bin, as .ci/run does")
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=directory, http=http_port, sql=sql_port))
    base = f"http://127.0.0.1:{http_port}"
    log = directory / "virtuoso.log"
    command = [program, "+configfile", str(ini), "+foreground"]
    with _running(command, directory, directory / "stdout.log", f"{base}/sparql", 120.0):
        yield Server(base, log)


@contextmanager
def _running(
    command: list[str], directory: Path, log: Path, probe: str, start_timeout: float
) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=directory, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        _wait_until_ready(process, probe, log, start_timeout)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(
    process: subprocess.Popen[bytes], probe: str, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{process.args[0]} exited ({process.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            if httpx.get(probe, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"{process.args[0]} did not answer at {probe} in {timeout:g} s:\n{log.read_text()[-3000:]}"
    )


# The parts of Debian's /usr/share/virtuoso-opensource-7/virtuoso.ini a test server needs, with
# its own files and ports. ResultSetMaxRows: Debian's 10000 cuts larger results silently.
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""
