"""The matrix page, a cell's page, setting a cell in place, and a role's column on its page."""

import re

import pytest

from responsibilities.models import Activity, Assignment

MATRIX = "/responsibilities/"


def test_it_shows_activities_by_category_roles_as_columns_and_a_legend(kb, client):
    html = client.get(MATRIX).content.decode()
    assert '<table class="raci">' in html and "<caption" in html
    assert html.count('<th scope="col" class="role-col">') == 4
    assert html.count('<th scope="row" class="activity-col">') == 8
    assert 'scope="colgroup"' in html and "Quality and patient safety" in html
    assert "Accountable: answers for the work" in html
    assert 'href="/responsibilities/budget/chief-medical-officer/"' in html
    assert "Set</button>" not in html  # readers get no editing controls


def test_it_is_in_norwegian_under_nb(kb, client):
    html = client.get("/nb" + MATRIX).content.decode()
    assert "Medisinsk visjon og strategi" in html and "Ansvarlig for" not in html
    assert "Tegnforklaring" in html


def test_filters_by_category_and_role(kb, client):
    html = client.get(MATRIX, {"category": "quality-safety"}).content.decode()
    assert html.count('<th scope="row" class="activity-col">') == 2
    html = client.get(MATRIX, {"role": "physician"}).content.decode()
    assert html.count('<th scope="row" class="activity-col">') == 6  # the activities the physician takes part in
    assert "Medical vision and strategy" not in html


def test_an_unknown_filter_is_a_400_that_says_so(kb, client):
    response = client.get(MATRIX, {"category": "nope"})
    assert response.status_code == 400 and "There is no duty category “nope”." in response.content.decode()


def test_a_rule_break_is_shown(kb, client):
    Assignment.objects.filter(activity__slug="budget", letter="A").delete()
    html = client.get(MATRIX).content.decode()
    row = re.search(r'<tr id="activity-budget" class="breaks-rule">.*?</tr>', html, re.S).group(0)
    assert "No role is accountable (A)" in row


def test_a_cell_page_shows_the_duty_and_the_source(kb, client):
    html = client.get("/responsibilities/budget/associate-chief-medical-officer/").content.decode()
    assert "Manage the budget for assigned departments or programmes" in html
    assert "ACMOs often play a critical role in managing the budget" in html
    assert "Associate chief medical officer</cite>" in html


def test_the_role_page_shows_the_roles_column(kb, client):
    html = client.get("/roles/associate-chief-medical-officer/").content.decode()
    assert "Responsible for" in html and "Consulted on" in html
    assert 'href="/responsibilities/budget/associate-chief-medical-officer/">Budget</a>' in html


def test_an_editor_sets_a_cell_in_place_with_history(kb, editor, editor_client):
    html = editor_client.get(MATRIX).content.decode()
    assert 'action="/responsibilities/budget/physician/set/"' in html
    response = editor_client.post(
        "/responsibilities/budget/physician/set/", {"letter": "I", "version": 0, "next": MATRIX + "?category=finance"}
    )
    assert response.status_code == 302 and response["Location"] == MATRIX + "?category=finance#activity-budget"
    cell = Assignment.objects.get(activity__slug="budget", role__slug="physician")
    assert cell.letter == "I" and cell.editorial and cell.history.first().history_user == editor


def test_a_change_breaking_a_rule_is_refused_with_the_activitys_name(kb, editor_client):
    response = editor_client.post(
        "/responsibilities/budget/medical-director/set/", {"letter": "A", "version": 1}, follow=True
    )
    assert "Refused for the activity “Budget”: more than one role would be accountable (A)" in response.content.decode()
    assert Assignment.objects.get(activity__slug="budget", role__slug="medical-director").letter == "C"


def test_a_stale_cell_is_refused_in_place(kb, editor_client):
    response = editor_client.post(
        "/responsibilities/budget/medical-director/set/", {"letter": "I", "version": 7}, follow=True
    )
    assert "Someone else saved this in the meantime" in response.content.decode()
    assert Assignment.objects.get(activity__slug="budget", role__slug="medical-director").letter == "C"


def test_an_editor_changes_a_cell_and_its_citation_on_its_page(kb, editor_client):
    cell = Assignment.objects.get(activity__slug="budget", role__slug="medical-director")
    url = "/responsibilities/budget/medical-director/"
    assert 'name="letter"' in editor_client.get(url).content.decode()
    data = {"letter": "I", "version": cell.version, "editorial": "on", "excerpt": "", "source": "", "duty": ""}
    assert editor_client.post(url, data).status_code == 302
    cell.refresh_from_db()
    assert cell.letter == "I" and cell.version == 2


def test_clearing_a_cell_takes_the_role_out(kb, editor_client):
    cell = Assignment.objects.get(activity__slug="budget", role__slug="medical-director")
    editor_client.post("/responsibilities/budget/medical-director/set/", {"letter": "", "version": cell.version})
    assert not Assignment.objects.filter(pk=cell.pk).exists()


@pytest.mark.parametrize("url", ["/responsibilities/budget/physician/set/", "/responsibilities/budget/physician/"])
def test_readers_cannot_set_a_cell(kb, reader_client, url):
    assert reader_client.post(url, {"letter": "I", "version": 0}).status_code == 403
    assert not Assignment.objects.filter(activity__slug="budget", role__slug="physician").exists()


def test_anonymous_visitors_are_sent_to_sign_in(kb, client):
    response = client.post("/responsibilities/budget/physician/set/", {"letter": "I", "version": 0})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_set_only_takes_posts_and_a_missing_cell_is_404(kb, editor_client):
    assert editor_client.get("/responsibilities/budget/physician/set/").status_code == 405
    assert editor_client.post("/responsibilities/nope/physician/set/", {"letter": "I", "version": 0}).status_code == 404


def test_the_matrix_pages_through_many_activities(kb, client):
    assert Activity.objects.count() == 8
    from descriptions.demo import generate_demo_org

    generate_demo_org(700)
    assert Activity.objects.count() > 25
    first = client.get(MATRIX).content.decode()
    assert first.count('<th scope="row" class="activity-col">') == 25 and 'rel="next"' in first
    filtered = client.get(MATRIX, {"category": "governance", "page": 2}).content.decode()
    assert 'href="?category=governance&amp;page=1"' in filtered


def test_an_editor_moves_the_accountable_role_in_one_save(kb, editor, editor_client):
    holder = Assignment.objects.get(activity__slug="budget", letter="A")
    target = Assignment.objects.get(activity__slug="budget", role__slug="associate-chief-medical-officer")
    page = editor_client.get("/responsibilities/budget/associate-chief-medical-officer/").content.decode()
    assert 'action="/responsibilities/budget/associate-chief-medical-officer/accountable/"' in page
    assert '<option value="R" selected>' in page and f'name="accountable_version" value="{holder.version}"' in page

    response = editor_client.post(
        "/responsibilities/budget/associate-chief-medical-officer/accountable/",
        {"becomes": "R", "version": target.version, "accountable_version": holder.version},
    )

    assert response.status_code == 302
    letters = dict(Assignment.objects.filter(activity__slug="budget").values_list("role__slug", "letter"))
    assert letters["associate-chief-medical-officer"] == "A" and letters[holder.role.slug] == "R"
    assert Activity.objects.get(slug="budget").assignments.filter(letter="A").count() == 1


def test_moving_the_accountable_role_is_refused_when_it_would_leave_no_r_or_is_stale(kb, editor_client):
    holder = Assignment.objects.get(activity__slug="budget", letter="A")
    target = Assignment.objects.get(activity__slug="budget", role__slug="associate-chief-medical-officer")
    url = "/responsibilities/budget/associate-chief-medical-officer/accountable/"
    Assignment.objects.filter(activity__slug="budget", letter="R").exclude(pk=target.pk).update(letter="C")

    no_r = editor_client.post(
        url, {"becomes": "C", "version": target.version, "accountable_version": holder.version}, follow=True
    )
    stale = editor_client.post(url, {"becomes": "R", "version": target.version, "accountable_version": 99}, follow=True)

    assert "Refused for the activity “Budget”: no role would be responsible (R)" in no_r.content.decode()
    assert "Someone else saved this in the meantime" in stale.content.decode()
    assert Assignment.objects.get(pk=holder.pk).letter == "A" and Assignment.objects.get(pk=target.pk).letter == "R"


def _new_activity(**changes):
    category = Activity.objects.get(slug="budget").category
    return {
        "slug": "clinical-audit",
        "category": category.pk,
        "title_en": "Clinical audit",
        "title_nb": "Klinisk revisjon",
        "description_en": "",
        "description_nb": "",
        "accountable": "chief-medical-officer",
        "responsible": "medical-director",
        **changes,
    }


def test_an_editor_adds_an_activity_with_its_accountable_and_responsible_roles(kb, editor, editor_client):
    assert 'href="/responsibilities/new/"' in editor_client.get(MATRIX).content.decode()

    response = editor_client.post("/responsibilities/new/", _new_activity())

    activity = Activity.objects.get(slug="clinical-audit")
    assert response.status_code == 302 and response["Location"].endswith("#activity-clinical-audit")
    letters = dict(activity.assignments.values_list("role__slug", "letter"))
    assert letters == {"chief-medical-officer": "A", "medical-director": "R"}
    others = Activity.objects.filter(category=activity.category).exclude(pk=activity.pk)
    assert all(activity.position > other.position for other in others)  # last in its category
    assert activity.history.first().history_user == editor
    assert "Clinical audit" in editor_client.get(MATRIX).content.decode()


def test_a_new_activity_needs_two_roles_and_a_free_slug(kb, editor_client, reader_client):
    same_role = editor_client.post("/responsibilities/new/", _new_activity(responsible="chief-medical-officer"))
    taken = editor_client.post("/responsibilities/new/", _new_activity(slug="budget"))

    assert "one role has one part in an activity" in same_role.content.decode()
    assert taken.status_code == 200 and "already exists" in taken.content.decode()
    assert not Activity.objects.filter(slug="clinical-audit").exists()
    assert reader_client.post("/responsibilities/new/", _new_activity()).status_code == 403
    assert 'href="/responsibilities/new/"' not in reader_client.get(MATRIX).content.decode()
