"""End-to-end fixtures: a real ``tipkg serve`` process on a free port over a store built in
a temporary directory (the developer's var/store is never touched), and headless Chromium
(Debian's ``chromium`` and ``chromedriver``) driven by Selenium.

The server runs in its own session (process group), so that after it is stopped we can
check that none of its processes (query workers, multiprocessing's resource tracker) is
left running.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tipkg/"
#: The first run builds the store (parse, OWL-RL, SHACL, load: about 30 s on 2 cores).
STARTUP_TIMEOUT = 240.0
STOP_TIMEOUT = 20.0
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now (never 8000)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port != 8000:
            return port


def _group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (not zombie) processes in process group ``pgid``, as (pid, command line)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # the process ended while we looked
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
        fields = text.rsplit(")", 1)[1].split()
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            members.append((int(stat.parent.name), cmdline.strip()))
    return members


@dataclass
class Server:
    """A running ``tipkg serve``."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    store: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_healthy(self, timeout: float) -> dict[str, object]:
        """Poll ``/health`` until it answers 200; fail if the process dies first."""
        import json

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"tipkg serve exited with {self.process.returncode} before it was healthy:\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:
                    if response.status == 200:
                        health: dict[str, object] = json.load(response)
                        return health
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"tipkg serve not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> list[tuple[int, str]]:
        """Terminate the server (then kill it, and its group, if it hangs); return the
        processes of its group still alive afterwards (should be none)."""
        pgid = self.process.pid  # start_new_session: the server leads its own group
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        # the query workers end when the server's lifespan closes the pool
        deadline = time.monotonic() + STOP_TIMEOUT
        stray = _group_members(pgid)
        while stray and time.monotonic() < deadline:
            time.sleep(0.2)
            stray = _group_members(pgid)
        if stray:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        return stray


def start_serve(tmp: Path, *args: str, root: Path = ROOT) -> Server:
    """Start ``python -m tipkg.cli serve --host 127.0.0.1 --port <free> ARGS`` with its
    store in ``tmp/store`` (built by the command itself) and its log in ``tmp/serve.log``;
    return it once ``/health`` answers 200."""
    store = tmp / "store"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPKG_")}
    env.update(TIPKG_ROOT=str(root), TIPKG_STORE=str(store), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "tipkg.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--store", str(store), *args]
    log = tmp / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(url=f"http://127.0.0.1:{port}", process=process, log=log, store=store)
    try:
        running.wait_healthy(STARTUP_TIMEOUT)
    except BaseException:
        running.stop()
        raise
    return running


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """``python -m tipkg.cli serve --port <free> --store <tmp> --workers 2`` on 127.0.0.1.

    The store is built by ``tipkg serve`` itself into a temporary directory. At the end
    the server is terminated and no process of its group may be left running.
    """
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-e2e-"))
    running = start_serve(tmp, "--workers", "2")
    log, store = running.log, running.store
    try:
        health = running.wait_healthy(STARTUP_TIMEOUT)
        assert health["query_workers"] == 2, health
        assert str(health["store"]).startswith(str(store)), health
        members = _group_members(running.process.pid)
        # the server, two query workers and multiprocessing's resource tracker
        assert len(members) >= 3, members
        yield running
    finally:
        stray = running.stop()
        output = log.read_text(errors="replace") if log.is_file() else ""
        shutil.rmtree(tmp, ignore_errors=True)
    assert not stray, f"processes left running after tipkg serve stopped: {stray}"
    assert "Traceback" not in output, f"the server logged an error:\n{output}"


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


# --------------------------------------------------------------------------- browser


def chromium_paths() -> tuple[str, str] | None:
    """Debian's chromium and chromedriver, if installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else None
    )
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    """Headless Chromium (Selenium WebDriver) with a fresh profile; skipped without
    chromium and chromedriver (``apt-get install chromium chromium-driver``)."""
    paths = chromium_paths()
    if paths is None:
        pytest.skip(
            "chromium and chromedriver are not installed (apt-get install chromium "
            "chromium-driver): the browser tests need them"
        )
    profile = tempfile.mkdtemp(prefix="tipkg-e2e-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
