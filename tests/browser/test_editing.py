"""An editor signs in, changes a duty and sees the change on the role page."""

import re

from playwright.sync_api import expect

from responsibilities.models import Duty

from kb_testing import PASSWORD


def test_editor_signs_in_edits_a_duty_and_sees_it_on_the_role_page(live_server, page, kb, editor, duty):
    page.goto(f"{live_server.url}/roles/chief-medical-officer/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/roles/chief-medical-officer/")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("link", name=re.compile(rf"^Change {re.escape(duty.title_en)}")).click()
    page.get_by_label("Title (English)").fill("Set the hospital's medical vision")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Saved “Set the hospital's medical vision”.")
    page.get_by_role("link", name="View the role page").click()
    expect(page.locator("#h-duties ~ ul").first).to_contain_text("Set the hospital's medical vision")
    assert Duty.history.filter(id=duty.pk).first().history_user == editor
