"""A resource's page, laid out for a reader: its human name, its key content (per kind,
:mod:`tipkg.web.pages.kinds`), the source paragraphs it comes from (naming their
document), its other properties grouped one heading per property, and what links to it,
grouped by property with counts.

Everything shown as a link carries the linked resource's human name
(:mod:`tipkg.store.names`), in the reader's language where the data has it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from tipkg.english import MONTH_NAMES, ORDINAL_WORDS
from tipkg.store.names import RDF_TYPE, Facts, name
from tipkg.web.pages.kinds import (
    INCOMING_TITLES,
    OPEN_LIMIT,
    RDFS,
    SKOS,
    SPLIT_INCOMING,
    Kind,
    T,
    kind_of,
)
from tipkg.web.pages.render import term_label

XSD = "http://www.w3.org/2001/XMLSchema#"
_HIDDEN = {RDFS + "label", SKOS + "prefLabel", T + "source"}
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Value:
    """A value as shown: text, the IRI it links to (if any), and a note (its language)."""

    text: str
    iri: str = ""
    note: str = ""
    sort: tuple[object, ...] = ()


@dataclass
class Group:
    """One property and its values (a heading and a list), or what links by it."""

    prop: str
    label: str
    values: list[Value]
    parts: list[tuple[str, list[Value]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values) + sum(len(v) for _, v in self.parts)

    @property
    def open(self) -> bool:
        return self.count <= OPEN_LIMIT

    @property
    def summary(self) -> str:
        """The counts of a split group's parts: "party to the Protocol 120 · ..."."""
        return " · ".join(f"{title} {len(values)}" for title, values in self.parts)


@dataclass(frozen=True)
class Source:
    """A source paragraph: its text, link, and the name of where it is ("¶ 37 of ...")."""

    iri: str
    text: str
    cite: str
    order: tuple[int, str]


@dataclass
class Page:
    """Everything the resource template shows."""

    iri: str
    name: str
    kind: Kind
    types: list[Value]
    text: list[str]
    items: list[str]
    key: list[Group]
    sources: list[Source]
    others: list[Group]
    incoming: list[Group]
    names: list[tuple[str, str]]
    crumbs: list[Value]


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key in which numbers sort by value: "2" < "10", "item 1a" < "item 1b".

    >>> sorted(["10", "2", "1"], key=natural_key)
    ['1', '2', '10']
    """
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def show(facts: Facts, term: Term, languages: Sequence[str], base_iri: str) -> Value:
    """How one value is shown: an IRI by its human name, a literal by its text."""
    if isinstance(term, ox.NamedNode):
        text = name(facts, term, languages, base_iri) or _readable_iri(term.value)
        position = facts.first(term, T + "position")
        order = (int(position),) if position.isdigit() else (1_000_000,)
        return Value(text, term.value, sort=(*order, *natural_key(text)))
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        text = term.value
        if datatype == XSD + "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            year, month, day = text.split("-")
            text = f"{int(day)} {MONTH_NAMES[int(month) - 1]} {year}"
        elif datatype == XSD + "boolean":
            text = {"true": "yes", "false": "no", "1": "yes", "0": "no"}.get(text, text)
        note = term.language if term.language and term.language not in languages[:1] else ""
        return Value(text, note=note, sort=natural_key(term.value))
    return Value("(a blank node)", sort=(2,))


def _readable_iri(iri: str) -> str:
    """A readable form of an IRI no label names: a vocabulary term split into words
    ("MixedEventAttendanceMode" -> "Mixed event attendance mode"), else the IRI."""
    last = re.split(r"[#/]", iri.rstrip("/"))[-1]
    if re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", last):
        words = re.findall(r"[A-Z][a-z]+", last)
        return " ".join([words[0], *(w.lower() for w in words[1:])])
    if re.fullmatch(r"https?://www\.wikidata\.org/entity/Q\d+", iri):
        return f"Wikidata {last}"
    return iri


def build_page(
    iri: str, facts: Facts, languages: Sequence[str], base_iri: str, incoming: list
) -> Page:
    """Lay out the page of ``iri`` from ``facts`` (its description and the names of its
    neighbours) and ``incoming`` (subject, property) pairs."""
    node = ox.NamedNode(iri)
    own = facts.index.get(node, {})
    types = {t.value for t in facts.values(node, RDF_TYPE)}
    kind = kind_of(types, set(own))

    def values(prop: str) -> list[Value]:
        shown = [show(facts, v, languages, base_iri) for v in facts.values(node, prop)]
        unique = {(v.text, v.iri, v.note): v for v in shown}
        return sorted(unique.values(), key=lambda v: v.sort)

    def group(prop: str) -> Group:
        return Group(prop, term_label(prop, languages[0]), values(prop))

    text, items = _split_text(facts.text(node, kind.text, languages)) if kind.text else ("", [])
    key_props = [p for p in kind.key if p in own and p != RDF_TYPE]
    key = [group(p) for p in key_props]
    if RDF_TYPE in kind.key:
        key.insert(min(2, len(key)), _types_group(facts, node, languages, base_iri))
    shown = {*key_props, kind.text, RDF_TYPE, *_HIDDEN}
    others = sorted(
        (group(p) for p in own if p not in shown),
        key=lambda g: natural_key(g.label),
    )
    return Page(
        iri=iri,
        name=name(facts, node, languages, base_iri) or iri,
        kind=kind,
        types=_types_group(facts, node, languages, base_iri).values,
        text=[text] if text else [],
        items=items,
        key=key,
        sources=sources(facts, node),
        others=others,
        incoming=_incoming(facts, kind, incoming, languages, base_iri),
        names=_names(facts, node) if kind.name in ("state", "organization") else [],
        crumbs=[],
    )


def _types_group(facts: Facts, node: ox.NamedNode, languages: Sequence[str], base: str) -> Group:
    kinds = [
        Value(term_label(t.value, languages[0]), t.value, sort=natural_key(t.value))
        for t in facts.values(node, RDF_TYPE)
        if isinstance(t, ox.NamedNode)
    ]
    return Group(RDF_TYPE, term_label(RDF_TYPE, languages[0]), sorted(kinds, key=lambda v: v.sort))


def _split_text(text: str) -> tuple[str, list[str]]:
    """A text's lead-in and its lettered sub-paragraphs ("(a) ...") as list items."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and all(re.match(r"\(?[a-z0-9]{1,4}\)", line) for line in lines[1:]):
        return lines[0], lines[1:]
    return text, []


def sources(facts: Facts, node: ox.NamedNode) -> list[Source]:
    """The source paragraphs (with text), in document then paragraph order."""
    found = []
    for para in facts.values(node, T + "source"):
        text = facts.text(para, T + "text", ())
        if not text:
            continue
        number = facts.first(para, T + "paragraphNumber")
        document = facts.node(para, T + "partOfDocument")
        symbol = facts.first(document, T + "symbol") if document is not None else ""
        if number:
            cite = f"¶ {number} of {symbol}" if symbol else f"¶ {number}"
        else:
            cite = name(facts, para) or facts.text(para, T + "heading", ()) or "Source"
        order = (int(number), para.value) if number.isdigit() else (1_000_000, para.value)
        found.append(Source(para.value, text, cite, order))
    return sorted(found, key=lambda s: (s.iri.split("/para/")[0].split("/section/")[0], s.order))


def _incoming(
    facts: Facts,
    kind: Kind,
    pairs: list[tuple[str, str]],
    languages: Sequence[str],
    base_iri: str,
) -> list[Group]:
    by_prop: dict[str, list[str]] = defaultdict(list)
    for subject, prop in pairs:
        by_prop[prop].append(subject)
    order = {p: i for i, p in enumerate(kind.incoming)}
    groups = []
    for prop in sorted(by_prop, key=lambda p: (order.get(p, len(order)), term_label(p))):
        shown = sorted(
            {show(facts, ox.NamedNode(s), languages, base_iri) for s in by_prop[prop]},
            key=lambda v: v.sort,
        )
        label = INCOMING_TITLES.get(prop) or f"“{term_label(prop, languages[0])}” this"
        split = SPLIT_INCOMING.get((kind.name, prop))
        if split is None:
            groups.append(Group(prop, label, shown))
            continue
        parts: dict[str, list[Value]] = defaultdict(list)
        for value in shown:
            parts[_facet(facts, value.iri, split, languages)].append(value)
        groups.append(
            Group(prop, label, [], sorted(parts.items(), key=lambda kv: _facet_order(kv[0])))
        )
    return groups


def _facet(facts: Facts, iri: str, split: str, languages: Sequence[str]) -> str:
    node = ox.NamedNode(iri)
    if split == "meeting":
        target = facts.node(node, T + "atMeeting") or facts.node(node, T + "participationIn")
    else:
        target = facts.node(node, split)
    if target is None:
        return "other"
    return name(facts, target, languages) or _readable_iri(target.value)


def _facet_order(title: str) -> tuple[object, ...]:
    """Meetings in their order (by ordinal word), other facets by name."""
    first = title.split(" ", 1)[0].lower()
    number = ORDINAL_WORDS.get(first)
    return (number, title) if number else (100, *natural_key(title))


def _names(facts: Facts, node: ox.NamedNode) -> list[tuple[str, str]]:
    """(language, name) of the resource in each language the data names it in."""
    found: dict[str, str] = {}
    for prop in (SKOS + "prefLabel", RDFS + "label"):
        for value in facts.values(node, prop):
            if isinstance(value, ox.Literal) and value.language and value.language not in found:
                found[value.language] = value.value
    order = ("en", "fr", "es", "ru", "zh", "ar")
    return sorted(found.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 9, kv))
