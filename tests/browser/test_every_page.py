"""Every page, anonymous and signed in, in English and Norwegian, at 1280 and 390 px: no sideways
scrolling and no serious or critical axe-core violation. A page that breaks on a phone fails here.

One browser page per visitor walks the whole list, so the knowledge base is set up once per visitor.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from cmo_kb.urls import urlpatterns as site_urlpatterns
from descriptions.demo import generate_demo_org
from governance.models import Draft
from roles.models import Role

from kb_testing import PASSWORD, form_payload

AXE = Axe()
WIDTHS = (1280, 390)


def _fails(request):
    raise RuntimeError("an unexpected error, to show the branded 500 page")


def _refuses(request):
    raise PermissionDenied


# The site's addresses plus two that fail on purpose, so the 500 and 403 pages are looked at too.
urlpatterns = [
    *i18n_patterns(path("fails/", _fails), path("refuses/", _refuses), prefix_default_language=False),
    *site_urlpatterns,
]
handler500 = "cmo_kb.views.server_error"

ANONYMOUS = [
    "/",
    "/?view=table",
    "/?level=department_lead&sort=-title&view=table",
    "/?page=2",
    "/?department=no-such-department",
    "/roles/chief-medical-officer/",
    "/roles/demo-acmo-medicine/",
    "/roles/physician/job-description/",
    "/compare/",
    "/compare/?roles=chief-medical-officer,physician,medical-director",
    "/org-chart/",
    "/search/",
    "/search/?q=quality",
    "/search/?q=xylophone",
    "/responsibilities/",
    "/responsibilities/clinical-operations/chief-medical-officer/",
    "/sources/",
    "/sources/associate-chief-medical-officer/",
    "/roles/physician/publications/",
    "/roles/physician/publications/1/",
    "/roles/physician/publications/compare/?from=1&to=2",
    "/roles/physician/publications/compare/?from=1&to=9",  # 400
    "/accounts/login/",
    "/no-such-page/",  # 404
    "/fails/",  # 500
    "/refuses/",  # 403
    "/api/v1/docs/",  # one language: the API is not under /nb/
]
EDITOR = [
    "/roles/physician/",
    "/roles/physician/edit/",
    "/roles/new/",
    "/roles/medical-director/draft/",
    "/roles/chief-medical-officer/draft/",
    "/roles/demo-acmo-medicine/draft/",
    "/roles/physician/history/",
    "/roles/physician/qualifications/add/",
    "/roles/physician/lines/add/",
    "/roles/physician/facts/add/",
    "/roles/physician/titles/add/",
    "/sources/new/",
    "/sources/associate-chief-medical-officer/",
    "/health/",
    "/responsibilities/new/",
    "/responsibilities/",
    "/responsibilities/clinical-operations/chief-medical-officer/",
    "/roles/chief-medical-officer/review/",  # 403: only approvers review
]
APPROVER = [
    "/reviews/",
    "/roles/chief-medical-officer/review/",
]


def _user(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password=PASSWORD, first_name=name.title())
    user.groups.add(Group.objects.get(name=group))
    return user


def _edit_summary(client, slug, text):
    """An editor's change to a role's summary, saved the way the edit page saves it (into the draft)."""
    url = reverse("descriptions:edit", args=[slug])
    form = client.get(url).context["form"]
    titles = client.get(url).context["titles"]
    client.post(url, form_payload(form, titles, summary_en=text))


@pytest.fixture
def site(kb, settings, django_user_model):
    """A hospital group's roles, one draft in progress, one awaiting review and one published."""
    settings.KB_REVIEW_REQUIRED = True
    settings.ROOT_URLCONF = __name__
    generate_demo_org(40)
    editor = _user(django_user_model, "editor", "Editors")
    approver = _user(django_user_model, "approver", "Approvers")
    editing, approving = Client(), Client()
    editing.force_login(editor)
    approving.force_login(approver)
    for slug in ("physician", "chief-medical-officer", "medical-director"):
        _edit_summary(editing, slug, f"Summary of the {slug} under review.")
    for slug in ("physician", "chief-medical-officer"):
        draft = Draft.objects.get(role__slug=slug)
        editing.post(
            reverse("descriptions:draft-submit", args=[slug]), {"note": "Clearer", "draft_version": draft.version}
        )
    draft = Draft.objects.get(role__slug="physician")
    approving.post(
        reverse("descriptions:publish", args=["physician"]), {"note": "Yearly", "draft_version": draft.version}
    )
    assert Role.objects.get(slug="physician").publication == 2
    assert Draft.objects.get(role__slug="chief-medical-officer").state == "submitted"
    return {"editor": editing, "approver": approving}


def _signed_in(browser, live_server, client):
    context = browser.new_context()
    if client is not None:
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


# Swagger UI nests a copy button inside each operation's clickable summary: its own markup, not ours.
SWAGGER_UI = {"rules": {"nested-interactive": {"enabled": False}}}


def _problems(page) -> list[str]:
    problems = []
    scroll, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > width:
        problems.append(f"{scroll - width}px of sideways scrolling")
    options = SWAGGER_UI if "/api/" in page.url else None
    for violation in AXE.run(page, options=options).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            problems.append(f"axe {violation['id']}: {[n['target'] for n in violation['nodes']][:3]}")
    return problems


def _walk(browser, live_server, client, paths) -> list[str]:
    context = _signed_in(browser, live_server, client)
    page = context.new_page()
    found = []
    for address in paths:
        for language in ("",) if address.startswith("/api/") else ("", "/nb"):
            response = page.goto(f"{live_server.url}{language}{address}")
            assert response is not None and response.status < 500 or address == "/fails/", (address, response.status)
            if not address.startswith("/api/"):
                assert page.locator("html").get_attribute("lang") == (language.strip("/") or "en")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                found += [f"{language}{address} at {width}px: {problem}" for problem in _problems(page)]
    context.close()
    return found


@pytest.mark.parametrize("visitor, paths", [("anonymous", ANONYMOUS), ("editor", EDITOR), ("approver", APPROVER)])
def test_every_page_fits_a_phone_and_a_desktop_and_is_accessible(live_server, browser, site, visitor, paths):
    assert _walk(browser, live_server, site.get(visitor), paths) == []
