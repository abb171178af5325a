"""Summarize one benchmark run across scales, and check it against the targets.

    python bench/summary.py --date 2026-11-22 --scales 10k,100k,1M,5M --target-scale 1M

Reads bench/results/<date>-<scale>.json (bench/run.py) and <date>-build.json
(bench/build.py) and prints Markdown: per scale, the sequential p50 and the 8-client
throughput of the three systems side by side with ratios; load time and peak RSS; linked-data
page latency; then each target of the speed issue with the measured figure and whether it is
met. bench/README.md quotes this output.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SYSTEMS = ("ours", "ours-memory", "ours-disk", "oxigraph", "rdflib")
HEAVY_MS = 50.0  # an Oxigraph-server p50 above this makes a query "heavy" (the line)


def _p50(entry: dict[str, Any], system: str) -> float | None:
    return entry.get(system, {}).get("sequential", {}).get("p50_ms")


def _qps(entry: dict[str, Any], system: str, clients: int = 8) -> float | None:
    return entry.get(system, {}).get(f"c{clients}", {}).get("qps")


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def scale_tables(result: dict[str, Any]) -> str:
    """The side-by-side tables of one scale."""
    systems = [s for s in SYSTEMS if s in result["systems"] and not _skipped(result, s)]
    head = (
        f"#### {result['scale']} ({result['quads']:,} quads)\n\n"
        "Sequential p50 (ms), throughput with 8 clients (queries/s), ratios ours ÷ other "
        "for latency (below 1: ours faster) and other ÷ ours for throughput "
        "(below 1: ours more).\n\n"
    )
    cols = [f"{s} p50" for s in systems] + [f"{s} q/s@8" for s in systems]
    cols += [f"ours/{s} p50" for s in systems[1:]] + [f"{s}/ours q/s@8" for s in systems[1:]]
    lines = ["| query | " + " | ".join(cols) + " |", "| --- |" + " ---: |" * len(cols)]
    for name, entry in result["queries"].items():
        row = [_fmt(_p50(entry, s)) for s in systems] + [_fmt(_qps(entry, s), 1) for s in systems]
        row += [_ratio(_p50(entry, "ours"), _p50(entry, s)) for s in systems[1:]]
        row += [_ratio(_qps(entry, s), _qps(entry, "ours")) for s in systems[1:]]
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    load = ["", "| system | load to ready (s) | peak RSS (MB) |", "| --- | ---: | ---: |"]
    for s, info in result["systems"].items():
        if info.get("skipped"):
            load.append(f"| {s} | skipped: {info['skipped']} | |")
        else:
            load.append(f"| {s} | {info['load_seconds']} | {info['peak_rss_mb']} |")
    pages = ["", "| linked-data page (ours) | p50 (ms) | p95 (ms) |", "| --- | ---: | ---: |"]
    for page, info in (result.get("pages") or {}).items():
        pages.append(f"| {page} | {info['p50_ms']} | {info['p95_ms']} |")
    return head + "\n".join(lines + load + pages) + "\n"


def _skipped(result: dict[str, Any], system: str) -> bool:
    return bool(result["systems"].get(system, {}).get("skipped"))


def targets(results: dict[str, dict[str, Any]], at: str, build: dict[str, Any] | None) -> str:
    """The issue's targets, each with the figure measured and a verdict."""
    result = results[at]
    rows: list[tuple[str, str, bool | None]] = []
    rdflib_ratios: list[float] = []
    bounded: list[str] = []
    timeout = float(result.get("meta", {}).get("args", {}).get("timeout", 60.0))
    for name, entry in result["queries"].items():
        ours, ox = _p50(entry, "ours"), _p50(entry, "oxigraph")
        if ours is None or ox is None:
            rows.append((f"{name}: p50", f"ours {ours} ms, Oxigraph {ox} ms", None))
            continue
        if ox > HEAVY_MS:
            measured = f"{ox / ours:.1f}× ({ours:,.0f} vs {ox:,.0f} ms)"
            rows.append((f"{name} (heavy): ours ≥ 2× faster", measured, ox / ours >= 2))
        else:
            measured = f"{ours / ox:.2f}× ({ours:.2f} vs {ox:.2f} ms)"
            rows.append((f"{name} (light): ours p50 ≤ 1.25× Oxigraph", measured, ours / ox <= 1.25))
            q_ours, q_ox = _qps(entry, "ours"), _qps(entry, "oxigraph")
            if q_ours and q_ox:
                rows.append((f"{name} (light): 8-client q/s ≥ 0.8× Oxigraph",
                             f"{q_ours / q_ox:.2f}× ({q_ours:,.0f} vs {q_ox:,.0f} q/s)",
                             q_ours / q_ox >= 0.8))  # fmt: skip
        rd = _rdflib_qps(entry, timeout)
        q_ours = _qps(entry, "ours") or (1000 / ours)
        if rd:
            rdflib_ratios.append(q_ours / rd)
            if not _p50(entry, "rdflib"):
                bounded.append(name)
    if rdflib_ratios:
        geo = math.exp(sum(map(math.log, rdflib_ratios)) / len(rdflib_ratios))
        note = f"; {', '.join(bounded)} at rdflib's timeout bound" if bounded else ""
        rows.append(("8-client q/s ≥ 20× rdflib-endpoint (geometric mean over the mix)",
                     f"{geo:.1f}× over {len(rdflib_ratios)} queries{note}", geo >= 20))  # fmt: skip
    pages = result.get("pages") or {}
    for page, info in pages.items():
        rows.append((f"linked-data page {page}: p50 ≤ 10 ms", f"{info['p50_ms']} ms",
                     info["p50_ms"] <= 10))  # fmt: skip
    biggest = max(results, key=lambda s: results[s]["quads"])
    rss = results[biggest]["systems"].get("ours", {}).get("peak_rss_mb")
    if rss is not None:
        rows.append((f"{biggest} served in ≤ 4 GB total RSS", f"{rss:,.0f} MB", rss <= 4096))
    if build:
        rows += _build_targets(build["scales"], at)
    lines = [f"| target (at {at}) | measured | met |", "| --- | --- | :---: |"]
    for what, measured, ok in rows:
        mark = "–" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {what} | {measured} | {mark} |")
    return "\n".join(lines) + "\n"


def _build_targets(scales: dict[str, Any], at: str) -> list[tuple[str, str, bool | None]]:
    """Issue 15's build targets: 1M in a minute and 2 GB, 5M within 8 GB, time per triple
    no worse than linear, and one more document built in a fraction of a full build."""
    rows: list[tuple[str, str, bool | None]] = []
    if at in scales:
        wall, peak = scales[at]["wall_seconds"], scales[at]["peak_rss_mb"]
        rows.append((f"`tipkg build` of {at} ≤ 60 s", f"{wall} s", wall <= 60))
        rows.append((f"`tipkg build` of {at}: peak RSS ≤ 2 GB", f"{peak:,.0f} MB", peak <= 2048))
        more = scales[at].get("one_more_document")
        if more:
            share = more["wall_seconds"] / wall
            rows.append((f"one more document on {at}: ≤ 10 % of a full build, incremental",
                         f"{more['wall_seconds']} s ({share:.0%}; incremental: "
                         f"{'yes' if more['incremental_of'] else 'no'})",
                         share <= 0.1 and bool(more["incremental_of"])))  # fmt: skip
    if "5M" in scales:
        peak = scales["5M"]["peak_rss_mb"]
        rows.append(("`tipkg build` of 5M: peak RSS ≤ 8 GB", f"{peak:,.0f} MB", peak <= 8192))
    per = [(s, r["wall_seconds"] / r["triples"] * 1e6) for s, r in scales.items()]
    growth = " → ".join(f"{s} {us:.0f} µs" for s, us in per)
    linear = all(b <= a * 1.1 for (_, a), (_, b) in itertools.pairwise(per))
    rows.append(("build time per triple no worse than linear", growth, linear))
    return rows


def _rdflib_qps(entry: dict[str, Any], timeout: float) -> float | None:
    """rdflib-endpoint's 8-client rate; when that phase was skipped as too slow, its
    sequential rate (an upper bound); when it answered nothing within the per-request
    timeout, one query per timeout (an upper bound too)."""
    if "rdflib" not in entry:
        return None
    measured = _qps(entry, "rdflib")
    if measured:
        return measured
    p50 = _p50(entry, "rdflib")
    if p50:
        return 1000 / p50
    return 1 / timeout if entry["rdflib"].get("sequential", {}).get("errors") else None


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--date", required=True)
    parser.add_argument("--scales", default="10k,100k,1M,5M")
    parser.add_argument("--target-scale", default="1M")
    parser.add_argument("--results", default=str(BENCH / "results"))
    args = parser.parse_args(argv)
    folder = Path(args.results)
    results = {}
    for scale in args.scales.split(","):
        path = folder / f"{args.date}-{scale}.json"
        if path.exists():
            results[scale] = json.loads(path.read_text())
    build_path = folder / f"{args.date}-build.json"
    build = json.loads(build_path.read_text()) if build_path.exists() else None
    for result in results.values():
        print(scale_tables(result))
    if args.target_scale in results:
        print(targets(results, args.target_scale, build))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
