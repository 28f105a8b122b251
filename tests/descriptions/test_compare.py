"""The compare page: two or three roles side by side, in both languages, at a fixed query cost; bad selections."""

import pytest

from roles.models import Role

PAIR = "chief-medical-officer,associate-chief-medical-officer"


@pytest.mark.parametrize("prefix", ["", "/nb"])
def test_compare_shows_roles_side_by_side_in_constant_queries(client, kb, prefix, django_assert_num_queries):
    # The chosen roles' titles, the picker's list and the four reads of the comparison.
    with django_assert_num_queries(6):
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
    assert response.context["chosen"] == [("physician", "Physician")]
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
