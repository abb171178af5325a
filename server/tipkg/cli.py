"""The ``tipkg`` command line: each command parses its arguments, calls one function and
turns the result into output and an exit code (0 success, 1 invalid data, 2 bad input)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from tipkg.build.pipeline import build_store, current_store
from tipkg.build.rdf_files import load_ontology, load_shapes, parse_file
from tipkg.build.validate import validate, validate_files
from tipkg.config import Settings, get_settings
from tipkg.errors import TipkgError
from tipkg.extract import extract, load_manifest, output_header, write_outputs
from tipkg.extract.emit import to_turtle
from tipkg.store.remote_load import LoadTarget


def _default_data_files() -> list[Path]:
    data_dir = get_settings().data_dir
    return sorted(data_dir.glob("*.ttl")) + sorted((data_dir / "reference").glob("*.ttl"))


def _cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.files] or _default_data_files()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"tipkg validate: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    report = validate_files(paths)
    shown = report.findings if args.warnings else report.violations
    for finding in shown:
        print(finding)
    verdict = "conforms" if report.conforms else "does NOT conform"
    print(f"{report.summary()}: the data {verdict} to the tipkg shapes.")
    if report.warnings and not args.warnings:
        print("Run with --warnings to list the warnings (incomplete but usable data).")
    return 0 if report.conforms else 1


def _cmd_extract(args: argparse.Namespace) -> int:
    settings = get_settings()
    sources = [Path(p) for p in args.files]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        print(f"tipkg extract: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    reference = Graph()
    for path in sorted((settings.data_dir / "reference").glob("*.ttl")):
        parse_file(path, reference)
    out = Path(args.output) if args.output else settings.data_dir
    single_file = out.suffix == ".ttl"
    if single_file and len(sources) > 1:
        print(
            "tipkg extract: -o FILE.ttl takes one source; give a directory for several",
            file=sys.stderr,
        )
        return 2
    outputs: dict[Path, str] = {}
    union = Graph()
    not_understood = 0
    for source in sources:
        # the manifest beside the file, or in a directory above it (PDF-text conversions
        # kept in a subdirectory), or data/sources/manifest.toml
        found = [d / "manifest.toml" for d in source.resolve().parents[:3]]
        manifest_path = next(
            (path for path in found if path.is_file()),
            settings.data_dir / "sources" / "manifest.toml",
        )
        manifest = load_manifest(manifest_path)
        extraction = extract(source, manifest, reference)
        graph = extraction.graph
        union += graph
        coverage = extraction.coverage
        print(f"{source}: {coverage.summary()}", file=sys.stderr)
        for finding in coverage.findings:
            print(f"  {finding}", file=sys.stderr)
        not_understood += len(coverage.findings)
        symbol = manifest[source.name.split(".", 1)[0]].symbol
        target = out if single_file else out / f"{source.name.split('.', 1)[0]}.ttl"
        outputs[target] = to_turtle(graph, output_header(source, symbol))
        print(f"{source}: {len(graph)} triples -> {target}", file=sys.stderr)
    if args.strict and not_understood:
        print(
            f"tipkg extract: {not_understood} paragraph(s) not understood (--strict); nothing "
            "was written. Add a row for each wording to server/tipkg/extract/sentences.toml, "
            "or correct the source text.",
            file=sys.stderr,
        )
        return 1
    if not args.no_validate:
        ontology = load_ontology(settings)
        findings = validate(union + reference, ontology, load_shapes(settings))
        violations = [f for f in findings if f.severity == "Violation"]
        for finding in violations:
            print(finding, file=sys.stderr)
        if violations:
            print(
                f"tipkg extract: {len(violations)} violation(s) of the shapes; nothing was "
                "written. Fix the extractor or the reference data and run again.",
                file=sys.stderr,
            )
            return 1
    write_outputs(outputs)
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    """The settings, with the store directory given by ``--store`` and the external store's
    default graph by ``--default-graph``, if any."""
    settings = get_settings()
    if getattr(args, "store", None):
        settings = settings.model_copy(update={"store": Path(args.store)})
    if getattr(args, "default_graph", None):
        settings = settings.model_copy(update={"default_graph": args.default_graph})
    return settings


def _cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if (args.update or args.batch is not None) and not args.endpoint:
        print("tipkg build: --update and --batch go with --endpoint URL", file=sys.stderr)
        return 2
    if args.batch is not None and (not args.update or args.batch < 1):
        print("tipkg build: --batch N takes a positive N and goes with --update", file=sys.stderr)
        return 2
    target = None
    if args.endpoint:
        protocol = "update" if args.update else "dataset"
        target = LoadTarget(args.endpoint, protocol=protocol, batch=args.batch)
    report = build_store(
        settings,
        progress=lambda m: print(m, file=sys.stderr),
        force=args.force,
        endpoint=target,
    )
    if args.endpoint:
        print(
            f"loaded {sum(report.triples.values())} triples in {len(report.triples)} graphs "
            f"into {args.endpoint}"
        )
    elif not report.skipped:
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items())
        print(
            f"built {report.path} ({sum(report.triples.values())} triples; {stages}; "
            f"{report.warnings} warning(s))"
        )
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    settings = _settings(args)
    path = current_store(settings)
    if path is None:
        print(
            f"tipkg query: no store in {settings.store_dir}; run `tipkg build` first",
            file=sys.stderr,
        )
        return 2
    store = ox.Store.read_only(str(path))
    try:
        results = store.query(args.sparql)  # the default graph is the merge of all graphs
    except SyntaxError as exc:
        print(f"tipkg query: the query is not valid SPARQL: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_results(results, args.format))
    return 0


def render_results(results: object, fmt: str) -> str:
    """Return query results as a text table, CSV or JSON (serialized by Oxigraph)."""
    if isinstance(results, ox.QueryBoolean):
        answer = bool(results)
        return json.dumps({"boolean": answer}) + "\n" if fmt == "json" else f"{answer}\n".lower()
    if isinstance(results, ox.QuerySolutions):
        if fmt in ("csv", "json"):
            format_ = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON
            return results.serialize(format=format_).decode("utf-8")
        names = [v.value for v in results.variables]
        rows = [[_cell(solution[name]) for name in names] for solution in results]
        return _table(names, rows)
    graph = results.serialize(format=ox.RdfFormat.TURTLE)  # type: ignore[attr-defined]
    return bytes(graph).decode("utf-8")


def _cell(term: object) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(n), *(min(len(r[i]), 60) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(c[:60].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _ensure_query_page_assets() -> None:
    """Install YASGUI from npm for the query page when it is missing and npm is there."""
    from tipkg.web.home import YASGUI_DIR, yasgui_available
    from tipkg.web.static.install_assets import install_assets

    if yasgui_available(YASGUI_DIR) or shutil.which("npm") is None:
        return
    print("tipkg: installing the query page's YASGUI assets (npm) ...", file=sys.stderr)
    try:
        install_assets()
    except RuntimeError as exc:
        print(
            f"tipkg: YASGUI not installed ({exc}); the query page uses a plain form",
            file=sys.stderr,
        )


def _cmd_serve(args: argparse.Namespace) -> int:
    from tipkg.web.app import create_app, create_app_for_files, serve

    updates: dict[str, object] = {}
    if args.query_timeout is not None:
        updates["query_timeout"] = args.query_timeout
    if args.workers is not None:
        updates["workers"] = args.workers
    if args.memory != "auto":
        updates["in_memory"] = args.memory == "yes"
    if "TIPKG_PUBLIC_URL" not in os.environ:
        updates["public_url"] = f"http://{_url_host(args.host)}:{args.port}/"
    settings = _settings(args).model_copy(update=updates)
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"tipkg serve: {problem}", file=sys.stderr)
        return 2
    _ensure_query_page_assets()
    if args.data:
        # plain files: the default graph is the files' own default graph, as in other stores,
        # unless asked otherwise
        union = args.union_default_graph
        settings = settings.model_copy(update={"union_default_graph": union})
        app = create_app_for_files([Path(p) for p in args.data], settings)
    elif args.endpoint:
        app = create_app(settings, endpoint=args.endpoint)
    else:
        build_store(settings, progress=lambda m: print(m, file=sys.stderr))
        app = create_app(settings, current_store(settings), follow=settings.store_dir)
    print(f"tipkg: serving on {settings.public_url}", file=sys.stderr)
    serve(app, args.host, args.port, settings)
    return 0


def _url_host(host: str) -> str:
    """The host as it goes into a URL (IPv6 in brackets; 0.0.0.0 is not an address)."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (in use, not allowed), or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another `tipkg serve`?); stop "
                    f"that process (see `ss -ltnp 'sport = :{port}'`) or choose another port "
                    "with --port"
                )
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def _default_graph_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--default-graph",
        metavar="IRI",
        help="with --endpoint, for a store whose default graph is the union of all its graphs "
        "(Virtuoso): the named graph holding tipkg's merged default graph, e.g. "
        "https://w3id.org/tipkg/graph/default (the same at build and serve)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tipkg`` command."""
    parser = argparse.ArgumentParser(
        prog="tipkg",
        description="The knowledge graph of the UN Working Group on Trafficking in Persons.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check RDF files against the ontology and SHACL shapes; exit 1 on violations",
        description="Validate RDF files (default: data/*.ttl and data/reference/*.ttl) "
        "against the tipkg ontology and shapes, and report each problem in words.",
    )
    validate.add_argument("files", nargs="*", metavar="FILE", help="RDF files to validate")
    validate.add_argument(
        "--warnings", action="store_true", help="also list warnings (incomplete data)"
    )
    validate.set_defaults(run=_cmd_validate)

    extract = commands.add_parser(
        "extract",
        help="turn Working Group documents (text) into Turtle in the tipkg vocabulary",
        description="Extract annotated provisional agendas and reports (clean text, or PDF "
        "converted with `pdftotext -layout`) into deterministic Turtle, validated against the "
        "shapes. Nothing is written unless every file extracts and validates.",
    )
    extract.add_argument("files", nargs="+", metavar="FILE", help="source text files")
    extract.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output directory (default: data/), or a .ttl file when one source is given",
    )
    extract.add_argument(
        "--no-validate", action="store_true", help="skip the SHACL check of the output"
    )
    extract.add_argument(
        "--strict",
        action="store_true",
        help="fail (write nothing) when any paragraph is not understood",
    )
    extract.set_defaults(run=_cmd_extract)

    build = commands.add_parser(
        "build",
        help="parse, reason (OWL-RL), validate (SHACL) and load the store; switch atomically",
        description="Build the embedded Oxigraph store from ontology/, shapes/ and data/: "
        "OWL-RL inferences go to their own named graph; any SHACL violation stops the build "
        "and the store in service stays as it was.",
    )
    build.add_argument("--store", metavar="DIR", help="store directory (default: var/store)")
    build.add_argument(
        "--force",
        action="store_true",
        help="rebuild everything, even if nothing changed (no incremental build)",
    )
    build.add_argument(
        "--endpoint",
        metavar="URL",
        help="load an external store instead, all graphs together: PUT the dataset as "
        "N-Quads to this Graph Store Protocol dataset endpoint (e.g. http://127.0.0.1:7878/store "
        "for `oxigraph serve`), or with --update send SPARQL Update to it; credentials from "
        "TIPKG_ENDPOINT_USER and TIPKG_ENDPOINT_PASSWORD",
    )
    build.add_argument(
        "--update",
        action="store_true",
        help="--endpoint is a SPARQL Update endpoint (e.g. http://127.0.0.1:7878/update, "
        "atomic on Oxigraph; http://127.0.0.1:8890/sparql-auth on Virtuoso)",
    )
    build.add_argument(
        "--batch",
        type=int,
        metavar="N",
        help="with --update: send at most N triples per request (Virtuoso: 1000); the "
        "default is one request",
    )
    _default_graph_option(build)
    build.set_defaults(run=_cmd_build)

    query = commands.add_parser(
        "query",
        help="answer a SPARQL query from the store in the terminal",
        description="Run a SPARQL query against the built store (the default graph is the "
        "union of all graphs).",
    )
    query.add_argument("sparql", metavar="SPARQL", help="the query text")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.add_argument("--store", metavar="DIR", help="store directory (default: var/store)")
    query.set_defaults(run=_cmd_query)

    serve = commands.add_parser(
        "serve",
        help="build the store if needed, then serve SPARQL and linked data over HTTP",
        description="Serve the SPARQL 1.1 endpoint (/sparql), dereferenceable URIs (/id, /doc) "
        "and the query page (/) on the embedded store, building it first if the data changed; "
        "or serve any RDF files with --data (no shapes, no reasoning).",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--store", metavar="DIR", help="store directory (default: var/store)")
    serve.add_argument("--data", nargs="+", metavar="FILE", help="serve these RDF files instead")
    serve.add_argument(
        "--union-default-graph",
        action="store_true",
        help="with --data: make the default graph the union of all graphs (always so otherwise)",
    )
    serve.add_argument(
        "--endpoint",
        metavar="URL",
        help="answer from an external SPARQL endpoint loaded by `tipkg build --endpoint`, e.g. "
        "http://127.0.0.1:7878/query (Oxigraph) or http://127.0.0.1:8890/sparql (Virtuoso)",
    )
    _default_graph_option(serve)
    serve.add_argument(
        "--query-timeout",
        type=float,
        metavar="S",
        help="stop any query after S seconds (default 30)",
    )
    serve.add_argument(
        "--workers", type=int, metavar="N", help="query worker processes (default 2: one per core)"
    )
    serve.add_argument(
        "--memory",
        choices=["auto", "yes", "no"],
        default="auto",
        help="copy the store into the query workers' memory (auto: up to 2 million triples)",
    )
    serve.set_defaults(run=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tipkg`` command line and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except TipkgError as exc:
        print(f"tipkg {args.command}: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
