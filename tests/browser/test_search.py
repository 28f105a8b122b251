"""Search as a person uses it: type, see suggestions, search, follow a match to its highlighted row."""

import pytest
from playwright.sync_api import expect
from test_walkthrough import check_page

from roles.models import RoleFact


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_type_see_suggestions_and_open_a_role(live_server, page, console_errors, kb):
    page.goto(f"{live_server.url}/search/")
    box = page.get_by_role("combobox", name="Search roles, duties, qualifications and key facts")

    box.press_sequentially("chief med", delay=40)

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option").filter(has_text="Chief Medical Officer").first
    expect(option).to_be_visible()
    check_page(page, console_errors)  # the page with its suggestions open
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-q-suggestions-0")
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/roles/chief-medical-officer/")


def test_follow_a_match_to_its_highlighted_row(live_server, page, console_errors, kb):
    fact = RoleFact.objects.get(seed_key="fact:acmo.fact.salary")
    page.goto(f"{live_server.url}/search/")
    box = page.get_by_role("combobox", name="Search roles, duties, qualifications and key facts")
    box.fill("salary")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/search/?q=salary")
    expect(page.locator("#h-results")).to_contain_text("for “salary”")
    check_page(page, console_errors)
    page.get_by_role("link", name="Salary varies significantly").click()

    expect(page).to_have_url(f"{live_server.url}/roles/associate-chief-medical-officer/#fact-{fact.pk}")
    row = page.locator(f"#fact-{fact.pk}")
    expect(row).to_be_in_viewport()
    # The row the address names is highlighted (:target).
    expect(row).to_have_css("background-color", "rgb(255, 241, 168)")
    check_page(page, console_errors)


def test_the_norwegian_search_page_works_without_javascript(live_server, browser, kb):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/nb/search/?q=lønn")

    expect(page.get_by_role("heading", level=2)).to_contain_text("«lønn»")
    expect(page.get_by_role("link", name="Lønnen varierer betydelig")).to_be_visible()
    context.close()
