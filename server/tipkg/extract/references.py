"""What the extractor reads from data/reference/ besides names: the body a symbol series
belongs to and how its documents name it, the organizations a text may mention, and the
phrases that tag topics."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from tipkg.extract.patterns import GENERIC_BODY_NAMES
from tipkg.extract.resolve import ExtractError
from tipkg.vocab import ID, TIPKG


def body_of_symbol(reference: Graph, symbol: str, path: Path) -> URIRef:
    """Return the body whose symbol series the document's symbol is in (the longest
    series that is a prefix: CTOC/COP/WG.7/2019/1 is a document of the body of
    CTOC/COP/WG.7, not of CTOC/COP).

    Raises:
        ExtractError: no body in data/reference/ has a series the symbol is in.
    """
    found = [
        (len(str(series)), body)
        for body, series in reference.subject_objects(TIPKG.symbolSeries)
        if isinstance(body, URIRef) and symbol.startswith(f"{series}/")
    ]
    if not found:
        raise ExtractError(
            f"{path}: the symbol {symbol!r} is in no body's symbol series in "
            "data/reference/bodies.ttl; add the body there with its tipkg:symbolSeries "
            '("CTOC/COP/WG.<n>"), or correct the symbol in data/sources/manifest.toml'
        )
    return max(found, key=lambda pair: (pair[0], str(pair[1])))[1]


def body_names(reference: Graph, body: URIRef) -> list[str]:
    """Return how a body's own documents name it: its labels, and the generic name of its
    class ("Working Group", "Conference")."""
    names = {
        str(value)
        for prop in (RDFS.label, SKOS.altLabel)
        for value in reference.objects(body, prop)
        if isinstance(value, Literal) and value.language in (None, "en")
    }
    for cls, generic in GENERIC_BODY_NAMES.items():
        if (body, RDF.type, TIPKG[cls]) in reference:
            names.update(generic)
    return sorted(name.removeprefix("the ") for name in names)


def mentionable(reference: Graph) -> list[tuple[str, URIRef]]:
    """Names (labels and acronyms) of the organizations and resources a text may mention."""
    found = []
    for cls in (
        TIPKG.KnowledgeResource,
        TIPKG.IntergovernmentalOrganization,
        TIPKG.UnitedNationsEntity,
        TIPKG.Network,
        TIPKG.RegionalEconomicIntegrationOrganization,
    ):
        for subject in reference.subjects(RDF.type, cls):
            for prop in (RDFS.label, TIPKG.acronym):
                for value in reference.objects(subject, prop):
                    if len(str(value)) >= 4 and subject != ID["organization/united-nations"]:
                        found.append((str(value), URIRef(subject)))
    return sorted(set(found))


def topic_patterns(reference: Graph) -> list[tuple[re.Pattern[str], URIRef]]:
    patterns = []
    for topic in sorted(reference.subjects(RDF.type, TIPKG.Topic), key=str):
        for phrase in sorted(str(v) for v in reference.objects(topic, SKOS.hiddenLabel)):
            pattern = re.compile(rf"(?<!\w){re.escape(phrase)}", re.IGNORECASE)
            if isinstance(topic, URIRef):
                patterns.append((pattern, topic))
    return patterns
