"""Parse the project's RDF files: one file into a graph (a syntax error named at its real
line), the ontology and the shapes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from tipkg.config import Settings, get_settings
from tipkg.errors import RdfSyntaxError


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (or a new graph), by its extension.

    Raises:
        RdfSyntaxError: the file is not valid RDF; the message names the file and line.
    """
    graph = graph if graph is not None else Graph()
    fmt = guess_format(str(path)) or "turtle"
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        # rdflib's line count drifts after multi-line literals; Oxigraph's is exact
        line, why = syntax_error_at(path) or (exc.lines + 1, exc._why)
        raise RdfSyntaxError(
            f"{path}:{line}: not valid Turtle: {why}. "
            "Fix the syntax at that line (a missing '.', ';' or quote is the usual cause)."
        ) from exc
    except (ParserError, ValueError, SyntaxError) as exc:
        raise RdfSyntaxError(f"{path}: not valid {fmt}: {exc}") from exc
    return graph


def syntax_error_at(path: Path) -> tuple[int, str] | None:
    """The line and message of the first syntax error Oxigraph's parser finds in ``path``."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None:
        return None
    try:
        for _ in ox.parse(path=str(path), format=rdf_format):
            pass
    except SyntaxError as exc:
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", exc.msg or str(exc))
        return (exc.lineno or 0), message
    except OSError:
        return None
    return None


def load_shapes(settings: Settings | None = None) -> Graph:
    """Return the union of the project's SHACL shapes (shapes/*.ttl)."""
    settings = settings or get_settings()
    return union_of(sorted(settings.shapes_dir.glob("*.ttl")))


def load_ontology(settings: Settings | None = None) -> Graph:
    """Return the union of the project's ontology files (ontology/*.ttl)."""
    settings = settings or get_settings()
    return union_of(sorted(settings.ontology_dir.glob("*.ttl")))


def union_of(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        parse_file(path, graph)
    return graph
