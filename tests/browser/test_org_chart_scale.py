"""The org chart of a large organisation in a real browser: a readable tree, pan/zoom, expand/collapse, find, focus."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from descriptions.demo import generate_demo_org
from roles.models import Role

LIVE = "svg.org-chart-live"


@pytest.fixture
def big_org(kb):
    generate_demo_org(320)  # above the size where the chart starts with its bottom level folded
    return Role.objects.count()


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def boxes(page) -> list[dict]:
    """Every drawn box: slug, accessible name, tooltip, the text it shows and its place on the screen."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel + ' a.org-box')].map(a => {
            const r = a.querySelector('rect').getBoundingClientRect();
            return {slug: a.dataset.slug, label: a.getAttribute('aria-label'),
                    title: a.querySelector('title').textContent,
                    text: [...a.querySelectorAll('tspan')].map(t => t.textContent),
                    x: r.x, y: r.y, w: r.width, h: r.height};
        })""",
        LIVE,
    )


def centre_of_view(page) -> tuple[float, float]:
    r = page.locator("[data-org-chart]").bounding_box()
    return r["x"] + r["width"] / 2, r["y"] + r["height"] / 2


def test_a_large_chart_is_a_tree_with_full_titles_and_stacked_peers(live_server, page, big_org):
    errors = watch_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/org-chart/")

    page.locator(LIVE).wait_for()
    assert not page.locator("svg.org-chart-svg").is_visible()  # the server's picture stays for no-JS readers
    drawn = boxes(page)
    directors = Role.objects.filter(level=Role.Level.DEPARTMENT_LEAD).count()
    assert len(drawn) == Role.objects.exclude(level=Role.Level.CLINICIAN).count()  # physicians start folded
    assert directors > 10
    titles = dict(Role.objects.values_list("slug", "title"))
    for box in drawn:
        # Full titles: the lines shown put back together are the whole title, and it names the box.
        assert " ".join(box["text"][: len(box["text"]) - (1 if "(" in box["label"] else 0)]) == titles[box["slug"]]
        assert box["title"] == titles[box["slug"]]
        assert box["label"].startswith(titles[box["slug"]])
    # No two boxes overlap.
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            apart_x = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
            assert apart_x or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
    # An ACMO's directors hang in one column off a spine, not in rows that look like a chain.
    acmo = Role.objects.filter(level=Role.Level.SENIOR_LEADER, lines_down__isnull=False).first()
    kids = set(acmo.lines_down.filter(kind="reports_to").values_list("subordinate__slug", flat=True))
    column = [b for b in drawn if b["slug"] in kids]
    assert len(column) == len(kids) > 4
    assert len({round(b["x"]) for b in column}) == 1
    assert errors == []


def test_expand_collapse_and_zoom(live_server, page, big_org):
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/org-chart/")
    director = Role.objects.filter(level=Role.Level.DEPARTMENT_LEAD, lines_down__isnull=False).first()
    reports = director.lines_down.filter(kind="reports_to").count()
    toggle = page.locator(f'{LIVE} [data-toggle="{director.slug}"]')
    assert toggle.get_attribute("aria-expanded") == "false"
    before = len(boxes(page))

    toggle.focus()
    page.keyboard.press("Enter")
    assert len(boxes(page)) == before + reports
    toggle = page.locator(f'{LIVE} [data-toggle="{director.slug}"]')
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert len(boxes(page)) == before

    width = page.locator(f'{LIVE} a.org-box[data-slug="{director.slug}"] rect').bounding_box()["width"]
    page.get_by_role("button", name="Zoom out").click()
    # The zoom is applied on the next frames: wait for it rather than read the box at once.
    box = page.locator(f'{LIVE} a.org-box[data-slug="{director.slug}"] rect')
    page.wait_for_function(
        "([el, w]) => el.getBoundingClientRect().width < w", arg=[box.element_handle(), width], timeout=5000
    )
    assert errors == []


def test_find_a_role_opens_the_way_to_it_and_centres_it(live_server, page, big_org):
    page.goto(f"{live_server.url}/org-chart/")
    physician = Role.objects.filter(level=Role.Level.CLINICIAN, slug__startswith="demo-").order_by("-pk").first()
    assert not page.locator(f'{LIVE} a.org-box[data-slug="{physician.slug}"]').count()

    page.get_by_label("Find a role").fill(physician.title)
    page.get_by_role("button", name="Find", exact=True).click()

    box = page.locator(f'{LIVE} a.org-box[data-slug="{physician.slug}"] rect').bounding_box()
    cx, cy = centre_of_view(page)
    assert abs(box["x"] + box["width"] / 2 - cx) < 5 and abs(box["y"] + box["height"] / 2 - cy) < 5
    assert "Found" in page.get_by_role("status").inner_text()

    page.get_by_label("Find a role").fill("no such role at all")
    page.get_by_role("button", name="Find", exact=True).click()
    assert "No role matches" in page.get_by_role("status").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_focus_opens_centred_and_the_page_stays_accessible(live_server, page, big_org, width):
    errors = watch_errors(page)
    page.set_viewport_size({"width": width, "height": 844})
    physician = Role.objects.filter(level=Role.Level.CLINICIAN, slug__startswith="demo-").order_by("-pk").first()
    page.goto(f"{live_server.url}/nb/org-chart/?focus={physician.slug}")

    box = page.locator(f'{LIVE} a.org-box[data-slug="{physician.slug}"] rect').bounding_box()
    cx, cy = centre_of_view(page)
    assert abs(box["x"] + box["width"] / 2 - cx) < 5 and abs(box["y"] + box["height"] / 2 - cy) < 5
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert serious_violations(page) == []
    assert errors == []


def test_without_javascript_the_server_picture_and_text_version_remain(live_server, browser, big_org):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/org-chart/")

    assert page.locator("svg.org-chart-svg").is_visible()
    assert not page.locator("[data-org-chart-tools]").is_visible()
    cmo = page.locator('svg.org-chart-svg a[data-slug="chief-medical-officer"]')
    assert cmo.get_attribute("aria-label") == "Chief Medical Officer (CMO)"
    assert page.locator(".org-tree a", has_text="Chief Medical Officer").first.is_visible()
    context.close()
