"""Benchmark full-text search and reconciliation on generated data.

    python bench/search.py --scale 1M --reps 200

Generates (or reuses) ``bench/data/tipkg-{scale}.nq``, times writing the search index of
that data on its own (a store loaded as ``tipkg serve --data`` loads it), then starts
``tipkg serve --data`` on a free port (which indexes the store before it answers) and
measures, one request after the other with a seeded mix of parameters (each request made
unique, so that no HTTP cache could answer it):

* ``/search?format=json``: one common word, two words, a phrase, a prefix, a State's
  name in another language, a person's name, a UN symbol;
* ``POST /reconcile`` with one query: State names as printed (any language, capitals, no
  accents), person names, UN symbols as printed (case, spaces after dots), names with a
  typo; and batches of ten as OpenRefine sends them;
* ``/sparql`` with the documented ``search:score`` pattern over recommendations.

Writes ``bench/results/<date>-search-<scale>.json`` and ``.md`` (p50, p90, p99 in ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from tipkg.store.files import build_store_from_files
from tipkg.store.search_index import INDEX_FILE, write_index
from tipkg.store.search_sources import select_from_store

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import ensure_data, machine, percentile, start_system, write_result  # noqa: E402

BASE = "https://w3id.org/tipkg/"
SPARQL_SEARCH = """PREFIX search: <https://w3id.org/tipkg/search#>
PREFIX tipkg: <https://w3id.org/tipkg/def#>
SELECT ?rec ?score WHERE {
  ?rec a tipkg:Recommendation .
  BIND(search:score(?rec, "%s") AS ?score) FILTER(BOUND(?score))
} ORDER BY DESC(?score) LIMIT 20"""
WORDS = ["trafficking", "victims", "cooperation", "States"]
TWO_WORDS = ["victims compensation", "joint investigations", "private sector", "forced labour"]
PHRASES = ['"civil society"', '"mixed migration"', '"specialized prosecutions"']
PREFIXES = ["prosecut*", "traffick*", "cooperat*", "vulnerab*"]
Pools = dict[str, list[str]]


def pools(data: Path) -> Pools:
    """Names, symbols and words to draw requests from, read off the generated file."""
    found: dict[str, set[str]] = {"state": set(), "person": set(), "symbol": set()}
    names = ("rdf-schema#label>", "core#prefLabel>", "core#altLabel>")
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if "/id/state/" in line[:60] and any(n in line for n in names):
                found["state"].add(line.split('"')[1])
            elif "/id/person/" in line[:60] and names[0] in line:
                found["person"].add(line.split('"')[1])
            elif "#symbol> " in line:
                found["symbol"].add(line.split('"')[1])
    return {k: sorted(v) for k, v in found.items()}


def _bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _typo(text: str, rng: random.Random) -> str:
    """``text`` with two neighbouring letters swapped."""
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def searches(rng: random.Random, p: Pools) -> dict[str, Callable[[], str]]:
    """The kinds of search measured, each drawing its text."""
    return {
        "one-common-word": lambda: rng.choice(WORDS),
        "two-words": lambda: rng.choice(TWO_WORDS),
        "phrase": lambda: rng.choice(PHRASES),
        "prefix": lambda: rng.choice(PREFIXES),
        "state-name": lambda: rng.choice(p["state"]),
        "person-name": lambda: rng.choice(p["person"]),
        "symbol": lambda: rng.choice(p["symbol"]),
    }


def reconciliations(rng: random.Random, p: Pools) -> dict[str, Callable[[], dict[str, Any]]]:
    """The kinds of reconciliation query measured, each drawing its query."""

    def printed_state() -> str:
        return rng.choice([lambda s: s, str.upper, _bare])(rng.choice(p["state"]))

    def printed_symbol() -> str:
        return rng.choice([str.lower, lambda s: s.replace(".", ". ")])(rng.choice(p["symbol"]))

    return {
        "state-as-printed": lambda: {"query": printed_state(), "type": "State"},
        "state-typo": lambda: {"query": _typo(rng.choice(p["state"]), rng), "type": "State"},
        "person": lambda: {"query": rng.choice(p["person"]), "type": "Person"},
        "person-untyped": lambda: {"query": rng.choice(p["person"])},
        "symbol-as-printed": lambda: {"query": printed_symbol(), "type": "Document"},
    }


def measure(send: Callable[[], httpx.Response], reps: int) -> dict[str, Any]:
    """Time ``reps`` requests; return n, errors and p50/p90/p99 in ms."""
    times: list[float] = []
    errors = 0
    for _ in range(reps):
        t0 = time.perf_counter()
        response = send()
        elapsed = time.perf_counter() - t0
        if response.status_code == 200:
            times.append(elapsed)
        else:
            errors += 1
    return {"n": len(times), "errors": errors} | {
        f"p{q}_ms": round((percentile(times, q) or 0) * 1000, 2) for q in (50, 90, 99)
    }


def index_time(data: Path) -> dict[str, Any]:
    """Load the data as ``serve --data`` does and time writing its index on its own."""
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-bench-index-"))
    try:
        build_store_from_files([data], tmp / "store", merge=True, base_iri=BASE)
        store = ox.Store.read_only(str(tmp / "store"))
        t0 = time.perf_counter()
        count = write_index(select_from_store(store), tmp / INDEX_FILE, BASE)
        seconds = time.perf_counter() - t0
        size = (tmp / INDEX_FILE).stat().st_size
        del store
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"resources": count, "seconds": round(seconds, 1), "megabytes": round(size / 2**20, 1)}


def run(scale: str, reps: int, with_index_time: bool) -> dict[str, Any]:
    data = ensure_data(scale, 1)
    pool = pools(data)
    result: dict[str, Any] = {"scale": scale, "reps": reps}
    if with_index_time:
        result["index"] = index_time(data)
    system = start_system("ours", data, load_timeout=1800, query_timeout=30)
    if system.skipped:
        raise SystemExit(f"tipkg serve did not start: {system.skipped}")
    base = system.endpoint.rsplit("/sparql", 1)[0]
    result["load_seconds"] = round(system.load_seconds or 0, 1)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(20):  # warm up: first touches of the index pages and workers
                client.get("/search", params={"q": "victims", "format": "json"})
            rng = random.Random(14)
            sent = iter(range(1 << 30))  # in every request: the HTTP cache never answers

            def search(text: Callable[[], str]) -> httpx.Response:
                params = {"q": text(), "format": "json", "n": next(sent)}
                return client.get("/search", params=params)

            def reconcile(*queries: Callable[[], dict[str, Any]]) -> httpx.Response:
                n = next(sent)
                batch = {f"q{n}-{i}": make() for i, make in enumerate(queries)}
                return client.post("/reconcile", data={"queries": json.dumps(batch)})

            def sparql() -> httpx.Response:
                words = rng.choice(["non-punishment", "victims", "private sector"])
                params = {"query": SPARQL_SEARCH % words + f" # {next(sent)}"}
                accept = {"Accept": "application/sparql-results+json"}
                return client.get("/sparql", params=params, headers=accept)

            kinds = reconciliations(rng, pool)
            result["search"] = {
                name: measure(lambda t=text: search(t), reps)
                for name, text in searches(rng, pool).items()
            }
            result["reconcile"] = {
                name: measure(lambda m=make: reconcile(m), reps) for name, make in kinds.items()
            }
            some = max(reps // 5, 20)
            result["reconcile"]["batch-of-10"] = measure(
                lambda: reconcile(*(rng.choice(list(kinds.values())) for _ in range(10))), some
            )
            result["sparql"] = {"search-score": measure(sparql, some)}
        result["peak_rss_mb"] = round(system.peak_rss / 2**20)
    finally:
        system.stop()
    return result


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        f"# Search and reconciliation at {result['scale']} triples ({meta['date']})",
        "",
        f"Machine: {meta['machine']}; Python {meta['python']}. `tipkg serve --data` started "
        f"(load and index) in {result['load_seconds']} s; peak RSS {result.get('peak_rss_mb')} MB.",
    ]
    if "index" in result:
        ix = result["index"]
        lines.append(f"Index alone: {ix['resources']:,} resources in {ix['seconds']} s, "
                     f"{ix['megabytes']} MB.")  # fmt: skip
    lines += ["", "| request | kind | n | errors | p50 (ms) | p90 (ms) | p99 (ms) |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for group in ("search", "reconcile", "sparql"):
        for name, v in result[group].items():
            lines.append(f"| {group} | {name} | {v['n']} | {v['errors']} | {v['p50_ms']} | "
                         f"{v['p90_ms']} | {v['p99_ms']} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1M", help="10k, 100k, 1M, 5M or a number")
    parser.add_argument("--reps", type=int, default=200, help="requests per kind")
    parser.add_argument("--no-index-time", action="store_true",
                        help="skip timing the index on its own (saves one load)")  # fmt: skip
    parser.add_argument("--out", default=str(BENCH / "results"))
    args = parser.parse_args(argv)
    meta = {"date": dt.date.today().isoformat(), "machine": machine(),
            "python": platform.python_version()}  # fmt: skip
    result = run(args.scale, args.reps, not args.no_index_time)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_result(out / f"{meta['date']}-search-{args.scale}", {"meta": meta, **result},
                 markdown(result, meta))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
