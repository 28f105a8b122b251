"""Request ids in responses and logs, JSON log lines."""

import json
import logging

import pytest

from cmo_kb.logging import JsonFormatter, RequestIdFilter, request_id_var


@pytest.mark.django_db
def test_a_request_id_is_made_up_when_the_proxy_sends_none(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_the_proxy_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a.9"})

    assert response.headers["X-Request-ID"] == "lb-4f2a.9"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["x" * 129, "evil\x0bid", "a b", "<script>"])
def test_an_unsafe_request_id_is_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})

    assert response.headers["X-Request-ID"] != bad
    assert len(response.headers["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_log_records_written_during_a_request_carry_its_id(client, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page/", headers={"X-Request-ID": "req-123"})

    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.getMessage(), r.request_id) for r in records] == [("Not Found: /no-such-page/", "req-123")]


def test_records_outside_a_request_have_a_dash_as_id():
    record = logging.LogRecord("kb", logging.INFO, __file__, 1, "hello", None, None)

    RequestIdFilter().filter(record)

    assert record.request_id == "-"


def test_json_formatter_writes_one_object_with_the_request_id_and_extras():
    token = request_id_var.set("abc")
    try:
        record = logging.LogRecord("roles.services", logging.WARNING, __file__, 1, "stale edit of %s", ("duty",), None)
        record.version = 3
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)

    entry = json.loads(line)
    del entry["time"]
    assert entry == {
        "level": "WARNING",
        "logger": "roles.services",
        "message": "stale edit of duty",
        "request_id": "abc",
        "version": 3,
    }


def test_json_formatter_includes_the_exception():
    try:
        raise ValueError("bad value")
    except ValueError:
        import sys

        record = logging.LogRecord("kb", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "failed"
    assert "ValueError: bad value" in entry["exception"]
