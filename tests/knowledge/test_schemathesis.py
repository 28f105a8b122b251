"""Property-based contract test: schemathesis generates requests from the OpenAPI schema (valid and
invalid ones) for every operation and checks that none gets a 5xx and every response conforms to the
schema — status code, content type, headers and body. It runs as an editor (token), so writes are
exercised too; each operation is bounded to a few examples so the whole run stays short."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cmo_kb.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def _keep_test_connection():
    """Requests go straight to the WSGI app, not Django's test client, so do what that client does:
    keep the request signals from closing the database connection the test's transaction lives on."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(editor):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=editor).key


# Served by the app itself (no database needed to build it); requests go to the same WSGI app in-process.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, kb, editor_token, _keep_test_connection):
    case.call_and_validate(headers={"Authorization": f"Token {editor_token}"}, checks=CHECKS)
