"""Edit forms for roles and the rows that hang off them (see ``knowledge.forms`` for what they share)."""

from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext, gettext_lazy as _

from knowledge.forms import CITATION_FIELDS, VersionedModelForm

from .models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


class RoleForm(VersionedModelForm):
    class Meta:
        model = Role
        fields = (
            "title_en",
            "title_nb",
            "abbreviation_en",
            "abbreviation_nb",
            "summary_en",
            "summary_nb",
            "description_en",
            "description_nb",
            "level",
            "occupation_codes",
            "department_en",
            "department_nb",
            "grade",
            "contract_basis",
            *CITATION_FIELDS,
        )


class RoleCreateForm(RoleForm):
    class Meta(RoleForm.Meta):
        fields = ("slug", *RoleForm.Meta.fields)
        help_texts = {"slug": _("The role's address: lowercase letters, digits and hyphens, e.g. head-of-surgery.")}


class RoleTitleForm(VersionedModelForm):
    class Meta:
        model = RoleTitle
        fields = ("language", "kind", "title", *CITATION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Show each title in the script of its language for screen readers.
        if self.instance.pk is not None:
            self.fields["title"].widget.attrs["lang"] = self.instance.language


TITLE_GONE = _(
    "This title was deleted in the meantime (or is not one of this role's titles). "
    "Reload the page to see the role's current titles, then make your change again."
)


class BaseRoleTitleFormSet(BaseInlineFormSet):
    """Titles of one role; the source list is read once for all rows instead of once per row.

    A row the page showed as an existing title must still be one of this role's titles when it
    comes back: otherwise Django's formset would quietly save it as a new title (bringing back a
    title someone else deleted, or turning a tampered id into an addition).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._source_choices = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self._source_choices is None:
            self._source_choices = list(form.fields["source"].choices)
        form.fields["source"].choices = self._source_choices
        return form

    def clean(self):
        super().clean()
        for form in self.forms[: self.initial_form_count()]:
            if form.instance.pk is None and not self._should_delete_form(form):
                form.add_error(None, TITLE_GONE)


RoleTitleFormSet = inlineformset_factory(
    Role, RoleTitle, form=RoleTitleForm, formset=BaseRoleTitleFormSet, extra=1, can_delete=True
)


class RoleFactForm(VersionedModelForm):
    class Meta:
        model = RoleFact
        fields = ("kind", "text_en", "text_nb", *CITATION_FIELDS)


class QualificationForm(VersionedModelForm):
    class Meta:
        model = Qualification
        fields = ("kind", "requirement", "text_en", "text_nb", "minimum_years", *CITATION_FIELDS)


class ReportingLineForm(VersionedModelForm):
    """A line to or from the role being edited (one end must be that role)."""

    class Meta:
        model = ReportingLine
        fields = ("subordinate", "kind", "superior", "note_en", "note_nb", *CITATION_FIELDS)

    def __init__(self, *args, role: Role, **kwargs):
        self.role = role
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        ends = {cleaned.get("subordinate"), cleaned.get("superior")}
        if None not in ends and self.role not in ends:
            raise ValidationError(
                gettext("One end of the line must be %(role)s, the role you are editing.") % {"role": self.role.title}
            )
        return cleaned
