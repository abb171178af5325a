"""The UN's identifiers: ``/lookup`` (JSON and CSV, GET and POST) and ``/id/`` redirects
from any printing of a UN symbol, or any code of a State, to the canonical IRI."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_un_symbols import printings

BASE = "https://w3id.org/tipkg/"


def _documents(store: ox.Store) -> list[str]:
    rows = store.query(
        f"SELECT ?s WHERE {{ ?d <https://w3id.org/tipkg/def#symbol> ?s "
        f'FILTER(STRSTARTS(STR(?d), "{BASE}id/document/")) }}'
    )
    return sorted({r[0].value for r in rows})


def test_every_printing_of_every_symbol_redirects_to_the_canonical_iri(
    app_client: TestClient, store: ox.Store
) -> None:
    symbols = _documents(store)
    assert len(symbols) >= 20
    for symbol in symbols:
        for printed in printings(symbol)[:10]:  # the forms a path can carry
            path = printed.strip().replace("\uff0f", "/")
            answer = app_client.get(f"/id/document/{path}", follow_redirects=False)
            if path == symbol:
                assert answer.status_code == 303
                continue
            assert answer.status_code == 301, (printed, answer.status_code)
            assert answer.headers["location"] == f"/id/document/{symbol}"
        para = app_client.get(f"/id/document/{symbol.lower()}/para/2", follow_redirects=False)
        assert para.headers["location"] == f"/id/document/{symbol}/para/2"


@pytest.mark.parametrize(
    ("code", "state"), [("tur", "TUR"), ("TR", "TUR"), ("792", "TUR"), ("4", "AFG")]
)
def test_state_codes_redirect_to_the_alpha3_iri(
    app_client: TestClient, code: str, state: str
) -> None:
    answer = app_client.get(f"/id/state/{code}", follow_redirects=False)
    assert answer.status_code == 301 and answer.headers["location"] == f"/id/state/{state}"


def test_unknown_paths_are_dereferenced_as_they_are(app_client: TestClient) -> None:
    for path in ("document/X/Y/1", "state/XX", "state/TUR", "meeting/wg-tip/12"):
        answer = app_client.get(f"/id/{path}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"/doc/{path}"


VALUES = [
    ("CTOC/COP/WG. 4/2022/4", "found", f"{BASE}id/document/CTOC/COP/WG.4/2022/4", "symbol"),
    (
        "https://undocs.org/en/ctoc/cop/wg.4/2017/l.1",
        "found",
        f"{BASE}id/document/CTOC/COP/WG.4/2017/L.1",
        "symbol",
    ),
    ("TR", "found", f"{BASE}id/state/TUR", "iso3166Alpha2"),
    ("esp", "found", f"{BASE}id/state/ESP", "iso3166Alpha3"),
    ("792", "found", f"{BASE}id/state/TUR", "m49Code"),
    ("http://www.wikidata.org/entity/Q29", "found", f"{BASE}id/state/ESP", "wikidata"),
    ("Côte d’Ivoire", "found", f"{BASE}id/state/CIV", "name"),
    (f"{BASE}id/state/FRA", "found", f"{BASE}id/state/FRA", "iri"),
    ("AU", "found", f"{BASE}id/state/AUS", "iso3166Alpha2"),  # a code first: Australia
    ("Adoption of the report", "ambiguous", None, "name"),
    ("Atlantis", "unknown", None, None),
    ("", "unknown", None, None),
]


def _check(rows: list[dict]) -> None:
    assert [(r["input"], r["status"], r["iri"], r["via"]) for r in rows] == VALUES


def test_lookup_json_by_get_and_post(app_client: TestClient) -> None:
    by_get = app_client.get(
        "/lookup", params=[("q", v[0]) for v in VALUES], headers={"Accept": "application/json"}
    )
    _check(by_get.json()["results"])
    by_post = app_client.post("/lookup", json=[v[0] for v in VALUES])
    _check(by_post.json()["results"])
    wrapped = app_client.post("/lookup", json={"values": [v[0] for v in VALUES]})
    assert wrapped.json() == by_post.json()
    found = by_post.json()["results"][0]
    assert found["url"] == "http://127.0.0.1:8000/doc/document/CTOC/COP/WG.4/2022/4"
    assert found["label"].startswith("CTOC/COP/WG.4/2022/4 — Report on the meeting")
    assert found["kind"] == "document"


def test_lookup_csv_in_and_out(app_client: TestClient) -> None:
    body = "value\n" + "\n".join(f'"{v[0]}"' for v in VALUES) + "\n"
    answer = app_client.post(
        "/lookup", content=body.encode(), headers={"Content-Type": "text/csv", "Accept": "text/csv"}
    )
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["input"], r["status"], r["iri"] or None, r["via"] or None) for r in rows] == VALUES
    lines = app_client.post(
        "/lookup?format=csv", content="TR\nESP\n", headers={"Content-Type": "text/plain"}
    )
    assert [r["iri"] for r in csv.DictReader(io.StringIO(lines.text))] == [
        f"{BASE}id/state/TUR",
        f"{BASE}id/state/ESP",
    ]


@pytest.mark.parametrize(
    ("body", "media", "status"),
    [
        (b"{", "application/json", 400),
        (b'{"values": 3}', "application/json", 400),
        (b"x", "application/xml", 415),
        (b"\xff\xfe", "text/plain", 400),
    ],
)
def test_bad_lookups_say_why(app_client: TestClient, body: bytes, media: str, status: int) -> None:
    answer = app_client.post("/lookup", content=body, headers={"Content-Type": media})
    assert answer.status_code == status and answer.json()["detail"]


def test_csv_with_any_line_ending_is_read(app_client: TestClient) -> None:
    for newline in ("\n", "\r\n", "\r"):
        body = newline.join(["value", "TR", '"Iran (Islamic Republic of)"', ""])
        answer = app_client.post(
            "/lookup", content=body.encode(), headers={"Content-Type": "text/csv"}
        )
        assert [row["status"] for row in answer.json()["results"]] == ["found", "found"], newline


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    media=st.sampled_from(
        ["text/csv", "text/plain", "application/json", "text/csv; charset=utf-8"]
    ),
)
def test_no_body_makes_lookup_fail(app_client: TestClient, body: bytes, media: str) -> None:
    answer = app_client.post("/lookup", content=body, headers={"Content-Type": media})
    assert answer.status_code in (200, 400), (body, media, answer.text)


def test_a_lookup_without_values_is_400(app_client: TestClient) -> None:
    assert app_client.get("/lookup").status_code == 400


def test_document_pages_link_to_the_digital_library(app_client: TestClient) -> None:
    page = app_client.get("/doc/document/CTOC/COP/WG.4/2022/4.ttl").text
    assert "digitallibrary.un.org/search?" in page and "undocs.org/CTOC/COP/WG.4/2022/4" in page
