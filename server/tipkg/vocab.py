"""Namespaces of the tipkg vocabulary and data, and of the vocabularies it aligns to."""

from __future__ import annotations

from rdflib import Namespace

TIPKG = Namespace("https://w3id.org/tipkg/def#")
ONTOLOGY_IRI = "https://w3id.org/tipkg/def"
ID = Namespace("https://w3id.org/tipkg/id/")
SHAPES = Namespace("https://w3id.org/tipkg/shapes#")

SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FABIO = Namespace("http://purl.org/spar/fabio/")
