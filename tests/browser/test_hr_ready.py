"""HR-ready pages in a real browser: the directory at scale, the compare type-ahead, the job
description's print view and the branded error pages, at 1280 and 390 px, axe-clean."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from descriptions.demo import generate_demo_org


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_org(kb):
    generate_demo_org(130)


def test_directory_filters_sorts_and_pages_through_the_roles(live_server, page, demo_org):
    page.goto(f"{live_server.url}/")
    assert page.locator(".directory-total").inner_text() == "Roles 1–60 of 134"

    page.get_by_role("link", name="Page 3").click()
    assert page.locator(".directory-total").inner_text() == "Roles 121–134 of 134"
    assert page.locator(".page-numbers [aria-current=page]").inner_text().endswith("3")

    page.get_by_label("Level").select_option("department_lead")
    page.get_by_label("Sort by").select_option("-title")
    page.get_by_label("Table").check()
    page.get_by_role("button", name="Apply").click()

    page.wait_for_url("**/?level=department_lead*")
    rows = page.locator(".directory-table tbody tr")
    titles = rows.locator("th").all_inner_texts()
    assert 0 < rows.count() < 60 and titles == sorted(titles, reverse=True)
    assert page.locator(".directory-total").inner_text().endswith("(filtered)")
    assert serious_violations(page) == []


def test_directory_past_its_last_page_is_a_branded_404(live_server, page, kb):
    response = page.goto(f"{live_server.url}/nb/?page=999")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Vi finner ikke den siden"
    assert serious_violations(page) == []


def test_directory_at_phone_width_stacks_its_filters_and_table(live_server, page, demo_org):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/?view=table")

    assert not page_scrolls_sideways(page)
    assert serious_violations(page) == []


def test_compare_picks_roles_by_typing_their_title(live_server, page, demo_org):
    page.goto(f"{live_server.url}/compare/")
    assert page.locator(".picker-found input").count() == 0  # 134 roles: none listed until asked

    box = page.get_by_role("combobox", name="Find a role by title")
    box.press_sequentially("cardio")
    page.get_by_role("option").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    box.press_sequentially("chief medical officer")
    page.get_by_role("option", name="Chief Medical Officer", exact=True).click()

    chosen = page.locator(".picker-chosen input:checked")
    assert chosen.count() == 2
    assert serious_violations(page) == []
    page.get_by_role("button", name="Compare", exact=True).click()

    page.wait_for_url("**/compare/?*roles=*")
    headers = page.locator(".compare-table").first.locator("thead th").all_inner_texts()
    assert len(headers) == 2 and "Chief Medical Officer" in headers


def test_compare_finds_roles_without_javascript(live_server, browser, demo_org):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/")
    page.get_by_label("Find a role by title").fill("cardiology")
    page.get_by_role("button", name="Find").click()

    page.get_by_label("Medical Director, Cardiology", exact=False).first.check()
    page.get_by_label("Physician 1, Cardiology", exact=False).first.check()
    page.get_by_role("button", name="Compare", exact=True).click()

    assert page.locator(".compare-table").first.locator("thead th").count() == 2
    context.close()


def test_compare_on_a_phone_stacks_the_roles(live_server, page, kb):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/compare/?roles=chief-medical-officer,physician")

    cells = page.locator(".compare-table tbody tr").first.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 2  # one under the other
    assert not page_scrolls_sideways(page)


@pytest.mark.parametrize(
    "path", ["/roles/chief-medical-officer/job-description/", "/nb/roles/physician/job-description/?citations=1"]
)
def test_the_job_description_print_view_is_clean_and_switches_edition(live_server, page, kb, path):
    page.goto(f"{live_server.url}{path}")
    assert serious_violations(page) == []
    assert page.locator("[data-print]").is_visible()

    cited = "citations=1" in path
    page.get_by_role("link", name="Uten kilder" if cited else "With sources").click()
    assert (page.locator(".noteref").count() > 0) is not cited

    page.set_viewport_size(PHONE)
    assert not page_scrolls_sideways(page)


def test_the_role_page_offers_both_editions(live_server, page, kb):
    page.goto(f"{live_server.url}/roles/physician/")

    assert (
        page.get_by_role("link", name="With sources (PDF)").get_attribute("href") == "/roles/physician/pdf/?citations=1"
    )
    page.get_by_role("link", name="Print view").click()
    assert page.locator("h1").inner_text() == "Physician"
