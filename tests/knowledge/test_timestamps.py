"""Every resource says when it was created and last changed; every list filters by ``?updated_since=``."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from knowledge import services
from responsibilities.models import Duty
from roles.models import Qualification


def test_rows_carry_created_and_updated_from_their_history(anon_client, editor, kb):
    duty = Duty.objects.filter(role__slug="physician").first()
    before = anon_client.get(f"/api/v1/duties/{duty.pk}/").json()
    services.content_update(instance=duty, data={"title_en": "Changed"}, user=editor, expected_version=duty.version)

    after = anon_client.get(f"/api/v1/duties/{duty.pk}/").json()
    listed = {row["id"]: row for row in anon_client.get("/api/v1/duties/?role=physician").json()["results"]}

    assert after["created_at"] == before["created_at"] == listed[duty.pk]["created_at"]
    assert parse_datetime(after["updated_at"]) > parse_datetime(before["updated_at"])
    assert listed[duty.pk]["updated_at"] == after["updated_at"]
    role = anon_client.get("/api/v1/roles/physician/").json()
    assert parse_datetime(role["created_at"]) <= parse_datetime(role["updated_at"])


def test_a_write_answers_with_the_rows_new_timestamps(token_client, kb):
    response = token_client.post(
        "/api/v1/duties/",
        {"role": "physician", "category": "clinical", "title": "Keep records", "title_nb": "Føre journal",
         "editorial": True},
        format="json",
    )  # fmt: skip

    body = response.json()
    assert response.status_code == 201
    assert body["created_at"] == body["updated_at"]
    assert abs(parse_datetime(body["created_at"]) - timezone.now()) < datetime.timedelta(minutes=1)


def test_updated_since_lists_only_what_changed_from_then(anon_client, editor, kb):
    mark = timezone.now()
    duty = Duty.objects.filter(role__slug="physician").first()
    services.content_update(instance=duty, data={"title_en": "Changed"}, user=editor, expected_version=duty.version)

    since = mark.isoformat()
    changed = anon_client.get("/api/v1/duties/", {"updated_since": since}).json()
    everything = anon_client.get("/api/v1/duties/", {"updated_since": "2000-01-01"}).json()
    nothing = anon_client.get("/api/v1/roles/", {"updated_since": timezone.now().isoformat()}).json()

    assert [row["id"] for row in changed["results"]] == [duty.pk]
    assert everything["count"] == Duty.objects.count()
    assert nothing["count"] == 0


@pytest.mark.parametrize(
    "raw",
    [
        "last tuesday",
        "2026-02-30",
        "2026-13-45T10:00:00",
        "2026-12-01T25:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
    ],
)
def test_a_moment_that_is_no_moment_is_a_400_problem(anon_client, kb, raw):
    response = anon_client.get("/api/v1/qualifications/", {"updated_since": raw})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "updated_since" in response.json()["errors"]


@pytest.mark.parametrize("raw", ["2026-12-01T09:00:00-19:34", "9999-12-31T10:00:00-05:00", "2000-01-01T02:00:00+23:59"])
def test_any_offset_python_reads_is_compared_in_utc(anon_client, kb, raw):
    """PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 and Python allow: the moment is compared in UTC."""
    response = anon_client.get("/api/v1/qualifications/", {"updated_since": raw})

    assert response.status_code == 200
    assert response.json()["count"] == (0 if raw.startswith("9999") else Qualification.objects.count())


def test_the_schema_documents_the_timestamps_and_the_filter(anon_client, kb):
    schema = anon_client.get("/api/v1/schema/?format=json").json()

    for path in ("/api/v1/duties/", "/api/v1/roles/", "/api/v1/reporting-lines/", "/api/v1/sources/"):
        names = [parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]]
        assert "updated_since" in names, path
    for component in ("Duty", "Qualification", "ReportingLine", "RoleDetail"):
        properties = schema["components"]["schemas"][component]["properties"]
        assert properties["updated_at"]["format"] == "date-time" and properties["updated_at"]["readOnly"], component
