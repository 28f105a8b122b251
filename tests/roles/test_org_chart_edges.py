"""Org-chart edges name their reporting line (id, address, note, editorial) and both ends.

The ends are `subordinate` and `superior`, which do not read like a citation's `source`.
"""

from roles.models import ReportingLine


def test_an_edge_carries_its_line_s_id_note_and_editorial_flag(anon_client, kb):
    edges = anon_client.get("/api/v1/org-chart/").json()["edges"]

    line = ReportingLine.objects.get(subordinate__slug="physician", superior__slug="medical-director")
    assert {
        "id": line.pk, "url": f"http://testserver/api/v1/reporting-lines/{line.pk}/", "subordinate": "physician",
        "superior": "medical-director", "kind": "reports_to", "note": line.note_en, "editorial": line.editorial,
        "source": "physician", "target": "medical-director",  # the deprecated names, kept
    } in edges  # fmt: skip
    assert len({edge["id"] for edge in edges}) == len(edges) == ReportingLine.objects.count()


def test_an_edge_s_note_is_in_the_asked_language(anon_client, kb):
    line = ReportingLine.objects.exclude(note_nb="").first()
    if line is None:
        line = ReportingLine.objects.first()
        ReportingLine.objects.filter(pk=line.pk).update(note_en="Dotted", note_nb="Stiplet")
        line.refresh_from_db()

    edges = {edge["id"]: edge for edge in anon_client.get("/api/v1/org-chart/?lang=nb").json()["edges"]}

    assert edges[line.pk]["note"] == line.note_nb
