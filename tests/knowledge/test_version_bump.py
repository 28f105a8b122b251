"""The write layer moves the knowledge base's version forward itself, inside the writer's transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from knowledge import services, version as kb_version
from knowledge.seed import load_knowledge_base
from responsibilities.models import Duty
from roles.models import Role


@pytest.fixture
def duty(kb):
    return Duty.objects.filter(role__slug="physician").order_by("position", "pk").first()


def test_create_update_and_delete_each_move_the_version_forward(duty):
    start = kb_version.current()
    created = services.content_create(
        model=Duty,
        data={
            "role": duty.role,
            "category": duty.category,
            "title_en": "Teach",
            "title_nb": "Undervise",
            "editorial": True,
        },
        user=None,
    )
    after_create = kb_version.current()
    services.content_update(instance=created, data={"title_en": "Teach students"}, user=None, expected_version=None)
    after_update = kb_version.current()
    services.content_delete(instance=created, user=None, expected_version=None)

    assert start < after_create < after_update < kb_version.current()


def test_moving_reverting_and_restoring_move_the_version_forward(duty):
    queryset = Duty.objects.filter(role=duty.role, category=duty.category).order_by("position", "pk")
    start = kb_version.current()
    services.item_move(queryset=queryset, instance=duty, offset=1, expected_version=duty.version, user=None)
    after_move = kb_version.current()
    record = duty.history.earliest()
    current = Duty.objects.get(pk=duty.pk)
    services.history_revert(record=record, user=None, expected_version=current.version)
    after_revert = kb_version.current()
    services.content_delete(instance=current, user=None, expected_version=None)
    services.history_restore(record=Duty.history.filter(id=duty.pk).latest(), user=None)

    assert start < after_move < after_revert < kb_version.current()


def test_a_refused_write_leaves_the_version_where_it_was(duty):
    start = kb_version.current()

    with pytest.raises(services.StaleEdit):
        services.content_update(instance=duty, data={"title_en": "x"}, user=None, expected_version=duty.version - 1)
    with pytest.raises(ValidationError):
        services.content_update(instance=duty, data={"excerpt": "Not in the source"}, user=None, expected_version=None)

    assert kb_version.current() == start


def test_the_bump_belongs_to_the_writers_transaction(duty):
    start = kb_version.current()

    with transaction.atomic():
        services.content_update(instance=duty, data={"title_en": "Rolled back"}, user=None, expected_version=None)
        assert kb_version.current() > start
        transaction.set_rollback(True)

    assert kb_version.current() == start


def test_saving_a_model_directly_does_not_move_the_version_only_the_write_layer_does(kb):
    start = kb_version.current()

    Role.objects.get(slug="physician").save()

    assert kb_version.current() == start


def test_loading_the_shipped_knowledge_base_again_moves_the_version_only_when_it_writes(kb):
    start = kb_version.current()
    load_knowledge_base()
    assert kb_version.current() == start  # nothing to do

    role = Role.objects.get(seed_key="role:physician")
    Role.objects.filter(pk=role.pk).update(summary_en="Changed behind the loader's back", seed_digest="")
    load_knowledge_base(reset=True)

    assert kb_version.current() > start


def test_an_update_that_changes_nothing_saves_nothing_but_still_checks_the_version(duty):
    entries = duty.history.count()

    same = services.content_update(
        instance=duty, data={"title_en": duty.title_en}, user=None, expected_version=duty.version
    )

    assert same.version == duty.version
    assert duty.history.count() == entries
    with pytest.raises(services.StaleEdit):
        services.content_update(
            instance=duty, data={"title_en": duty.title_en}, user=None, expected_version=duty.version - 1
        )
