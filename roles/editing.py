"""How each kind of a role's rows is edited: one set of item views serves them all.

A role's duties, qualifications, key facts and reporting lines are added, changed,
deleted and moved by the same few views (``roles.views.items``); an ``ItemKind`` tells
them the model, the form, how to find the role's rows and whether the rows have an
order. This app defines the kinds of its own rows; ``responsibilities`` defines duties.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.forms import ModelForm
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from knowledge.changes import choice_label

from .forms import QualificationForm, ReportingLineForm, RoleFactForm, RoleTitleForm
from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


@dataclass(frozen=True)
class ItemKind:
    key: str  # in URLs (/roles/<slug>/<key>/…) and as the page section's anchor
    model: type[Model]
    form_class: type[ModelForm]
    heading: Promise
    add_label: Promise
    url_namespace: str  # "roles" or "responsibilities": URL names are <namespace>:<key>_<action>
    role_fields: tuple[str, ...] = ("role",)
    select_related: tuple[str, ...] = ("source",)
    # Rows with a position can be moved; ``group_by`` keeps moves inside one shown group.
    positioned: bool = True
    group_by: str | None = None
    order_by: tuple[str, ...] = field(default=())

    def perm(self, action: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    # URL names, as attributes so templates can use them: {% url kind.edit_url role.slug item.pk %}
    @property
    def add_url(self) -> str:
        return f"{self.url_namespace}:{self.key}_add"

    @property
    def edit_url(self) -> str:
        return f"{self.url_namespace}:{self.key}_edit"

    @property
    def delete_url(self) -> str:
        return f"{self.url_namespace}:{self.key}_delete"

    @property
    def move_url(self) -> str:
        return f"{self.url_namespace}:{self.key}_move"

    def role_filter(self, role_id) -> Q:
        query = Q()
        for name in self.role_fields:
            query |= Q(**{f"{name}_id": role_id})
        return query

    def queryset(self, role: Role) -> QuerySet:
        queryset = self.model._default_manager.filter(self.role_filter(role.pk)).select_related(*self.select_related)
        return queryset.order_by(*self.order_by) if self.order_by else queryset

    def new_instance(self, role: Role):
        return self.model(**{self.role_fields[0]: role})

    def owner_data(self, role: Role) -> dict:
        """Values that tie a new row to the role when the form does not ask for them."""
        return {} if len(self.role_fields) > 1 else {self.role_fields[0]: role}

    def form(self, role: Role, **kwargs):
        if self.form_class is ReportingLineForm:
            return self.form_class(role=role, **kwargs)
        return self.form_class(**kwargs)

    def edit_page_url(self, role: Role) -> str:
        return f"{reverse('descriptions:edit', kwargs={'slug': role.slug})}#{self.key}"


FACTS = ItemKind(
    key="facts",
    model=RoleFact,
    form_class=RoleFactForm,
    heading=_("Key facts"),
    add_label=_("Add a key fact"),
    url_namespace="roles",
    order_by=("position", "pk"),
)
QUALIFICATIONS = ItemKind(
    key="qualifications",
    model=Qualification,
    form_class=QualificationForm,
    heading=_("Qualifications"),
    add_label=_("Add a qualification"),
    url_namespace="roles",
    order_by=("position", "pk"),
)
TITLES = ItemKind(
    key="titles",
    model=RoleTitle,
    form_class=RoleTitleForm,
    heading=_("Titles"),
    add_label=_("Add a title"),
    url_namespace="roles",
    positioned=False,
    order_by=("language", "kind", "title"),
)
LINES = ItemKind(
    key="lines",
    model=ReportingLine,
    form_class=ReportingLineForm,
    heading=_("Reporting lines"),
    add_label=_("Add a reporting line"),
    url_namespace="roles",
    role_fields=("subordinate", "superior"),
    select_related=("source", "subordinate", "superior"),
    positioned=False,
    order_by=("kind", "superior__position", "subordinate__position"),
)


def role_for(request, slug: str, *perms: str) -> Role:
    """The role ``slug`` if the signed-in user holds ``perms``: 403 without them, 404 when there is no such role.

    Every write view fetches what it changes through this, so none can forget the check.
    """
    if not request.user.has_perms(perms):
        raise PermissionDenied
    return get_object_or_404(Role, slug=slug)


def describe_line(record, labels: dict) -> str:
    """A reporting line's history record, as "Subordinate → Superior (kind)"."""
    return "{} → {} ({})".format(
        labels.get((Role, record.subordinate_id), "?"),
        labels.get((Role, record.superior_id), "?"),
        choice_label(ReportingLine._meta.get_field("kind"), record.kind),
    )
