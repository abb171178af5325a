"""Human names for every resource: the label a resource has, or one made from its facts.

One naming function serves both stages: ``tipkg build`` publishes the names of resources
that have no label as ``rdfs:label`` (:mod:`tipkg.build.labels`), and the pages name what
a store not built by tipkg (``tipkg serve --data``) leaves unlabelled, with the same rules.

The rules per kind of resource (checked in this order):

* a label (``skos:prefLabel``, ``rdfs:label``) in the reader's language, else English,
  else any;
* a document: ``CTOC/COP/WG.4/2022/4 — Report on the meeting ... (2022)``;
* an agenda item: ``Item 4: TITLE``;
* a paragraph or footnote: ``Paragraph 37 of CTOC/COP/WG.4/2022/4``;
* a section: ``Section II.A of CTOC/COP/WG.4/2022/4`` (or its heading);
* a statement: ``Statement by Azerbaijan under item 4, twelfth meeting``;
* a participation: ``Participation of Azerbaijan in the twelfth meeting`` (a panel role:
  ``Facilitator Hilary Axam under item 2, twelfth meeting``);
* an office: ``Chair of the twelfth meeting: NAME``;
* an attendance list, a sub-paragraph, a scheduled item, a provision: from their parent;
* anything else under ``id/``: its class's label and the last part of its IRI
  ("Attendance list 5"), never the bare IRI.

Names are made in English; labels the data holds in the six UN languages are chosen by
the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

TIPKG = "https://w3id.org/tipkg/def#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
UN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")

#: The facts names are made of: what the build reads, and what a page fetches for a
#: resource without a label (two steps out from it).
NAMING_PROPERTIES = (
    RDFS_LABEL,
    SKOS_PREF,
    RDF_TYPE,
    *(
        TIPKG + name
        for name in [
            "symbol",
            "title",
            "issued",
            "paragraphNumber",
            "position",
            "partOfDocument",
            "inSection",
            "sectionNumber",
            "heading",
            "speaker",
            "deliveredBy",
            "underItem",
            "atMeeting",
            "itemNumber",
            "participant",
            "participationIn",
            "role",
            "holder",
            "officeOf",
            "letter",
            "scheduledItem",
            "inTimeSlot",
            "provisionOf",
            "action",
            "itemOf",
            "ordinal",
            "ofBody",
            "plenaryOf",
            "slotOf",
            "agendaOf",
            "articleOf",
            "articleNumber",
        ]
    ),
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_YEAR = re.compile(r"/((?:19|20)\d\d)(?:/|$)")


def _t(name: str) -> str:
    return TIPKG + name


class Facts:
    """Triples indexed by subject and property, for naming.

    >>> node = ox.NamedNode("https://w3id.org/tipkg/id/state/AZE")
    >>> label = ox.NamedNode(RDFS_LABEL)
    >>> facts = Facts([ox.Triple(node, label, ox.Literal("Azerbaijan", language="en"))])
    >>> facts.first(node, RDFS_LABEL)
    'Azerbaijan'
    """

    def __init__(self, triples: Iterable[ox.Triple] = ()) -> None:
        self.index: dict[Term, dict[str, list[Term]]] = {}
        self.add(triples)

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Index more triples (each value once)."""
        for triple in triples:
            values = self.index.setdefault(triple.subject, {}).setdefault(
                triple.predicate.value, []
            )
            if triple.object not in values:
                values.append(triple.object)

    def knows(self, node: Term) -> bool:
        """Whether any fact about ``node`` is indexed."""
        return node in self.index

    def values(self, node: Term, prop: str) -> list[Term]:
        return self.index.get(node, {}).get(prop, [])

    def first(self, node: Term, prop: str) -> str:
        """The smallest lexical value of ``prop`` (stable whatever the order), or ``""``."""
        return min((v.value for v in self.values(node, prop)), default="")

    def node(self, node: Term, prop: str) -> ox.NamedNode | None:
        """The first IRI value of ``prop``, or None."""
        iris = sorted(v.value for v in self.values(node, prop) if isinstance(v, ox.NamedNode))
        return ox.NamedNode(iris[0]) if iris else None

    def text(self, node: Term, prop: str, languages: Sequence[str]) -> str:
        """The value of a text property in the first of ``languages`` it has, else English
        (or no language), else any; ``""`` when it has none."""
        literals = [v for v in self.values(node, prop) if isinstance(v, ox.Literal)]
        if not literals:
            return ""
        for language in (*languages, "en", ""):
            chosen = sorted(v.value for v in literals if (v.language or "") == language)
            if chosen:
                return chosen[0]
        return min(v.value for v in literals)

    def types(self, node: Term) -> set[str]:
        return {v.value for v in self.values(node, RDF_TYPE)}


def label(facts: Facts, node: Term, languages: Sequence[str] = ("en",)) -> str:
    """The label the data gives ``node`` (``skos:prefLabel`` before ``rdfs:label``), in the
    reader's language when it has one; ``""`` if it has none."""
    for language in (*languages, "en", ""):
        for prop in (SKOS_PREF, RDFS_LABEL):
            chosen = sorted(
                v.value
                for v in facts.values(node, prop)
                if isinstance(v, ox.Literal) and (v.language or "") == language
            )
            if chosen:
                return chosen[0]
    return facts.text(node, SKOS_PREF, ()) or facts.text(node, RDFS_LABEL, ())


def name(facts: Facts, node: Term, languages: Sequence[str] = ("en",), base_iri: str = "") -> str:
    """The human name of ``node``: its label, or one made by the rules of its kind.

    Args:
        facts: what is known of the node and of what it links to (two steps out).
        node: the resource.
        languages: the reader's languages, most wanted first.
        base_iri: the dataset's base IRI; resources under it always get a name (their
            class and the last part of their IRI) rather than the bare IRI.
    """
    return label(facts, node, languages) or made_name(facts, node, languages, base_iri)


def made_name(
    facts: Facts, node: Term, languages: Sequence[str] = ("en",), base_iri: str = ""
) -> str:
    """The name made from ``node``'s facts (ignoring a label it may have), or ``""`` when
    it has nothing to make one from and is not under ``base_iri``."""
    types = facts.types(node)
    for rule in _RULES:
        made = rule(facts, node, types, languages)
        if made:
            return made
    if not isinstance(node, ox.NamedNode):
        return ""
    if base_iri and node.value.startswith(base_iri):
        return _fallback(facts, node, types, languages)
    return ""


def short_meeting(facts: Facts, meeting: Term | None, languages: Sequence[str]) -> str:
    """A meeting as a sentence names it: "twelfth meeting" (the label before " of the")."""
    if meeting is None:
        return ""
    full = name(facts, meeting, languages)
    head = re.split(r" of the | of ", full, maxsplit=1)[0]
    return head if head != full or not head.startswith("Meeting") else full


def _ref(facts: Facts, node: Term | None, languages: Sequence[str]) -> str:
    return name(facts, node, languages) if node is not None else ""


def _symbol(facts: Facts, document: Term | None) -> str:
    if document is None:
        return ""
    return facts.first(document, _t("symbol")) or document.value.rsplit("/document/", 1)[-1]


def _document(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    symbol = facts.first(node, _t("symbol"))
    if not symbol:
        return ""
    title = facts.text(node, _t("title"), languages)
    issued = facts.first(node, _t("issued"))[:4]
    year = issued or next(iter(_YEAR.findall(f"/{symbol}/")), "")
    if not title:
        return symbol
    return f"{symbol} — {title}" + (f" ({year})" if year else "")


def _paragraph(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    paragraph_types = {_t("Paragraph"), _t("SummaryParagraph"), _t("Footnote")}
    if not types & paragraph_types and not facts.values(node, _t("paragraphNumber")):
        return ""
    kind = "Footnote" if _t("Footnote") in types else "Paragraph"
    number = facts.first(node, _t("paragraphNumber"))
    document = facts.node(node, _t("partOfDocument"))
    section = facts.node(node, _t("inSection"))
    if number:
        return f"{kind} {number} of {_symbol(facts, document) or _ref(facts, section, languages)}"
    position = facts.first(node, _t("position"))
    if section is not None and kind == "Paragraph":
        return f"Paragraph {position} of {_ref(facts, section, languages)}".replace("  ", " ")
    if document is not None:
        return f"{kind} {position} of {_symbol(facts, document)}".replace("  ", " ")
    return ""


def _section(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("Section") not in types and not facts.values(node, _t("sectionNumber")):
        return ""
    symbol = _symbol(facts, facts.node(node, _t("partOfDocument")))
    number = facts.first(node, _t("sectionNumber"))
    where = f" of {symbol}" if symbol else ""
    if number:
        return f"Section {number}{where}"
    heading = facts.text(node, _t("heading"), languages) or facts.text(node, _t("title"), languages)
    if heading:
        return f"“{_clip(heading)}” in {symbol}" if symbol else _clip(heading)
    part = node.value.rsplit("/", 1)[-1]
    return f"Section “{part}”{where}"


def _item_number(facts: Facts, item: Term | None) -> str:
    if item is None:
        return ""
    number = facts.first(item, _t("itemNumber"))
    return f"item {number}" if number else ""


def _statement(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("Statement") not in types:
        return ""
    speaker = _ref(facts, facts.node(node, _t("speaker")), languages) or _ref(
        facts, facts.node(node, _t("deliveredBy")), languages
    )
    item = _item_number(facts, facts.node(node, _t("underItem")))
    meeting = short_meeting(facts, facts.node(node, _t("atMeeting")), languages)
    position = facts.first(node, _t("position"))
    text = f"Statement by {speaker}" if speaker else f"Statement {position}"
    if item:
        text += f" under {item}"
    return f"{text}, {meeting}" if meeting else text


def _participation(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("Participation") not in types and not facts.values(node, _t("participationIn")):
        return ""
    who = _ref(facts, facts.node(node, _t("participant")), languages)
    meeting = short_meeting(facts, facts.node(node, _t("participationIn")), languages)
    role = facts.node(node, _t("role"))
    if role is not None:
        item = _item_number(facts, facts.node(node, _t("underItem")))
        text = f"{_capital(_ref(facts, role, languages))} {who}".strip()
        text += f" under {item}" if item else ""
        return f"{text}, {meeting}" if meeting else text
    if not who:
        return ""
    return f"Participation of {who} in the {meeting}" if meeting else f"Participation of {who}"


def _office(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("Office") not in types:
        return ""
    role = _capital(_ref(facts, facts.node(node, _t("role")), languages)) or "Office"
    meeting = short_meeting(facts, facts.node(node, _t("atMeeting")), languages)
    holder = _ref(facts, facts.node(node, _t("holder")), languages)
    text = f"{role} of the {meeting}" if meeting else role
    return f"{text}: {holder}" if holder else text


def _attendance(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("AttendanceList") not in types:
        return ""
    meeting = short_meeting(facts, facts.node(node, _t("atMeeting")), languages)
    text = f"Attendance list {facts.first(node, _t('position'))}".strip()
    return f"{text} of the {meeting}" if meeting else text


def _sub_paragraph(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    letter = facts.first(node, _t("letter"))
    if _t("SubParagraph") not in types or not isinstance(node, ox.NamedNode):
        return ""
    parent = ox.NamedNode(node.value.rsplit("/", 1)[0])
    of = name(facts, parent, languages) if facts.knows(parent) else ""
    return f"Subparagraph ({letter})" + (f" of {of}" if of else "")


def _scheduled(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("ScheduledItem") not in types:
        return ""
    what = _ref(facts, facts.node(node, _t("scheduledItem")), languages)
    when = _ref(facts, facts.node(node, _t("inTimeSlot")), languages)
    if what and when:
        return f"{what} ({when})"
    return what or when


def _provision(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    if _t("Provision") not in types:
        return ""
    act = _ref(facts, facts.node(node, _t("provisionOf")), languages)
    action = _ref(facts, facts.node(node, _t("action")), languages)
    text = f"Provision of {act}" if act else "Provision"
    return f"{text}: {action}" if action else text


def _agenda_item(facts: Facts, node: Term, types: set[str], languages: Sequence[str]) -> str:
    number = facts.first(node, _t("itemNumber"))
    if not number:
        return ""
    title = facts.text(node, _t("title"), languages)
    return f"Item {number}: {title}" if title else f"Item {number}"


_RULES = (
    _document,
    _agenda_item,
    _statement,
    _office,
    _participation,
    _attendance,
    _sub_paragraph,
    _scheduled,
    _provision,
    _paragraph,
    _section,
)


def _fallback(facts: Facts, node: ox.NamedNode, types: set[str], languages: Sequence[str]) -> str:
    """Its class's label and the last part of its IRI: "Attendance list 5"."""
    last = node.value.rstrip("/").rsplit("/", 1)[-1]
    kinds = sorted(
        label(facts, ox.NamedNode(t), languages) or _words(t.removeprefix(TIPKG))
        for t in types
        if t.startswith(TIPKG)
    )

    if kinds:
        return f"{_capital(kinds[0])} {last}"
    return last


def _words(name: str) -> str:
    """A class name as words: "AgendaItem" -> "agenda item"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def naming_query(iris: Iterable[str]) -> str:
    """A CONSTRUCT of the facts that name ``iris``: their naming properties, and those of
    what they link to by them (two steps), plus the parent of a sub-paragraph."""
    values = " ".join(f"<{iri}>" for iri in sorted(set(iris)))
    props = ", ".join(f"<{p}>" for p in NAMING_PROPERTIES)
    return f"""CONSTRUCT {{ ?s ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }} WHERE {{
  VALUES ?s {{ {values} }}
  ?s ?p ?o FILTER(?p IN ({props}))
  OPTIONAL {{ ?o ?p2 ?o2 FILTER(isIRI(?o) && ?p2 IN ({props}))
    OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(isIRI(?o2) && ?p3 IN (<{RDFS_LABEL}>, <{SKOS_PREF}>,
      <{_t("itemNumber")}>, <{_t("symbol")}>)) }} }}
}}"""
