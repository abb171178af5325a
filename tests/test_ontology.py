"""The ontology parses, is documented term by term, and is consistent under HermiT."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner_hermit
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from tipkg.vocab import ID, ONTOLOGY_IRI, TIPKG

ONTOLOGY = URIRef(ONTOLOGY_IRI)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def _own_terms(ontology: Graph) -> set[URIRef]:
    return {
        term
        for kind in TERM_TYPES
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(str(TIPKG))
    }


def test_header_has_version_license_title_and_description(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/0.1.0")
    assert str(ontology.value(ONTOLOGY, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY, DCTERMS.title) is not None
    assert len(str(ontology.value(ONTOLOGY, DCTERMS.description))) > 200


def test_the_ontology_covers_the_model_the_sources_need(ontology: Graph) -> None:
    terms = {str(t).removeprefix(str(TIPKG)) for t in _own_terms(ontology)}
    required = {
        "ConferenceOfTheParties",
        "WorkingGroup",
        "Bureau",
        "Secretariat",
        "Office",
        "Chair",
        "CoChair",
        "Meeting",
        "PlenaryMeeting",
        "TimeSlot",
        "ProvisionalAgenda",
        "AdoptedAgenda",
        "AgendaItem",
        "annotation",
        "noDocumentationForeseen",
        "symbol",
        "AnnotatedProvisionalAgenda",
        "Report",
        "DraftReport",
        "BackgroundPaper",
        "ConferenceRoomPaper",
        "NonPaper",
        "NoteBySecretariat",
        "ListOfParticipants",
        "ThematicCompendium",
        "distribution",
        "originalLanguage",
        "revisionOf",
        "preparedFor",
        "documentationFor",
        "citesWebPage",
        "Resolution",
        "Decision",
        "SilenceProcedure",
        "Provision",
        "Recommendation",
        "SubParagraph",
        "addressee",
        "Treaty",
        "Article",
        "RegionalEconomicIntegrationOrganization",
        "UnitedNationsEntity",
        "ObserverEntity",
        "NonMemberObserverState",
        "Participation",
        "participationStatus",
        "SignatoryObserver",
        "Statement",
        "PanelRole",
        "Panellist",
        "Facilitator",
        "SummaryParagraph",
        "Adoption",
        "Topic",
        "source",
        "Paragraph",
        "AttendanceList",
        "complete",
        "format",
        "plenaryMeetingCount",
        "openingTime",
    }
    assert required - terms == set()


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition])
def test_every_term_has_an_english_label_and_definition(ontology: Graph, prop: URIRef) -> None:
    missing = sorted(
        str(term)
        for term in _own_terms(ontology)
        if not any(
            isinstance(v, Literal) and v.language == "en" and str(v).strip()
            for v in ontology.objects(term, prop)
        )
    )
    assert missing == [], f"terms without an English {prop}: {missing}"


def test_every_term_is_defined_by_the_ontology(ontology: Graph) -> None:
    missing = sorted(
        str(t) for t in _own_terms(ontology) if (t, RDFS.isDefinedBy, ONTOLOGY) not in ontology
    )
    assert missing == []


def test_every_class_and_property_has_an_example(ontology: Graph) -> None:
    missing = sorted(
        str(term)
        for kind in TERM_TYPES[:3]
        for term in ontology.subjects(RDF.type, kind)
        if term.startswith(str(TIPKG)) and ontology.value(term, SKOS.example) is None
    )
    assert missing == []


def test_no_tipkg_term_is_used_without_being_defined(ontology: Graph, reference: Graph) -> None:
    defined = _own_terms(ontology)
    used = {
        term
        for graph in (ontology, reference)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and term.startswith(str(TIPKG))
    }
    assert sorted(map(str, used - defined)) == []


def test_properties_have_a_range_or_are_documented_as_open(ontology: Graph) -> None:
    """Datatype properties always have a range, so SHACL and users know what to write."""
    open_by_design: set[URIRef] = set()
    missing = sorted(
        str(p)
        for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
        if p.startswith(str(TIPKG))
        and p not in open_by_design
        and not ontology.value(p, RDFS.range)
    )
    assert missing == []


def test_aligns_to_the_established_vocabularies(ontology: Graph) -> None:
    aligned = {
        str(o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for o in ontology.objects(None, p)
        if not str(o).startswith(str(TIPKG))
    }
    for namespace in (
        "http://www.w3.org/ns/org#",
        "http://schema.org/",
        "http://purl.org/dc/terms/",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2006/time#",
        "http://purl.org/spar/fabio/",
    ):
        assert any(term.startswith(namespace) for term in aligned), namespace


def _reason(graph: Graph) -> None:
    """Run HermiT (bundled with owlready2) over ``graph``; raises if it is inconsistent.

    xsd:date and xsd:gYear are outside the OWL 2 datatype map, so HermiT is told to
    ignore them rather than reject the ontology.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(graph.serialize(format="nt", encoding="utf-8"))
        world = World()
        world.get_ontology(path.as_uri()).load()
        sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        unsatisfiable = list(world.inconsistent_classes())
        assert unsatisfiable == [], f"unsatisfiable classes: {unsatisfiable}"


def test_ontology_is_consistent_under_hermit(ontology: Graph) -> None:
    _reason(ontology)


def test_ontology_with_reference_data_is_consistent_under_hermit(
    ontology: Graph, reference: Graph
) -> None:
    _reason(ontology + reference)


def test_hermit_rejects_a_resource_that_is_both_a_person_and_a_state(ontology: Graph) -> None:
    """The disjointness axioms have teeth: the consistency tests above can fail."""
    bad = Graph()
    bad.add((ID["person/x"], RDF.type, TIPKG.Person))
    bad.add((ID["person/x"], RDF.type, TIPKG.State))
    bad.add((ID["person/x"], TIPKG.iso3166Alpha3, Literal("XXX", datatype=XSD.string)))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(ontology + bad)
