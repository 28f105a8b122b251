"""No stale read: every kind of write shows on every page and API that displays it, on the very next
read, in every server process — while a write leaves the cached pages it does not change in place.

Two "processes" here are two separate local-memory caches over one database: what two gunicorn
workers have (cache keys come from versions in the database, never from a process's memory).
test_staleness_processes.py makes the same writes through real gunicorn servers; the table of what
each write shows where is shared (kb_staleness).
"""

import pytest
from django.core.cache import cache
from django.test import Client
from kb_staleness import CMO, DIRECTOR, HIT, PHYSICIAN, SHOWN, WATCHED, role_pages

from knowledge import services
from responsibilities.models import Activity, Assignment, Duty
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"

pytestmark = pytest.mark.usefixtures("response_cache_on")


class Process:
    """One server process: its own cache (a local-memory cache of its own), the shared database."""

    def __init__(self, settings, name: str):
        self.settings, self.name, self.client = settings, name, Client()

    def use(self):
        location = f"staleness-{self.name}"
        # Each process its own cache; generated documents are shared by a host's processes (settings).
        self.settings.CACHES = {**self.settings.CACHES, "default": {"BACKEND": LOCMEM, "LOCATION": location}}
        return cache

    def get(self, path: str):
        self.use()
        response = self.client.get(path)
        assert response.status_code == 200, path
        return response


@pytest.fixture
def processes(settings):
    # Each test's database starts over (its transaction is rolled back) but a cache would not.
    both = [Process(settings, "a"), Process(settings, "b")]
    for process in both:
        process.use().clear()
    yield both
    for process in both:
        process.use().clear()


def update(instance, **data):
    services.content_update(instance=instance, data=data, user=None, expected_version=None)


def _duty(slug: str) -> Duty:
    return Duty.objects.filter(role__slug=slug).order_by("pk").first()


def shown(write) -> tuple[str, tuple[str, ...]]:
    return SHOWN[write.__name__].marker, SHOWN[write.__name__].pages


def rename_role():
    update(Role.objects.get(slug=PHYSICIAN), title_en="Ward Physician Zeta")
    return shown(rename_role)


def role_summary():
    update(Role.objects.get(slug=PHYSICIAN), summary_en="Summary Zeta")
    return shown(role_summary)


def other_title():
    title = RoleTitle.objects.filter(role__slug=PHYSICIAN, language="nb").order_by("pk").first()
    update(title, title="Avdelingslege Zeta")
    return shown(other_title)


def key_fact():
    fact = RoleFact.objects.filter(role__slug=CMO).order_by("pk").first()
    update(fact, text_en="Fact Zeta-fact", text_nb="Fakta Zeta-fact")
    return shown(key_fact)


def qualification():
    row = Qualification.objects.filter(role__slug=PHYSICIAN).order_by("pk").first()
    update(row, text_en="Qualification Zeta-qualification", text_nb="Kvalifikasjon Zeta-qualification")
    return shown(qualification)


def duty_edit():
    update(_duty(PHYSICIAN), title_en="Duty Zeta-duty", title_nb="Oppgave Zeta-duty")
    return shown(duty_edit)


def duty_add():
    duty = _duty(PHYSICIAN)
    count = Duty.objects.filter(role__slug=PHYSICIAN).count()
    data = {"role": duty.role, "category": duty.category, "title_en": "New Duty Zeta", "title_nb": "Ny Zeta"}
    services.content_create(model=Duty, data={**data, "editorial": True}, user=None)
    assert f"{count} duties" in Client().get("/").content.decode()
    return SHOWN["duty_add"].text(duties=count + 1), SHOWN["duty_add"].pages


def duty_add_shows_on_its_role():
    duty = _duty(PHYSICIAN)
    data = {"role": duty.role, "category": duty.category, "title_en": "New Duty Zeta-new", "title_nb": "Ny Zeta-new"}
    services.content_create(model=Duty, data={**data, "editorial": True}, user=None)
    return shown(duty_add_shows_on_its_role)


def duty_delete():
    count = Duty.objects.filter(role__slug=PHYSICIAN).count()
    services.content_delete(instance=_duty(PHYSICIAN), user=None, expected_version=None)
    return SHOWN["duty_delete"].text(duties=count - 1), SHOWN["duty_delete"].pages


def duty_moves_to_another_role():
    duty = _duty(PHYSICIAN)
    update(duty, title_en="Moved Duty Zeta-moved", title_nb="Flyttet Zeta-moved")
    update(Duty.objects.get(pk=duty.pk), role=Role.objects.get(slug=DIRECTOR))
    return shown(duty_moves_to_another_role)


def reporting_line():
    line = ReportingLine.objects.get(subordinate__slug=PHYSICIAN, superior__slug=CMO, kind="liaison")
    update(line, kind="dotted")
    return shown(reporting_line)


def source_title():
    cited = RoleFact.objects.filter(role__slug=CMO, source__isnull=False).order_by("pk").first()
    update(cited.source, title="Source Zeta")
    return shown(source_title)


def activity_title():
    activity = Activity.objects.filter(assignments__role__slug=CMO).order_by("pk").first()
    update(activity, title_en="Activity Zeta-activity", title_nb="Aktivitet Zeta-activity")
    return shown(activity_title)


def duty_category():
    update(_duty(PHYSICIAN).category, name_en="Category Zeta-category", name_nb="Kategori Zeta-category")
    return shown(duty_category)


def assignment_duty():
    cell = Assignment.objects.filter(role__slug=CMO).order_by("pk").first()
    duty = Duty.objects.filter(role__slug=CMO).order_by("-pk").first()
    update(duty, title_en="Assigned Duty Zeta")
    update(Assignment.objects.get(pk=cell.pk), duty=Duty.objects.get(pk=duty.pk))
    return shown(assignment_duty)


WRITES = [
    rename_role,
    role_summary,
    other_title,
    key_fact,
    qualification,
    duty_edit,
    duty_add,
    duty_add_shows_on_its_role,
    duty_delete,
    duty_moves_to_another_role,
    reporting_line,
    source_title,
    activity_title,
    duty_category,
    assignment_duty,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__)
def test_every_write_shows_on_the_next_read_in_every_process(kb, processes, write):
    for process in processes:
        for path in WATCHED:
            process.get(path)
            assert process.get(path)[HIT] == "hit"  # both processes hold every page before the write

    marker, pages = write()

    for process in processes:
        for path in pages:
            response = process.get(path)
            assert marker in response.content.decode(), f"{write.__name__}: {path} in process {process.name}"


def test_a_duty_edit_leaves_other_roles_the_org_chart_and_the_directory_cached(kb, processes):
    charts = ["/org-chart/", "/org-chart/graph.json", "/api/v1/org-chart/"]
    unchanged = [*role_pages(DIRECTOR), *role_pages(CMO), "/", *charts]
    for process in processes:
        for path in [*unchanged, *role_pages(PHYSICIAN)]:
            process.get(path)

    duty_edit()

    for process in processes:
        assert all(process.get(path).get(HIT) == "hit" for path in unchanged)
        assert not any(process.get(path).get(HIT) for path in role_pages(PHYSICIAN)[:1])


def test_a_role_rename_reaches_every_role_page(kb, processes):
    for process in processes:
        for path in WATCHED:
            process.get(path)

    rename_role()

    for process in processes:
        assert not any(process.get(path).get(HIT) for path in WATCHED if path.startswith("/roles/"))


def test_a_repeated_pdf_is_shared_by_the_processes_until_its_role_changes(kb, processes):
    first = processes[0].get(f"/roles/{PHYSICIAN}/pdf/")
    again = processes[1].get(f"/roles/{PHYSICIAN}/pdf/")  # the other process: documents are shared

    duty_edit()
    after = processes[1].get(f"/roles/{PHYSICIAN}/pdf/")

    assert HIT not in first
    assert again[HIT] == "hit"
    assert again.content == first.content
    assert HIT not in after
