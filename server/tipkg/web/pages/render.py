"""Render the HTML templates; every value is escaped by Jinja2's autoescaping."""

from __future__ import annotations

import re
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
def _term_labels() -> dict[str, dict[str, str]]:
    """The ontology's labels of its terms, by IRI and language ("" for none)."""
    graph = Graph()
    for path in sorted(get_settings().ontology_dir.glob("*.ttl")):
        graph.parse(path)
    labels: dict[str, dict[str, str]] = {}
    for s, o in sorted(graph.subject_objects(RDFS.label)):
        if isinstance(o, Literal):
            labels.setdefault(str(s), {}).setdefault(o.language or "", str(o))
    return labels


#: Terms of other vocabularies that pages name.
_OTHER_TERMS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "kind",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": "see also",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "also known as",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "name",
}


def term_label(iri: str, language: str = "en") -> str:
    """Return the label of a vocabulary term in ``language`` (else English), or a readable
    form of its IRI: ``startDate`` -> "start date"."""
    labels = _term_labels().get(iri, {})
    found = labels.get(language) or labels.get("en") or labels.get("") or _OTHER_TERMS.get(iri)
    if found:
        return found
    last = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", last).lower() if last[:1].islower() else last
