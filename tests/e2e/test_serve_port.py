"""``tipkg serve`` on a port another process holds: it says so before claiming to serve,
names what to do, and exits 2 without building or starting anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT


def test_busy_port_is_reported_before_serving(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIPKG_")}
        env.update(TIPKG_ROOT=str(ROOT), TIPKG_STORE=str(tmp_path / "store"))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tipkg.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 2, result.stderr
    assert "serving on" not in result.stderr + result.stdout
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"ss -ltnp 'sport = :{port}'" in result.stderr  # which process holds it
    assert "--port" in result.stderr
    assert not (tmp_path / "store").exists()  # nothing was built
