"""An editor sets a cell of the responsibility matrix in place; a refused change names the activity."""

import pytest
from playwright.sync_api import expect
from test_walkthrough import check_page

from responsibilities.models import Assignment

from kb_testing import PASSWORD


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_in(page, live_server, editor, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_matrix_is_a_table_a_screen_reader_can_read(live_server, page, kb):
    page.goto(f"{live_server.url}/responsibilities/")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Associate Chief Medical Officer")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Budget")).to_be_visible()
    cell = page.locator("#activity-budget").get_by_role("link", name="Accountable")
    expect(cell).to_have_attribute("href", "/responsibilities/budget/chief-medical-officer/")


def test_an_editor_sets_a_cell_in_place(live_server, page, console_errors, kb, editor):
    sign_in(page, live_server, editor, "/responsibilities/")
    expect(page).to_have_url(f"{live_server.url}/responsibilities/")
    check_page(page, console_errors)

    page.get_by_label("Letter of Physician in Budget").select_option("I")
    page.get_by_role("button", name="Set the letter of Physician in Budget").click()

    expect(page.get_by_role("status")).to_contain_text("Physician in “Budget”: I.")
    expect(page.locator("#activity-budget").get_by_role("link", name="Informed")).to_be_visible()
    cell = Assignment.objects.get(activity__slug="budget", role__slug="physician")
    assert cell.letter == "I" and cell.history.first().history_user == editor

    page.get_by_label("Letter of Medical Director in Budget").select_option("A")
    page.get_by_role("button", name="Set the letter of Medical Director in Budget").click()
    expect(page.get_by_role("status")).to_contain_text("Refused for the activity “Budget”")
    assert Assignment.objects.get(activity__slug="budget", role__slug="medical-director").letter == "C"
