"""The shipped knowledge base: complete, cited, bilingual, and loaded without trampling editors' work."""

from io import StringIO

import pytest
from django.core.management import call_command

from knowledge.models import Source
from knowledge.rules import excerpt_occurs_in
from knowledge.seed import KB_DIR, load_knowledge_base, read_knowledge
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

CONTENT_MODELS = [Source, DutyCategory, Role, RoleTitle, RoleFact, Qualification, ReportingLine, Duty]
CITED_MODELS = [Role, RoleTitle, RoleFact, Qualification, ReportingLine, Duty]
ROLE_SLUGS = ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]


def counts():
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def test_the_four_contract_roles_are_loaded(kb):
    assert list(Role.objects.values_list("slug", flat=True)) == ROLE_SLUGS


def test_shipped_counts(kb):
    assert counts() == {
        "Source": 2,
        "DutyCategory": 9,
        "Role": 4,
        "RoleTitle": 18,
        "RoleFact": 9,
        "Qualification": 22,
        "ReportingLine": 5,
        "Duty": 45,
    }


def test_the_shipped_source_documents_are_kept_whole():
    data = read_knowledge()
    texts = {source["slug"]: source["text"] for source in data["sources"]}
    assert texts["hva-gjor-en-medisinsk-sjef"].startswith("Hva gjør en medisinsk sjef?")
    assert "ANDRE SPRÅK" in texts["hva-gjor-en-medisinsk-sjef"]
    assert texts["associate-chief-medical-officer"].count("Associate Chief Medical Officer") >= 3


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m.__name__)
def test_every_cited_row_quotes_its_source_verbatim(kb, model):
    rows = list(model.objects.select_related("source"))
    assert rows
    for row in rows:
        if row.source is not None:
            assert excerpt_occurs_in(row.excerpt, row.source.text), (model.__name__, row.seed_key)
        else:
            assert row.editorial, (model.__name__, row.seed_key)


def test_each_source_document_is_cited(kb):
    for source in Source.objects.all():
        cited = sum(model.objects.filter(source=source).count() for model in CITED_MODELS)
        assert cited >= 20, source.slug


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Role, ["title", "summary"]),
        (RoleFact, ["text"]),
        (Qualification, ["text"]),
        (Duty, ["title"]),
        (DutyCategory, ["name", "description"]),
        (ReportingLine, ["note"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_every_text_exists_in_english_and_norwegian(kb, model, fields):
    for row in model.objects.all():
        for field in fields:
            english, norwegian = getattr(row, f"{field}_en"), getattr(row, f"{field}_nb")
            assert english and norwegian, (model.__name__, row.pk, field)
            if model is not ReportingLine:
                assert english != norwegian or len(english) <= 4, (model.__name__, row.pk, field)


def test_every_role_has_titles_in_both_languages_and_occupation_codes(kb):
    for role in Role.objects.prefetch_related("titles"):
        languages = {(t.language, t.kind) for t in role.titles.all()}
        assert ("en", "preferred") in languages and ("nb", "preferred") in languages, role.slug
        assert role.occupation_code_list, role.slug


def test_titles_people_search_by_are_present(kb):
    titles = set(RoleTitle.objects.values_list("role__slug", "title"))
    assert {
        ("chief-medical-officer", "CMO"),
        ("chief-medical-officer", "medisinsk sjef"),
        ("associate-chief-medical-officer", "ACMO"),
        ("associate-chief-medical-officer", "Associate CMO"),
        ("physician", "lege"),
    } <= titles


def test_reporting_lines_form_the_expected_org_chart(kb):
    lines = set(ReportingLine.objects.values_list("subordinate__slug", "superior__slug", "kind", "editorial"))
    assert lines == {
        ("associate-chief-medical-officer", "chief-medical-officer", "reports_to", False),
        ("medical-director", "chief-medical-officer", "reports_to", True),
        ("physician", "medical-director", "reports_to", True),
        ("physician", "chief-medical-officer", "oversees", False),
        ("physician", "chief-medical-officer", "liaison", False),
    }


def test_loading_twice_changes_nothing(kb):
    before = counts()
    versions = list(Duty.objects.order_by("pk").values_list("pk", "version"))
    history = Duty.history.count()
    report = load_knowledge_base()
    assert counts() == before
    assert list(Duty.objects.order_by("pk").values_list("pk", "version")) == versions
    assert Duty.history.count() == history
    assert report.total("created") == report.total("updated") == 0


def test_an_editors_change_survives_a_reload(kb):
    duty = Duty.objects.get(seed_key="duty:cmo.d.budget")
    duty.title_en = "Own the budget"
    duty.save()
    report = load_knowledge_base()
    duty.refresh_from_db()
    assert duty.title_en == "Own the budget"
    assert report.total("kept editor's change") == 1


def test_reset_restores_the_shipped_values(kb):
    duty = Duty.objects.get(seed_key="duty:cmo.d.budget")
    duty.title_en = "Own the budget"
    duty.save()
    load_knowledge_base(reset=True)
    duty.refresh_from_db()
    assert duty.title_en == "Help manage the budget"


def test_a_duty_an_editor_deleted_stays_deleted_unless_reset(kb):
    Duty.objects.get(seed_key="duty:cmo.d.budget").delete()
    load_knowledge_base()
    assert not Duty.objects.filter(seed_key="duty:cmo.d.budget").exists()
    load_knowledge_base(reset=True)
    assert Duty.objects.filter(seed_key="duty:cmo.d.budget").exists()


def test_rows_editors_added_are_never_touched(kb):
    role = Role.objects.get(slug="physician")
    category = DutyCategory.objects.get(slug="clinical")
    added = Duty.objects.create(role=role, category=category, title_en="Teach", title_nb="Undervise", editorial=True)
    load_knowledge_base(reset=True)
    assert Duty.objects.filter(pk=added.pk).exists()


def test_load_kb_command_reports_what_it_did(empty_kb):
    out = StringIO()
    call_command("load_kb", stdout=out)
    assert "173 created" in out.getvalue()
    out = StringIO()
    call_command("load_kb", stdout=out)
    assert "0 created, 0 updated, 173 unchanged" in out.getvalue()


def test_a_seed_excerpt_that_is_not_in_its_source_stops_the_load(empty_kb, tmp_path):
    (tmp_path / "sources").mkdir()
    for path in (KB_DIR / "sources").iterdir():
        (tmp_path / "sources" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    knowledge = (KB_DIR / "knowledge.toml").read_text(encoding="utf-8")
    (tmp_path / "knowledge.toml").write_text(
        knowledge.replace('excerpt = "velger medisinske direktører"', 'excerpt = "velger alle sjefer"'),
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="does not occur"):
        load_knowledge_base(kb_dir=tmp_path)
    assert Role.objects.count() == 0
