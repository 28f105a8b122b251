"""The org chart page and its SVG download: both languages, query counts, content types."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from knowledge import services
from roles.models import Role

SVG = "{http://www.w3.org/2000/svg}"


def svg_from(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, parsed to prove it is well-formed


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_org_chart_page_draws_one_link_per_role_in_constant_queries(client, kb, prefix, django_assert_num_queries):
    with django_assert_num_queries(3):  # the structure version, roles, lines
        response = client.get(f"{prefix}/org-chart/")

    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = svg_from(svg.encode())
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("data-slug") for a in links) == sorted(Role.objects.values_list("slug", flat=True))
    assert f'href="{prefix}/roles/physician/"' in svg
    titles = dict(Role.objects.values_list("slug", "title"))
    for link in links:  # every box names its role in full, for the pointer and for screen readers
        assert link.find(f"{SVG}title").text == titles[link.get("data-slug")]
        assert link.get("aria-label").startswith(titles[link.get("data-slug")])
        words = " ".join(t.text for t in link.findall(f"{SVG}text/{SVG}tspan")).split()
        assert " ".join(titles[link.get("data-slug")].split()) in " ".join(words)  # wrapped, never cut
    assert 'class="org-tree"' in html


def test_org_chart_query_count_does_not_grow_with_roles(client, kb, django_assert_num_queries):
    cmo = Role.objects.get(slug="chief-medical-officer")
    for i in range(40):
        role = Role.objects.create(slug=f"extra-{i}", title=f"Extra {i}", level="clinician", editorial=True)
        role.lines_up.create(superior=cmo, kind="reports_to", editorial=True)

    with django_assert_num_queries(3):
        response = client.get("/org-chart/")

    assert response.content.decode().count('class="org-box') == Role.objects.count()


@pytest.mark.parametrize(
    "url",
    [
        "/org-chart/",
        "/org-chart/?focus=physician",
        "/org-chart/graph.json",
        "/api/v1/org-chart/",
        "/api/v1/org-chart/tree/",
    ],
)
def test_the_chart_is_computed_again_only_when_what_it_shows_changed(client, kb, url, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(1):  # the structure version: the rows and nodes are kept
        client.get(url)

    role = Role.objects.get(slug="physician")
    services.content_update(instance=role, data={"title_en": "Ward Physician"}, user=None, expected_version=None)
    with django_assert_num_queries(3):
        response = client.get(url)

    assert "Ward Physician" in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_the_interactive_charts_graph_comes_apart_from_the_page(client, kb, prefix):
    page = client.get(f"{prefix}/org-chart/").content.decode()
    graph = client.get(f"{prefix}/org-chart/graph.json")

    # The page names where the graph is and carries none of it; its <title> is only a title.
    assert re.search(r"<title>[^<]*</title>", page)
    config = json.loads(re.search(r'<script id="org-chart-data" type="application/json">(.*?)</script>', page)[1])
    assert config["graph"] == f"{prefix}/org-chart/graph.json" and "nodes" not in config
    assert graph["Content-Type"] == "application/json"
    body = graph.json()
    roles = list(Role.objects.order_by("position", "pk"))
    assert sorted(node[0] for node in body["nodes"]) == sorted(role.slug for role in roles)
    physician = next(node for node in body["nodes"] if node[0] == "physician")
    assert physician[1] == ("Lege" if prefix else "Physician")
    slugs = [node[0] for node in body["nodes"]]
    lines = {(slugs[sub], slugs[sup], kind) for sub, sup, kind in body["edges"]}
    assert ("physician", "medical-director", "reports_to") in lines


@pytest.mark.parametrize("url", ["/org-chart.svg", "/org-chart/?format=svg", "/nb/org-chart.svg"])
def test_org_chart_downloads_as_well_formed_svg(client, kb, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="org-chart-(en|nb)\.svg"', response["Content-Disposition"])
    root = svg_from(response.content)
    assert root.tag == f"{SVG}svg"
    links = root.findall(f".//{SVG}a")
    assert len(links) == Role.objects.count()
    assert all(a.get("href").startswith("http://testserver/") for a in links)


def test_org_chart_text_version_names_lines_from_the_subordinates_side(client, kb):
    html = client.get("/org-chart/").content.decode()

    tree = html[html.index('class="org-tree"') :]
    assert "Overseen by" in tree
    assert "Liaison with" in tree


@pytest.mark.parametrize("url", ["/org-chart/", "/org-chart.svg", "/org-chart/?focus=physician"])
def test_what_editors_typed_is_escaped_in_the_picture_and_the_text_version(client, kb, editor, url):
    physician = Role.objects.get(slug="physician")
    typed = "Lege <b>&</b> \"sjef\" 'x'"
    services.content_update(
        instance=physician, data={"title_en": typed, "abbreviation": "<i>"}, user=editor, expected_version=None
    )

    body = client.get(url).content.decode()

    assert "<b>" not in body and "<i>" not in body
    assert "Lege &lt;b&gt;&amp;&lt;/b&gt; &quot;sjef&quot; &#x27;x&#x27;" in body
    svg = body[body.index("<svg") : body.index("</svg>") + len("</svg>")]
    box = next(a for a in svg_from(svg.encode()).iter(f"{SVG}a") if a.get("data-slug") == "physician")
    assert box.find(f"{SVG}title").text == typed
    assert box.get("aria-label") == f"{typed} (<i>)"
