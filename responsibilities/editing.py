"""Duties on the role edit pages: the same views as a role's other rows, configured here."""

from django.utils.translation import gettext_lazy as _

from roles.editing import ItemKind

from .forms import DutyForm
from .models import Duty

DUTIES = ItemKind(
    key="duties",
    model=Duty,
    form_class=DutyForm,
    heading=_("Duties"),
    add_label=_("Add a duty"),
    url_namespace="responsibilities",
    select_related=("source", "category"),
    group_by="category_id",
    order_by=("category__position", "position", "pk"),
)
