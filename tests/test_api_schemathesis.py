"""Schemathesis reads /api/openapi.json and calls every operation with generated requests:
no server error, every status code documented, every response matching its schema.

Bounded (a few examples per operation, no shrinking) so it runs in well under a minute, and
derandomized so CI is repeatable. It found that NUL characters in a query crashed PostgreSQL
lookups; the API now refuses them.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Routers other apps mount (e.g. /api/foi/...) are held to no server error and schema-matching
# responses; whether they document every status code is for their own tests.
OTHER_APPS_CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
OTHER_APPS_PREFIXES = ("/api/foi/",)
EXAMPLES = 15  # raise it locally to explore further


def test_every_operation_answers_within_its_schema(demo, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    # As Django's test client does: keep the test's database connection open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        statuses = exercise_every_operation()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert 200 in statuses["GET /api/deployments"]
    assert 200 in statuses["GET /api/technologies"]
    assert statuses["POST /api/deployments"] <= {401, 422}, "no token: nothing is written"


def exercise_every_operation() -> dict[str, set[int]]:
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    tried = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case):
            # The WSGI client does not decode gzip (browsers and HTTP libraries do): ask for
            # the plain body, as GZipMiddleware compresses answers for clients that accept it.
            response = case.call(headers={"Accept-Encoding": "identity"})
            statuses.setdefault(case.operation.label, set()).add(response.status_code)
            other = case.operation.path.startswith(OTHER_APPS_PREFIXES)
            case.validate_response(response, checks=OTHER_APPS_CHECKS if other else CHECKS)

        run()
        tried.append(operation.label)
    assert "GET /api/deployments" in tried and "POST /api/deployments" in tried
    return statuses
