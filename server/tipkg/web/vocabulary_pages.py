"""``GET /def`` (and ``/def.ttl``, ``/def.html``): the tipkg ontology as Turtle or as HTML
documentation, chosen by ``Accept`` (HTML for browsers) with ``Vary: Accept``.

The HTML comes from pyLODE (its OntPub profile) when it is installed and works, generated
once per process in a thread and kept in memory; otherwise from our own template, which
lists classes and properties with labels, definitions and links. Either way each term is
anchored by its local name, so ``/def#Meeting`` works.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import escape
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from tipkg.vocab import ONTOLOGY_IRI, TIPKG
from tipkg.web.errors import error_response
from tipkg.web.http_docs import responses
from tipkg.web.negotiation import negotiate
from tipkg.web.pages.render import render_page
from tipkg.web.service import SparqlService

log = logging.getLogger(__name__)
OFFERS = ("text/html", "text/turtle", "application/x-turtle")


def ontology_files(root: Path) -> list[Path]:
    """The ontology's Turtle files (``tipkg.ttl`` first)."""
    files = sorted(root.glob("*.ttl"), key=lambda p: (p.name != "tipkg.ttl", p.name))
    if not files:
        raise FileNotFoundError(f"no ontology Turtle file in {root}")
    return files


@lru_cache(maxsize=4)
def ontology_turtle(root: Path) -> bytes:
    """The ontology as Turtle: the file itself (with its comments) when there is one."""
    files = ontology_files(root)
    if len(files) == 1:
        return files[0].read_bytes()
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph.serialize(format="turtle", encoding="utf-8")


#: The stylesheet pyLODE's page links to (its own CSS, taken out of the page: the
#: Content-Security-Policy allows no inline style), and our navigation line's.
STYLESHEET = "/def.css"
_NAV_CSS = ".tipkg-nav{margin:.5rem 1rem}"


def pylode_html(path: Path) -> tuple[str, str]:
    """pyLODE's documentation of the ontology file and its CSS (raises if pyLODE is missing
    or fails)."""
    from pylode import OntPub  # optional: pylode==3.3.4 on Python 3.11

    html = OntPub(ontology=str(path)).make_html()
    if not isinstance(html, str) or 'id="' not in html:
        raise ValueError("pyLODE produced no HTML")
    css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)) + _NAV_CSS + "\n"
    html = re.sub(r"<style[^>]*>.*?</style>", "", html, flags=re.S)
    html = html.replace("</head>", f'<link rel="stylesheet" href="{STYLESHEET}"></head>', 1)
    # pyLODE heads the page with the title and the label run together ("...Trafficking in
    # Personstipkg ontology"): the title alone
    title = Graph().parse(path).value(URIRef(ONTOLOGY_IRI), DCTERMS.title)
    if title is not None:
        heading = f"<h1>{escape(str(title))}</h1>"
        html = re.sub(r"<h1>.*?</h1>", lambda _: heading, html, count=1, flags=re.S)
    nav = (
        '<p class="tipkg-nav"><a href="/">tipkg</a> · <a href="/def.ttl">Turtle</a>'
        ' · <a href="/.well-known/void">dataset</a></p>'
    )
    return html.replace("<body>", f"<body>{nav}", 1), css


@dataclass(frozen=True)
class Term:
    """One class or property for the fallback page."""

    iri: str
    name: str
    label: str
    definition: str
    kind: str
    parents: tuple[str, ...]
    domains: tuple[str, ...]
    ranges: tuple[str, ...]


def _text(graph: Graph, subject: URIRef, *props: URIRef) -> str:
    for prop in props:
        values = [v for v in graph.objects(subject, prop) if isinstance(v, Literal)]
        english = [v for v in values if v.language in ("en", None)]
        if english or values:
            return str(sorted(english or values)[0])
    return ""


def _iris(graph: Graph, subject: URIRef, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, prop) if isinstance(o, URIRef)))


def vocabulary_terms(graph: Graph) -> list[Term]:
    """The classes and properties of the tipkg namespace, sorted by kind and name."""
    kinds = (
        (OWL.Class, "class", RDFS.subClassOf),
        (OWL.ObjectProperty, "object property", RDFS.subPropertyOf),
        (OWL.DatatypeProperty, "datatype property", RDFS.subPropertyOf),
        (OWL.AnnotationProperty, "annotation property", RDFS.subPropertyOf),
        (RDF.Property, "property", RDFS.subPropertyOf),
        (RDFS.Class, "class", RDFS.subClassOf),
    )
    terms: dict[str, Term] = {}
    for rdf_type, kind, parent in kinds:
        for subject in graph.subjects(RDF.type, rdf_type):
            iri = str(subject)
            if not isinstance(subject, URIRef) or not iri.startswith(str(TIPKG)) or iri in terms:
                continue
            name = iri.removeprefix(str(TIPKG))
            terms[iri] = Term(
                iri=iri,
                name=name,
                label=_text(graph, subject, RDFS.label, SKOS.prefLabel) or name,
                definition=_text(
                    graph, subject, SKOS.definition, RDFS.comment, DCTERMS.description
                ),
                kind=kind,
                parents=_iris(graph, subject, parent),
                domains=_iris(graph, subject, RDFS.domain),
                ranges=_iris(graph, subject, RDFS.range),
            )
    order = {"class": 0}
    return sorted(terms.values(), key=lambda t: (order.get(t.kind, 1), t.name.lower()))


def fallback_html(root: Path) -> str:
    """Our own documentation page (templates/vocabulary.html)."""
    graph = Graph()
    for path in ontology_files(root):
        graph.parse(path, format="turtle")
    ontology = URIRef(ONTOLOGY_IRI)
    terms = vocabulary_terms(graph)
    return render_page(
        "vocabulary.html",
        ontology=ONTOLOGY_IRI,
        title=_text(graph, ontology, DCTERMS.title, RDFS.label) or "The tipkg vocabulary",
        description=_text(graph, ontology, DCTERMS.description, RDFS.comment, SKOS.definition),
        classes=[t for t in terms if t.kind == "class"],
        properties=[t for t in terms if t.kind != "class"],
    )


def documentation_html(root: Path, use_pylode: bool = True) -> tuple[str, str]:
    """pyLODE's page for the ontology and its CSS, or the fallback page (which uses the
    site's stylesheet) when pyLODE fails."""
    if use_pylode:
        try:
            return pylode_html(ontology_files(root)[0])
        except Exception as exc:  # an optional tool: any failure means the fallback
            log.warning("pyLODE could not document the ontology (%s); using the fallback", exc)
    return fallback_html(root), ""


def create_vocabulary_router(
    get_service: Callable[[Request], SparqlService], *, use_pylode: bool = True
) -> APIRouter:
    """A router for ``/def``, ``/def.ttl`` and ``/def.html``."""
    router = APIRouter()
    html_cache: dict[Path, tuple[str, str]] = {}
    lock = anyio.Lock()

    async def html_for(root: Path) -> tuple[str, str]:
        if root not in html_cache:
            async with lock:
                if root not in html_cache:
                    html_cache[root] = await anyio.to_thread.run_sync(
                        documentation_html, root, use_pylode
                    )
        return html_cache[root]

    async def serve(request: Request, media: str | None) -> Response:
        root = get_service(request).settings.ontology_dir
        headers = {"Vary": "Accept", "Link": f'<{ONTOLOGY_IRI}>; rel="describes"'}
        if media is None:
            return error_response(
                request,
                406,
                "not_acceptable",
                "the vocabulary is available as text/html or text/turtle",
                {"Vary": "Accept"},
            )
        if media == "text/html":
            html, _ = await html_for(root)
            return Response(html, media_type="text/html; charset=utf-8", headers=headers)
        body = await anyio.to_thread.run_sync(ontology_turtle, root)
        return Response(body, media_type="text/turtle; charset=utf-8", headers=headers)

    @router.get(
        "/def", response_class=Response, responses=responses(("text/html", "text/turtle"), 406)
    )
    async def vocabulary(request: Request) -> Response:
        """The ontology, HTML or Turtle by ``Accept``."""
        chosen = negotiate(request.headers.get("accept"), OFFERS)
        return await serve(request, "text/turtle" if chosen == "application/x-turtle" else chosen)

    @router.get(STYLESHEET, response_class=Response, include_in_schema=False)
    async def vocabulary_css(request: Request) -> Response:
        """The stylesheet of the HTML documentation."""
        _, css = await html_for(get_service(request).settings.ontology_dir)
        return Response(css, media_type="text/css; charset=utf-8")

    @router.get("/def.ttl", response_class=Response, responses=responses(("text/turtle",)))
    async def vocabulary_turtle(request: Request) -> Response:
        """The ontology as Turtle."""
        return await serve(request, "text/turtle")

    @router.get("/def.html", response_class=Response, responses=responses(("text/html",)))
    async def vocabulary_html(request: Request) -> Response:
        """The ontology's HTML documentation."""
        return await serve(request, "text/html")

    return router
