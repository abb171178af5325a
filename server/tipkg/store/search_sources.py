"""What the search index is made of, read from a store with SPARQL: the resources' kinds,
names, texts and codes, the links that place them in a meeting, and every resource IRI.

The same few SELECT queries run on an embedded store (:func:`select_from_store`, as the
build does) and on any SPARQL endpoint through the query pool (their JSON results read by
:func:`rows_from_json`), so a store without an index of its own (a remote store, an older
build) gets the same index at startup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import pyoxigraph as ox


class Term(NamedTuple):
    """An RDF term of a result row: its value, language tag ("" if none), whether an IRI."""

    value: str
    lang: str = ""
    iri: bool = False


Row = dict[str, Term]
#: Evaluates a SELECT query and yields its rows.
Select = Callable[[str], Iterable[Row]]

TIPKG = "https://w3id.org/tipkg/def#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"

#: The kinds of resources search results are grouped by, most specific first, each with
#: its label and the class whose instances (and their subclasses') are of that kind.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("recommendation", "Recommendations", f"{TIPKG}Recommendation"),
    ("agenda-item", "Agenda items", f"{TIPKG}AgendaItem"),
    ("paragraph", "Paragraphs", f"{TIPKG}Paragraph"),
    ("paragraph", "Paragraphs", f"{TIPKG}Section"),
    ("document", "Documents", f"{TIPKG}Document"),
    ("meeting", "Meetings", f"{TIPKG}Meeting"),
    ("state", "States", f"{TIPKG}State"),
    ("organization", "Organizations", f"{TIPKG}Organization"),
    ("person", "Persons", f"{TIPKG}Person"),
    ("topic", "Topics", f"{TIPKG}Topic"),
)
KIND_LABELS = {kind: label for kind, label, _ in KINDS} | {"other": "Other resources"}
#: Classes of vocabulary terms: an ontology's classes and properties are documented at
#: /def, not searched as data.
VOCABULARY_CLASSES = tuple(
    f"{ns}{name}"
    for ns, names in (
        (OWL, ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
               "Ontology", "Restriction", "FunctionalProperty", "TransitiveProperty",
               "SymmetricProperty", "InverseFunctionalProperty")),
        (RDFS, ("Class", "Datatype")),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", ("Property",)),
        (SH, ("NodeShape", "PropertyShape")),
    )
    for name in names
)  # fmt: skip

#: Literal properties that name a resource (searched with more weight, matched by the
#: reconciliation service), those that hold its text, and those that describe it.
NAME_PROPERTIES = (
    f"{RDFS}label", f"{SKOS}prefLabel", f"{SKOS}altLabel", f"{SKOS}hiddenLabel",
    f"{TIPKG}acronym", f"{TIPKG}title", f"{TIPKG}symbol", f"{TIPKG}heading",
    f"{FOAF}name", f"{SCHEMA}name", f"{DCT}title",
)  # fmt: skip
TEXT_PROPERTIES = (
    f"{TIPKG}text", f"{TIPKG}annotation", f"{TIPKG}description", f"{SKOS}definition",
    f"{DCT}description", f"{SCHEMA}description", f"{RDFS}comment",
)  # fmt: skip
DETAIL_PROPERTIES = (
    f"{TIPKG}paragraphNumber", f"{TIPKG}sectionNumber", f"{TIPKG}startDate",
    f"{TIPKG}issued", f"{TIPKG}date", f"{TIPKG}actDate", f"{TIPKG}iso3166Alpha2",
    f"{TIPKG}iso3166Alpha3", f"{TIPKG}m49Code", f"{TIPKG}position",
)  # fmt: skip
#: Links to the meeting a resource belongs to.
MEETING_PROPERTIES = (
    f"{TIPKG}adoptedAt", f"{TIPKG}itemOf", f"{TIPKG}atMeeting", f"{TIPKG}preparedFor",
    f"{TIPKG}participationIn", f"{TIPKG}plenaryOf", f"{TIPKG}slotOf", f"{TIPKG}agendaOf",
    f"{TIPKG}concernsMeeting", f"{TIPKG}beforeMeeting", f"{TIPKG}adoptedAtSession",
)  # fmt: skip
#: Other links the index follows: to a resource's document, section, agenda item, source
#: paragraph, Wikidata item and topics.
LINK_PROPERTIES = (
    *MEETING_PROPERTIES, f"{TIPKG}partOfDocument", f"{TIPKG}inSection",
    f"{TIPKG}aboutAgendaItem", f"{TIPKG}underItem", f"{TIPKG}source", f"{TIPKG}wikidataEntity",
    f"{TIPKG}topic",
)  # fmt: skip


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def classes_query() -> str:
    """Every class under one of the kinds' classes (by ``rdfs:subClassOf*``)."""
    pairs = " ".join(f'(<{cls}> "{i}")' for i, (_, _, cls) in enumerate(KINDS))
    return (
        f"SELECT ?class ?kind WHERE {{ VALUES (?top ?kind) {{ {pairs} }} "
        f"?class <{RDFS}subClassOf>* ?top }}"
    )


def types_query(classes: Iterable[str]) -> str:
    """The resources of the given classes."""
    return (
        "SELECT ?s ?class WHERE { VALUES ?class { "
        + _values(classes)
        + " } ?s a ?class FILTER(isIRI(?s)) }"
    )


def literals_query() -> str:
    """The names, texts and details of every resource."""
    properties = _values((*NAME_PROPERTIES, *TEXT_PROPERTIES, *DETAIL_PROPERTIES))
    return (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {properties} }} ?s ?p ?o "
        "FILTER(isIRI(?s) && isLiteral(?o)) }"
    )


def links_query() -> str:
    """The links the index follows (see :data:`LINK_PROPERTIES`)."""
    return (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_values(LINK_PROPERTIES)} }} ?s ?p ?o "
        "FILTER(isIRI(?s) && isIRI(?o)) }"
    )


def resources_query(base_iri: str) -> str:
    """Every IRI under ``{base_iri}id/`` that is the subject of a statement (the pages)."""
    prefix = json.dumps(f"{base_iri}id/")
    return f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {prefix})) }}"


def select_from_store(store: ox.Store) -> Select:
    """Evaluate SELECT queries on an embedded store, on its default graph."""

    def select(query: str) -> Iterator[Row]:
        solutions = store.query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("a SELECT query was expected")
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row: Row = {}
            for name in names:
                term = solution[name]
                if isinstance(term, ox.NamedNode):
                    row[name] = Term(term.value, "", True)
                elif isinstance(term, ox.Literal):
                    row[name] = Term(term.value, term.language or "")
            yield row

    return select


def rows_from_json(body: bytes) -> Iterator[Row]:
    """Read SPARQL 1.1 JSON results into rows (blank nodes left out)."""
    data: dict[str, Any] = json.loads(body)
    for binding in data.get("results", {}).get("bindings", []):
        row: Row = {}
        for name, term in binding.items():
            if term.get("type") == "uri":
                row[name] = Term(term["value"], "", True)
            elif term.get("type") in ("literal", "typed-literal"):
                row[name] = Term(term["value"], term.get("xml:lang", ""))
        yield row
