"""A serializer class builds its fields once; every serializer still gets fields of its own."""

from roles.models import Role
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
        assert fields["title_en"].required is False or fields["title_nb"].required is False


def test_the_fields_follow_the_model(db):
    """Built once from the model's options: the choices are the model's, the columns all there."""
    fields = RoleSerializer().fields
    assert dict(fields["level"].choices) == {value: label for value, label in Role._meta.get_field("level").choices}
    assert set(RoleSerializer.Meta.fields) <= set(fields)
