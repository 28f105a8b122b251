"""What the staleness tests share: each kind of write, the text it puts on the pages, and those pages.

``tests/knowledge/test_staleness.py`` performs each write through the write layer and reads with two
caches in one process; ``tests/knowledge/test_staleness_processes.py`` performs the same writes
through the API of one gunicorn server and reads through two. Both check the table below: after a
write of ``KIND``, every page in ``SHOWN[KIND].pages`` shows ``SHOWN[KIND].marker``.
"""

from typing import NamedTuple

HIT = "X-KB-Cache"
PHYSICIAN, DIRECTOR, CMO = "physician", "medical-director", "chief-medical-officer"


def role_pages(slug: str) -> tuple[str, ...]:
    return (f"/roles/{slug}/", f"/nb/roles/{slug}/", f"/api/v1/roles/{slug}/")


class Shown(NamedTuple):
    """Text that appears only once the write is visible (``{duties}``: the role's duty count after it)."""

    marker: str
    pages: tuple[str, ...]

    def text(self, **counts) -> str:
        return self.marker.format(**counts)


ORG_CHART = ("/org-chart/", "/org-chart.svg", "/org-chart/graph.json", "/api/v1/org-chart/")
MATRIX = ("/responsibilities/", "/api/v1/raci/")

SHOWN = {
    # The role's own pages, its superior's (which lists it), the org chart and the directory.
    "rename_role": Shown(
        "Ward Physician Zeta",
        (f"/roles/{PHYSICIAN}/", f"/api/v1/roles/{PHYSICIAN}/", f"/roles/{DIRECTOR}/", *ORG_CHART, "/"),
    ),
    "role_summary": Shown("Summary Zeta", (f"/roles/{PHYSICIAN}/", f"/api/v1/roles/{PHYSICIAN}/", "/")),
    "other_title": Shown("Avdelingslege Zeta", role_pages(PHYSICIAN)),
    # Each write's text is its own: the servers' database keeps every write of the module.
    "key_fact": Shown("Zeta-fact", role_pages(CMO)),
    "qualification": Shown("Zeta-qualification", role_pages(PHYSICIAN)),
    "duty_edit": Shown("Zeta-duty", role_pages(PHYSICIAN)),
    "duty_add": Shown("{duties} duties", ("/",)),
    "duty_add_shows_on_its_role": Shown("Zeta-new", role_pages(PHYSICIAN)),
    "duty_delete": Shown("{duties} duties", ("/",)),
    "duty_moves_to_another_role": Shown("Zeta-moved", role_pages(DIRECTOR)),
    "reporting_line": Shown('"dotted"', ("/api/v1/org-chart/", "/org-chart/graph.json")),
    "source_title": Shown("Source Zeta", (f"/roles/{CMO}/", f"/api/v1/roles/{CMO}/")),
    "activity_title": Shown("Zeta-activity", (f"/roles/{CMO}/", f"/nb/roles/{CMO}/", *MATRIX)),
    "duty_category": Shown("Zeta-category", (f"/roles/{PHYSICIAN}/", f"/nb/roles/{PHYSICIAN}/")),
    "assignment_duty": Shown("Assigned Duty Zeta", (f"/roles/{CMO}/",)),
}

# Pages read around every write: each write's own pages come on top.
WATCHED = (
    *role_pages(PHYSICIAN),
    *role_pages(DIRECTOR),
    *role_pages(CMO),
    "/",
    "/org-chart/",
    "/org-chart/graph.json",
    "/api/v1/org-chart/",
)
