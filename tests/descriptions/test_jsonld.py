"""Each role as schema.org Occupation in JSON-LD: from the API and embedded in the role page."""

import json
import re

from roles.models import Role


def test_role_jsonld_is_a_schema_org_occupation(anon_client, kb):
    response = anon_client.get("/api/v1/roles/physician/jsonld/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "@id": "http://testserver/roles/physician/",
        "url": "http://testserver/roles/physician/",
        "identifier": "physician",
        "name": "Physician",
        "alternateName": ["Doctor", "Medical doctor"],
        "description": "A medical doctor. All physicians are overseen by the Chief Medical Officer, whose role is to "
        "make sure they deliver the best possible care to patients.",
        "inLanguage": "en",
        "occupationalCategory": [
            {"@type": "CategoryCode", "codeValue": code, "inCodeSet": {
                "@type": "DefinedTermSet",
                "name": "International Standard Classification of Occupations (ISCO-08)",
                "url": "https://www.ilo.org/public/english/bureau/stat/isco/isco08/"}}
            for code in ("2211", "2212")
        ],
        "responsibilities": ["Deliver the best possible care to patients",
                             "When new to the hospital, learn its policies", "Examine, diagnose and treat patients"],
        "qualifications": ["A medical degree.", "A licence (authorisation) to practise medicine."],
        "skills": [],
        "educationRequirements": [
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Education",
             "description": "A medical degree."},
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Licence",
             "description": "A licence (authorisation) to practise medicine."},
        ],
        "experienceRequirements": [],
    }  # fmt: skip


def test_role_jsonld_follows_the_language_and_lists_skills_and_experience(anon_client, kb):
    data = anon_client.get("/api/v1/roles/chief-medical-officer/jsonld/?lang=nb").json()

    assert (data["name"], data["inLanguage"], data["@id"]) == (
        "Medisinsk sjef",
        "nb",
        "http://testserver/nb/roles/chief-medical-officer/",
    )
    assert data["occupationalCategory"][0]["codeValue"] == "1342"
    assert data["skills"] and data["experienceRequirements"]
    assert all(item["@type"] == "OccupationalExperienceRequirements" for item in data["experienceRequirements"])


def _page_jsonld(html: str):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_role_page_embeds_the_same_jsonld(client, anon_client, kb):
    html = client.get("/roles/physician/").content.decode()

    assert json.loads(_page_jsonld(html)) == anon_client.get("/api/v1/roles/physician/jsonld/").json()


def test_jsonld_in_the_page_cannot_break_out_of_its_script_element(client, kb):
    Role.objects.filter(slug="physician").update(summary_en="</script><script>alert(1)</script> & more")

    block = _page_jsonld(client.get("/roles/physician/").content.decode())

    assert "</script>" not in block and "<script>" not in block
    assert json.loads(block)["description"] == "</script><script>alert(1)</script> & more"
