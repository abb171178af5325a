"""Benchmark tipkg side by side with the Oxigraph server and rdflib-endpoint.

    python bench/run.py --scales 10k,100k --systems ours,oxigraph,rdflib --reps 15 --duration 3

For each scale: generate the data (bench/generate.py, cached in bench/data/), start each
system on a free 127.0.0.1 port on the same N-Quads file (one after the other, timing the
load and sampling the peak RSS of its process tree), then run the query mix in
bench/queries/ interleaved across systems: a sequential phase (p50/p95 latency) and
concurrent phases (throughput at 1, 8 and 32 clients for a fixed duration). Writes
bench/results/<date>-<scale>.json and .md. Every run is bounded: per-request timeout,
per-phase time budget, load timeout; the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from generate import parse_size  # noqa: E402

ID = "https://w3id.org/tipkg/id/"
BIN = Path(sys.executable).parent
#: tipkg's variants and their ``--memory`` switch: ``ours`` as it starts by default (the
#: store copied into the workers' memory up to 2M triples), and each mode forced
OURS = {"ours": "auto", "ours-memory": "yes", "ours-disk": "no"}
PHRASES = ["forced labour", "private sector", "civil society", "domestic law", "victims with"]
RDF_QUERY = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


# -- systems -------------------------------------------------------------------------------


@dataclass
class System:
    """One SPARQL server under test."""

    name: str
    port: int
    endpoint: str
    proc: subprocess.Popen[bytes] | None = None
    tmp: Path | None = None
    load_seconds: float | None = None
    prepare_seconds: float | None = None
    peak_rss_load: int = 0
    peak_rss: int = 0
    skipped: str | None = None
    log: Path | None = None
    _sampler: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def tree_rss(self) -> int:
        """Return the resident memory of the server and all its children, in bytes."""
        if self.proc is None:
            return 0
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def rss_by_process(self) -> dict[str, float]:
        """The resident memory (MB) of the server process and of each of its children."""
        if self.proc is None:
            return {}
        try:
            root = psutil.Process(self.proc.pid)
            found = {"server": root.memory_info().rss}
            for n, child in enumerate(root.children(recursive=True)):
                with contextlib.suppress(psutil.Error):
                    found[f"child {n + 1}"] = child.memory_info().rss
        except psutil.Error:
            return {}
        return {k: round(v / 2**20, 1) for k, v in found.items()}

    def tree_cpu(self, interval: float = 0.5) -> float:
        """Return the CPU use of the process tree over ``interval`` seconds, in percent."""
        if self.proc is None:
            return 0.0
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
            for p in procs:
                p.cpu_percent(None)
            time.sleep(interval)
            return sum(p.cpu_percent(None) for p in procs if p.is_running())
        except psutil.Error:
            return 0.0

    def start_sampler(self) -> None:
        def sample() -> None:
            while not self._stop.is_set():
                self.peak_rss = max(self.peak_rss, self.tree_rss())
                self._stop.wait(0.2)

        self._sampler = threading.Thread(target=sample, daemon=True)
        self._sampler.start()

    def stop(self) -> None:
        """Stop the server (its process group), keep its log in bench/data/logs/ and remove
        its temporary files. A server that died on its own is reported with its log."""
        self._stop.set()
        if self.log is not None and self.log.exists():
            kept = BENCH / "data" / "logs" / f"{time.strftime('%Y%m%dT%H%M%S')}-{self.name}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.log, kept)
            if self.proc is not None and self.proc.poll() is not None:
                print(f"{self.name} had exited with code {self.proc.returncode}; log: {kept}",
                      file=sys.stderr)  # fmt: skip
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, 9)
                self.proc.wait(10)
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(system: System, deadline: float) -> bool:
    """Poll the endpoint with ASK {} until it answers 200, the process dies or time is up;
    for tipkg, then until its start-up work is done too (the search index written and the
    store's degrees counted), so that none of it runs beside the measured queries."""
    while time.monotonic() < deadline:
        if system.proc is not None and system.proc.poll() is not None:
            return False
        system.peak_rss_load = max(system.peak_rss_load, system.tree_rss())
        with contextlib.suppress(httpx.HTTPError):
            r = httpx.get(
                system.endpoint,
                params={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=5,
            )
            if r.status_code == 200 and (system.name not in OURS or _warm(system)):
                return True
        time.sleep(0.2)
    return False


def _warm(system: System) -> bool:
    health = httpx.get(system.endpoint.removesuffix("sparql") + "health", timeout=5).json()
    return bool(health.get("lookups")) and health.get("search_index", {}).get("state") == "ready"


def popen(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(
        cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )


def start_system(name: str, data: Path, load_timeout: float, query_timeout: float) -> System:
    """Start one system on ``data``; time its load (and, for Oxigraph, the bulk load)."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix=f"tipkg-bench-{name}-"))
    log = tmp / "server.log"
    base = f"http://127.0.0.1:{port}"
    if name in OURS:
        system = System(name, port, f"{base}/sparql", tmp=tmp, log=log)
        env = dict(os.environ, TIPKG_UNION_DEFAULT_GRAPH="true")
        env["TIPKG_QUERY_TIMEOUT"] = str(query_timeout)
        cmd = [
            sys.executable,
            "-m",
            "tipkg.cli",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--union-default-graph",
            "--memory",
            OURS[name],
        ]
        t0 = time.monotonic()
        system.proc = popen(cmd, log, env)
    elif name == "oxigraph":
        system = System(name, port, f"{base}/query", tmp=tmp, log=log)
        t0 = time.monotonic()
        load = popen([str(BIN / "oxigraph"), "load", "--location", str(tmp / "db"),
                      "--file", str(data)], tmp / "load.log")  # fmt: skip
        system.proc = load
        while load.poll() is None and time.monotonic() - t0 < load_timeout:
            system.peak_rss_load = max(system.peak_rss_load, system.tree_rss())
            time.sleep(0.2)
        if load.poll() is None or load.returncode != 0:
            system.stop()
            system.skipped = f"oxigraph load failed or took over {load_timeout:.0f} s"
            return system
        system.prepare_seconds = time.monotonic() - t0
        system.proc = popen(
            [str(BIN / "oxigraph"), "serve", "--location", str(tmp / "db"),
             "--bind", f"127.0.0.1:{port}", "--union-default-graph",
             "--timeout-s", str(int(query_timeout))],
            log,
        )  # fmt: skip
    elif name == "rdflib":
        system = System(name, port, f"{base}/", tmp=tmp, log=log)
        cmd = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
        t0 = time.monotonic()
        system.proc = popen(cmd, log)
    else:
        raise SystemExit(f"unknown system {name!r}: use {', '.join(OURS)}, oxigraph, rdflib")
    if not wait_ready(system, t0 + load_timeout):
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        system.stop()
        system.skipped = f"not ready within {load_timeout:.0f} s {tail.strip()[-200:]}"
        return system
    system.load_seconds = time.monotonic() - t0
    system.peak_rss = system.peak_rss_load
    system.start_sampler()
    return system


# -- queries and parameters ------------------------------------------------------------------


@dataclass
class Query:
    name: str
    kind: str
    text: str

    @property
    def rdf(self) -> bool:
        return bool(RDF_QUERY.search(self.text))


def load_queries(selected: set[str] | None = None) -> list[Query]:
    queries = []
    for path in sorted((BENCH / "queries").glob("*.rq")):
        text = path.read_text()
        kind = re.search(r"^# kind: (.*)$", text, re.MULTILINE)
        if selected and not any(path.stem.startswith(s) for s in selected):
            continue
        queries.append(Query(path.stem, kind.group(1) if kind else "", text))
    return queries


def parameter_pools(data: Path) -> dict[str, list[str]]:
    """Read the generated file once and collect the resources lookups are drawn from."""
    pools: dict[str, set[str]] = {k: set() for k in ("meeting", "state", "body", "symbol")}
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    with data.open(encoding="utf-8") as f:
        for line in f:
            if f"<{ID}meeting/syn-" in line[:80]:
                if f"{typ} <https://w3id.org/tipkg/def#Meeting>" in line:
                    pools["meeting"].add(line.split(" ", 1)[0][1:-1])
                elif "#participant> <" + ID + "state/" in line:
                    pools["state"].add(line.split(" ")[2][1:-1])
                elif "#ofBody> " in line:
                    pools["body"].add(line.split(" ")[2][1:-1])
            elif "#symbol> " in line and "/syn-" not in line:
                pools["symbol"].add(line.split('"')[1])
    out = {k: sorted(v) for k, v in pools.items()}
    out["phrase"] = PHRASES
    return out


def bind(text: str, rng: random.Random, pools: dict[str, list[str]]) -> str:
    """Fill ``{{placeholders}}`` with resources drawn deterministically from the pools."""
    chosen: dict[str, str] = {}

    def pick(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in chosen:
            chosen[key] = rng.choice(pools[key])
        return chosen[key]

    return re.sub(r"\{\{(\w+)\}\}", pick, text)


# -- measurements ----------------------------------------------------------------------------


def accept(query: Query) -> str:
    return "application/n-triples" if query.rdf else "application/sparql-results+json"


def result_size(query: Query, body: bytes) -> int:
    """Rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 0/1 (ASK) in a response body."""
    if query.rdf:
        return sum(1 for line in body.splitlines() if line.strip())
    data = json.loads(body)
    if "boolean" in data:
        return int(bool(data["boolean"]))
    return len(data["results"]["bindings"])


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def sequential(
    system: System, query: Query, texts: list[str], timeout: float, budget: float
) -> dict[str, Any]:
    """Run the query once per parameter set, one at a time; return latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []
    started = time.monotonic()
    with httpx.Client(timeout=timeout) as client:
        for text in texts:
            if time.monotonic() - started > budget:
                break
            t0 = time.perf_counter()
            try:
                r = client.get(
                    system.endpoint, params={"query": text}, headers={"Accept": accept(query)}
                )
                elapsed = time.perf_counter() - t0
                if r.status_code != 200:
                    errors.append(f"HTTP {r.status_code}: {r.text[:120]}")
                    continue
                sizes.append(result_size(query, r.content))
                latencies.append(elapsed)
            except httpx.TimeoutException:
                errors.append(f"timeout after {timeout:.0f} s")
                break  # do not pile more of the same on a server that is still busy
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}"[:160])
    return {
        "n": len(latencies),
        "p50_ms": _ms(percentile(latencies, 50)),
        "p95_ms": _ms(percentile(latencies, 95)),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:3],
        "result_sizes": sizes[:3],
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def _concurrent(
    system: System, query: Query, texts: list[str], clients: int, duration: float, timeout: float
) -> dict[str, Any]:
    done = 0
    errors = 0
    counter = 0
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:

        async def worker() -> None:
            nonlocal done, errors, counter
            while time.monotonic() < deadline:
                text = texts[counter % len(texts)]
                counter += 1
                try:
                    r = await client.get(
                        system.endpoint, params={"query": text}, headers={"Accept": accept(query)}
                    )
                    await r.aread()
                    if r.status_code == 200:
                        done += 1
                    else:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1

        start = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.monotonic() - start
    return {"qps": round(done / elapsed, 2), "ok": done, "errors": errors,
            "seconds": round(elapsed, 2)}  # fmt: skip


def wait_idle(systems: list[System], limit: float = 60.0) -> None:
    """Wait until no server burns CPU (a timed-out query may still run server-side)."""
    deadline = time.monotonic() + limit
    for system in systems:
        while time.monotonic() < deadline and system.tree_cpu(0.3) > 20.0:
            pass


def page_latency(system: System, pools: dict[str, list[str]], reps: int) -> dict[str, Any]:
    """p50/p95 of linked-data pages (HTML and Turtle) on ours, for meetings and States."""
    rng = random.Random(7)
    base = system.endpoint.rsplit("/sparql", 1)[0]
    out: dict[str, Any] = {}
    with httpx.Client(timeout=60) as client:
        for kind in ("meeting", "state"):
            paths = [rng.choice(pools[kind]).removeprefix(ID) for _ in range(reps)]
            for label, mime in (("html", "text/html"), ("turtle", "text/turtle")):
                lat: list[float] = []
                errors = 0
                for path in paths:
                    t0 = time.perf_counter()
                    r = client.get(f"{base}/doc/{path}", headers={"Accept": mime})
                    if r.status_code == 200:
                        lat.append(time.perf_counter() - t0)
                    else:
                        errors += 1
                p50, p95 = _ms(percentile(lat, 50)), _ms(percentile(lat, 95))
                out[f"{kind}-{label}"] = {"n": len(lat), "p50_ms": p50, "p95_ms": p95,
                                          "errors": errors}  # fmt: skip
    return out


# -- one scale --------------------------------------------------------------------------------


def ensure_data(scale: str, seed: int) -> Path:
    path = BENCH / "data" / f"tipkg-{scale}.nq"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), "--triples", scale, "--seed", str(seed),
             "-o", str(path)],
            check=True,
        )  # fmt: skip
    return path


def run_scale(scale: str, args: argparse.Namespace) -> dict[str, Any]:
    """Benchmark every system at one scale; return the results as a JSON-ready dict."""
    t0 = time.monotonic()
    data = ensure_data(scale, args.seed)
    generate_seconds = time.monotonic() - t0
    quads = sum(1 for _ in data.open("rb"))
    pools = parameter_pools(data)
    queries = load_queries(set(args.queries.split(",")) if args.queries else None)
    rng = random.Random(args.seed)
    texts = {q.name: [bind(q.text, rng, pools) for _ in range(args.reps)] for q in queries}
    # the concurrent phases draw from a larger, separate pool so that no server can answer
    # from a cache of the few texts the sequential phase used
    load_texts = {q.name: [bind(q.text, rng, pools) for _ in range(200)] for q in queries}
    systems: list[System] = []
    result: dict[str, Any] = {
        "scale": scale, "quads": quads, "file_bytes": data.stat().st_size,
        "generate_seconds": round(generate_seconds, 2), "systems": {}, "queries": {},
    }  # fmt: skip
    try:
        for name in args.systems.split(","):
            if name == "rdflib" and quads > parse_size(args.rdflib_max):
                result["systems"][name] = {"skipped": f"over --rdflib-max {args.rdflib_max}"}
                continue
            print(f"[{scale}] starting {name} ...", file=sys.stderr, flush=True)
            system = start_system(name, data, args.load_timeout, args.timeout)
            if system.skipped:
                print(f"[{scale}] {name} skipped: {system.skipped}", file=sys.stderr)
                result["systems"][name] = {"skipped": system.skipped}
                continue
            print(f"[{scale}] {name} ready in {system.load_seconds:.1f} s", file=sys.stderr)
            systems.append(system)
        for query in queries:
            per: dict[str, Any] = {"kind": query.kind}
            for system in systems:  # sequential, one system after the other on the same params
                per[system.name] = {
                    "sequential": sequential(
                        system, query, texts[query.name], args.timeout, args.phase_budget
                    )
                }
                wait_idle(systems)
            for clients in args.concurrency:
                for system in systems:
                    seq = per[system.name]["sequential"]
                    if seq["errors"] and not seq["n"]:
                        per[system.name][f"c{clients}"] = {"skipped": "failed sequentially"}
                        continue
                    if clients > 1 and (seq["p50_ms"] or 0) > args.slow * 1000:
                        per[system.name][f"c{clients}"] = {"skipped": f"p50 > {args.slow} s"}
                        continue
                    per[system.name][f"c{clients}"] = asyncio.run(
                        _concurrent(system, query, load_texts[query.name], clients, args.duration,
                                    args.timeout)
                    )  # fmt: skip
                    wait_idle(systems)
            result["queries"][query.name] = per
            print(f"[{scale}] {query.name}: " + ", ".join(
                f"{s.name} p50 {per[s.name]['sequential']['p50_ms']} ms" for s in systems
            ), file=sys.stderr, flush=True)  # fmt: skip
        for system in systems:
            if system.name in OURS and "pages" not in result:
                result["pages"] = page_latency(system, pools, args.reps)
    finally:
        for system in systems:
            steady = system.rss_by_process()  # after the query mix, before stopping
            system.stop()
            result["systems"][system.name] = {
                "load_seconds": round(system.load_seconds or 0, 2),
                "oxigraph_load_seconds": None if system.prepare_seconds is None
                else round(system.prepare_seconds, 2),
                "peak_rss_load_mb": round(system.peak_rss_load / 2**20, 1),
                "peak_rss_mb": round(system.peak_rss / 2**20, 1),
                "rss_by_process_mb": steady,
            }  # fmt: skip
    return result


# -- report --------------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    """Render one scale's results as Markdown tables."""
    names = [n for n, s in result["systems"].items() if "skipped" not in s]
    lines = [
        f"### {result['scale']} ({result['quads']:,} quads) — {meta['date']}, {meta['machine']}",
        "",
        "| system | load to ready (s) | of which `oxigraph load` (s) | peak RSS load (MB) "
        "| peak RSS run (MB) | RSS after the run, per process (MB) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, s in result["systems"].items():
        if "skipped" in s:
            lines.append(f"| {name} | skipped: {s['skipped']} | | | | |")
        else:
            lines.append(
                f"| {name} | {s['load_seconds']} | {s['oxigraph_load_seconds'] or ''} "
                f"| {s['peak_rss_load_mb']} | {s['peak_rss_mb']} "
                f"| {', '.join(f'{k} {v}' for k, v in s.get('rss_by_process_mb', {}).items())} |"
            )
    levels = meta["concurrency"]
    head = ["query"]
    for n in names:
        head += [f"{n} p50", f"{n} p95"] + [f"{n} qps@{c}" for c in levels] + [f"{n} err"]
    others = [n for n in names if n != "ours"]
    if "ours" in names:
        head += [f"ours/{o} p50" for o in others] + [f"{o}/ours qps@8" for o in others]
    lines += ["", "Latency in ms (sequential); throughput in queries/s.", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for qname, per in result["queries"].items():
        row = [qname]
        for n in names:
            seq = per[n]["sequential"]
            row += [str(seq["p50_ms"] or "–"), str(seq["p95_ms"] or "–")]
            row += [str(per[n].get(f"c{c}", {}).get("qps", "–")) for c in levels]
            errs = seq["errors"] + sum(per[n].get(f"c{c}", {}).get("errors", 0) for c in levels)
            row.append(str(errs))
        if "ours" in names:
            ours = per["ours"]
            row += [_ratio(ours["sequential"]["p50_ms"], per[o]["sequential"]["p50_ms"])
                    for o in others]  # fmt: skip
            row += [_ratio(per[o].get("c8", {}).get("qps"), ours.get("c8", {}).get("qps"))
                    for o in others]  # fmt: skip
        lines.append("| " + " | ".join(row) + " |")
    if "pages" in result:
        lines += ["", "Linked-data pages on ours (`GET /doc/...`), ms:", "",
                  "| page | p50 | p95 | errors |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
        for page, v in result["pages"].items():
            lines.append(f"| {page} | {v['p50_ms']} | {v['p95_ms']} | {v['errors']} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k", help="comma-separated: 10k,100k,1M,5M")
    parser.add_argument("--systems", default="ours,oxigraph,rdflib")
    parser.add_argument("--queries", help="comma-separated query name prefixes (default: all)")
    parser.add_argument("--reps", type=int, default=15, help="sequential runs per query")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per load level")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout (s)")
    parser.add_argument("--phase-budget", type=float, default=60.0,
                        help="seconds per system and query for the sequential phase")  # fmt: skip
    parser.add_argument("--slow", type=float, default=1.0,
                        help="no concurrent phase above 1 client when sequential p50 exceeds "
                        "this many seconds")  # fmt: skip
    parser.add_argument("--load-timeout", type=float, default=900.0)
    parser.add_argument("--rdflib-max", default="1M", help="skip rdflib-endpoint above this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(BENCH / "results"))
    args = parser.parse_args(argv)
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    meta = {"date": dt.date.today().isoformat(), "machine": machine(),
            "python": platform.python_version(), "concurrency": args.concurrency,
            "args": {k: v for k, v in vars(args).items()}}  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for scale in args.scales.split(","):
        result = run_scale(scale, args)
        data = {"meta": meta, **result}
        write_result(out / f"{meta['date']}-{scale}", data, markdown(result, meta))
    return 0


def write_result(stem: Path, data: dict[str, Any], table: str) -> None:
    """Write ``stem``.json and ``stem``.md, and print the table."""
    stem.with_suffix(".json").write_text(json.dumps(data, indent=2) + "\n")
    stem.with_suffix(".md").write_text(table)
    print(table)


if __name__ == "__main__":
    raise SystemExit(main())
