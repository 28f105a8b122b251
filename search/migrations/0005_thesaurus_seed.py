"""The thesaurus's first entries, and the Editors group's rights to keep it.

Editors change it afterwards in the admin (``/admin/search/thesaurusentry/``); this only adds what is
not there yet, so a database whose editors changed an entry keeps their version.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ENTRIES = [
    ("cmo, chief medical officer, medisinsk sjef, medical chief", "The top medical role"),
    ("acmo, associate chief medical officer, assisterende medisinsk sjef, deputy cmo", "Second to the CMO"),
    ("pay, salary, compensation, remuneration, wage, earnings, lønn, lønning, godtgjørelse", "Pay"),
    ("conflict, dispute, disagreement, konflikt, tvist, uenighet", "Disputes and their resolution"),
    ("budget, finances, spending, budsjett, økonomi", "Money"),
    ("doctor, physician, clinician, lege, doktor", "Medical practitioners"),
    ("quality, kvalitet", ""),
    ("patient safety, pasientsikkerhet", ""),
    ("director, direktør", ""),
    ("manage, management, lead, leadership, ledelse, lede, leder", "Leading people and work"),
    ("education, training, degree, utdanning, opplæring", ""),
    ("licence, license, authorisation, authorization, lisens, autorisasjon", "The right to practise"),
    ("experience, erfaring", ""),
    ("skill, skills, competence, ferdighet, ferdigheter, kompetanse", ""),
    ("superior, boss, manager, reports to, overordnet, sjef, rapporterer til", "Reporting lines"),
    ("duty, duties, responsibility, task, ansvar, oppgave, plikt", ""),
    ("hospital, sykehus", ""),
    ("strategy, strategi", ""),
    ("staff, employees, personnel, ansatte, personale", ""),
    ("patient care, pasientbehandling, pasientomsorg", ""),
]


def seed(apps, schema_editor):
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Entry = apps.get_model("search", "ThesaurusEntry")
    known = set(Entry.objects.values_list("terms", flat=True))
    Entry.objects.bulk_create(Entry(terms=terms, note=note) for terms, note in ENTRIES if terms not in known)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="search",
            codename__in=[f"{action}_thesaurusentry" for action in ("add", "change", "delete", "view")],
        )
    )


def unseed(apps, schema_editor):
    apps.get_model("search", "ThesaurusEntry").objects.filter(terms__in=[terms for terms, _ in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_thesaurus"),
        ("responsibilities", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
