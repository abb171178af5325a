"""OWL-RL closure (owlrl) over the ontology and reference data yields the aligned types, so
queries written in schema.org, ORG, FOAF, DCMI Terms or SKOS terms find tipkg resources."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from tipkg.vocab import ID, ORG, PROV, SCHEMA, TIPKG


def _closure(graph: Graph) -> Graph:
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


@pytest.fixture(scope="module")
def closure(ontology: Graph, reference: Graph) -> Graph:
    return _closure(ontology + reference)


@pytest.mark.parametrize(
    ("resource", "aligned_type"),
    [
        pytest.param(ID["state/ESP"], SCHEMA.Country, id="state-is-schema-country"),
        pytest.param(ID["state/ESP"], FOAF.Agent, id="state-is-foaf-agent"),
        pytest.param(ID["state/VAT"], TIPKG.State, id="holy-see-is-a-state"),
        pytest.param(ID["body/wg-tip"], ORG.OrganizationalUnit, id="wg-is-org-unit"),
        pytest.param(ID["body/cop"], ORG.FormalOrganization, id="cop-is-formal-org"),
        pytest.param(ID["organization/interpol"], SCHEMA.Organization, id="igo-is-schema-org"),
        pytest.param(ID["organization/european-union"], ORG.FormalOrganization, id="eu"),
        pytest.param(ID["instrument/tip-protocol"], SCHEMA.Legislation, id="treaty-legislation"),
        pytest.param(ID["resolution/cop/7-1"], SCHEMA.Legislation, id="resolution-legislation"),
        pytest.param(ID["topic/non-punishment-principle"], SKOS.Concept, id="topic-concept"),
        pytest.param(ID["place/vienna"], SCHEMA.Place, id="vienna-place"),
        pytest.param(ID["meeting/cop/7"], SCHEMA.Event, id="session-event"),
        pytest.param(ID["meeting/cop/7"], PROV.Activity, id="session-activity"),
    ],
)
def test_closure_gives_aligned_types(
    closure: Graph, resource: URIRef, aligned_type: URIRef
) -> None:
    assert (resource, RDF.type, aligned_type) in closure


@pytest.mark.parametrize(
    ("subject", "prop", "value"),
    [
        pytest.param(ID["body/wg-tip"], ORG.subOrganizationOf, ID["body/cop"], id="org-sub"),
        pytest.param(ID["body/wg-tip"], SCHEMA.parentOrganization, ID["body/cop"], id="schema"),
        pytest.param(
            ID["resolution/cop/7-1"], SCHEMA.legislationPassedBy, ID["body/cop"], id="passed-by"
        ),
        pytest.param(
            ID["instrument/tip-protocol/article/6"],
            DCTERMS.isPartOf,
            ID["instrument/tip-protocol"],
            id="article-part-of",
        ),
        pytest.param(
            ID["organization/eurojust"],
            ORG.subOrganizationOf,
            ID["organization/european-union"],
            id="eurojust-in-eu",
        ),
    ],
)
def test_closure_gives_aligned_properties(
    closure: Graph, subject: URIRef, prop: URIRef, value: URIRef
) -> None:
    assert (subject, prop, value) in closure


def test_a_schema_org_query_finds_every_tipkg_organization(closure: Graph) -> None:
    ours = set(closure.subjects(RDF.type, TIPKG.Organization))
    found = {
        row[0]
        for row in closure.query(
            "PREFIX schema: <http://schema.org/> SELECT ?o WHERE { ?o a schema:Organization }"
        )
    }
    assert len(ours) >= 40
    assert ours <= found


def test_an_org_query_finds_the_parent_of_the_working_group(closure: Graph) -> None:
    rows = closure.query(
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name WHERE { <https://w3id.org/tipkg/id/body/wg-tip> org:subOrganizationOf ?p .
                             ?p rdfs:label ?name }"""
    )
    names = {str(row[0]) for row in rows}
    cop = "Conference of the Parties to the United Nations Convention against Transnational"
    assert f"{cop} Organized Crime" in names


def test_participations_entail_attendees_through_the_property_chain(ontology: Graph) -> None:
    data = Graph().parse(
        data="""
        @prefix tipkg: <https://w3id.org/tipkg/def#> .
        @prefix id: <https://w3id.org/tipkg/id/> .
        id:meeting\\/wg-tip\\/12\\/participation\\/ESP a tipkg:Participation ;
            tipkg:participationIn id:meeting\\/wg-tip\\/12 ;
            tipkg:participant id:state\\/ESP ;
            tipkg:participationStatus tipkg:PartyToProtocol .
        """,
        format="turtle",
    )
    closed = _closure(ontology + data)
    meeting, spain = ID["meeting/wg-tip/12"], ID["state/ESP"]
    assert (meeting, TIPKG.attendee, spain) in closed
    assert (meeting, SCHEMA.attendee, spain) in closed
    assert (meeting, RDF.type, TIPKG.Meeting) in closed  # from the range of participationIn
