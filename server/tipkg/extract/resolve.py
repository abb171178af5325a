"""Resolve the names of States, organizations and other agents to their reference IRIs.

Every name a document prints (``Türkiye``, ``United States``, ``the observer for
INTERPOL``, ``Venezuela (Bolivarian Republic of)``) must match a label, variant or
acronym in data/reference/. A name that matches nothing is an error naming the name,
the file and the line: the extractor never mints a resource for an unknown agent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from tipkg.errors import TipkgError
from tipkg.vocab import TIPKG

#: States and organizations: who attends, speaks and is named in a document.
AGENT_CLASSES = (
    TIPKG.State,
    TIPKG.MemberState,
    TIPKG.NonMemberObserverState,
    TIPKG.Organization,
    TIPKG.IntergovernmentalOrganization,
    TIPKG.RegionalEconomicIntegrationOrganization,
    TIPKG.UnitedNationsEntity,
    TIPKG.ObserverEntity,
    TIPKG.NationalInstitution,
    TIPKG.Network,
)
_NAMED_CLASSES = (
    *AGENT_CLASSES,
    TIPKG.Body,
    TIPKG.ConferenceOfTheParties,
    TIPKG.WorkingGroup,
    TIPKG.Bureau,
    TIPKG.Secretariat,
    TIPKG.Group,
    TIPKG.Place,
    TIPKG.KnowledgeResource,
    TIPKG.Mechanism,
    TIPKG.Treaty,
    TIPKG.Instrument,
)
_SEPARATOR = re.compile(r"^(,\s+and\s+|,\s+|\s+and\s+|\s*$)")
_TRUNCATION = re.compile(r"\s*\[(\.\.\.|…)\]\s*")


class ExtractError(TipkgError):
    """Raised when a document cannot be extracted; the message names file, line and fix."""

    code = "extract"


class UnknownName(ExtractError):
    """Raised for a name the reference data does not know; says whether it looks like one."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name
        self.is_name = looks_like_name(name)


_NAME_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "on",
        "in",
        "de",
        "du",
        "des",
        "la",
        "le",
        "against",
        "to",
        "with",
        "affiliated",
        "at",
        "by",
        "its",
    ]
)


def looks_like_name(text: str) -> bool:
    """Whether ``text`` could be the name of a State or organization, rather than layout
    debris (two columns run together, a date, a distribution line) or a phrase."""
    words = text.split()
    if not words or len(words) > 14 or not text[:1].isupper():
        return False
    if re.search(r"\d|Distr\.|Original:|\s{3,}", text):
        return False
    return all(w[:1].isupper() or w.lower().strip(",()") in _NAME_WORDS for w in words)


@dataclass(frozen=True)
class Where:
    """A place in a source file, for error messages."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def normalize(name: str) -> str:
    """Return the key under which a name is looked up: case, quotes and spacing folded."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    name = re.sub(r"\s+", " ", name).strip().strip(".,;:").strip()
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return name.casefold()


class NameIndex:
    """Names of the reference agents, keyed by their normalized form."""

    def __init__(self, reference: Graph) -> None:
        self._iris: dict[str, URIRef] = {}
        self._acronyms: dict[URIRef, set[str]] = {}
        named = {s for cls in _NAMED_CLASSES for s in reference.subjects(RDF.type, cls)}
        for subject in sorted(named, key=str):
            if not isinstance(subject, URIRef):
                continue
            for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, TIPKG.acronym):
                for value in reference.objects(subject, prop):
                    if isinstance(value, Literal) and value.language in (None, "en"):
                        self._iris.setdefault(normalize(str(value)), subject)
                        if prop == TIPKG.acronym:
                            self._acronyms.setdefault(subject, set()).add(normalize(str(value)))
        self._by_length = sorted(self._iris, key=lambda key: (-len(key), key))

    def get(self, name: str) -> URIRef | None:
        """Return the IRI of ``name``, or None when it is unknown."""
        return self._iris.get(normalize(name))

    def resolve(self, name: str, where: Where) -> URIRef:
        """Return the IRI of ``name``.

        Raises:
            ExtractError: the name is not in the reference data.
        """
        iri = self.get(name)
        if iri is None:
            raise UnknownName(_unknown(name, where), name)
        return iri

    def resolve_list(self, text: str, where: Where) -> tuple[list[URIRef], bool]:
        """Resolve a printed list of names ("A, B (C), D and E [...]") in order.

        Names may themselves contain commas ("European Institute for Crime Prevention and
        Control, affiliated with the United Nations"), so the list is read by matching
        the longest known name at each position rather than by splitting at commas.

        Returns:
            The IRIs in printed order, and whether the list is complete (no "[...]").
        """
        complete = not _TRUNCATION.search(text)
        rest = normalize(_TRUNCATION.sub(" ", text))
        iris: list[URIRef] = []
        while rest:
            key = next((k for k in self._by_length if _starts_with_name(rest, k)), None)
            if key is None:
                printed = _printed(text, _next_chunk(rest))
                raise UnknownName(_unknown(printed, where), printed)
            iri = self._iris[key]
            iris.append(iri)
            rest = rest[len(key) :]
            acronym = re.match(r"\s*\(([^)]*)\)", rest)
            if acronym and normalize(acronym.group(1)) in self._acronyms.get(iri, set()):
                rest = rest[acronym.end() :]
            separator = _SEPARATOR.match(rest)
            rest = rest[separator.end() :] if separator else rest
            rest = re.sub(r"^the\s+", "", rest)
        return iris, complete

    def names(self) -> Iterable[str]:
        return iter(self._iris)


def _starts_with_name(text: str, key: str) -> bool:
    if not text.startswith(key):
        return False
    after = text[len(key) :]
    return not after or bool(re.match(r"(,|\s+and\s|\s*\(|\s*$)", after))


def _printed(text: str, chunk: str) -> str:
    """Return ``chunk`` as the document prints it (``chunk`` is in normalized form)."""
    found = re.search(re.escape(chunk).replace("\\ ", r"\s+"), text, re.IGNORECASE)
    return found.group() if found else chunk


def _next_chunk(text: str) -> str:
    return re.split(r",\s+|\s+and\s+", text, maxsplit=1)[0]


def _unknown(name: str, where: Where) -> str:
    if not looks_like_name(name):
        return (
            f'{where}: "{name[:80]}" is not a name of a State, organization or body: the line '
            "looks like layout debris (columns of a PDF run together, a date, a heading) or a "
            "wording no row of server/tipkg/extract/sentences.toml reads. Correct the text "
            "at this line; do not add it to data/reference/."
        )
    return (
        f'{where}: "{name}" is not a State, organization or body known to data/reference/. '
        "Add it (with this spelling as rdfs:label or skos:altLabel) to the right file in "
        "data/reference/, or correct the spelling in the source."
    )
