"""Anonymous and signed-in clients are throttled separately, with a 429 problem and Retry-After."""

import pytest
from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


@pytest.fixture
def low_rates(monkeypatch):
    # DRF reads the rates once, into the throttle classes; patch them there.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})


def test_defaults_come_from_the_environment_with_sensible_values():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"anon": "600/min", "user": "3000/min", "pdf": "30/min"}
    assert api_settings.DEFAULT_THROTTLE_CLASSES == [AnonRateThrottle, UserRateThrottle]


def test_anonymous_clients_get_a_429_problem_with_retry_after(anon_client, kb, low_rates):
    statuses = [anon_client.get("/api/v1/roles/").status_code for _ in range(3)]

    response = anon_client.get("/api/v1/roles/")

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["type"] == "/api/v1/problems/throttled"


def test_signed_in_clients_have_their_own_higher_limit(token_client, kb, low_rates):
    statuses = [token_client.get("/api/v1/roles/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
