"""Editing that helps, in a browser: the saved row in view, merged edits, marks, confirm before revert; axe-clean."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from knowledge import services
from roles.models import RoleFact

from kb_testing import PASSWORD

CMO = "chief-medical-officer"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/roles/{CMO}/edit/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/roles/{CMO}/edit/")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 80) <= height


@pytest.mark.parametrize("width", [1280, 390])
def test_after_a_save_the_page_shows_the_saved_row_with_its_confirmation(live_server, page, kb, editor, width):
    page.set_viewport_size({"width": width, "height": 800})
    fact = RoleFact.objects.filter(role__slug=CMO).order_by("-position").first()
    sign_in(page, live_server, editor)

    page.get_by_role("link", name=re.compile(rf"^Change {re.escape(fact.text_en[:30])}")).click()
    page.get_by_label("Text (English)").fill("A longer statement of what the role decides, " * 3)
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"#facts-{fact.pk}$"))
    row = page.locator(f"#facts-{fact.pk}")
    confirmation = row.get_by_role("status")
    expect(confirmation).to_contain_text("Saved “A longer statement")
    assert in_view(page, confirmation)
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("ul.messages").count() == 0  # not at the top, out of sight
    expect(row.locator(".item-full-text")).to_have_text(("A longer statement of what the role decides, " * 3).strip())
    assert serious_violations(page) == []


def test_edits_to_different_fields_merge_without_a_conflict_page(live_server, page, kb, editor):
    fact = RoleFact.objects.filter(role__slug=CMO).exclude(text_nb="").first()
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/roles/{CMO}/facts/{fact.pk}/edit/")
    services.content_update(instance=fact, data={"text_nb": "Endret av en annen"}, user=editor, expected_version=1)

    page.get_by_label("Text (English)").fill("Changed by me")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(f"#facts-{fact.pk}").get_by_role("status")).to_contain_text("together with the changes")
    fact.refresh_from_db()
    assert (fact.text_en, fact.text_nb) == ("Changed by me", "Endret av en annen")


def test_a_stale_translation_is_marked_for_readers_and_editors(live_server, page, kb, editor):
    fact = RoleFact.objects.filter(role__slug=CMO).exclude(text_nb="").first()
    services.content_update(
        instance=fact, data={"text_en": "Only the English changed"}, user=editor, expected_version=1
    )

    page.goto(f"{live_server.url}/nb/roles/{CMO}/")
    expect(page.locator(".translation-note").first).to_contain_text("kan være utdatert")
    assert serious_violations(page) == []

    sign_in(page, live_server, editor)
    expect(page.locator(f"#facts-{fact.pk} .translation-note")).to_contain_text("Norwegian Bokmål text to check")


def test_revert_asks_for_confirmation_first(live_server, page, kb, editor):
    fact = RoleFact.objects.filter(role__slug=CMO).first()
    fact = services.content_update(
        instance=fact, data={"text_en": "Version to go back to"}, user=editor, expected_version=1
    )
    services.content_update(instance=fact, data={"text_en": "A change to undo"}, user=editor, expected_version=2)
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/roles/{CMO}/history/")

    page.get_by_role("link", name="Revert to this version…").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Revert to an earlier version?")
    expect(page.locator("table.diff del")).to_have_text("A change to undo")
    expect(page.locator("table.diff ins")).to_have_text("Version to go back to")
    assert serious_violations(page) == []
    fact.refresh_from_db()
    assert fact.text_en == "A change to undo"  # nothing changes before the editor confirms

    page.get_by_role("button", name="Revert", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Reverted")
    fact.refresh_from_db()
    assert fact.text_en == "Version to go back to"


def test_minimum_years_show_only_for_experience(live_server, page, kb, editor):
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/roles/{CMO}/qualifications/add/")
    years = page.get_by_label("Minimum years")

    page.get_by_label("Kind").select_option("experience")
    years.fill("5")
    page.get_by_label("Kind").select_option("licence")
    expect(years).to_be_hidden()
    page.get_by_label("Kind").select_option("experience")
    expect(years).to_be_visible()
    expect(years).to_have_value("")  # a licence's years were cleared, not sent
    assert serious_violations(page) == []


def test_without_javascript_years_on_a_licence_are_refused_with_a_clear_error(live_server, browser, kb, editor):
    page = browser.new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/roles/{CMO}/qualifications/add/")
    page.get_by_label("Kind").select_option("licence")
    page.get_by_label("Text (English)").fill("Norwegian medical licence")
    page.get_by_label("Text (Norwegian Bokmål)").fill("Norsk autorisasjon som lege")
    page.get_by_label("Minimum years").fill("5")
    page.get_by_role("button", name="Add").click()

    expect(page.locator(".field.has-error")).to_contain_text("Minimum years apply to experience only")
    assert page.get_by_label("Minimum years").is_visible()
    page.context.close()
