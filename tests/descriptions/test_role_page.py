"""The role page /roles/<slug>/: summary, names, duties, qualifications, lines, ISCO-08, sources."""

import pytest
from django.urls import reverse

from roles.models import Role


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_header_has_title_summary_level_and_isco_code_with_its_meaning(client, kb):
    _, html = page(client, "/roles/chief-medical-officer/")

    assert '<h1>Chief Medical Officer <span class="abbr">(CMO)</span></h1>' in html
    assert '<div class="lead">Typically the physician in charge at most hospitals.' in html
    assert "<dd>Executive</dd>" in html
    assert '<dd>1342 <span class="isco-title">Health services managers</span></dd>' in html


def test_several_isco_codes_are_each_explained(client, kb):
    _, html = page(client, "/roles/physician/")

    assert (
        '<dd>2211 <span class="isco-title">Generalist medical practitioners</span>; '
        '2212 <span class="isco-title">Specialist medical practitioners</span></dd>'
    ) in html


def test_also_known_as_lists_other_names_but_not_the_heading_itself(client, kb):
    response, html = page(client, "/roles/physician/")

    titles = response.context["titles"]
    assert [t.title for t in titles] == ["Doctor", "Medical doctor"]
    # Each name carries an anchor, so a search match can point at it.
    assert (
        f'<dd><span id="title-{titles[0].pk}">Doctor</span>, <span id="title-{titles[1].pk}">Medical doctor</span></dd>'
        in html
    )
    assert '">doktor</span>' in html and 'lang="nb">doktor</span>' in html


def test_duties_are_grouped_by_category_in_category_order(client, kb):
    response, html = page(client, "/roles/chief-medical-officer/")

    categories = [category.slug for category, _ in response.context["duty_groups"]]
    assert categories[:3] == ["strategy", "operations", "physician-relations"]
    assert len(categories) == len(set(categories))
    assert '<h3>Finance and resources <span class="meta">(3)</span></h3>' in html
    assert '<h2 id="h-duties">Duties <span class="meta">(23)</span></h2>' in html


def test_qualifications_are_split_into_required_and_preferred(client, kb):
    response, _ = page(client, "/roles/chief-medical-officer/")

    assert {q.requirement for q in response.context["required"]} == {"required"}
    assert {q.requirement for q in response.context["preferred"]} == {"preferred"}
    assert len(response.context["required"]) == 5
    assert len(response.context["preferred"]) == 4


def test_reporting_lines_link_both_ways(client, kb):
    _, cmo = page(client, "/roles/chief-medical-officer/")
    _, acmo = page(client, "/roles/associate-chief-medical-officer/")

    assert '<a href="/roles/associate-chief-medical-officer/">Associate Chief Medical Officer</a>' in cmo
    assert "No one: this is a top-level role." in cmo
    reports_to = acmo.split("<h3>Reports to</h3>")[1].split("</ul>")[0]
    assert '<a href="/roles/chief-medical-officer/">Chief Medical Officer</a>' in reports_to


def test_each_fact_can_show_its_source_excerpt(client, kb):
    _, html = page(client, "/roles/chief-medical-officer/")

    assert (
        '<details class="citation"><summary>Source</summary><blockquote lang="nb">'
        "også hjelper til med å håndtere budsjettet</blockquote>"
    ) in html
    assert (
        '<li id="source-hva-gjor-en-medisinsk-sjef"><cite lang="nb">'
        '<a href="/sources/hva-gjor-en-medisinsk-sjef/">Hva gjør en medisinsk sjef?</a></cite>'
    ) in html


def test_breadcrumbs_and_contents(client, kb):
    _, html = page(client, "/roles/medical-director/")

    assert ('<ol><li><a href="/">Roles</a></li><li aria-current="page">Medical Director</li></ol>') in html
    assert '<a href="#h-duties">Duties</a>' in html
    assert '<a href="#h-quals">Qualifications</a>' in html


def test_norwegian_role_page(client, kb):
    _, html = page(client, "/nb/roles/chief-medical-officer/")

    assert '<html lang="nb">' in html
    assert '<h1>Medisinsk sjef <span class="abbr">(CMO)</span></h1>' in html
    assert '<a href="/nb/roles/associate-chief-medical-officer/">Assisterende medisinsk sjef</a>' in html
    assert "Bidra til å styre budsjettet" in html


def test_unknown_role_is_404(client, kb):
    assert client.get("/roles/no-such-role/").status_code == 404


@pytest.mark.parametrize("url", ["/roles/{slug}/", "/nb/roles/{slug}/"])
def test_query_count_is_the_same_for_a_big_and_a_small_role(client, kb, django_assert_num_queries, url):
    with django_assert_num_queries(8) as big:  # the sheet's seven, the role's matrix column
        client.get(url.format(slug="chief-medical-officer"))
    with django_assert_num_queries(len(big.captured_queries)):
        client.get(url.format(slug="physician"))


def test_role_page_reads_non_solid_lines_from_the_superiors_side(client, kb):
    html = client.get("/roles/chief-medical-officer/").content.decode()

    assert '<span class="kind">Oversees</span> <a href="/roles/physician/">Physician</a>' in html
    assert "Overseen by" not in html


def test_role_page_links_to_compare_print_and_pdf(client, kb):
    html = client.get("/roles/medical-director/").content.decode()

    assert 'href="/compare/?with=medical-director"' in html
    assert 'href="/roles/medical-director/pdf/"' in html
    assert "data-print" in html


@pytest.mark.parametrize(
    "slug", ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]
)
def test_each_role_page_renders_in_both_languages(client, kb, slug):
    role = Role.objects.get(slug=slug)
    english = client.get(f"/roles/{slug}/")
    norwegian = client.get(f"/nb/roles/{slug}/")
    assert english.status_code == norwegian.status_code == 200
    assert role.title_en in english.content.decode()
    assert role.title_nb in norwegian.content.decode()


def test_role_page_shows_duties_qualifications_lines_and_citations(client, kb):
    body = client.get("/roles/chief-medical-officer/").content.decode()
    assert "Set pay grades for staff" in body
    assert "Finance and resources" in body
    assert "Business acumen" in body
    assert 'href="/roles/associate-chief-medical-officer/"' in body
    assert "bestemmer lønnsgraden for ansatte" in body  # the verbatim Norwegian excerpt
    assert "1342" in body


def test_role_page_links_up_the_reporting_line(client, kb):
    body = client.get("/roles/physician/").content.decode()
    assert 'href="/roles/medical-director/"' in body
    assert "editorial" in body


def test_a_role_that_does_not_exist_is_404(client, kb):
    assert client.get("/roles/chief-of-everything/").status_code == 404


def test_pages_refuse_writes(client, kb):
    assert client.post("/").status_code == 405
    assert client.post("/roles/physician/").status_code == 405


def test_pages_need_sign_in_when_public_read_is_off(client, kb, settings, reader):
    settings.KB_PUBLIC_READ = False
    response = client.get("/roles/physician/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(reader)
    assert client.get("/roles/physician/").status_code == 200


@pytest.mark.parametrize("slug", ["chief-medical-officer", "physician"])
def test_role_page_query_count_is_fixed(client, kb, django_assert_num_queries, slug):
    with django_assert_num_queries(8):  # the sheet's seven, the role's column of the matrix
        client.get(f"/roles/{slug}/")
