"""Org chart, compare and PDF pages: both languages, query counts, content types, bad input."""

import re
import xml.etree.ElementTree as ET
import zlib

import pytest

from roles.models import Role

SVG = "{http://www.w3.org/2000/svg}"
PAIR = "chief-medical-officer,associate-chief-medical-officer"


def svg_from(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, parsed to prove it is well-formed


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_org_chart_page_draws_one_link_per_role_in_constant_queries(client, kb, prefix, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(f"{prefix}/org-chart/")

    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = svg_from(svg.encode())
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("data-slug") for a in links) == sorted(Role.objects.values_list("slug", flat=True))
    assert f'href="{prefix}/roles/physician/"' in svg
    assert 'class="org-tree"' in html


def test_org_chart_query_count_does_not_grow_with_roles(client, kb, django_assert_num_queries):
    cmo = Role.objects.get(slug="chief-medical-officer")
    for i in range(40):
        role = Role.objects.create(slug=f"extra-{i}", title=f"Extra {i}", level="clinician", editorial=True)
        role.lines_up.create(superior=cmo, kind="reports_to", editorial=True)

    with django_assert_num_queries(2):
        response = client.get("/org-chart/")

    assert response.content.decode().count('class="org-box') == Role.objects.count()


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


def test_role_page_reads_non_solid_lines_from_the_superiors_side(client, kb):
    html = client.get("/roles/chief-medical-officer/").content.decode()

    assert '<span class="kind">Oversees</span> <a href="/roles/physician/">Physician</a>' in html
    assert "Overseen by" not in html


def test_role_page_links_to_compare_print_and_pdf(client, kb):
    html = client.get("/roles/medical-director/").content.decode()

    assert 'href="/compare/?with=medical-director"' in html
    assert 'href="/roles/medical-director/pdf/"' in html
    assert "data-print" in html


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_compare_shows_roles_side_by_side_in_constant_queries(client, kb, prefix, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get(f"{prefix}/compare/?roles={PAIR}")

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [r.slug for r in comparison.roles] == PAIR.split(",")
    scope = [fact.kind for column in comparison.columns for fact in column["scope"]]
    assert scope and set(scope) == {"scope"}
    assert comparison.duty_rows and comparison.qualification_rows


def test_compare_puts_the_scope_facts_before_the_duties(client, kb):
    html = client.get(f"/compare/?roles={PAIR}").content.decode()

    assert html.index('id="h-scope"') < html.index('id="h-compare-duties"')
    assert "focuses on specific areas" in html or "focused on specific areas" in html
    assert 'class="only-mark"' in html


def test_compare_accepts_the_pickers_repeated_parameter(client, kb):
    response = client.get("/compare/", {"roles": ["physician", "medical-director", "chief-medical-officer"]})

    assert response.status_code == 200
    assert [r.slug for r in response.context["comparison"].roles] == [
        "physician",
        "medical-director",
        "chief-medical-officer",
    ]


def test_compare_without_roles_shows_just_the_picker(client, kb):
    response = client.get("/compare/")

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert response.context["errors"] == []
    assert response.content.decode().count('name="roles"') == Role.objects.count()


def test_compare_with_one_role_ticks_it_without_complaining(client, kb):
    response = client.get("/compare/?with=physician")

    assert response.status_code == 200
    assert response.context["selected"] == ["physician"]
    assert 'value="physician" checked' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("roles=physician", "Choose at least two roles to compare."),
        ("roles=physician,medical-director,chief-medical-officer,associate-chief-medical-officer", "at most three"),
        ("roles=physician,nobody", "There is no role “nobody”."),
        ("roles=physician,physician,medical-director", "Physician was chosen more than once"),
    ],
)
def test_compare_explains_bad_selections(client, kb, query, message):
    response = client.get(f"/compare/?{query}")

    assert response.status_code == 400
    assert response.context["comparison"] is None
    assert any(message in error for error in response.context["errors"])
    assert message.replace("“", "&ldquo;") in response.content.decode() or message in response.content.decode()


def pdf_titles(content: bytes) -> list[str]:
    """Every /Title in the PDF (document info and bookmarks), looking inside compressed streams too."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            chunks.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    titles = []
    for chunk in chunks:
        titles += [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", chunk)]
        titles += [t.decode("latin-1") for t in re.findall(rb"/Title\s*\((.*?)\)", chunk)]
    return titles


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_pdf_is_a_job_description_with_the_role_title(client, kb, prefix, django_assert_max_num_queries):
    role = Role.objects.get(slug="chief-medical-officer")
    expected = role.title_nb if prefix else role.title_en

    with django_assert_max_num_queries(8):
        response = client.get(f"{prefix}/roles/chief-medical-officer/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="chief-medical-officer-{"nb" if prefix else "en"}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    titles = pdf_titles(response.content)
    assert any(t.startswith(expected) for t in titles if "·" not in t)  # the h1, as a bookmark
    assert any(t.startswith(f"{expected} · ") for t in titles)  # the document title


def test_pdf_of_unknown_role_is_404(client, kb):
    assert client.get("/roles/nobody/pdf/").status_code == 404
    assert client.get("/nb/roles/nobody/pdf/").status_code == 404


def test_pdf_renderer_fetches_only_local_static_files(rf, settings):
    from descriptions.documents import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher("testserver")

    css = fetcher.fetch("http://testserver/static/css/pdf.css")
    assert b"@page" in css.read()
    for url in [
        "https://example.com/static/css/pdf.css",
        "http://testserver/media/x.png",
        "file:///etc/passwd",
        "http://testserver/static/../settings.py",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_compare_marks_what_only_one_role_has_once_the_roles_share_some_wording(client, kb):
    from responsibilities.models import Duty

    cmo = Role.objects.get(slug="chief-medical-officer")
    acmo = Role.objects.get(slug="associate-chief-medical-officer")
    shared = cmo.duties.first()
    Duty.objects.create(
        role=acmo, category=shared.category, title_en=shared.title_en.upper(), title_nb=shared.title_nb, editorial=True
    )

    comparison = client.get(f"/compare/?roles={PAIR}").context["comparison"]

    assert comparison.marks_unique
    flags = [(d.title.casefold(), d.unique) for row in comparison.duty_rows for c in row.cells for d in c["items"]]
    assert [unique for title, unique in flags if title == shared.title_en.casefold()] == [False, False]
    assert any(unique for _, unique in flags)


def test_compare_does_not_mark_every_item_when_nothing_is_shared(client, kb):
    comparison = client.get(f"/compare/?roles={PAIR}").context["comparison"]

    items = [d for row in comparison.duty_rows + comparison.qualification_rows for c in row.cells for d in c["items"]]
    assert items
    assert comparison.marks_unique is False, "the shipped CMO and ACMO duties share no wording"
    assert not any(item.unique for item in items)
