"""What the reconciliation service offers: its types, its properties (to refine a match
and to fetch with data extension), and the service manifest that announces them.

Identifiers are the paths of our IRIs under ``id/`` (``state/TUR``,
``document/CTOC/COP/WG.4/2022/4``): with the manifest's ``identifierSpace``
(``https://w3id.org/tipkg/id/``) they make the IRI, and with its ``view`` template the page.
Types and properties are named by their terms in the vocabulary (``schemaSpace``
``https://w3id.org/tipkg/def#``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tipkg import __version__
from tipkg.config import Settings


@dataclass(frozen=True)
class ReconType:
    """A type entities are reconciled against, and the kind of index entries it covers."""

    id: str
    name: str
    kind: str
    description: str


TYPES: tuple[ReconType, ...] = (
    ReconType("State", "State", "state", "UN Member States and observer States"),
    ReconType("Organization", "Organization", "organization",
              "Intergovernmental organizations, UN entities, bodies, national institutions"),
    ReconType("Person", "Person", "person", "Persons named in the documents"),
    ReconType("Meeting", "Meeting", "meeting", "Meetings (sessions) of the working groups"),
    ReconType("Document", "Document", "document", "UN documents, by symbol and title"),
    ReconType("Recommendation", "Recommendation", "recommendation",
              "Recommendations adopted by the Working Group"),
    ReconType("AgendaItem", "Agenda item", "agenda-item", "Items of the meetings' agendas"),
)  # fmt: skip
TYPES_BY_ID = {t.id: t for t in TYPES}
TYPES_BY_KIND = {t.kind: t for t in TYPES}

ValueKind = Literal["str", "entity", "date", "int"]


@dataclass(frozen=True)
class ReconProperty:
    """A property: what it is, which types have it, how a query value matches it (the
    code scheme of the index, or a field of the index entry), and the SPARQL pattern that
    fetches its values (``?s`` the entity, ``?value``, and ``?label`` for entity values)."""

    id: str
    name: str
    description: str
    types: tuple[str, ...]
    value: ValueKind
    pattern: str
    code: str | None = None  # the index's code scheme, to match query values exactly


_T = "PREFIX tipkg: <https://w3id.org/tipkg/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_EN = 'FILTER(LANG(?label) IN ("en", ""))'
PROPERTIES: tuple[ReconProperty, ...] = (
    ReconProperty("iso3166Alpha3", "ISO 3166-1 alpha-3 code", "Three-letter country code",
                  ("State",), "str", "?s tipkg:iso3166Alpha3 ?value", "iso3166Alpha3"),
    ReconProperty("iso3166Alpha2", "ISO 3166-1 alpha-2 code", "Two-letter country code",
                  ("State",), "str", "?s tipkg:iso3166Alpha2 ?value", "iso3166Alpha2"),
    ReconProperty("m49Code", "UN M49 code", "The UN Statistics Division's numeric code",
                  ("State",), "str", "?s tipkg:m49Code ?value", "m49Code"),
    ReconProperty("wikidata", "Wikidata item", "The item's Q identifier",
                  ("State", "Organization"), "str", "?s tipkg:wikidataEntity ?value",
                  "wikidata"),
    ReconProperty("symbol", "UN document symbol", "As the UN prints it", ("Document",), "str",
                  "?s tipkg:symbol ?value", "symbol"),
    ReconProperty("title", "Title", "The document's or item's title (English)",
                  ("Document", "AgendaItem"), "str",
                  '?s tipkg:title ?value FILTER(LANG(?value) IN ("en", ""))'),
    ReconProperty("issued", "Date issued", "When the document was issued", ("Document",),
                  "date", "?s tipkg:issued ?value"),
    ReconProperty("startDate", "Start date", "The meeting's first day", ("Meeting",), "date",
                  "?s tipkg:startDate ?value"),
    ReconProperty("meeting", "Meeting", "The meeting the entity belongs to",
                  ("Recommendation", "AgendaItem", "Document"), "entity",
                  "?s tipkg:adoptedAt|tipkg:itemOf|tipkg:preparedFor ?value "
                  f"OPTIONAL {{ ?value rdfs:label ?label {_EN} }}"),
    ReconProperty("year", "Year", "The year of the entity's meeting, or of its date",
                  ("Recommendation", "AgendaItem", "Document", "Meeting"), "int",
                  "{ ?s tipkg:adoptedAt|tipkg:itemOf|tipkg:preparedFor ?m . "
                  "?m tipkg:startDate ?d } UNION { ?s tipkg:startDate|tipkg:issued ?d } "
                  "BIND(YEAR(?d) AS ?value)"),
    ReconProperty("meetingsAttended", "Meetings attended",
                  "The meetings the State, organization or person took part in",
                  ("State", "Organization", "Person"), "entity",
                  "?p tipkg:participant ?s ; tipkg:participationIn ?value "
                  f"OPTIONAL {{ ?value rdfs:label ?label {_EN} }}"),
    ReconProperty("statements", "Statements", "Statements made, with the item and meeting",
                  ("State", "Organization", "Person"), "entity",
                  "?value tipkg:speaker ?s "
                  "OPTIONAL { ?value tipkg:underItem ?i . ?i rdfs:label ?item "
                  'FILTER(LANG(?item) IN ("en", "")) } '
                  "OPTIONAL { ?value tipkg:atMeeting ?m . ?m rdfs:label ?at "
                  'FILTER(LANG(?at) IN ("en", "")) } '
                  'BIND(CONCAT(COALESCE(?item, "statement"), " (", COALESCE(?at, ""), ")") '
                  "AS ?label)"),
    ReconProperty("statementCount", "Number of statements", "How many statements were made",
                  ("State", "Organization", "Person"), "int",
                  "OPTIONAL { SELECT ?s (COUNT(?st) AS ?n) WHERE { ?st tipkg:speaker ?s } "
                  "GROUP BY ?s } BIND(COALESCE(?n, 0) AS ?value)"),
    ReconProperty("text", "Text", "The recommendation's text", ("Recommendation",), "str",
                  "?s tipkg:text ?value"),
)  # fmt: skip
PROPERTIES_BY_ID = {p.id: p for p in PROPERTIES}
PREFIXES = _T


def manifest(settings: Settings) -> dict[str, Any]:
    """The service manifest (Reconciliation Service API 0.2)."""
    root = f"{settings.public_url}reconcile"
    return {
        "versions": ["0.2"],
        "name": "tipkg: UN Working Group on Trafficking in Persons",
        "identifierSpace": f"{settings.base_iri}id/",
        "schemaSpace": f"{settings.base_iri}def#",
        "documentation": f"{settings.public_url}search",
        "serviceVersion": __version__,
        "defaultTypes": [{"id": t.id, "name": t.name} for t in TYPES],
        "view": {"url": f"{settings.public_url}doc/{{{{id}}}}"},
        "preview": {"url": f"{root}/preview?id={{{{id}}}}", "width": 430, "height": 120},
        "suggest": {
            "entity": {"service_url": root, "service_path": "/suggest/entity"},
            "type": {"service_url": root, "service_path": "/suggest/type"},
            "property": {"service_url": root, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/properties"},
            "property_settings": [],
        },
        "batchSize": 50,
    }
