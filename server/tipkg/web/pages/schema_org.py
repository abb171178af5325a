"""The schema.org description a page carries for search engines, as a JSON-LD data block
(``<script type="application/ld+json">``: data, not script, so the strict
Content-Security-Policy allows it): a Dataset on the home page, an Event for a meeting,
a CreativeWork or Legislation for a document, a Country for a State."""

from __future__ import annotations

import pyoxigraph as ox

from tipkg.store.names import Facts
from tipkg.web.pages.kinds import RDFS, T
from tipkg.web.pages.view import Page

DATASET_TITLE = "tipkg: knowledge graph of the UN Working Group on Trafficking in Persons"
DATASET_DESCRIPTION = (
    "Meetings, agendas, documents, recommendations, participants and statements of "
    "the Working Group on Trafficking in Persons of the Conference of the Parties to "
    "the UN Convention against Transnational Organized Crime (CTOC/COP/WG.4), "
    "extracted from its documents with provenance to the source paragraph."
)
_LEGISLATION = {T + "Resolution", T + "Decision", T + "ResolutionDocument"}


def resource_block(page: Page, facts: Facts, url: str) -> dict[str, object]:
    """The schema.org description of a resource's page at ``url``."""
    node = ox.NamedNode(page.iri)
    types = {t.value for t in facts.values(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
    kind = "Legislation" if types & _LEGISLATION else page.kind.schema
    block: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": page.iri,
        "name": page.name,
        "url": url,
    }
    first = {
        "startDate": T + "startDate",
        "endDate": T + "endDate",
        "datePublished": T + "issued",
        "identifier": T + "symbol",
        "legislationIdentifier": T + "actNumber",
    }
    for key, prop in first.items():
        value = facts.first(node, prop)
        if value and not (key == "legislationIdentifier" and kind != "Legislation"):
            block[key] = value
    if page.kind.name == "state":
        block["identifier"] = facts.first(node, T + "iso3166Alpha3")
    same = sorted(
        v.value
        for prop in (T + "wikidataEntity", RDFS + "seeAlso")
        for v in facts.values(node, prop)
        if isinstance(v, ox.NamedNode)
    )
    if same:
        block["sameAs"] = same
    venue = facts.node(node, T + "venue")
    if venue is not None:
        block["location"] = {"@type": "Place", "name": facts.text(venue, RDFS + "label", ())}
    if page.text:
        block["text"] = "\n".join([*page.text, *page.items])
    return block


def dataset_block(title: str, description: str, url: str, sparql: str) -> dict[str, object]:
    """The schema.org Dataset of the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": title,
        "description": description,
        "url": url,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": f"{url}{path}"}
            for path, media in (("dump.ttl", "text/turtle"), ("dump.nq", "application/n-quads"))
        ],
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{url}search?q={{query}}",
            "query-input": "required name=query",
        },
        "isAccessibleForFree": True,
        "includedInDataCatalog": {"@type": "DataCatalog", "url": sparql},
    }
