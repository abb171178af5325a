"""Time ``tipkg build`` (parse, OWL-RL, SHACL, load) on generated data at several scales.

    python bench/build.py --scales 10k,100k,1M

For each scale the generated N-Quads (bench/generate.py, cached in bench/data/) become a
throw-away project laid out as the real one: the repository's ontology/ and shapes/
(linked), the generated reference graph (the real reference data plus the synthetic
bodies) as data/reference/generated.ttl, one Turtle file per generated document under
data/ and a manifest giving each its UN symbol. ``tipkg build`` runs on it as a subprocess
(``TIPKG_ROOT``), its peak RSS sampled; the seconds of each stage come from the
build.json it writes. One document is held back, then added and built again: the
incremental build a curator runs after adding a document. Results:
bench/results/<date>-build.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import ensure_data, machine, write_result  # noqa: E402

DOCUMENT_GRAPH = "<https://w3id.org/tipkg/graph/document/"
REFERENCE_GRAPH = "<https://w3id.org/tipkg/graph/reference>"
STAGES = ("parse", "labels", "reason", "validate", "load", "index")


def make_project(data: Path, root: Path) -> tuple[int, tuple[str, str, str]]:
    """Lay out a project at ``root`` from the generated file; return the number of
    documents written and the one held back (file stem, UN symbol, Turtle)."""
    for name in ("ontology", "shapes"):
        (root / name).symlink_to(ROOT / name)
    (root / "data" / "sources").mkdir(parents=True)
    (root / "data" / "reference").mkdir()
    reference: list[str] = []
    documents: dict[str, list[str]] = {}
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            head, _, graph = line.rstrip().removesuffix(" .").rpartition(" ")
            if graph == REFERENCE_GRAPH:
                reference.append(head + " .\n")
            elif graph.startswith(DOCUMENT_GRAPH):
                symbol = graph[len(DOCUMENT_GRAPH) : -1]
                documents.setdefault(symbol, []).append(head + " .\n")
    (root / "data" / "reference" / "generated.ttl").write_text("".join(reference))
    held_symbol, held = documents.popitem()
    for symbol, triples in documents.items():
        add_document(root, symbol.replace("/", "-").lower(), symbol, "".join(triples))
    return len(documents), (held_symbol.replace("/", "-").lower(), held_symbol, "".join(held))


def add_document(root: Path, stem: str, symbol: str, turtle: str) -> None:
    """Add a document's Turtle file and its manifest entry, as a curator does."""
    (root / "data" / f"{stem}.ttl").write_text(turtle, encoding="utf-8")
    with (root / "data" / "sources" / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(f'\n["{stem}"]\nsymbol = "{symbol}"\n')


def timed_build(root: Path) -> dict[str, Any]:
    """Run ``tipkg build`` on the project at ``root``; wall time, peak RSS, build.json."""
    env = {**os.environ, "TIPKG_ROOT": str(root), "TIPKG_STORE": str(root / "store")}
    tipkg = Path(sys.executable).parent / "tipkg"
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(tipkg), "build"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        process = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    done.set()
    sampler.join()
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"tipkg build failed ({proc.returncode}):\n{output.decode()[-3000:]}")
    info = json.loads((root / "store" / "current" / "build.json").read_text())
    return {
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "seconds": info["seconds"],
        "triples": sum(info["triples"].values()),
        "inferred": info["triples"].get("https://w3id.org/tipkg/graph/inferred", 0),
        "warnings": info["warnings"],
        "incremental_of": info.get("incremental_of"),
    }


def markdown(rows: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        f"### `tipkg build` by scale: {meta['date']}, {meta['machine']}",
        "",
        "| scale | documents | triples (incl. inferred) | inferred | "
        + " | ".join(f"{s} (s)" for s in STAGES)
        + " | wall (s) | µs per triple | peak RSS (MB) | warnings |",
        "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in STAGES) + " | ---: | ---: "
        "| ---: | ---: |",
    ]
    for scale, r in rows.items():
        per = r["wall_seconds"] / r["triples"] * 1e6
        stages = " | ".join(str(r["seconds"].get(s, "")) for s in STAGES)
        lines.append(
            f"| {scale} | {r['documents']} | {r['triples']:,} | {r['inferred']:,} | {stages} "
            f"| {r['wall_seconds']} | {per:.0f} | {r['peak_rss_mb']} | {r['warnings']} |"
        )
    lines += [
        "",
        "Then one more document added (an incremental build):",
        "",
        "| scale | built on the previous build | "
        + " | ".join(f"{s} (s)" for s in STAGES)
        + " | wall (s) | peak RSS (MB) |",
        "| --- | :---: | " + " | ".join("---:" for _ in STAGES) + " | ---: | ---: |",
    ]
    for scale, r in rows.items():
        more = r["one_more_document"]
        stages = " | ".join(str(more["seconds"].get(s, "")) for s in STAGES)
        lines.append(
            f"| {scale} | {'yes' if more['incremental_of'] else 'no'} | {stages} "
            f"| {more['wall_seconds']} | {more['peak_rss_mb']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k,1M", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(BENCH / "results"))
    args = parser.parse_args(argv)
    meta = {"date": dt.date.today().isoformat(), "machine": machine()}
    rows: dict[str, dict[str, Any]] = {}
    for scale in args.scales.split(","):
        data = ensure_data(scale, args.seed)
        with tempfile.TemporaryDirectory(prefix="tipkg-build-bench-") as tmp:
            documents, held = make_project(data, Path(tmp))
            rows[scale] = {"documents": documents, **timed_build(Path(tmp))}
            add_document(Path(tmp), *held)
            rows[scale]["one_more_document"] = timed_build(Path(tmp))
        print(f"[{scale}] {rows[scale]}", file=sys.stderr, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = {"meta": meta, "scales": rows}
    write_result(out / f"{meta['date']}-build", data, markdown(rows, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
