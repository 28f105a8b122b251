"""A serializer class builds its fields once; every serializer still gets fields of its own."""

from descriptions.serializers import RoleDetailSerializer
from responsibilities.serializers import DutySerializer
from roles.serializers import RoleSerializer


def test_each_serializer_has_its_own_fields_bound_to_itself():
    first, second = RoleSerializer(), RoleSerializer()

    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first
    assert second.fields["title"].parent is second


def test_a_change_to_one_serializers_field_does_not_reach_the_next():
    RoleSerializer().fields["grade"].required = True
    RoleSerializer().fields["title"].read_only = True

    fresh = RoleSerializer().fields
    assert fresh["grade"].required is False
    assert fresh["title"].read_only is False


def test_the_plain_name_of_a_translated_field_stays_optional_on_every_build():
    """The copy is built from the field's arguments: ``required = False`` must be set on it, not before."""
    for _ in range(2):
        fields = RoleSerializer().fields
        assert fields["title"].required is False


def test_each_class_keeps_the_fields_of_its_own_meta():
    """Kept per class, not on the mixin or a base class: whichever is built first, none gets another's."""
    role, duty, detail = RoleSerializer().fields, DutySerializer().fields, RoleDetailSerializer().fields

    assert set(detail) == set(RoleDetailSerializer.Meta.fields)
    assert set(duty) == set(DutySerializer.Meta.fields)
    assert set(role) == set(RoleSerializer.Meta.fields)
