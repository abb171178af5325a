"""Render the HTML templates; every value is escaped by Jinja2's autoescaping."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import RDFS, Graph, Literal

from tipkg.config import get_settings

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["href"] = href
    environment.filters["term"] = term_label
    return environment


def render_page(template: str, **values: object) -> str:
    """Return the HTML of ``template`` filled with ``values``."""
    return _environment().get_template(template).render(**values)


def href(iri: str) -> str:
    """Link our own IRIs to their pages on this server; others stay as they are."""
    base = get_settings().base_iri
    if iri.startswith(f"{base}id/"):
        return f"/doc/{iri.removeprefix(f'{base}id/')}"
    if iri.startswith(f"{base}def"):
        return f"/def{iri.removeprefix(f'{base}def')}"
    return iri


@lru_cache
def _term_labels() -> dict[str, str]:
    graph = Graph()
    for path in sorted(get_settings().ontology_dir.glob("*.ttl")):
        graph.parse(path)
    return {
        str(s): str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(o, Literal) and o.language in ("en", None)
    }


def term_label(iri: str) -> str:
    """Return the label of a vocabulary term, or a readable short form of its IRI."""
    return _term_labels().get(iri) or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
