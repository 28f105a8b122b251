"""Fixtures shared by the whole test suite.

pytest-django reads DJANGO_SETTINGS_MODULE from pyproject.toml; the database is
whatever DATABASE_URL names (SQLite by default, PostgreSQL in CI's second run).

The shipped knowledge base is loaded once per session, right after the test database
is created and migrated (``django_db_setup``). Every test then runs inside a transaction
that is rolled back when it ends (pytest-django's ``db``), so each test starts from the
shipped knowledge base whatever the tests before it changed. A test that needs an empty
database asks for ``empty_kb``, which deletes the content inside that same transaction.

Tests that commit — ``transactional_db``, ``live_server`` (the browser tests) or
``django_db(transaction=True)`` — end with Django emptying every table. The database is
then put back exactly as the session had it (knowledge base, groups and permissions), so
the tests after them find it unchanged, in whatever order they run.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import validate_django_db
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from knowledge import backup
from knowledge.seed import load_knowledge_base
from responsibilities.models import Duty
from roles.models import Role
from roles.queries import forget_precomputed

from kb_testing import PASSWORD


def pytest_configure(config):
    """Responses and PDFs cached in the test process's memory, not in the host's cache directory: that
    is the running site's, and would outlive each test's rolled-back versions (``tests/cmo_kb/test_cache.py``
    tests it)."""
    from django.conf import settings

    memory = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": memory, "LOCATION": "responses"},
        "documents": {"BACKEND": memory, "LOCATION": "documents"},
    }


# The session's database (migrations plus the knowledge base) as Django serializes it for a
# rollback; taken when a test that commits first needs it.
_session_database: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the shipped knowledge base loaded as `make run` loads it — once."""
    with django_db_blocker.unblock():
        load_knowledge_base()


@pytest.fixture(autouse=True)
def _review_not_required(settings):
    """Editors' writes are live at once in tests (KB_REVIEW_REQUIRED=0); governance tests switch review on."""
    settings.KB_REVIEW_REQUIRED = False


def _commits(request) -> bool:
    """Whether pytest-django runs this test outside a rolled-back transaction (as it decides it)."""
    marker = request.node.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames))


@pytest.fixture
def _session_database_kept(request, django_db_setup, django_db_blocker):
    """After a test that commits, and Django's emptying of every table, put the session's database back."""
    if not _commits(request):
        yield
        return
    if "default" not in _session_database:
        with django_db_blocker.unblock():
            _session_database["default"] = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        # Django's flush re-created the permissions under new ids; empty the tables again without
        # that, then load the session's rows with their own ids.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(_session_database["default"])
        # The rows came back with their ids: the next row added must not reuse one (PostgreSQL's sequences).
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        ContentType.objects.clear_cache()
        # After a browser test this restore's connection is not the one later tests use, and nothing
        # else closed it: PostgreSQL then refused to drop the test database at the end of the session
        # ("being accessed by other users").
        connection.close()


@pytest.fixture
def _django_db_helper(_session_database_kept, _django_db_helper):
    """pytest-django's per-test database access, set up after (so torn down before) the fixture above."""
    yield


@pytest.fixture
def kb(db):
    """The shipped knowledge base (loaded once for the session; this test's changes are rolled back)."""


@pytest.fixture
def empty_kb(db):
    """No knowledge base: every content row and its history deleted, inside this test's transaction."""
    backup._delete_content()
    assert not any(backup.row_counts().values())


@pytest.fixture
def seed_id():
    """The database id of a shipped row, by model and seed key (ids differ between databases)."""

    def lookup(model, key):
        return model.objects.get(seed_key=key).pk

    return lookup


@pytest.fixture
def cmo(kb):
    return Role.objects.get(slug="chief-medical-officer")


@pytest.fixture
def duty(kb):
    """A cited duty of the chief medical officer, the first of its category."""
    return Duty.objects.filter(role__slug="chief-medical-officer").order_by("category__position", "position").first()


# Users with different rights, and clients signed in as them. ``client`` (pytest-django) is the
# anonymous visitor of the pages; ``anon_client`` is the anonymous API client.


@pytest.fixture
def editor(django_user_model):
    """In the Editors group: may change the knowledge base, not use the admin site."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def staff_editor(editor):
    """The editor, also allowed to sign in to the admin site."""
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    return editor


@pytest.fixture
def reader(django_user_model):
    """Signed in, but without any editing rights."""
    return django_user_model.objects.create_user("reader", password=PASSWORD)


@pytest.fixture
def editor_client(editor):
    """Its own client, so a test can also use ``client`` as an anonymous visitor."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def reader_api_client(reader):
    client = APIClient()
    client.force_login(reader)
    return client


@pytest.fixture
def editor_api_client(editor):
    """An editor signed in by session; CSRF is enforced as for a browser."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


@pytest.fixture
def token_client(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests hash many passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, so ``reverse()`` builds unprefixed URLs; a request to a /nb/ page
    leaves Norwegian active in the thread, so the language is reset after each test too."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def response_cache_off(settings):
    """Tests see every request reach its view (so query counts measure the view's own work).

    The whole-response cache is tested with it switched on (``response_cache_on``).
    """
    settings.KB_RESPONSE_CACHE = False


@pytest.fixture
def response_cache_on(settings, response_cache_off):
    """The whole-response cache on, starting empty."""
    settings.KB_RESPONSE_CACHE = True


@pytest.fixture(autouse=True)
def _clear_cache():
    """The response cache and the API throttles live in the cache: every test starts from an empty one.

    So does what the org chart keeps per process: a rolled-back test leaves versions that come again.
    """

    def forget():
        for alias in ("default", "documents"):
            caches[alias].clear()
        forget_precomputed()

    forget()
    yield
    forget()
