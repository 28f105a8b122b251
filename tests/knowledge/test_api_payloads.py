"""Whole-payload contracts: an accidental change to any field of a response fails a test."""

import hashlib

from knowledge import services
from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

CMO_NB = "hva-gjor-en-medisinsk-sjef"


def untimed(body: dict) -> dict:
    """The payload without its ``created_at``/``updated_at`` (checked in test_timestamps), which must be there."""
    assert body.pop("created_at") and body.pop("updated_at")
    return body


def test_role_detail_payload_is_the_whole_physician(anon_client, kb, seed_id):
    response = anon_client.get("/api/v1/roles/physician/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    title = lambda key: seed_id(RoleTitle, f"title:physician.{key}")  # noqa: E731
    duty = lambda key: seed_id(Duty, f"duty:physician.d.{key}")  # noqa: E731
    qualification = lambda key: seed_id(Qualification, f"qualification:physician.q.{key}")  # noqa: E731
    line = lambda key: seed_id(ReportingLine, f"line:physician-{key}")  # noqa: E731
    body = untimed(response.json())
    physician = Role.objects.get(slug="physician")
    assert body == {
        "id": physician.pk,
        "slug": "physician",
        "url": "http://testserver/api/v1/roles/physician/",
        "title": "Physician",
        "title_en": "Physician",
        "title_nb": "Lege",
        "abbreviation": "",
        "abbreviation_en": "",
        "abbreviation_nb": "",
        "summary": "A medical doctor. All physicians are overseen by the Chief Medical Officer, whose role is to "
        "make sure they deliver the best possible care to patients.",
        "summary_en": "A medical doctor. All physicians are overseen by the Chief Medical Officer, whose role is to "
        "make sure they deliver the best possible care to patients.",
        "summary_nb": "En lege med medisinsk utdanning. Alle leger er under tilsyn av medisinsk sjef, som skal sikre "
        "at de gir pasientene best mulig behandling.",
        "description": "",
        "description_en": "",
        "description_nb": "",
        "level": "clinician",
        "occupation_codes": "2211,2212",
        "department": "",
        "department_en": "",
        "department_nb": "",
        "grade": "",
        "contract_basis": "",
        "isco_codes": ["2211", "2212"],
        "position": 4,
        "source": CMO_NB,
        "excerpt": "å føre tilsyn med alle leger … å sikre at leger leverer best mulig omsorg for pasienter",
        "editorial": False,
        "version": 1,
        # The shipped knowledge base is the role's first publication, reviewed the day it was loaded.
        "publication": 1,
        "published_at": body["published_at"],
        "last_reviewed": str(physician.last_reviewed),
        "review_due": str(physician.review_due),
        "titles": [
            {
                "id": title("en.doctor"),
                "role": "physician",
                "language": "en",
                "kind": "alternative",
                "title": "Doctor",
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
            {
                "id": title("en.medical-doctor"),
                "role": "physician",
                "language": "en",
                "kind": "alternative",
                "title": "Medical doctor",
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
            {
                "id": title("en.preferred"),
                "role": "physician",
                "language": "en",
                "kind": "preferred",
                "title": "Physician",
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
            {
                "id": title("nb.doctor"),
                "role": "physician",
                "language": "nb",
                "kind": "alternative",
                "title": "doktor",
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
            {
                "id": title("nb.preferred"),
                "role": "physician",
                "language": "nb",
                "kind": "preferred",
                "title": "lege",
                "source": CMO_NB,
                "excerpt": "men ikke bare noen lege vil gjøre",
                "editorial": False,
                "version": 1,
            },
        ],
        "facts": [],
        "duties": [
            {
                "id": duty("best-care"),
                "category": "quality-safety",
                "title": "Deliver the best possible care to patients",
                "description": "",
                "involvement": "performs",
                "position": 1,
                "source": CMO_NB,
                "excerpt": "sikre at leger leverer best mulig omsorg for pasienter",
                "editorial": False,
            },
            {
                "id": duty("hospital-policy"),
                "category": "education",
                "title": "When new to the hospital, learn its policies",
                "description": "The CMO trains new physicians in hospital policy.",
                "involvement": "performs",
                "position": 2,
                "source": CMO_NB,
                "excerpt": "trener nye leger på sykehuspolitikk",
                "editorial": False,
            },
            {
                "id": duty("diagnose-treat"),
                "category": "clinical",
                "title": "Examine, diagnose and treat patients",
                "description": "",
                "involvement": "performs",
                "position": 3,
                "source": None,
                "excerpt": "",
                "editorial": True,
            },
        ],
        "qualifications": [
            {
                "id": qualification("medical-degree"),
                "role": "physician",
                "kind": "education",
                "requirement": "required",
                "text": "A medical degree.",
                "text_en": "A medical degree.",
                "text_nb": "Medisinsk grad.",
                "minimum_years": None,
                "position": 1,
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
            {
                "id": qualification("licence"),
                "role": "physician",
                "kind": "licence",
                "requirement": "required",
                "text": "A licence (authorisation) to practise medicine.",
                "text_en": "A licence (authorisation) to practise medicine.",
                "text_nb": "Lisens (autorisasjon) til å praktisere som lege.",
                "minimum_years": None,
                "position": 2,
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
        ],
        "superior_lines": [
            {
                "id": line("liaison-cmo"),
                "subordinate": "physician",
                "superior": "chief-medical-officer",
                "kind": "liaison",
                "note": "The CMO is the link between physicians and hospital management.",
                "note_en": "The CMO is the link between physicians and hospital management.",
                "note_nb": "Medisinsk sjef er bindeleddet mellom legene og sykehusledelsen.",
                "source": CMO_NB,
                "excerpt": "Generelt er denne personen en forbindelse mellom leger og sykehusledere.",
                "editorial": False,
                "version": 1,
            },
            {
                "id": line("overseen-by-cmo"),
                "subordinate": "physician",
                "superior": "chief-medical-officer",
                "kind": "oversees",
                "note": "The CMO oversees all physicians.",
                "note_en": "The CMO oversees all physicians.",
                "note_nb": "Medisinsk sjef fører tilsyn med alle leger.",
                "source": CMO_NB,
                "excerpt": "Hovedansvaret for denne stillingen inkluderer å føre tilsyn med alle leger",
                "editorial": False,
                "version": 1,
            },
            {
                "id": line("reports-to-medical-director"),
                "subordinate": "physician",
                "superior": "medical-director",
                "kind": "reports_to",
                "note": "Physicians in a department report to its medical director. The sources do not say so; "
                "this is the team's addition.",
                "note_en": "Physicians in a department report to its medical director. The sources do not say so; "
                "this is the team's addition.",
                "note_nb": "Leger i en avdeling rapporterer til avdelingens medisinske direktør. Kildene sier ikke "
                "dette; det er redaksjonens tillegg.",
                "source": None,
                "excerpt": "",
                "editorial": True,
                "version": 1,
            },
        ],
        "subordinate_lines": [],
        "sources": [{"slug": CMO_NB, "title": "Hva gjør en medisinsk sjef?", "language": "nb"}],
    }


def test_duty_detail_payload(anon_client, kb, seed_id):
    pk = seed_id(Duty, "duty:physician.d.hospital-policy")

    response = anon_client.get(f"/api/v1/duties/{pk}/")

    assert response.status_code == 200
    assert untimed(response.json()) == {
        "id": pk,
        "role": "physician",
        "category": "education",
        "title": "When new to the hospital, learn its policies",
        "title_en": "When new to the hospital, learn its policies",
        "title_nb": "Som ny på sykehuset, lære sykehusets retningslinjer",
        "description": "The CMO trains new physicians in hospital policy.",
        "description_en": "The CMO trains new physicians in hospital policy.",
        "description_nb": "Medisinsk sjef lærer opp nye leger i sykehusets retningslinjer.",
        "involvement": "performs",
        "position": 2,
        "source": CMO_NB,
        "excerpt": "trener nye leger på sykehuspolitikk",
        "editorial": False,
        "version": 1,
    }


def test_duty_category_detail_payload(anon_client, kb):
    response = anon_client.get("/api/v1/duty-categories/education/")

    assert untimed(response.json()) == {
        "slug": "education",
        "name": "Education and training",
        "name_en": "Education and training",
        "name_nb": "Utdanning og opplæring",
        "description": "Training physicians and promoting education.",
        "description_en": "Training physicians and promoting education.",
        "description_nb": "Opplæring av leger og fremme av utdanning.",
        "position": 5,
        "version": 1,
    }


def test_title_qualification_and_line_detail_payloads(anon_client, kb, seed_id):
    title = seed_id(RoleTitle, "title:physician.nb.preferred")
    qualification = seed_id(Qualification, "qualification:physician.q.medical-degree")
    line = seed_id(ReportingLine, "line:physician-reports-to-medical-director")

    assert untimed(anon_client.get(f"/api/v1/titles/{title}/").json()) == {
        "id": title, "role": "physician", "language": "nb", "kind": "preferred", "title": "lege",
        "source": CMO_NB, "excerpt": "men ikke bare noen lege vil gjøre", "editorial": False, "version": 1,
    }  # fmt: skip
    assert untimed(anon_client.get(f"/api/v1/qualifications/{qualification}/").json()) == {
        "id": qualification, "role": "physician", "kind": "education", "requirement": "required",
        "text": "A medical degree.", "text_en": "A medical degree.", "text_nb": "Medisinsk grad.",
        "minimum_years": None, "position": 1, "source": None, "excerpt": "", "editorial": True, "version": 1,
    }  # fmt: skip
    assert anon_client.get(f"/api/v1/reporting-lines/{line}/").json()["superior"] == "medical-director"
    assert set(anon_client.get(f"/api/v1/reporting-lines/{line}/").json()) == {
        "id", "subordinate", "superior", "kind", "note", "note_en", "note_nb", "source", "excerpt", "editorial",
        "version", "created_at", "updated_at",
    }  # fmt: skip


def test_fact_detail_payload(anon_client, kb):
    fact = RoleFact.objects.filter(role__slug="chief-medical-officer").order_by("position").first()

    assert untimed(anon_client.get(f"/api/v1/facts/{fact.pk}/").json()) == {
        "id": fact.pk, "role": "chief-medical-officer", "kind": fact.kind, "text": fact.text_en,
        "text_en": fact.text_en, "text_nb": fact.text_nb, "position": 1, "source": fact.source.slug,
        "excerpt": fact.excerpt, "editorial": fact.editorial, "version": 1,
    }  # fmt: skip


def test_source_detail_payload_carries_the_full_text(anon_client, kb):
    source = Source.objects.get(slug=CMO_NB)

    assert untimed(anon_client.get(f"/api/v1/sources/{CMO_NB}/").json()) == {
        "slug": CMO_NB, "title": "Hva gjør en medisinsk sjef?", "language": "nb", "origin": "", "date": None,
        "checksum": hashlib.sha256(source.text.encode()).hexdigest(), "text": source.text, "version": 1,
    }  # fmt: skip
    assert len(source.text) > 1000


def test_list_is_paginated_with_count_next_previous_results(anon_client, kb):
    response = anon_client.get("/api/v1/duty-categories/?page_size=2&fields=slug")

    assert response.json() == {
        "count": 9,
        "next": "http://testserver/api/v1/duty-categories/?fields=slug&page=2&page_size=2",
        "previous": None,
        "results": [{"slug": "strategy"}, {"slug": "operations"}],
    }


def test_role_list_payload(anon_client, kb):
    response = anon_client.get("/api/v1/roles/?fields=slug,url,title,level,occupation_codes,position")

    assert response.json() == {
        "count": 4, "next": None, "previous": None,
        "results": [
            {"slug": "chief-medical-officer", "url": "http://testserver/api/v1/roles/chief-medical-officer/",
             "title": "Chief Medical Officer", "level": "executive", "occupation_codes": "1342", "position": 1},
            {"slug": "associate-chief-medical-officer", "url": "http://testserver/api/v1/roles/associate-chief-medical-officer/",
             "title": "Associate Chief Medical Officer", "level": "senior_leader", "occupation_codes": "1342",
             "position": 2},
            {"slug": "medical-director", "url": "http://testserver/api/v1/roles/medical-director/",
             "title": "Medical Director", "level": "department_lead", "occupation_codes": "1342", "position": 3},
            {"slug": "physician", "url": "http://testserver/api/v1/roles/physician/", "title": "Physician",
             "level": "clinician", "occupation_codes": "2211,2212", "position": 4},
        ],
    }  # fmt: skip


def test_org_chart_payload(anon_client, kb):
    response = anon_client.get("/api/v1/org-chart/")

    assert response.json() == {
        "nodes": [
            {"slug": "chief-medical-officer", "title": "Chief Medical Officer", "abbreviation": "CMO",
             "level": "executive"},
            {"slug": "associate-chief-medical-officer", "title": "Associate Chief Medical Officer",
             "abbreviation": "ACMO", "level": "senior_leader"},
            {"slug": "medical-director", "title": "Medical Director", "abbreviation": "", "level": "department_lead"},
            {"slug": "physician", "title": "Physician", "abbreviation": "", "level": "clinician"},
        ],
        "edges": response.json()["edges"],
    }  # fmt: skip
    # Each edge in full: tests/roles/test_org_chart_edges.py.
    assert len(response.json()["edges"]) == ReportingLine.objects.count()
    assert "ETag" in response


def test_org_chart_tree_nests_solid_lines_under_the_roots(anon_client, kb):
    response = anon_client.get("/api/v1/org-chart/tree/")

    def shape(nodes):
        return [(node["slug"], shape(node["children"])) for node in nodes]

    assert response.status_code == 200
    assert shape(response.json()) == [
        (
            "chief-medical-officer",
            [("associate-chief-medical-officer", []), ("medical-director", [("physician", [])])],
        )
    ]
    assert response.json()[0] == {
        "slug": "chief-medical-officer",
        "title": "Chief Medical Officer",
        "abbreviation": "CMO",
        "level": "executive",
        "repeat": False,
        "children": response.json()[0]["children"],
    }


def test_org_chart_tree_lists_the_reports_of_a_role_with_two_superiors_once(anon_client, kb, editor):
    """The API's tree is the org chart page's tree: a second solid superior shows the role, not its reports again."""
    acmo = Role.objects.get(slug="associate-chief-medical-officer")
    director = Role.objects.get(slug="medical-director")
    services.content_create(
        model=ReportingLine,
        data={"subordinate": director, "superior": acmo, "kind": "reports_to", "editorial": True},
        user=editor,
    )

    def find(nodes, slug):  # in the order a reader meets them, depth first
        return [found for node in nodes for found in [node] * (node["slug"] == slug) + find(node["children"], slug)]

    directors = find(anon_client.get("/api/v1/org-chart/tree/").json(), "medical-director")

    assert [(node["repeat"], [child["slug"] for child in node["children"]]) for node in directors] == [
        (False, ["physician"]),
        (True, []),
    ]


def test_duty_category_list_has_every_category_in_order(anon_client, kb):
    response = anon_client.get("/api/v1/duty-categories/?fields=slug,position")

    assert [row["slug"] for row in response.json()["results"]] == list(
        DutyCategory.objects.order_by("position").values_list("slug", flat=True)
    )
