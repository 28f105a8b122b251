"""An editor uploads a PDF, opens it, cites a passage by selecting it, and sees the highlight and the coverage rise."""

import pytest
from playwright.sync_api import expect
from test_walkthrough import check_page

from knowledge.models import Source
from responsibilities.models import Duty

from kb_testing import PASSWORD, pdf_bytes

TEXT = "The head of radiology leads the imaging department.\nShe chairs the radiation safety committee."


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_in(page, live_server, editor, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def select_text(page, sentence_id: str, passage: str) -> None:
    """Select ``passage`` inside one sentence of the source text, as a user dragging the mouse would."""
    page.evaluate(
        """([id, passage]) => {
            const nodes = [...document.getElementById(id).childNodes];
            const node = nodes.find(n => n.nodeType === 3 && n.data.includes(passage));
            const start = node.data.indexOf(passage);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + passage.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [sentence_id, passage],
    )


def test_an_editor_uploads_a_pdf_and_cites_a_passage_of_it(live_server, page, console_errors, kb, editor, tmp_path):
    document = tmp_path / "radiology.pdf"
    document.write_bytes(pdf_bytes(TEXT))
    sign_in(page, live_server, editor, "/sources/new/")
    expect(page.get_by_role("heading", name="Add a source")).to_be_visible()
    check_page(page, console_errors)

    page.get_by_role("textbox", name="Title").fill("Head of radiology")
    page.get_by_role("combobox", name="Language").select_option("en")
    page.get_by_label("Upload a document").set_input_files(str(document))
    page.get_by_role("button", name="Add source").click()

    source = Source.objects.get(title="Head of radiology")
    expect(page).to_have_url(f"{live_server.url}/sources/{source.slug}/")
    assert source.origin == "radiology.pdf"
    coverage = page.locator("#coverage")
    expect(coverage).to_contain_text("0 % (0 of 2 sentences)")
    check_page(page, console_errors)

    select_text(page, "s-1", "leads the imaging department")
    expect(page.get_by_role("textbox", name="Passage")).to_have_value("leads the imaging department")
    page.get_by_role("combobox", name="Role").select_option(label="Medical Director")
    page.get_by_role("combobox", name="Add as").select_option(label="Duty")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Add a duty")).to_be_visible()
    expect(page.locator("#id_excerpt")).to_have_value("leads the imaging department")
    page.locator("#id_category").select_option(index=1)
    page.locator("#id_title_en").fill("Leads the imaging department")
    page.locator("#id_title_nb").fill("Leder bildediagnostikken")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/sources/{source.slug}/")
    expect(page.locator("#s-1 mark")).to_have_text("leads the imaging department")
    expect(coverage).to_contain_text("50 % (1 of 2 sentences)")
    expect(page.locator("#c-1")).to_contain_text("Leads the imaging department")
    duty = Duty.objects.get(title_en="Leads the imaging department")
    assert (duty.source, duty.excerpt, duty.role.slug) == (source, "leads the imaging department", "medical-director")
    assert not duty.editorial
    check_page(page, console_errors)


def test_without_javascript_a_sentence_is_chosen_by_its_link(live_server, browser, kb, editor):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, editor, "/sources/associate-chief-medical-officer/")
    page.get_by_role("link", name="Cite sentence 6").click()
    sentence = page.locator("#s-6").get_attribute("data-text") or ""
    assert sentence.startswith("The title")
    expect(page.get_by_role("textbox", name="Passage")).to_have_value(sentence)
    context.close()


def test_the_source_list_and_health_pages_are_accessible(live_server, page, console_errors, kb, editor):
    sign_in(page, live_server, editor, "/sources/")
    expect(page.get_by_role("cell", name="100 % (58 of 58 sentences)")).to_be_visible()
    check_page(page, console_errors)
    page.goto(f"{live_server.url}/nb/health/")
    expect(page.get_by_role("heading", name="Kunnskapsbasens helse")).to_be_visible()
    check_page(page, console_errors)
