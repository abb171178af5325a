"""Render the HTML templates; every value is escaped by Jinja2's autoescaping."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from rdflib import RDFS, Graph, Literal

from tipkg.config import get_settings

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["href"] = href
    environment.filters["link"] = link
    environment.filters["term"] = term_label
    return environment


def render_page(template: str, **values: object) -> str:
    """Return the HTML of ``template`` filled with ``values``."""
    return _environment().get_template(template).render(**values)


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: our own IRIs to their pages on this server, other
    ``http``/``https`` IRIs as they are, and any other scheme (``javascript:``, ``data:``...)
    nowhere (``""``): data may hold any IRI, and a page must not become a script."""
    base = get_settings().base_iri
    if iri.startswith(f"{base}id/"):
        return f"/doc/{iri.removeprefix(f'{base}id/')}"
    if iri.startswith(f"{base}def"):
        return f"/def{iri.removeprefix(f'{base}def')}"
    if iri[:8].lower().startswith(("http://", "https://")):
        return iri
    return ""


def link(iri: str, text: str | None = None) -> Markup:
    """An ``<a>`` to ``iri`` showing ``text`` (default: the IRI), both escaped; only the
    text when the IRI may not be linked (see :func:`href`)."""
    shown = escape(iri if text is None else text)
    target = href(iri)
    if not target:
        return Markup(shown)
    return Markup('<a href="{}">{}</a>').format(target, shown)


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
