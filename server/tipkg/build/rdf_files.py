"""Parse the project's RDF files: the build's graphs with Oxigraph's parsers into rows of
term ids (:func:`read_triples`), and, for what works on rdflib graphs (the shapes, the
extractor's reference data, ``tipkg validate``), one file into an rdflib graph. A syntax
error is named at its real line either way."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyoxigraph as ox
from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from tipkg.build.terms import Terms, distinct, rows
from tipkg.config import Settings, get_settings
from tipkg.errors import RdfSyntaxError


def read_triples(paths: Iterable[Path], terms: Terms) -> np.ndarray:
    """Parse ``paths`` with Oxigraph into the distinct rows of their triples, their terms
    interned in ``terms``. Blank node labels are file-scoped (each file's ``_:b1`` is its
    own node), relative IRIs resolve against the file, as rdflib reads them.

    Raises:
        RdfSyntaxError: a file is not valid RDF; the message names the file and line.
    """
    ids, intern = terms.ids, terms.id
    flat: list[int] = []
    append = flat.append
    for path in paths:
        rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        try:
            for quad in ox.parse(
                path=str(path),
                format=rdf_format or ox.RdfFormat.TURTLE,
                base_iri=path.resolve().as_uri(),
                rename_blank_nodes=True,
            ):
                for term in (quad.subject, quad.predicate, quad.object):
                    code = ids.get(term)
                    append(code if code is not None else intern(term))
        except SyntaxError as exc:
            why = _parser_message(exc)
            raise RdfSyntaxError(
                f"{path}:{exc.lineno or 0}: not valid {rdf_format or 'Turtle'}: {why}. "
                "Fix the syntax at that line (a missing '.', ';' or quote is the usual cause)."
            ) from None
        except OSError as exc:
            raise RdfSyntaxError(f"{path}: cannot be read: {exc}") from None
    return distinct(rows(flat), len(terms))


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
        return (exc.lineno or 0), _parser_message(exc)
    except OSError:
        return None
    return None


def _parser_message(exc: SyntaxError) -> str:
    """Oxigraph's message without its position (the caller gives the line)."""
    return re.sub(r"^Parser error (at|between) [^:]*: ", "", exc.msg or str(exc))


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
