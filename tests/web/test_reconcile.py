"""The reconciliation service as OpenRefine uses it, every answer validated against the
specification's 0.2 JSON schemas: the manifest (JSON and JSONP), batches, CORS, types,
suggest, preview, property proposals, data extension, and the errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.web.reconcile_client import ORIGIN, OpenRefine, validate
from tipkg.web.reconcile_catalog import PROPERTIES, TYPES

BASE = "https://w3id.org/tipkg/"


@pytest.fixture(scope="module")
def refine(app_client: TestClient) -> OpenRefine:
    return OpenRefine(app_client)


def test_the_manifest_announces_every_service(refine: OpenRefine) -> None:
    manifest = refine.manifest()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == f"{BASE}id/"
    assert manifest["schemaSpace"] == f"{BASE}def#"
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "State", "Organization", "Person", "Meeting", "Document", "Recommendation", "AgendaItem",
    }  # fmt: skip
    assert manifest["view"]["url"].endswith("/doc/{{id}}")
    assert "{{id}}" in manifest["preview"]["url"]
    assert set(manifest["suggest"]) == {"entity", "type", "property"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"


def test_the_view_and_preview_of_a_candidate_open(
    app_client: TestClient, refine: OpenRefine
) -> None:
    manifest = refine.manifest()
    (result,) = refine.reconcile([{"query": "CTOC/COP/WG.4/2022/4"}])
    entity = result[0]["id"]
    for template in (manifest["view"]["url"], manifest["preview"]["url"]):
        url = template.replace("{{id}}", entity).removeprefix("http://127.0.0.1:8000")
        page = app_client.get(url)
        assert page.status_code == 200 and "CTOC/COP/WG.4/2022/4" in page.text
    preview = app_client.get(f"/reconcile/preview?id={entity}")
    assert "frame-ancestors *" in preview.headers["content-security-policy"]


def test_a_cors_preflight_is_answered_for_any_origin(app_client: TestClient) -> None:
    answer = app_client.options(
        "/reconcile",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "Content-Type"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "POST" in answer.headers["access-control-allow-methods"]


def test_a_batch_by_get_answers_as_by_post(app_client: TestClient, refine: OpenRefine) -> None:
    batch = {"a": {"query": "Türkiye"}, "b": {"query": "UNODC", "type": ["Organization"]}}
    by_get = app_client.get("/reconcile", params={"queries": json.dumps(batch)}).json()
    validate(by_get, "reconciliation-result-batch.json")
    by_post = refine.reconcile(list(batch.values()))
    assert [by_get["a"]["result"], by_get["b"]["result"]] == by_post
    assert by_post[0][0]["id"] == "state/TUR" and by_post[1][0]["id"] == "organization/unodc"


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        pytest.param(
            {"query": "ctoc/cop/wg.4/2022/4"}, "document/CTOC/COP/WG.4/2022/4", id="symbol-case"
        ),
        pytest.param(
            {"query": "CTOC/COP/WG. 4/2022/4", "type": "Document"},
            "document/CTOC/COP/WG.4/2022/4",
            id="symbol-space",
        ),
        pytest.param(
            {
                "query": "Annotated provisional agenda of the twelfth meeting of the Working Group on Trafficking in Persons",
                "type": "Document",
            },
            "document/CTOC/COP/WG.4/2022/1",
            id="title",
        ),
        pytest.param({"query": "INTERPOL"}, "organization/interpol", id="acronym"),
        pytest.param(
            {
                "query": "twelfth meeting of the Working Group on Trafficking in Persons",
                "type": "Meeting",
            },
            "meeting/wg-tip/12",
            id="meeting",
        ),
        pytest.param(
            {
                "query": "Recommendation 1",
                "type": "Recommendation",
                "properties": [{"pid": "year", "v": 2022}],
            },
            "meeting/wg-tip/12/recommendation/1",
            id="recommendation-and-year",
        ),
        pytest.param({"query": "Pam Bowen", "type": "Person"}, "person/pam-bowen", id="person"),
        pytest.param(
            {"properties": [{"pid": "iso3166Alpha2", "v": "es"}]}, "state/ESP", id="property-only"
        ),
        pytest.param(
            {"query": "Spain", "properties": [{"pid": "m49Code", "v": "724"}]},
            "state/ESP",
            id="name-and-property",
        ),
    ],
)
def test_queries_find_their_entity(refine: OpenRefine, query: dict, entity: str) -> None:
    (result,) = refine.reconcile([query])
    assert result[0]["id"] == entity and result[0]["match"], result[:2]
    assert result[0]["score"] == 100


def test_a_near_miss_scores_below_100_and_is_no_match(refine: OpenRefine) -> None:
    typo, symbol, contradicted = refine.reconcile([
        {"query": "Turkiey", "type": "State"},
        {"query": "CTOC/COP/WG.4/2022/44", "type": "Document"},
        {"query": "Spain", "properties": [{"pid": "iso3166Alpha2", "v": "PT"}]},
    ])  # fmt: skip
    assert typo[0]["id"] == "state/TUR" and 80 <= typo[0]["score"] < 100
    assert symbol[0]["id"] == "document/CTOC/COP/WG.4/2022/4" and symbol[0]["score"] < 100
    assert contradicted[0]["id"] == "state/ESP" and contradicted[0]["score"] < 100
    assert not any(c["match"] for r in (typo, symbol, contradicted) for c in r)


def test_an_ambiguous_exact_name_is_no_match(refine: OpenRefine) -> None:
    (result,) = refine.reconcile([{"query": "AU"}])  # the African Union; Australia's code
    exact = [c for c in result if c["score"] == 100]
    assert {c["id"] for c in exact} == {"organization/african-union", "state/AUS"}
    assert not any(c["match"] for c in result)


def test_limits_and_types_are_kept(refine: OpenRefine) -> None:
    one, states = refine.reconcile(
        [{"query": "Guinea", "limit": 1}, {"query": "Republic", "type": "State", "limit": 50}]
    )
    assert len(one) == 1
    assert states and all(c["type"] == [{"id": "State", "name": "State"}] for c in states)


def test_suggest_entities_types_and_properties(refine: OpenRefine) -> None:
    entities = refine.suggest("entity", "Tür")
    assert entities[0]["id"] == "state/TUR"
    assert refine.suggest("entity", "state/ESP")[0]["id"] == "state/ESP"
    assert {e["id"] for e in refine.suggest("entity", "UNO", type="Organization")} >= {
        "organization/unodc"
    }
    assert [t["id"] for t in refine.suggest("type", "agenda")] == ["AgendaItem"]
    assert len(refine.suggest("type", "")) == len(TYPES)
    assert {p["id"] for p in refine.suggest("property", "iso")} == {
        "iso3166Alpha2",
        "iso3166Alpha3",
    }
    page = refine.suggest("entity", "United", cursor=0) + refine.suggest(
        "entity", "United", cursor=10
    )
    assert len({e["id"] for e in page}) == len(page) > 10


def test_properties_are_proposed_by_type(refine: OpenRefine) -> None:
    for recon_type in TYPES:
        answer = refine.propose_properties(recon_type.id)
        assert [p["id"] for p in answer["properties"]] == [
            p.id for p in PROPERTIES if recon_type.id in p.types
        ]
    assert len(refine.propose_properties("State", limit=2)["properties"]) == 2


def test_data_extension_returns_codes_wikidata_meetings_and_statements(refine: OpenRefine) -> None:
    answer = refine.extend(
        ["state/TUR", "state/ESP", "organization/unodc", "state/XXX"],
        [
            "iso3166Alpha2",
            "m49Code",
            "wikidata",
            "meetingsAttended",
            "statements",
            "statementCount",
        ],
    )
    turkey = answer["rows"]["state/TUR"]
    assert turkey["iso3166Alpha2"] == [{"str": "TR"}] and turkey["m49Code"] == [{"str": "792"}]
    assert turkey["wikidata"] == [{"str": "Q43"}]
    assert {
        "id": "meeting/wg-tip/12",
        "name": "twelfth meeting of the Working Group on Trafficking in Persons",
    } in turkey["meetingsAttended"]
    for state in ("state/TUR", "state/ESP"):
        row = answer["rows"][state]
        assert row["statementCount"] == [{"int": len(row["statements"])}]
        assert all(s["id"].startswith("meeting/") for s in row["statements"])
    assert turkey["statements"]
    unknown = answer["rows"]["state/XXX"]
    assert unknown.pop("statementCount") == [{"int": 0}]
    assert unknown == {
        p: [] for p in ("iso3166Alpha2", "m49Code", "wikidata", "meetingsAttended", "statements")
    }
    assert [m["id"] for m in answer["meta"]][:2] == ["iso3166Alpha2", "m49Code"]


def test_data_extension_of_documents_and_recommendations(refine: OpenRefine) -> None:
    answer = refine.extend(
        ["document/CTOC/COP/WG.4/2022/4", "meeting/wg-tip/12/recommendation/1"],
        ["symbol", "issued", "meeting", "year", "text"],
    )
    report, recommendation = (
        answer["rows"][i]
        for i in ("document/CTOC/COP/WG.4/2022/4", "meeting/wg-tip/12/recommendation/1")
    )
    assert report["symbol"] == [{"str": "CTOC/COP/WG.4/2022/4"}]
    assert report["issued"] == [{"date": "2022-07-14T00:00:00Z"}]
    assert recommendation["meeting"][0]["id"] == "meeting/wg-tip/12"
    assert recommendation["year"] == [{"int": 2022}]
    assert "punished" in recommendation["text"][0]["str"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        pytest.param({"queries": "{not json"}, "bad_queries", id="bad-json"),
        pytest.param({"queries": "[]"}, "bad_queries", id="not-an-object"),
        pytest.param(
            {"queries": json.dumps({"q": {"query": "x", "type": "Planet"}})},
            "bad_queries",
            id="unknown-type",
        ),
        pytest.param(
            {"queries": json.dumps({"q": {"query": ""}})}, "bad_queries", id="empty-query"
        ),
        pytest.param(
            {
                "queries": json.dumps(
                    {"q": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}
                )
            },
            "bad_queries",
            id="unknown-property",
        ),
        pytest.param(
            {"extend": json.dumps({"ids": ["state/TUR"], "properties": [{"id": "colour"}]})},
            "bad_extend",
            id="extend-unknown-property",
        ),
        pytest.param(
            {"extend": json.dumps({"ids": ["state/<x>"], "properties": []})},
            "bad_extend",
            id="extend-bad-id",
        ),
        pytest.param({"callback": "alert(1)//"}, "bad_callback", id="bad-callback"),
    ],
)
def test_bad_requests_say_what_is_wrong(app_client: TestClient, params: dict, code: str) -> None:
    origin = {"Origin": ORIGIN}
    for answer in (
        app_client.get("/reconcile", params=params, headers=origin),
        app_client.post("/reconcile", data=params, headers=origin),
    ):
        assert answer.status_code == 400
        assert answer.json()["code"] == code
        assert answer.headers["access-control-allow-origin"] == "*"


def test_a_batch_over_the_manifests_size_is_413(app_client: TestClient) -> None:
    batch = {f"q{i}": {"query": "Spain"} for i in range(51)}
    answer = app_client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert answer.status_code == 413 and "50" in answer.json()["detail"]


def test_a_post_that_is_no_form_is_415(app_client: TestClient) -> None:
    answer = app_client.post("/reconcile", json={"queries": {}})
    assert answer.status_code == 415


def test_an_unknown_preview_is_404(app_client: TestClient) -> None:
    answer = app_client.get("/reconcile/preview", params={"id": "state/XXX"})
    assert answer.status_code == 404 and "state/XXX" in answer.text
