"""Stored text is always escaped: hostile payloads in every text field, in both languages, never run."""

import re
from html.parser import HTMLParser

import pytest
from django.db import models

from knowledge import backup
from responsibilities.models import Duty
from roles.models import Role

SLUGS = ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]
# Not free text: identifiers, codes checked by validators, and the loader's bookkeeping.
NOT_FREE_TEXT = {"slug", "seed_key", "seed_digest", "occupation_codes", "stale_translation"}  # codes, not text


def payload(label, max_length, pk=1):
    label = f"{label}#{pk}"
    full = f'<script>alert("{label}")</script>"><img src=x onerror=alert("{label}")>javascript:alert("{label}")'
    # Shorter columns get as much of it as fits: still markup that would run if unescaped.
    for candidate in (full, f'<script>alert("{label}")</script>', "<script>1</script>"):
        if max_length is None or len(candidate) <= max_length:
            return candidate
    return "<b>"


def text_fields(model):
    fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NOT_FREE_TEXT
    ]
    names = {field.name for field in fields}
    # Translated fields are written per language (title_en / title_nb); the plain name is their alias.
    return [field for field in fields if f"{field.name}_en" not in names]


@pytest.fixture
def hostile_kb(kb):
    """Every free-text column of every content row replaced with a labelled payload."""
    labels = []
    for model in backup.content_models():
        if backup._is_history(model):
            continue
        for field in text_fields(model):
            label = f"{model.__name__}.{field.name}"
            labels.append(label)
            for pk in model._default_manager.values_list("pk", flat=True):
                model._default_manager.filter(pk=pk).update(**{field.name: payload(label, field.max_length, pk)})
    return labels


JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


class ActiveContent(HTMLParser):
    """Collects everything in a page that a browser would run: inline scripts, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        # Data blocks (JSON, JSON-LD) are never executed; only JavaScript types are.
        script_type = (dict(attrs).get("type") or "text/javascript").strip().lower()
        if tag == "script" and not dict(attrs).get("src") and script_type in JAVASCRIPT_TYPES:
            self.found.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("injected <img>")


def assert_escaped(html):
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == []
    assert '<script>alert("' not in html


def escaped_labels(html):
    return set(re.findall(r"&lt;script&gt;alert\(&quot;([\w.]+)#\d+&quot;\)&lt;/script&gt;", html))


def test_the_payload_reaches_every_free_text_column_in_both_languages(hostile_kb):
    role = Role.objects.get(slug="physician")

    assert {"Role.title_en", "Role.title_nb", "Role.summary_nb", "Duty.title_nb", "Source.text"} <= set(hostile_kb)
    assert role.title_nb == payload("Role.title_nb", 200, role.pk)
    assert role.abbreviation_en == "<script>1</script>"


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_pages_escape_every_stored_payload(client, hostile_kb, prefix):
    language = "nb" if prefix else "en"
    shown = set()
    for url in [f"{prefix}/", *(f"{prefix}/roles/{slug}/" for slug in SLUGS)]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_escaped(html)
        shown |= escaped_labels(html)

    # The pages really displayed the hostile text (escaped), in the page's own language.
    expected = {
        f"Role.title_{language}",
        f"Role.summary_{language}",
        f"Duty.title_{language}",
        f"Duty.description_{language}",
        f"DutyCategory.name_{language}",
        f"Qualification.text_{language}",
        f"RoleFact.text_{language}",
        f"ReportingLine.note_{language}",
        "RoleTitle.title",
        "Source.title",
        "Role.excerpt",
        "Duty.excerpt",
    }
    assert expected <= shown, expected - shown


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/roles/",
        "/api/v1/roles/chief-medical-officer/?lang=nb",
        "/api/v1/duties/",
        "/api/v1/qualifications/",
        "/api/v1/reporting-lines/",
        "/api/v1/sources/",
        "/api/v1/titles/",
        "/api/v1/facts/",
        "/api/v1/duty-categories/",
        "/api/v1/org-chart/",
    ],
)
def test_the_api_returns_payloads_as_json_data_never_as_html(client, hostile_kb, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>alert(" in response.content.decode()  # data, faithfully: escaping is the client's job

    browsable = client.get(url, headers={"Accept": "text/html"})
    if browsable.headers["Content-Type"].startswith("text/html"):
        html = browsable.content.decode()
        # DRF's own page loads its scripts from /static/; only the stored payload must stay inert.
        assert (
            "alert("
            not in re.sub(r"&lt;script&gt;alert\(&quot;[\w.]+&quot;\)", "", html).replace("onerror=alert(&quot;", "")
            or 'alert("' not in html
        )
        assert_escaped(html)


def test_the_admin_escapes_stored_payloads(client, hostile_kb, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only"))
    role = Role.objects.get(slug="physician")
    for url in ["/admin/roles/role/", f"/admin/roles/role/{role.pk}/change/", "/admin/responsibilities/duty/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_edit_and_history_pages_escape_every_stored_payload(client, hostile_kb, staff_editor, prefix):
    client.force_login(staff_editor)
    duty = Duty.objects.filter(role__slug="physician").first()
    urls = [
        f"{prefix}/roles/physician/edit/",
        f"{prefix}/roles/physician/history/",
        f"{prefix}/roles/physician/duties/add/",
        f"{prefix}/roles/physician/duties/{duty.pk}/edit/",
        f"{prefix}/roles/physician/duties/{duty.pk}/delete/",
        f"{prefix}/roles/physician/lines/add/",
    ]
    shown = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_escaped(html)
        shown |= escaped_labels(html)

    assert {"Role.title_en", "Role.title_nb", "Duty.title_en", "Duty.title_nb", "Duty.excerpt"} <= shown
