"""Generate ``data/reference/states.ttl``: the 193 UN Member States and 2 observer States.

Everything comes from maintained packages, not from hand-typed lists:

* ``country_converter``: ISO 3166-1 alpha-3 codes, M49 codes (``UNcode``), the year of
  admission to the United Nations (``UNmember``) and its short and official names;
* ``pycountry``: ISO 3166-1 alpha-2 codes and names, and, through the iso-codes project's
  gettext catalogues, the names in Arabic, Chinese, French, Russian and Spanish.

Two small tables stay in this module: the English names where the UN's own short name
differs from pycountry's (``UN_NAME_OVERRIDES``), and name variants that UN documents use
(``UN_DOCUMENT_VARIANTS``). Wikidata items come from ``data/reference/wikidata-states.csv``.

Run ``python -m tipkg.reference.states [-o data/reference/states.ttl]``.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import country_converter as coco
import pandas as pd
import pycountry
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

TIPKG = Namespace("https://w3id.org/tipkg/def#")
STATE = Namespace("https://w3id.org/tipkg/id/state/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUTPUT = REPO_ROOT / "data" / "reference" / "states.ttl"
WIKIDATA_CSV = REPO_ROOT / "data" / "reference" / "wikidata-states.csv"
COMMAND = "python -m tipkg.reference.states -o data/reference/states.ttl"

#: The two non-member States with standing invitations as observers (GA res. 67/19 etc.).
OBSERVER_STATES: tuple[str, ...] = ("PSE", "VAT")

#: UN language tag -> iso-codes gettext locale. Chinese at the UN is Simplified Chinese.
LANGUAGES: dict[str, str] = {"ar": "ar", "es": "es", "fr": "fr", "ru": "ru", "zh": "zh_CN"}

#: English short names as the UN uses them (UN Terminology / M49), ONLY where they differ
#: from pycountry's ``name``. pycountry follows ISO 3166-1, which puts the qualifier after
#: a comma ("Iran, Islamic Republic of") or uses a common name; the UN puts the qualifier
#: in parentheses or uses the formal name.
UN_NAME_OVERRIDES: dict[str, str] = {
    # ISO "X, Y of"; the UN writes "X (Y of)".
    "BOL": "Bolivia (Plurinational State of)",
    "FSM": "Micronesia (Federated States of)",
    "IRN": "Iran (Islamic Republic of)",
    "VEN": "Venezuela (Bolivarian Republic of)",
    # Since 2022/2023 the UN lists the Netherlands under its formal name, qualifier last.
    "NLD": "Netherlands (Kingdom of the)",
    # ISO inverts ("Korea, Republic of", "Congo, The Democratic Republic of the"); the UN
    # uses the name in natural order.
    "COD": "Democratic Republic of the Congo",
    "KOR": "Republic of Korea",
    "MDA": "Republic of Moldova",
    "PRK": "Democratic People's Republic of Korea",
    "TZA": "United Republic of Tanzania",
    "PSE": "State of Palestine",
    # ISO has the short form; the UN short name is the full one.
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "USA": "United States of America",
    # ISO "Holy See (Vatican City State)" names the territory too; the UN observer is the
    # Holy See.
    "VAT": "Holy See",
}

#: English variants found in UN documents (older or informal names) that neither package
#: gives. They become skos:altLabel.
UN_DOCUMENT_VARIANTS: dict[str, tuple[str, ...]] = {
    "CZE": ("Czech Republic",),  # UN short name until 2016
    "GBR": ("United Kingdom",),
    "MKD": ("The former Yugoslav Republic of Macedonia",),  # UN name until 2019
    "NLD": ("Netherlands",),  # UN short name until 2023
    "SWZ": ("Swaziland",),  # UN short name until 2018
    "TUR": ("Turkey",),  # UN short name until 2022
    "USA": ("United States",),
}


@dataclass(frozen=True)
class State:
    """One State as it goes into the graph."""

    iso3: str
    iso2: str
    m49: str
    member_since: int | None
    label: str
    alt_labels: tuple[str, ...]
    translations: dict[str, str] = field(default_factory=dict)
    wikidata: str | None = None

    @property
    def iri(self) -> URIRef:
        """The State's IRI, ``https://w3id.org/tipkg/id/state/{ISO3}``."""
        return STATE[self.iso3]

    @property
    def is_member(self) -> bool:
        """Whether the State is a UN Member State (it has a year of admission)."""
        return self.member_since is not None


class _Untranslated(gettext.NullTranslations):
    """Fallback that returns "" so that a missing translation can be told apart."""

    def gettext(self, message: str) -> str:
        """Return the empty string for any message the catalogue lacks."""
        return ""


@cache
def _catalogue(locale: str) -> gettext.NullTranslations:
    """The iso-codes ISO 3166-1 catalogue for ``locale``, falling back to ``""``."""
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    translation.add_fallback(_Untranslated())
    return translation


def translate(name: str, lang: str) -> str | None:
    """The iso-codes translation of the ISO English ``name`` into UN language ``lang``."""
    text = _catalogue(LANGUAGES[lang]).gettext(name).strip()
    return text or None


def load_wikidata(path: Path = WIKIDATA_CSV) -> dict[str, str]:
    """Read the curated ISO3 -> Wikidata QID crosswalk (``#`` lines are comments)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["iso3"].strip(): row["qid"].strip() for row in rows if row["qid"].strip()}


def _text(value: object) -> str | None:
    """A non-empty string from a pandas cell, or None."""
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None


def _unique(values: Iterable[str | None], exclude: str) -> tuple[str, ...]:
    """Distinct non-empty values in first-seen order, without ``exclude``."""
    seen: dict[str, None] = {}
    for raw in values:
        # pycountry writes a few official names with a leading article ("the State of
        # Eritrea"); a name is not written that way on its own.
        value = raw[4:] if raw and raw.startswith("the ") else raw
        if value and value != exclude:
            seen.setdefault(value, None)
    return tuple(seen)


def build_states(wikidata: dict[str, str] | None = None) -> list[State]:
    """Build the 195 States (193 Members and 2 observer States), sorted by ISO3."""
    qids = load_wikidata() if wikidata is None else wikidata
    table = coco.CountryConverter().data
    wanted = table["UNmember"].notna() | table["ISO3"].isin(OBSERVER_STATES)
    states: list[State] = []
    for row in table[wanted].itertuples(index=False):
        iso3 = str(row.ISO3)
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise ValueError(f"pycountry has no ISO 3166-1 entry for {iso3}")
        iso_name: str = country.name
        label = UN_NAME_OVERRIDES.get(iso3, iso_name)
        alt_labels = _unique(
            [
                iso_name,
                getattr(country, "official_name", None),
                getattr(country, "common_name", None),
                _text(row.name_short),
                _text(row.name_official),
                *UN_DOCUMENT_VARIANTS.get(iso3, ()),
            ],
            exclude=label,
        )
        translations = {
            lang: text for lang in LANGUAGES if (text := translate(iso_name, lang)) is not None
        }
        member_since = None if pd.isna(row.UNmember) else int(row.UNmember)
        states.append(
            State(
                iso3=iso3,
                iso2=country.alpha_2,
                m49=f"{int(row.UNcode):03d}",
                member_since=member_since,
                label=label,
                alt_labels=alt_labels,
                translations=translations,
                wikidata=qids.get(iso3),
            )
        )
    states.sort(key=lambda state: state.iso3)
    return states


def build_graph(states: Sequence[State]) -> Graph:
    """The RDF graph of ``states``."""
    graph = Graph()
    for prefix, namespace in (
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("skos", SKOS),
        ("tipkg", TIPKG),
    ):
        graph.bind(prefix, namespace, override=True)
    for state in states:
        s = state.iri
        graph.add((s, RDF.type, TIPKG.State))
        graph.add(
            (s, RDF.type, TIPKG.MemberState if state.is_member else TIPKG.NonMemberObserverState)
        )
        graph.add((s, RDFS.label, Literal(state.label, lang="en")))
        graph.add((s, SKOS.prefLabel, Literal(state.label, lang="en")))
        for lang, text in state.translations.items():
            graph.add((s, SKOS.prefLabel, Literal(text, lang=lang)))
        for alt in state.alt_labels:
            graph.add((s, SKOS.altLabel, Literal(alt, lang="en")))
        graph.add((s, TIPKG.iso3166Alpha3, Literal(state.iso3)))
        graph.add((s, TIPKG.iso3166Alpha2, Literal(state.iso2)))
        graph.add((s, TIPKG.m49Code, Literal(state.m49)))
        if state.member_since is not None:
            graph.add(
                (s, TIPKG.unMemberSince, Literal(str(state.member_since), datatype=XSD.gYear))
            )
        if state.wikidata:
            graph.add((s, TIPKG.wikidataEntity, WIKIDATA[state.wikidata]))
    return graph


#: Order of predicates within a subject block; any other predicate follows, sorted by IRI.
_PREDICATE_ORDER: tuple[URIRef, ...] = (
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    TIPKG.iso3166Alpha3,
    TIPKG.iso3166Alpha2,
    TIPKG.m49Code,
    TIPKG.unMemberSince,
    TIPKG.wikidataEntity,
)


def _predicate_key(predicate: Node) -> tuple[int, str]:
    """Sort key putting the predicates of ``_PREDICATE_ORDER`` first, in that order."""
    if predicate in _PREDICATE_ORDER:
        return (_PREDICATE_ORDER.index(predicate), "")  # type: ignore[arg-type]
    return (len(_PREDICATE_ORDER), str(predicate))


def _object_key(node: Node) -> tuple[str, str, str]:
    """Sort key for objects: language tag (English first), then lexical form."""
    if isinstance(node, Literal):
        lang = node.language or ""
        return ("0" if lang in ("", "en") else "1", lang, str(node))
    return ("", "", str(node))


def serialize(graph: Graph) -> str:
    """Deterministic Turtle: a header, sorted prefixes, subjects, predicates and objects."""
    manager = graph.namespace_manager
    lines = [
        "# GENERATED FILE - do not edit by hand.",
        f"# Regenerate with: {COMMAND}",
        "# Sources: country_converter (ISO3, M49, UN admission year, names), pycountry",
        "# (ISO 3166-1 names and iso-codes translations), data/reference/wikidata-states.csv.",
        "",
    ]
    prefixes = sorted((p, str(ns)) for p, ns in manager.namespaces() if p in _PREFIXES)
    lines += [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in prefixes]
    lines.append("")
    for subject in sorted(set(graph.subjects()), key=str):
        predicates = sorted(set(graph.predicates(subject)), key=_predicate_key)
        lines.append(subject.n3(manager))
        blocks = []
        for predicate in predicates:
            objects = sorted(graph.objects(subject, predicate), key=_object_key)
            verb = "a" if predicate == RDF.type else predicate.n3(manager)
            rendered = [obj.n3(manager) for obj in objects]
            blocks.append(f"    {verb} " + " ,\n        ".join(rendered))
        lines.append(" ;\n".join(blocks) + " .")
        lines.append("")
    return "\n".join(lines)


_PREFIXES = frozenset({"rdf", "rdfs", "xsd", "skos", "tipkg"})


def generate() -> str:
    """The full Turtle text of ``data/reference/states.ttl``."""
    return serialize(build_graph(build_states()))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: write the Turtle file (or ``-`` for standard output)."""
    parser = argparse.ArgumentParser(prog="python -m tipkg.reference.states", description=__doc__)
    parser.add_argument(
        "-o",
        "--output",
        default=str(DEFAULT_OUTPUT),
        help="where to write the Turtle ('-' for standard output; default: %(default)s)",
    )
    args = parser.parse_args(argv)
    states = build_states()
    text = serialize(build_graph(states))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        output = Path(args.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {output} ({len(states)} States)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
