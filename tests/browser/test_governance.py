"""Review before publication in a real browser: an editor drafts, an approver returns the draft, the editor
fixes it, the approver publishes, and an anonymous visitor sees the new text only after that.

Every governance page visited is checked with axe-core (no serious or critical violation).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from kb_testing import PASSWORD

AXE = Axe()
ROLE = "/roles/chief-medical-officer/"


@pytest.fixture
def approver(django_user_model):
    user = django_user_model.objects.create_user("approver", password=PASSWORD, first_name="Ada", last_name="Lovelace")
    user.groups.add(Group.objects.get(name="Approvers"))
    return user


def _accessible(page) -> None:
    serious = [v for v in AXE.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    found = "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in serious)
    assert serious == [], f"{page.url}: {found}"


def _sign_in(page, base, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _change_duty(page, base, duty, new_title) -> None:
    page.goto(f"{base}{ROLE}edit/")
    page.locator(f"a[href$='/duties/{duty.pk}/edit/']").click()
    page.get_by_label("Title (English)").fill(new_title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("in the draft of Chief Medical Officer")


def test_editor_drafts_approver_returns_editor_fixes_approver_publishes(
    live_server, browser, kb, editor, approver, duty, settings
):
    settings.KB_REVIEW_REQUIRED = True
    base = live_server.url
    published_title = duty.title_en
    editing, approving, visiting = (browser.new_context() for _ in range(3))
    editor_page, approver_page, visitor = editing.new_page(), approving.new_page(), visiting.new_page()

    _sign_in(editor_page, base, editor)
    _change_duty(editor_page, base, duty, "Set the medical vision (draft)")
    visitor.goto(f"{base}{ROLE}")
    expect(visitor.locator("#h-duties").locator("..")).to_contain_text(published_title)
    expect(visitor.locator("body")).not_to_contain_text("Set the medical vision (draft)")

    editor_page.goto(f"{base}{ROLE}draft/")
    expect(editor_page.get_by_role("heading", name="Draft — not yet published")).to_be_visible()
    expect(editor_page.locator("table.changes")).to_contain_text("Set the medical vision (draft)")
    _accessible(editor_page)
    editor_page.get_by_label("Note for the reviewer").fill("Shorter title")
    editor_page.get_by_role("button", name="Submit for review").click()
    expect(editor_page.get_by_role("status")).to_contain_text("Submitted the draft for review.")

    _sign_in(approver_page, base, approver)
    approver_page.goto(f"{base}/reviews/")
    _accessible(approver_page)
    approver_page.get_by_role("link", name="Chief Medical Officer").first.click()
    expect(approver_page.locator("table.changes")).to_contain_text(published_title)
    _accessible(approver_page)
    approver_page.get_by_label("What needs to change").fill("Drop the word draft")
    approver_page.get_by_role("button", name="Return to the editors").click()
    expect(approver_page.get_by_role("status")).to_contain_text("Returned the draft")

    editor_page.goto(f"{base}{ROLE}draft/")
    expect(editor_page.locator(".record-banner")).to_contain_text("Drop the word draft")
    _change_duty(editor_page, base, duty, "Set the medical vision")
    editor_page.goto(f"{base}{ROLE}draft/")
    editor_page.get_by_role("button", name="Submit for review").click()

    visitor.goto(f"{base}{ROLE}")
    expect(visitor.locator("body")).not_to_contain_text("Set the medical vision")
    approver_page.goto(f"{base}{ROLE}review/")
    approver_page.get_by_label("Publication note").fill("Annual review")
    approver_page.get_by_role("button", name="Publish").click()
    expect(approver_page.get_by_role("status")).to_contain_text("Published.")

    visitor.goto(f"{base}{ROLE}")
    expect(visitor.locator("body")).to_contain_text("Set the medical vision")
    expect(visitor.locator(".publication-line")).to_contain_text("Publication 2, effective")
    expect(visitor.locator(".publication-line")).to_contain_text("approved by Ada Lovelace")
    visitor.goto(f"{base}{ROLE}publications/")
    _accessible(visitor)
    visitor.get_by_role("button", name="Compare").click()
    expect(visitor.locator("table.changes")).to_contain_text("Set the medical vision")
    _accessible(visitor)
    visitor.goto(f"{base}/nb{ROLE}publications/1/")
    expect(visitor.locator("body")).to_contain_text(duty.title_nb)
    _accessible(visitor)
    for context in (editing, approving, visiting):
        context.close()
