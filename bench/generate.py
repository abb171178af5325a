"""Deterministic synthetic tipkg data for the benchmark, in the project's own vocabulary.

    python bench/generate.py --triples 100000 --seed 1 -o bench/data/tipkg-100k.nq

The output is N-Quads, shaped like the real graph (see data/*.ttl): the real reference
data (States with ISO codes, bodies, instruments, topics) in the reference graph, then
synthetic working groups (bodies), each holding about 40 meetings. Every meeting has an
annotated provisional agenda and a report, each a named graph
``https://w3id.org/tipkg/graph/document/{UN symbol}`` like the extracted documents:
agenda items with annotations and documentation, plenary meetings, background papers
with UN-style symbols, offices held by persons, attendance of States with their status,
statements per item, panellists, recommendations of about 80 words, summary paragraphs,
and ``tipkg:source`` provenance down to the paragraph.

Same seed and size, byte-identical output. The generator streams: it holds one meeting
at a time (a few thousand lines), so 5 million triples need no more memory than 10 000.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rdflib import BNode, Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/tipkg/"
ID = BASE + "id/"
DEF = BASE + "def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"
REFERENCE_GRAPH = BASE + "graph/reference"
MEETINGS_PER_BODY = 40
ENG = "http://publications.europa.eu/resource/authority/language/ENG"

TOPICS = [
    "civil-society", "compensation-and-remedies", "criminal-justice",
    "international-cooperation", "joint-investigations", "mixed-migration",
    "non-punishment-principle", "prevention", "private-sector", "procurement",
    "review-of-implementation", "specialized-prosecutions", "technology",
    "training-and-capacity-building", "victim-centred-approach", "victim-identification",
    "victim-protection-and-assistance", "victims",
]  # fmt: skip
THEMES = [
    "the non-punishment principle", "joint investigations", "specialized prosecutions",
    "victim identification", "the use of technology", "public procurement",
    "mixed migration flows", "compensation for victims", "the role of civil society",
    "training and capacity-building", "prevention through awareness-raising",
    "cooperation with the private sector", "trafficking for forced labour",
]  # fmt: skip
_PROSE = (
    "States parties should consider strengthening national measures to prevent and combat "
    "trafficking in persons including through effective investigation prosecution and "
    "adjudication of cases protection and assistance to victims with full respect for their "
    "human rights international cooperation in criminal matters exchange of information and "
    "good practices capacity-building for practitioners in law enforcement the judiciary and "
    "social services in accordance with their domestic law and the fundamental principles of "
    "their legal systems taking into account the specific needs of women and children migrants "
    "and persons in vulnerable situations and promoting partnerships with civil society "
    "organizations the private sector and academia to raise awareness of the crime and its "
    "indicators while ensuring that victims are not punished for offences they were compelled "
    "to commit as a direct consequence of having been trafficked"
)
WORDS = _PROSE.split()
FIRST = [
    "Ana", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Jamila",
    "Kofi", "Lucia", "Mehmet", "Nadia", "Olga", "Pablo", "Qiu", "Rania", "Sven", "Tariq",
    "Uma", "Viktor", "Wanjiru", "Ximena", "Yusuf", "Zofia",
]  # fmt: skip
LAST = [
    "Abara", "Bianchi", "Costa", "Dlamini", "Eriksen", "Fernandez", "Gupta", "Haddad",
    "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quispe", "Rossi", "Santos", "Tanaka", "Urbina", "Varga", "Weber", "Yilmaz", "Zhou",
]  # fmt: skip
ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth",
]  # fmt: skip
STATUSES = ["PartyToProtocol"] * 16 + ["SignatoryObserver", "NonPartyObserver"]
OBSERVER_ORGS = ["interpol", "unodc", "european-union", "iom", "osce"]


def iri(path: str) -> str:
    """Return the N-Quads form of a tipkg resource IRI (``path`` under id/)."""
    return f"<{ID}{path}>"


def term(local: str) -> str:
    """Return the N-Quads form of a tipkg vocabulary term."""
    return f"<{DEF}{local}>"


def lit(text: str, lang: str | None = "en", datatype: str | None = None) -> str:
    """Return an N-Quads literal, escaped."""
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if datatype:
        return f'"{esc}"^^<{XSD}{datatype}>'
    return f'"{esc}"@{lang}' if lang else f'"{esc}"'


def typed(value: object, datatype: str) -> str:
    """Return a typed literal such as ``"3"^^xsd:positiveInteger``."""
    return lit(str(value), datatype=datatype)


class Writer:
    """Collects the quads of one named graph as N-Quads lines."""

    def __init__(self, graph: str) -> None:
        self.graph = f"<{graph}>"
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.graph} .\n")

    def a(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, f"<{RDF_TYPE}>", term(cls))


def reference_lines() -> tuple[list[str], list[str]]:
    """Return the real reference data as sorted N-Quads lines, and the States' ISO3 codes."""
    graph = Graph()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        graph.parse(path, format="turtle")
    if any(isinstance(node, BNode) for triple in graph for node in triple):
        raise SystemExit("reference data holds blank nodes; the output would not be stable")
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} <{REFERENCE_GRAPH}> .\n" for s, p, o in graph)
    alpha3 = URIRef(DEF + "iso3166Alpha3")
    codes = sorted(str(o) for o in graph.objects(None, alpha3) if isinstance(o, Literal))
    return lines, codes


def words(rng: random.Random, n: int) -> str:
    """Return a sentence of ``n`` words drawn from the treaty vocabulary."""
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:] + "."


@dataclass
class Plan:
    """How big one meeting is: scaled down for the last meeting to hit the target size."""

    states: int
    items: int
    statements_per_item: int
    recommendations: int
    paragraphs_per_item: int


def base_plan(rng: random.Random, n_states: int) -> Plan:
    """Return the size of a typical meeting: 80-150 States, 3-5 substantive items."""
    return Plan(
        states=rng.randint(min(80, n_states), min(150, n_states)),
        items=rng.randint(3, 5),
        statements_per_item=rng.randint(8, 25),
        recommendations=rng.randint(8, 20),
        paragraphs_per_item=rng.randint(3, 6),
    )


def scaled(plan: Plan, factor: float) -> Plan:
    """Return ``plan`` with its repeated parts scaled by ``factor`` (0..1)."""
    return Plan(
        states=max(2, int(plan.states * factor)),
        items=max(1, min(plan.items, round(plan.items * factor + 0.5))),
        statements_per_item=max(1, int(plan.statements_per_item * factor)),
        recommendations=max(1, int(plan.recommendations * factor)),
        paragraphs_per_item=max(1, int(plan.paragraphs_per_item * factor)),
    )


def body_lines(k: int) -> list[str]:
    """Return the reference description of synthetic working group ``k``."""
    w = Writer(REFERENCE_GRAPH)
    body = iri(f"body/{body_slug(k)}")
    w.a(body, "WorkingGroup", "Body")
    w.add(body, f"<{RDFS}label>", lit(f"Synthetic Working Group {k} on {THEMES[k % len(THEMES)]}"))
    w.add(body, term("symbolSeries"), lit(series(k), lang=None))
    w.add(body, term("subsidiaryBodyOf"), iri("body/cop"))
    w.add(body, term("servicedBy"), iri("body/secretariat"))
    return w.lines


def body_slug(k: int) -> str:
    return f"syn-wg-{k}"


def series(k: int) -> str:
    return f"CTOC/COP/WG.{100 + k}"


def ordinal_word(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def person_slug(k: int, n: int) -> str:
    first = FIRST[(k * 7 + n) % len(FIRST)]
    last = LAST[(k * 3 + n * 5) % len(LAST)]
    return f"{first}-{last}-{k}-{n}".lower()


def meeting_graphs(
    k: int, ordinal: int, plan: Plan, states: list[str], rng: random.Random, people: set[str]
) -> Iterator[list[str]]:
    """Yield the N-Quads lines of one meeting: its agenda graph, then its report graph."""
    year = 2000 + ordinal
    body = body_slug(k)
    m = f"meeting/{body}/{ordinal}"
    meeting = iri(m)
    ser = series(k)
    n_papers = max(1, plan.items - 1)
    agenda_sym = f"{ser}/{year}/1"
    paper_syms = [f"{ser}/{year}/{2 + i}" for i in range(n_papers)]
    report_sym = f"{ser}/{year}/{2 + n_papers}"
    month = 1 + ordinal % 12
    start = f"{year}-{month:02d}-{10 + ordinal % 10:02d}"
    end = f"{year}-{month:02d}-{11 + ordinal % 10:02d}"
    label = f"{ordinal_word(ordinal)} meeting of the Synthetic Working Group {k}"
    item_numbers = ["1", "1 (a)", "1 (b)"] + [str(2 + i) for i in range(plan.items)]
    item_numbers.append(str(2 + plan.items))  # adoption of the report
    item_keys = [n.replace(" ", "").replace("(", "").replace(")", "") for n in item_numbers]
    substantive = item_keys[3:-1]
    item_topic = {key: TOPICS[(k + ordinal + i) % len(TOPICS)] for i, key in enumerate(substantive)}

    # -- the annotated provisional agenda ----------------------------------------------
    w = Writer(f"{BASE}graph/document/{agenda_sym}")
    doc = iri(f"document/{agenda_sym}")
    apara = lambda n: iri(f"document/{agenda_sym}/para/{n}")  # noqa: E731
    w.a(doc, "AnnotatedProvisionalAgenda", "Document")
    w.add(doc, f"<{RDFS}seeAlso>", f"<https://undocs.org/{agenda_sym}>")
    w.add(doc, term("symbol"), lit(agenda_sym, lang=None))
    w.add(doc, term("title"), lit("Annotated provisional agenda"))
    w.add(doc, term("issued"), typed(f"{year}-{month:02d}-01", "date"))
    w.add(doc, term("issuingBody"), iri("body/cop"))
    w.add(doc, term("preparedBy"), iri("body/secretariat"))
    w.add(doc, term("beforeMeeting"), meeting)
    w.add(doc, term("originalLanguage"), f"<{ENG}>")
    w.a(meeting, "Meeting")
    w.add(meeting, f"<{RDFS}label>", lit(label))
    w.add(meeting, term("ofBody"), iri(f"body/{body}"))
    w.add(meeting, term("ordinal"), typed(ordinal, "positiveInteger"))
    w.add(meeting, term("startDate"), typed(start, "date"))
    w.add(meeting, term("endDate"), typed(end, "date"))
    w.add(meeting, term("venue"), iri("place/vienna"))
    modes = ["OfflineEventAttendanceMode", "MixedEventAttendanceMode", "OnlineEventAttendanceMode"]
    w.add(meeting, term("format"), f"<{SCHEMA}{modes[ordinal % 3]}>")
    w.add(meeting, term("plenaryMeetingCount"), typed(4, "nonNegativeInteger"))
    w.add(meeting, term("source"), apara(1))
    agenda = iri(f"{m}/agenda/provisional")
    w.a(agenda, "ProvisionalAgenda")
    w.add(agenda, term("agendaOf"), meeting)
    w.add(agenda, term("source"), apara(1))
    titles = {"1": "Organizational matters", "1a": "Opening of the meeting",
              "1b": "Adoption of the agenda and organization of work"}  # fmt: skip
    for pos, (number, key) in enumerate(zip(item_numbers, item_keys, strict=True), start=1):
        item = iri(f"{m}/item/{key}")
        title = titles.get(key) or (
            "Adoption of the report"
            if key == item_keys[-1]
            else f"Good practices in {THEMES[(k + ordinal + pos) % len(THEMES)]}"
        )
        w.add(agenda, term("listsItem"), item)
        w.a(item, "AgendaItem")
        w.add(item, f"<{RDFS}label>", lit(f"Item {number}: {title}"))
        w.add(item, term("itemNumber"), lit(number, lang=None))
        w.add(item, term("itemOf"), meeting)
        w.add(item, term("position"), typed(pos, "positiveInteger"))
        w.add(item, term("title"), lit(title))
        w.add(item, term("source"), apara(pos))
        if key in ("1a", "1b"):
            w.add(item, term("subItemOf"), iri(f"{m}/item/1"))
        if key in substantive:
            w.add(item, term("annotation"), lit(words(rng, 60)))
            w.add(item, term("topic"), iri(f"topic/{item_topic[key]}"))
            i = substantive.index(key)
            w.add(item, term("documentation"), iri(f"document/{paper_syms[i % n_papers]}"))
        para = apara(pos)
        w.a(para, "Paragraph")
        w.add(para, term("paragraphNumber"), typed(pos, "positiveInteger"))
        w.add(para, term("partOfDocument"), doc)
        w.add(para, term("text"), lit(words(rng, 50)))
    for i, sym in enumerate(paper_syms):
        paper = iri(f"document/{sym}")
        w.a(paper, "BackgroundPaper", "Document")
        w.add(paper, f"<{RDFS}seeAlso>", f"<https://undocs.org/{sym}>")
        w.add(paper, term("symbol"), lit(sym, lang=None))
        theme = THEMES[(k + ordinal + i) % len(THEMES)]
        description = f"Background paper prepared by the Secretariat on {theme}"
        w.add(paper, term("description"), lit(description))
        w.add(paper, term("preparedBy"), iri("body/secretariat"))
        w.add(paper, term("beforeMeeting"), meeting)
        w.add(paper, term("topic"), iri(f"topic/{TOPICS[(k + ordinal + i) % len(TOPICS)]}"))
        w.add(paper, term("source"), apara(len(item_keys)))
    yield w.lines

    # -- the report ----------------------------------------------------------------------
    w = Writer(f"{BASE}graph/document/{report_sym}")
    doc = iri(f"document/{report_sym}")
    para_no = 0

    def paragraph(cls: str, section: str, text: str, item: str | None = None) -> str:
        nonlocal para_no
        para_no += 1
        p = iri(f"document/{report_sym}/para/{para_no}")
        w.a(p, cls)
        w.add(p, term("inSection"), iri(f"document/{report_sym}/section/{section}"))
        w.add(p, term("paragraphNumber"), typed(para_no, "positiveInteger"))
        w.add(p, term("partOfDocument"), doc)
        w.add(p, term("text"), lit(text))
        if item:
            w.add(p, term("aboutAgendaItem"), iri(f"{m}/item/{item}"))
            w.add(p, term("topic"), iri(f"topic/{item_topic[item]}"))
        return p

    w.a(doc, "Report")
    w.add(doc, f"<{RDFS}seeAlso>", f"<https://undocs.org/{report_sym}>")
    w.add(doc, term("symbol"), lit(report_sym, lang=None))
    w.add(doc, term("title"), lit(f"Report on the {label} held in Vienna"))
    w.add(doc, term("issued"), typed(f"{year}-{month:02d}-28", "date"))
    w.add(doc, term("issuingBody"), iri("body/cop"))
    w.add(doc, term("preparedBy"), iri("body/secretariat"))
    w.add(doc, term("preparedFor"), meeting)
    w.add(doc, term("distribution"), term("LimitedDistribution"))
    w.add(doc, term("originalLanguage"), f"<{ENG}>")
    sections = [("I", "Recommendations"), ("II", "Summary of deliberations"),
                ("III", "Organization of the meeting"), ("IV", "Attendance")]  # fmt: skip
    for number, heading in sections:
        sec = iri(f"document/{report_sym}/section/{number}")
        w.a(sec, "Section")
        w.add(sec, term("heading"), lit(heading))
        w.add(sec, term("partOfDocument"), doc)
        w.add(sec, term("sectionNumber"), lit(number, lang=None))
    # recommendations, ~80 words each
    rec_para = paragraph("Paragraph", "I", words(rng, 30))
    for n in range(1, plan.recommendations + 1):
        rec = iri(f"{m}/recommendation/{n}")
        key = substantive[(n - 1) % len(substantive)]
        w.a(rec, "Recommendation")
        w.add(rec, f"<{RDFS}label>", lit(f"Recommendation {n}"))
        w.add(rec, term("aboutAgendaItem"), iri(f"{m}/item/{key}"))
        w.add(rec, term("addressee"), iri("group/states-parties"))
        w.add(rec, term("adoptedAt"), meeting)
        w.add(rec, term("forwardedTo"), iri("body/cop"))
        w.add(rec, term("inSection"), iri(f"document/{report_sym}/section/I"))
        w.add(rec, term("position"), typed(n, "positiveInteger"))
        w.add(rec, term("recommendationNumber"), typed(n, "positiveInteger"))
        w.add(rec, term("source"), rec_para)
        w.add(rec, term("text"), lit(words(rng, rng.randint(70, 90))))
        w.add(rec, term("topic"), iri(f"topic/{item_topic[key]}"))
        if rng.random() < 0.2:
            w.add(rec, term("cites"), iri("instrument/tip-protocol/article/6"))
    # plenary meetings
    org_para = paragraph("Paragraph", "III", words(rng, 40))
    for n in range(1, 5):
        plen = iri(f"{m}/plenary/{n}")
        w.a(plen, "PlenaryMeeting")
        w.add(plen, f"<{RDFS}label>", lit(f"plenary meeting {n} of the {label}"))
        w.add(plen, term("date"), typed(start if n <= 2 else end, "date"))
        w.add(plen, term("ordinal"), typed(n, "positiveInteger"))
        w.add(plen, term("plenaryOf"), meeting)
        w.add(plen, term("source"), org_para)
        for key in substantive[(n - 1) % len(substantive) :: 4]:
            w.add(plen, term("consideredItem"), iri(f"{m}/item/{key}"))
    # offices held by persons (chair or co-chairs), persons described once
    chairs = [rng.randrange(30) for _ in range(1 if ordinal % 3 else 2)]
    for n in sorted(set(chairs)):
        slug = person_slug(k, n)
        person = iri(f"person/{slug}")
        office = iri(f"{m}/office/{slug}")
        w.a(office, "Office")
        w.add(office, term("atMeeting"), meeting)
        w.add(office, term("holder"), person)
        w.add(office, term("officeOf"), iri(f"body/{body}"))
        w.add(office, term("role"), term("Chair" if len(set(chairs)) == 1 else "CoChair"))
        w.add(office, term("source"), org_para)
        _person(w, person, slug, k, n, states, org_para, people)
    # attendance of States
    att_para = paragraph("Paragraph", "IV", words(rng, 40))
    attendance = iri(f"{m}/attendance-list/1")
    w.a(attendance, "AttendanceList")
    w.add(attendance, term("atMeeting"), meeting)
    w.add(attendance, term("complete"), typed("true", "boolean"))
    w.add(attendance, term("position"), typed(1, "positiveInteger"))
    w.add(attendance, term("source"), att_para)
    attending = sorted(rng.sample(states, min(plan.states, len(states))))
    status = {code: STATUSES[(sum(map(ord, code)) + k) % len(STATUSES)] for code in attending}
    for code in attending:
        part = iri(f"{m}/participation/{code}")
        w.a(part, "Participation")
        w.add(part, term("listedIn"), attendance)
        w.add(part, term("participant"), iri(f"state/{code}"))
        w.add(part, term("participationIn"), meeting)
        w.add(part, term("participationStatus"), term(status[code]))
        w.add(part, term("source"), att_para)
    for org in OBSERVER_ORGS[: 1 + ordinal % len(OBSERVER_ORGS)]:
        part = iri(f"{m}/participation/{org}")
        w.a(part, "Participation")
        w.add(part, term("listedIn"), attendance)
        w.add(part, term("participant"), iri(f"organization/{org}"))
        w.add(part, term("participationIn"), meeting)
        w.add(part, term("participationStatus"), term("IntergovernmentalObserver"))
        w.add(part, term("source"), att_para)
    # deliberations: summary paragraphs, panellists and statements per substantive item
    statement_no = 0
    for i, key in enumerate(substantive):
        item = iri(f"{m}/item/{key}")
        paras = [
            paragraph("SummaryParagraph", "II", words(rng, rng.randint(60, 100)), key)
            for _ in range(plan.paragraphs_per_item)
        ]
        for n in (30 + 2 * i, 31 + 2 * i):
            slug = person_slug(k, n)
            person = iri(f"person/{slug}")
            panel = iri(f"{m}/item/{key}/panel/{slug}")
            w.a(panel, "PanelRole")
            w.add(panel, term("participant"), person)
            w.add(panel, term("participationIn"), meeting)
            w.add(panel, term("role"), term("Panellist"))
            w.add(panel, term("source"), paras[0])
            w.add(panel, term("underItem"), item)
            _person(w, person, slug, k, n, states, paras[0], people)
        speakers = rng.sample(attending, min(plan.statements_per_item, len(attending)))
        for code in speakers:
            statement_no += 1
            st = iri(f"{m}/statement/{statement_no}")
            w.a(st, "Statement")
            w.add(st, term("atMeeting"), meeting)
            w.add(st, term("position"), typed(statement_no, "positiveInteger"))
            w.add(st, term("source"), paras[statement_no % len(paras)])
            w.add(st, term("speaker"), iri(f"state/{code}"))
            w.add(st, term("speakerStatus"), term(status[code]))
            w.add(st, term("statementKind"), term("Intervention"))
            w.add(st, term("underItem"), item)
    yield w.lines


def _person(
    w: Writer,
    person: str,
    slug: str,
    k: int,
    n: int,
    states: list[str],
    source: str,
    people: set[str],
) -> None:
    """Describe a person the first time they appear (later graphs only add provenance)."""
    w.add(person, term("source"), source)
    if slug in people:
        return
    people.add(slug)
    first, last = slug.split("-")[:2]
    w.a(person, "Person")
    w.add(person, f"<{RDFS}label>", lit(f"{first.title()} {last.title()}"))
    w.add(person, term("familyName"), lit(last.title(), lang=None))
    w.add(person, term("honorific"), lit("Ms." if n % 2 else "Mr.", lang=None))
    w.add(person, term("jobTitle"), lit("Head of the anti-trafficking unit"))
    w.add(person, term("fromState"), iri(f"state/{states[(k * 31 + n * 7) % len(states)]}"))


def generate(triples: int, seed: int, out: TextIO) -> int:
    """Write about ``triples`` quads to ``out``; return how many were written."""
    ref, states = reference_lines()
    out.writelines(ref)
    written = len(ref)
    people: set[str] = set()
    k = 0
    while written < triples:
        k += 1
        lines = body_lines(k)
        out.writelines(lines)
        written += len(lines)
        for ordinal in range(1, MEETINGS_PER_BODY + 1):
            if written >= triples:
                break
            rng_seed = f"{seed}/{k}/{ordinal}"
            plan = base_plan(random.Random(rng_seed), len(states))
            seen = set(people)
            graphs = list(meeting_graphs(k, ordinal, plan, states, random.Random(rng_seed), seen))
            size = sum(len(g) for g in graphs)
            if written + size > triples:  # the last meeting: shrink it to land on the target
                plan = scaled(plan, (triples - written) / size)
                seen = set(people)
                rng = random.Random(rng_seed)
                graphs = list(meeting_graphs(k, ordinal, plan, states, rng, seen))
            people = seen
            for lines in graphs:
                out.writelines(lines)
                written += len(lines)
    return written


def parse_size(text: str) -> int:
    """Parse 10000, 10k, 1M or 5m."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", required=True, help="target size: 10000, 100k, 1M, 5M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", help="output .nq file (default: stdout)")
    args = parser.parse_args(argv)
    target = parse_size(args.triples)
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            n = generate(target, args.seed, out)
        tmp.replace(path)
    else:
        n = generate(target, args.seed, sys.stdout)
    print(f"{n} quads ({n / target:.1%} of {target})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
