"""Signing in and out with Django's auth views, styled like the rest of the site, in both languages."""

from django.urls import reverse

from kb_testing import PASSWORD


def test_login_page_is_part_of_the_site(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Medical Roles KB" in html
    assert 'name="username"' in html and 'name="password"' in html


def test_login_page_is_served_in_norwegian_too(client, db):
    response = client.get("/nb/accounts/login/")

    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()


def test_a_wrong_password_is_reported_and_the_username_kept(client, editor):
    response = client.post(reverse("login"), {"username": "editor", "password": "wrong"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct username and password." in html
    assert 'value="editor"' in html
    assert "_auth_user_id" not in client.session


def test_signing_in_returns_to_the_page_asked_for(client, editor, cmo):
    edit_url = reverse("descriptions:edit", args=[cmo.slug])
    login_url = client.get(edit_url).url

    response = client.post(login_url, {"username": "editor", "password": PASSWORD, "next": edit_url})

    assert response.status_code == 302
    assert response.url == edit_url
    assert client.get(edit_url).status_code == 200


def test_signing_in_ignores_a_next_on_another_site(client, editor):
    response = client.post(
        reverse("login"), {"username": "editor", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == reverse("descriptions:directory")


def test_signing_out_returns_to_the_directory(editor_client):
    response = editor_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("descriptions:directory")
    assert "_auth_user_id" not in editor_client.session
