"""The ``tipkg`` command line: each command parses its arguments, calls one function and
turns the result into output and an exit code (0 success, 1 invalid data, 2 bad input)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tipkg.config import get_settings
from tipkg.errors import TipkgError
from tipkg.validate import validate_files


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
