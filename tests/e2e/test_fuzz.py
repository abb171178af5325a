"""Property-based fuzzing of the running service from its own OpenAPI description
(schemathesis + hypothesis): generated requests for every operation, valid and invalid
ones, must never get a 5xx answer, and every answer's status and media type must be among
those the description declares. The server's log must hold no traceback afterwards
(checked when the session server stops).

schemathesis's own pytest plugin does not run on pytest 9, so the operations are
parametrized here and each is driven by hypothesis directly.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    status_code_conformance,
)

#: Examples per operation and mode: a few minutes in all on 2 cores.
EXAMPLES = 300
#: Operations whose input a request can get wrong (any path string is a valid path):
#: also fuzzed with requests that break the schema (not POST /reconcile: schemathesis
#: cannot write a form that breaks its schema).
WITH_INPUT = [
    "GET /sparql",
    "POST /sparql",
    "GET /",
    "POST /",
    "GET /search",
    "GET /reconcile",
    "GET /reconcile/suggest/entity",
    "GET /lookup",
    "POST /lookup",
]
OPERATIONS = [
    "GET /sparql",
    "POST /sparql",
    "GET /",
    "POST /",
    "GET /def",
    "GET /def.ttl",
    "GET /def.html",
    "GET /.well-known/void",
    "GET /dump.ttl",
    "GET /dump.nq",
    "GET /context.jsonld",
    "GET /id/{path}",
    "GET /doc/{path}",
    "GET /health",
    "GET /search",
    "GET /reconcile",
    "POST /reconcile",
    "GET /reconcile/suggest/entity",
    "GET /reconcile/suggest/type",
    "GET /reconcile/suggest/property",
    "GET /reconcile/properties",
    "GET /reconcile/preview",
    "GET /lookup",
    "POST /lookup",
    "GET /sitemap.xml",
    "GET /sitemap-{number}.xml",
    "GET /robots.txt",
]


@pytest.fixture(scope="module")
def api_schema(base_url: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json")


def test_every_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    labels = sorted(result.ok().label for result in api_schema.get_all_operations())
    assert labels == sorted(OPERATIONS)


CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE) for label in WITH_INPUT
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{o}-{m.value}" for o, m in CASES])
def test_no_request_gets_a_server_error(
    api_schema: schemathesis.BaseSchema, base_url: str, label: str, mode: GenerationMode
) -> None:
    operation = next(
        result.ok() for result in api_schema.get_all_operations() if result.ok().label == label
    )

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(
            base_url=base_url,
            timeout=60,
            checks=[not_a_server_error, status_code_conformance, content_type_conformance],
        )

    fuzz()
