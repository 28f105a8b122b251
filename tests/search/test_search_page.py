"""The search page /search/?q= in both languages: results, messages, escaping and cost."""

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from responsibilities.models import Duty
from search.search import MAX_QUERY_LENGTH
from search.sections import sections

from kb_testing import search_queries


def search_url(language="en"):
    with translation.override(language):
        return reverse("search:search")


def test_search_urls_are_english_at_the_root_and_norwegian_under_nb():
    assert search_url("en") == "/search/"
    assert search_url("nb") == "/nb/search/"


def test_it_shows_the_box_and_suggestions_without_a_query(client, kb):
    response = client.get("/search/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="search" id="search-q" name="q" value=""' in html
    assert 'href="/search/?q=budget"' in html
    assert "match" not in html.split('id="h-suggestions"')[0].split("</form>")[1]


def test_it_lists_matches_grouped_by_role_with_highlights(client, kb):
    response = client.get("/search/", {"q": "budget"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 matches for “budget”" in html
    assert "in 2 roles" in html
    assert 'href="/roles/chief-medical-officer/"' in html
    assert 'href="/roles/associate-chief-medical-officer/"' in html
    duty = Duty.objects.get(seed_key="duty:cmo.d.budget")
    # Every match links to its row on the role page.
    assert (
        f'<a href="/roles/chief-medical-officer/#duty-{duty.pk}" lang="en">Help manage the <mark>budget</mark></a>'
        in html
    )
    assert {group.role.slug for group in response.context["results"].groups} == {
        "chief-medical-officer",
        "associate-chief-medical-officer",
    }


def test_norwegian_page_shows_norwegian_titles_and_texts(client, kb):
    response = client.get("/nb/search/", {"q": "budsjettet"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert 'href="/nb/roles/chief-medical-officer/">Medisinsk sjef</a>' in html
    duty = Duty.objects.get(seed_key="duty:cmo.d.budget")
    assert (
        '<li><span class="kind">Økonomi og ressurser</span> '
        f'<a href="/nb/roles/chief-medical-officer/#duty-{duty.pk}" lang="nb">'
        "Bidra til å styre <mark>budsjettet</mark></a>"
    ) in html


def test_english_page_shows_a_norwegian_match_marked_as_norwegian(client, kb):
    # "bindeleddet" (the link) is in the Norwegian text only, and no synonym of an English word.
    html = client.get("/search/", {"q": "bindeleddet"}).content.decode()

    assert '<html lang="en">' in html
    duty = Duty.objects.get(seed_key="duty:cmo.d.liaison")
    assert (
        '<li><span class="kind">Physician relations and leadership</span> '
        f'<a href="/roles/chief-medical-officer/#duty-{duty.pk}" lang="nb">Være <mark>bindeleddet</mark> mellom'
    ) in html


def test_no_match_shows_a_helpful_empty_state(client, kb):
    response = client.get("/search/", {"q": "xylophone"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "0 matches for “xylophone”" in html
    assert "Nothing in the knowledge base matches “xylophone”." in html
    assert "Check the spelling" in html
    assert 'href="/"' in html
    assert 'href="/search/?q=lege"' in html


@pytest.mark.parametrize("q", ["", "    "])
def test_blank_query_gets_a_clear_message(client, kb, q):
    response = client.get("/search/", {"q": q})

    assert response.status_code == 200
    assert response.context["error"] == "Type a word or two to search for, such as a title or a duty."
    assert '<p class="notice error" role="alert">Type a word or two' in response.content.decode()
    assert response.context["results"] is None


def test_overlong_query_is_refused_with_a_clear_message_and_kept_in_the_box_cut_to_size(client, kb):
    response = client.get("/search/", {"q": "budget " * 40})

    assert response.status_code == 400
    html = response.content.decode()
    assert f"Your search is too long: use at most {MAX_QUERY_LENGTH} characters." in html
    assert len(response.context["query"]) == MAX_QUERY_LENGTH


def test_script_in_the_query_is_escaped_everywhere(client, kb):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get("/search/", {"q": payload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="&quot;&gt;&lt;script&gt;' in html


def test_wrong_method_is_refused(client, kb):
    assert client.post("/search/", {"q": "budget"}).status_code == 405


def test_readers_must_sign_in_when_public_read_is_off(client, kb, settings):
    settings.KB_PUBLIC_READ = False

    response = client.get("/search/", {"q": "budget"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/search/")


@pytest.mark.parametrize("language", ["en", "nb"])
def test_query_count_does_not_grow_with_the_results(client, kb, django_assert_num_queries, language):
    url = search_url(language)
    # The thesaurus, the word list, on PostgreSQL the expressions, and two queries per kind of row (rank, load).
    with django_assert_num_queries(search_queries()) as small:
        client.get(url, {"q": "pay grades"})
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"q": "lege"})

    assert response.context["results"].count > 10


def test_language_switch_keeps_the_query(client, kb):
    html = client.get("/search/", {"q": "budget"}).content.decode()

    assert 'href="/nb/search/?q=budget" lang="nb" hreflang="nb"' in html


@pytest.mark.parametrize(("language", "says"), [("en", "Also searched for"), ("nb", "Søkte også etter")])
def test_a_misspelt_search_says_what_it_searched_for_instead(client, kb, language, says):
    html = client.get(search_url(language), {"q": "chif medcal"}).content.decode()

    assert f'{says} <a href="{search_url(language)}?q=chief%20medical">chief medical</a>' in html


def test_a_search_spelt_right_says_nothing_about_spelling(client, kb):
    html = client.get(search_url(), {"q": "grades"}).content.decode()

    assert "Also searched for" not in html


@pytest.mark.parametrize(
    ("prefix", "counted", "exact"), [("", "more than 1,000", "2,500"), ("/nb", "flere enn 1\xa0000", "2\xa0500")]
)
def test_large_counts_are_written_as_each_language_writes_numbers(client, kb, monkeypatch, prefix, counted, exact):
    from search import views

    def large(results):
        first, second, *rest = sections(results)
        return [replace(first, total=1000, more_than=True), replace(second, total=2500, more_than=False), *rest]

    monkeypatch.setattr(views, "sections", large)
    html = client.get(f"{prefix}/search/", {"q": "budget"}).content.decode()

    assert counted in html and exact in html


def test_a_page_of_one_kind_past_the_last_is_not_found(client, kb):
    only = client.get(search_url(), {"q": "lege", "kind": "duty"})  # every duty matching fits on page 1
    assert only.status_code == 200 and 0 < only.context["results"].returned["duty"] < 25

    assert client.get(search_url(), {"q": "lege", "kind": "duty", "page": 2}).status_code == 404
    assert client.get(search_url("nb"), {"q": "xyzzy", "kind": "duty", "page": 2}).status_code == 404
