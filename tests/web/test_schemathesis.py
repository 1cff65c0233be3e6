"""Schemathesis against a live server: no server errors, every response as /openapi.json says.

Each API operation gets a bounded number of generated requests (``EXAMPLES``); the
failures of all operations are collected and reported together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.result import Err

EXAMPLES = 30
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
CONTACT = "/api/v1/contact"


def failures(live_server: str, wanted: Callable[[Any], bool]) -> tuple[int, list[str]]:
    """(operations tried, failures) for the operations of /openapi.json that ``wanted`` selects."""
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    found: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            found.append(f"invalid schema: {result.err()}")
            continue
        operation = result.ok()
        if not wanted(operation):
            continue
        tried += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(base_url=live_server, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # every operation is tried; the report lists all failures
            found.append(f"{operation.label}: {exc}")
    return tried, found


def test_the_registry_api_conforms_to_its_schema(live_server: str) -> None:
    tried, found = failures(live_server, lambda op: op.path != CONTACT)
    assert tried >= 15
    assert not found, "\n\n".join(found)


def test_the_contact_api_conforms_to_its_schema(live_server: str) -> None:
    tried, found = failures(live_server, lambda op: op.path == CONTACT)
    assert tried == 1
    assert not found, "\n\n".join(found)
