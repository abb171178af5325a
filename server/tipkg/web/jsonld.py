"""The published JSON-LD context (``/context.jsonld``), generated from the ontology, and
JSON-LD documents compacted with it, so that programs read ``"ofBody": "..."`` rather
than full IRIs."""

from __future__ import annotations

import json
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, XSD, Graph
from rdflib.namespace import SKOS

from tipkg.config import get_settings
from tipkg.vocab import TIPKG

_COMMON = {
    "tipkg": str(TIPKG),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "schema": "http://schema.org/",
    "label": {"@id": str(RDFS.label)},
    "seeAlso": {"@id": str(RDFS.seeAlso), "@type": "@id"},
    "prefLabel": {"@id": str(SKOS.prefLabel)},
    "altLabel": {"@id": str(SKOS.altLabel)},
    "type": "@type",
    "id": "@id",
}


# Written as JSON numbers and booleans. Oxigraph stores xsd:positiveInteger and other
# integer subtypes as xsd:integer, so a typed term would not match the values it returns.
_NATIVE = {XSD.string, XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.boolean}


@lru_cache
def context() -> dict[str, object]:
    """Return the JSON-LD context of the tipkg vocabulary (term name -> IRI and type)."""
    ontology = Graph()
    for path in sorted(get_settings().ontology_dir.glob("*.ttl")):
        ontology.parse(path)
    terms: dict[str, object] = {"@vocab": str(TIPKG), **_COMMON}
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if str(prop).startswith(str(TIPKG)):
            terms[str(prop).removeprefix(str(TIPKG))] = {"@id": str(prop), "@type": "@id"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        if not str(prop).startswith(str(TIPKG)):
            continue
        entry: dict[str, str] = {"@id": str(prop)}
        datatype = ontology.value(prop, RDFS.range)
        if datatype is not None and str(datatype).startswith(str(XSD)) and datatype not in _NATIVE:
            entry["@type"] = str(datatype)
        terms[str(prop).removeprefix(str(TIPKG))] = entry
    return {"@context": terms}


def context_url(base_iri: str) -> str:
    """Where the context is published (``https://w3id.org/tipkg/context.jsonld``): JSON-LD
    documents name it there, so a saved document still reads when this server is off;
    each server serves the same context at ``/context.jsonld``."""
    return f"{base_iri}context.jsonld"


def compact(graph: Graph, context_url: str) -> bytes:
    """Return ``graph`` as JSON-LD compacted with the tipkg context, which it references by
    ``context_url`` (the published copy) instead of repeating it."""
    document = json.loads(
        graph.serialize(format="json-ld", context=context()["@context"], auto_compact=True)
    )
    document["@context"] = context_url
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
