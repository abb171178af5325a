"""A client of the reconciliation service written the way OpenRefine calls one (batches of
``queries=`` as a POSTed form, JSONP for the manifest, an ``Origin`` header as a browser
sends), and validation of every answer against the specification's 0.2 JSON schemas
(``tests/data/reconciliation-schemas/``, resolved locally)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from fastapi.testclient import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "reconciliation-schemas"
ORIGIN = "http://localhost:3333"  # OpenRefine's own address, calling from its browser page
BATCH = 10  # OpenRefine's default batch size
SUGGEST_SCHEMAS = {
    "entity": "suggest-entities-response.json",
    "type": "suggest-types-response.json",
    "property": "suggest-properties-response.json",
}


@lru_cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if "$id" in schema:
            resources.append((schema["$id"], Resource.from_contents(schema, DRAFT7)))
    return Registry().with_resources(resources)


def validate(instance: Any, schema_file: str) -> None:
    """Raise unless ``instance`` is valid for the schema in ``schema_file``."""
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, registry=_registry()).validate(instance)


class OpenRefine:
    """What OpenRefine does against a reconciliation service, with every answer checked:
    status, CORS, and the schema of its body."""

    def __init__(self, client: TestClient, endpoint: str = "/reconcile") -> None:
        self.client = client
        self.endpoint = endpoint

    def _check(self, response: Any) -> Any:
        assert response.status_code == 200, response.text
        assert response.headers["access-control-allow-origin"] == "*"
        return response

    def manifest(self) -> dict[str, Any]:
        """Fetch the manifest with JSONP (as OpenRefine's service registration did) and as
        JSON, and check both say the same."""
        jsonp = self._check(
            self.client.get(
                self.endpoint, params={"callback": "jsonp1"}, headers={"Origin": ORIGIN}
            )
        )
        assert jsonp.headers["content-type"].startswith("application/javascript")
        match = re.fullmatch(r"/\*\*/jsonp1\((.*)\);", jsonp.text, re.DOTALL)
        assert match, jsonp.text[:200]
        manifest = self._check(self.client.get(self.endpoint, headers={"Origin": ORIGIN})).json()
        assert json.loads(match.group(1)) == manifest
        validate(manifest, "manifest.json")
        return manifest

    def reconcile(self, queries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """Reconcile ``queries`` in batches of ten POSTed as ``queries=`` form data."""
        results: list[list[dict[str, Any]]] = []
        for start in range(0, len(queries), BATCH):
            batch = {f"q{i}": q for i, q in enumerate(queries[start : start + BATCH])}
            validate(batch, "reconciliation-query-batch.json")
            answer = self._check(
                self.client.post(
                    self.endpoint, data={"queries": json.dumps(batch)}, headers={"Origin": ORIGIN}
                )
            ).json()
            validate(answer, "reconciliation-result-batch.json")
            assert set(answer) == set(batch)
            results += [answer[f"q{i}"]["result"] for i in range(len(batch))]
        return results

    def suggest(self, service: str, prefix: str, **params: Any) -> list[dict[str, Any]]:
        url = f"{self.endpoint}/suggest/{service}"
        params = {"prefix": prefix, **params}
        answer = self._check(self.client.get(url, params=params, headers={"Origin": ORIGIN})).json()
        validate(answer, SUGGEST_SCHEMAS[service])
        return answer["result"]  # type: ignore[no-any-return]

    def extend(self, ids: list[str], properties: list[str]) -> dict[str, Any]:
        query = {"ids": ids, "properties": [{"id": p} for p in properties]}
        validate(query, "data-extension-query.json")
        form = {"extend": json.dumps(query)}
        answer = self._check(
            self.client.post(self.endpoint, data=form, headers={"Origin": ORIGIN})
        ).json()
        validate(answer, "data-extension-response.json")
        return answer  # type: ignore[no-any-return]

    def propose_properties(self, type_id: str, limit: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"type": type_id}
        if limit is not None:
            params["limit"] = limit
        answer = self._check(
            self.client.get(
                f"{self.endpoint}/properties", params=params, headers={"Origin": ORIGIN}
            )
        ).json()
        validate(answer, "data-extension-property-proposal.json")
        return answer  # type: ignore[no-any-return]
