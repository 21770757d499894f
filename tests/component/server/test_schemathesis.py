"""The API against its own OpenAPI schema: schemathesis generates requests for every operation
(a few examples each, signed in as the demo admin) to a started demo server; no answer may be a
5xx, and every answer must match the schema (status code, content type, headers, body).

Sign-out is left out (it would end the token the other requests use); WebSockets are not in
the schema.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api import login
from tests.support.server_process import RunningServer

_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))  # per operation; more for a long run

_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def admin_token(demo_server: RunningServer) -> str:
    with httpx.Client(base_url=demo_server.base_url, timeout=10) as client:
        return login(client, "205", "Demo-205!")


def test_api_conforms_to_its_schema(demo_server: RunningServer, admin_token: str) -> None:
    schema = schemathesis.openapi.from_url(f"{demo_server.base_url}/openapi.json").exclude(
        path="/api/v1/auth/logout"
    )
    headers = {"Authorization": f"Bearer {admin_token}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=_CHECKS, timeout=10)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, all reported
            failures.append(f"{operation.label}: {exc}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
