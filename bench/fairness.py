"""Fair use under abuse: do clients sending runaway queries in a loop hold up a third
client's light queries, and is the time limit met under that load?

    python bench/fairness.py --abusers 2 --seconds 60 --query-timeout 5

Starts ``tipkg serve`` (the real command, on the project's data, in a temporary store
directory) with two kept workers, then for ``--seconds``: each abuser (its own source
address, 127.0.0.2, 127.0.0.3, ...) sends a runaway query (a four-way cross join) again as
soon as the previous one is answered, from ``--per-abuser`` concurrent loops; a light
client (127.0.0.9) sends a point lookup every ``--interval`` seconds. Reports the light
client's latency (p50, p95, max) and statuses, and how far past the time limit the runaway
queries were answered. Writes bench/results/<date>-fairness.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import free_port, machine, percentile, write_result  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIGHT = (
    "PREFIX tipkg: <https://w3id.org/tipkg/def#> SELECT ?p ?o WHERE "
    "{ <https://w3id.org/tipkg/id/meeting/wg-tip/12> ?p ?o } LIMIT 50"
)


def start_server(
    tmp: Path, query_timeout: float, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPKG_")}
    env.update(TIPKG_ROOT=str(ROOT), TIPKG_STORE=str(tmp / "store"))
    log = (tmp / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tipkg.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--query-timeout", str(query_timeout)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"tipkg serve did not start; see {tmp / 'serve.log'}")


def client(url: str, address: str) -> httpx.AsyncClient:
    """An HTTP client whose requests come from ``address`` (a per-client limit's key)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=120)


async def abuse(url: str, address: str, until: float, out: list[tuple[int, float]]) -> None:
    async with client(url, address) as http:
        while time.monotonic() < until:
            started = time.monotonic()
            response = await http.get("/sparql", params={"query": RUNAWAY})
            out.append((response.status_code, time.monotonic() - started))
            if response.status_code == 429:
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def light(url: str, until: float, interval: float, out: list[tuple[int, float]]) -> None:
    async with client(url, "127.0.0.9") as http:
        while time.monotonic() < until:
            started = time.monotonic()
            response = await http.get(
                "/sparql", params={"query": LIGHT}, headers={"Cache-Control": "no-cache"}
            )
            out.append((response.status_code, time.monotonic() - started))
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))


async def scenario(args: argparse.Namespace, url: str) -> dict[str, Any]:
    until = time.monotonic() + args.seconds
    runaway: list[tuple[int, float]] = []
    answers: list[tuple[int, float]] = []
    tasks = [
        abuse(url, f"127.0.0.{2 + a}", until, runaway)
        for a in range(args.abusers)
        for _ in range(args.per_abuser)
    ]
    await asyncio.gather(*tasks, light(url, until, args.interval, answers))
    ok = [seconds for status, seconds in answers if status == 200]
    stopped = [seconds for status, seconds in runaway if status == 503]
    return {
        "light": {
            "requests": len(answers),
            "statuses": dict(Counter(status for status, _ in answers)),
            "p50_ms": _ms(percentile(ok, 50)),
            "p95_ms": _ms(percentile(ok, 95)),
            "max_ms": _ms(max(ok, default=None)),
        },
        "runaway": {
            "requests": len(runaway),
            "statuses": dict(Counter(status for status, _ in runaway)),
            "limit_s": args.query_timeout,
            "answered_after_s_p50": percentile(stopped, 50),
            "answered_after_s_max": max(stopped, default=None),
        },
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def markdown(result: dict[str, Any], args: argparse.Namespace) -> str:
    light, runaway = result["light"], result["runaway"]
    return "\n".join(
        [
            f"# Fair use under abuse ({dt.date.today().isoformat()})",
            "",
            f"{machine()}; `tipkg serve` on the project's data, {args.workers} kept workers, "
            f"`--query-timeout {args.query_timeout:g}`; {args.abusers} clients each sending "
            f"runaway queries from {args.per_abuser} loop(s) for {args.seconds:g} s; a third "
            f"client sends a point lookup every {args.interval:g} s.",
            "",
            "| light client | value |",
            "| --- | --- |",
            f"| requests | {light['requests']} |",
            f"| statuses | {light['statuses']} |",
            f"| p50 / p95 / max | {light['p50_ms']} / {light['p95_ms']} / {light['max_ms']} ms |",
            "",
            "| runaway queries | value |",
            "| --- | --- |",
            f"| requests | {runaway['requests']} |",
            f"| statuses | {runaway['statuses']} |",
            f"| answered after (limit {runaway['limit_s']:g} s) | "
            f"p50 {runaway['answered_after_s_p50']:.2f} s, "
            f"max {runaway['answered_after_s_max']:.2f} s |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--abusers", type=int, default=2)
    parser.add_argument("--per-abuser", type=int, default=2, help="concurrent loops per abuser")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--query-timeout", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-fairness-"))
    process, url = start_server(tmp, args.query_timeout, args.workers)
    try:
        result = asyncio.run(scenario(args, url))
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    stem = BENCH / "results" / f"{dt.date.today().isoformat()}-fairness"
    table = markdown(result, args)
    write_result(stem, {"args": vars(args), **result}, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
