"""Org chart and compare pages in a real browser: phone width, links, the picker, axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAIR = "chief-medical-officer,associate-chief-medical-officer"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_org_chart_at_phone_width_scrolls_only_inside_its_own_box(live_server, page, kb):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/org-chart/")

    assert page.locator("svg.org-chart-svg a").count() == 4
    assert not page_scrolls_sideways(page)
    assert page.locator(".org-tree a", has_text="Physician").first.is_visible()


def test_org_chart_box_links_to_its_role(live_server, page, kb):
    page.goto(f"{live_server.url}/org-chart/")

    page.locator('svg.org-chart-live a[data-slug="medical-director"]').click()

    page.wait_for_url(f"{live_server.url}/roles/medical-director/")
    assert page.locator("h1").inner_text().startswith("Medical Director")


def test_compare_picker_compares_the_ticked_roles(live_server, page, kb):
    page.goto(f"{live_server.url}/roles/medical-director/")
    page.get_by_role("link", name="Compare with…").click()
    assert page.get_by_label("Medical Director").is_checked()

    page.get_by_label("Physician").check()
    page.get_by_role("button", name="Compare").click()

    page.wait_for_url("**/compare/?*roles=*")
    headers = page.locator(".compare-table").first.locator("thead th").all_inner_texts()
    assert headers == ["Medical Director", "Physician"]


def test_compare_picker_explains_a_single_choice(live_server, page, kb):
    page.goto(f"{live_server.url}/compare/")
    page.get_by_label("Physician").check()
    page.get_by_role("button", name="Compare").click()

    assert page.get_by_role("alert").inner_text().count("Choose at least two roles") == 1


def test_compare_at_phone_width_keeps_the_page_from_scrolling_sideways(live_server, page, kb):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/compare/?roles={PAIR}")

    assert not page_scrolls_sideways(page)


@pytest.mark.parametrize(
    "path",
    ["/org-chart/", f"/compare/?roles={PAIR}", "/nb/org-chart/", f"/nb/compare/?roles={PAIR}", "/compare/"],
)
def test_no_serious_accessibility_violations(live_server, page, kb, path):
    errors, missing = [], []
    # A failed load is reported by URL below; the browser's own favicon probe is not the page's doing.
    page.on(
        "console",
        lambda m: m.type == "error" and not m.text.startswith("Failed to load resource") and errors.append(m.text),
    )
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and missing.append(r.url))
    page.goto(f"{live_server.url}{path}")

    assert serious_violations(page) == []
    assert errors == []
    assert missing == []


def test_role_page_print_link_appears_with_javascript(live_server, page, kb):
    page.goto(f"{live_server.url}/roles/chief-medical-officer/")

    assert page.get_by_role("link", name="Print", exact=True).is_visible()
    assert (
        page.get_by_role("link", name="Job description (PDF)").get_attribute("href")
        == "/roles/chief-medical-officer/pdf/"
    )


def test_org_chart_focus_view_at_phone_width_from_the_role_page(live_server, page, kb):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/roles/medical-director/")

    page.get_by_role("link", name="Show in org chart").click()

    page.wait_for_url(f"{live_server.url}/org-chart/?focus=medical-director")
    assert page.locator("h1").inner_text().startswith("Around Medical Director")
    assert page.locator('svg.org-chart-svg a[data-slug="chief-medical-officer"]').count() == 1
    assert not page_scrolls_sideways(page)
    assert serious_violations(page) == []

    page.locator(".org-tree a.focus-link", has_text="Physician").first.click()
    page.wait_for_url(f"{live_server.url}/org-chart/?focus=physician")
    page.get_by_role("link", name="Back to the full org chart").click()
    page.wait_for_url(f"{live_server.url}/org-chart/")
