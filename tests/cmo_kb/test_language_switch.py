"""The language switcher keeps the reader on the same page, query string included; <html lang> follows."""

import pytest


@pytest.mark.parametrize(
    ("url", "other", "lang"),
    [
        ("/", "/nb/", "en"),
        ("/roles/physician/", "/nb/roles/physician/", "en"),
        ("/search/?q=lege&x=%C3%B8", "/nb/search/?q=lege&amp;x=%C3%B8", "en"),
        ("/nb/", "/", "nb"),
        ("/nb/roles/physician/", "/roles/physician/", "nb"),
        ("/nb/search/?q=budsjett", "/search/?q=budsjett", "nb"),
    ],
)
def test_switch_links_to_the_same_page_in_the_other_language(client, kb, url, other, lang):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert f'<a href="{other}" lang="{"nb" if lang == "en" else "en"}"' in html
    assert f'<span aria-current="true" lang="{lang}">' in html


def test_language_switch_links_to_the_same_page(client, kb):
    body = client.get("/roles/physician/").content.decode()
    assert 'href="/nb/roles/physician/"' in body
    body = client.get("/nb/roles/physician/").content.decode()
    assert 'href="/roles/physician/"' in body
