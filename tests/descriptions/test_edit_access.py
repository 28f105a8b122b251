"""Who may open the edit pages: anonymous users sign in first, signed-in users without rights get 403,
a missing role is 404, and each page answers only the methods it supports (405 otherwise)."""

import pytest
from django.urls import reverse

from roles.models import Qualification, ReportingLine, RoleFact


def edit_pages(cmo, duty):
    """(URL, methods the page answers) for every editing page of the chief medical officer."""
    qualification = Qualification.objects.filter(role=cmo).first()
    line = ReportingLine.objects.filter(superior=cmo).first()
    fact = RoleFact.objects.filter(role=cmo).first()
    slug = cmo.slug
    pages = [
        (reverse("descriptions:edit", args=[slug]), "GET"),
        (reverse("descriptions:create"), "GET"),
        (reverse("responsibilities:duties_add", args=[slug]), "GET"),
        (reverse("responsibilities:duties_edit", args=[slug, duty.pk]), "GET"),
        (reverse("responsibilities:duties_delete", args=[slug, duty.pk]), "GET"),
        (reverse("responsibilities:duties_move", args=[slug, duty.pk]), "POST"),
        (reverse("roles:qualifications_add", args=[slug]), "GET"),
        (reverse("roles:qualifications_edit", args=[slug, qualification.pk]), "GET"),
        (reverse("roles:qualifications_delete", args=[slug, qualification.pk]), "GET"),
        (reverse("roles:qualifications_move", args=[slug, qualification.pk]), "POST"),
        (reverse("roles:lines_add", args=[slug]), "GET"),
        (reverse("roles:lines_edit", args=[slug, line.pk]), "GET"),
        (reverse("roles:lines_delete", args=[slug, line.pk]), "GET"),
        (reverse("roles:facts_add", args=[slug]), "GET"),
        (reverse("roles:facts_edit", args=[slug, fact.pk]), "GET"),
        (reverse("roles:facts_delete", args=[slug, fact.pk]), "GET"),
        (reverse("roles:facts_move", args=[slug, fact.pk]), "POST"),
        (reverse("descriptions:revert", args=[slug, "duties", 1]), "POST"),
        (reverse("descriptions:restore", args=[slug, "duties", 1]), "POST"),
    ]
    return pages


def _request(client, url, method):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_anonymous_users_are_sent_to_sign_in_from_every_edit_page(client, cmo, duty):
    for url, method in edit_pages(cmo, duty):
        response = _request(client, url, method)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}", url


def test_signed_in_users_without_editor_rights_get_a_friendly_403(reader_client, cmo, duty):
    for url, method in edit_pages(cmo, duty):
        response = _request(reader_client, url, method)
        assert response.status_code == 403, url
        assert "ask an administrator to add you to the Editors group" in response.content.decode(), url


def test_editors_can_open_every_edit_page(editor_client, cmo, duty):
    for url, method in edit_pages(cmo, duty):
        if method == "GET":
            assert editor_client.get(url).status_code == 200, url


def test_staff_with_the_permission_but_not_in_the_group_may_edit(cmo, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("sam.staff", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_qualification"))
    client.force_login(user)

    assert client.get(reverse("roles:qualifications_add", args=[cmo.slug])).status_code == 200
    assert client.get(reverse("roles:facts_add", args=[cmo.slug])).status_code == 403


def test_superusers_may_edit(cmo, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root-user", password=None))

    assert client.get(reverse("descriptions:edit", args=[cmo.slug])).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "descriptions:edit",
        "responsibilities:duties_add",
        "roles:qualifications_add",
        "roles:lines_add",
        "roles:facts_add",
    ],
)
def test_a_missing_role_is_404(editor_client, kb, name):
    assert editor_client.get(reverse(name, args=["no-such-role"])).status_code == 404


def test_a_row_of_another_role_is_404(editor_client, kb, duty):
    url = reverse("responsibilities:duties_edit", args=["physician", duty.pk])

    assert editor_client.get(url).status_code == 404


def test_history_of_a_missing_role_is_404(editor_client, kb):
    assert editor_client.get(reverse("descriptions:history", args=["no-such-role"])).status_code == 404


def test_edit_pages_refuse_other_methods_with_405(editor_client, cmo, duty):
    for url, method in edit_pages(cmo, duty):
        if method == "GET":
            assert editor_client.put(url).status_code == 405, url
            assert editor_client.delete(url).status_code == 405, url
        elif "/revert/" in url:  # GET asks to confirm the revert
            assert editor_client.put(url).status_code == 405, url
        else:
            assert editor_client.get(url).status_code == 405, url


def test_history_page_refuses_post_with_405(editor_client, cmo):
    assert editor_client.post(reverse("descriptions:history", args=[cmo.slug])).status_code == 405


def test_history_asks_anonymous_users_to_sign_in(client, cmo):
    url = reverse("descriptions:history", args=[cmo.slug])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_history_is_open_to_signed_in_readers_without_revert_buttons(reader_client, cmo):
    response = reader_client.get(reverse("descriptions:history", args=[cmo.slug]))

    assert response.status_code == 200
    assert "Revert to this version" not in response.content.decode()


def test_read_pages_hide_from_anonymous_users_when_public_read_is_off(client, cmo, settings):
    settings.KB_PUBLIC_READ = False

    for url in (reverse("descriptions:directory"), reverse("descriptions:detail", args=[cmo.slug])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_read_pages_stay_open_to_signed_in_users_when_public_read_is_off(reader_client, cmo, settings):
    settings.KB_PUBLIC_READ = False

    assert reader_client.get(reverse("descriptions:detail", args=[cmo.slug])).status_code == 200


def test_role_page_links_to_edit_and_history_for_editors_only(client, reader_client, editor_client, cmo):
    url = reverse("descriptions:detail", args=[cmo.slug])
    edit_link = f'href="{reverse("descriptions:edit", args=[cmo.slug])}"'
    history_link = f'href="{reverse("descriptions:history", args=[cmo.slug])}"'

    anonymous, reader, editor = (c.get(url).content.decode() for c in (client, reader_client, editor_client))

    assert edit_link not in anonymous and history_link not in anonymous
    assert edit_link not in reader and history_link in reader
    assert edit_link in editor and history_link in editor
