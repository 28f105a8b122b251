"""Pages that cost work stay bounded: page numbers, PDF size, and how often one client may ask for a PDF."""

import pytest

from knowledge import services
from responsibilities.models import Duty, DutyCategory
from roles.models import Role


@pytest.mark.parametrize("page", ["99999999999999999999", "1000001"])
def test_a_page_number_no_directory_could_reach_is_a_404(client, kb, page):
    assert client.get(f"/?page={page}").status_code == 404


@pytest.mark.parametrize("page", ["1", ""])
def test_no_page_number_or_1_shows_the_first_page(client, kb, page):
    response = client.get(f"/?page={page}")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize("page", ["abc", "-3", "0", "2", "999", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_404(client, kb, page):
    assert client.get(f"/?page={page}").status_code == 404


@pytest.fixture
def wordy_physician(kb):
    """The physician with some sixty thousand characters of duties: over what a PDF is made for."""
    role = Role.objects.get(slug="physician")
    category = DutyCategory.objects.first()
    for number in range(31):
        services.content_create(
            model=Duty,
            data={
                "role": role,
                "category": category,
                "title_en": f"Duty {number}",
                "title_nb": f"Plikt {number}",
                "description_en": "A long description of the duty. " * 60,
                "editorial": True,
                "position": 100 + number,
            },
            user=None,
        )
    return role


def test_a_job_description_too_long_to_print_says_so_instead_of_rendering(client, wordy_physician):
    response = client.get("/roles/physician/pdf/")

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "a PDF is made for up to 40,000" in text
    assert 'href="/roles/physician/"' in text


def test_an_ordinary_job_description_is_a_pdf(client, kb):
    response = client.get("/roles/physician/pdf/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_one_client_asking_for_pdfs_too_often_gets_429_with_retry_after(client, kb, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "pdf": "2/min"},
    }

    statuses = [client.get("/roles/physician/pdf/").status_code for _ in range(3)]
    refused = client.get("/roles/medical-director/pdf/")

    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/roles/physician/").status_code == 200  # other pages are not affected
