from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.forms import CITATION_FIELDS, VersionedModelForm
from roles.models import Role

from .models import Activity, Assignment, Duty, Letter
from .services import NEW_CELL, CellChange


class DutyForm(VersionedModelForm):
    class Meta:
        model = Duty
        fields = (
            "category",
            "title_en",
            "title_nb",
            "description_en",
            "description_nb",
            "involvement",
            *CITATION_FIELDS,
        )


class CellForm(VersionedModelForm):
    """A role's cell in an activity: its letter (blank takes the role out), the duty, the citation.

    The version is the cell's, 0 when the user saw the cell empty (a cell someone filled in the
    meantime is then a conflict, not overwritten).
    """

    letter = forms.ChoiceField(label=_("Letter"), choices=[("", _("— no part —")), *Letter.choices], required=False)

    class Meta:
        model = Assignment
        fields = ("letter", "duty", *CITATION_FIELDS)

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        duty = self.fields["duty"]
        duty.queryset = role.duties.select_related("category").order_by("category__position", "position")  # type: ignore[attr-defined]
        if self.instance.pk is None:
            self.fields["version"].initial = NEW_CELL

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def cell_data(self) -> dict | None:
        """The values for ``services.CellChange``: None when the letter is blank (the role takes no part)."""
        data = self.model_data()
        return data if data.get("letter") else None

    def _post_clean(self):
        # A blank letter empties the cell: nothing of the row to validate.
        if self.cleaned_data.get("letter"):
            super()._post_clean()  # type: ignore[misc]  # ModelForm's hook, not in the stubs


class QuickCellForm(forms.Form):
    """The matrix's in-place control: the letter only, with the cell's version (0: it was empty)."""

    letter = forms.ChoiceField(choices=[("", "—"), *Letter.choices], required=False)
    version = forms.IntegerField(min_value=0)


class HandOverForm(forms.Form):
    """Make a role accountable (A) in place of the role that is now: what that role becomes, and both versions.

    One save moves the A, since a single cell at a time cannot (an activity has exactly one A).
    """

    becomes = forms.ChoiceField(
        label=_("The role accountable now becomes"),
        choices=[
            (Letter.RESPONSIBLE, Letter.RESPONSIBLE.label),
            (Letter.CONSULTED, Letter.CONSULTED.label),
            (Letter.INFORMED, Letter.INFORMED.label),
            ("", _("— no part —")),
        ],
        required=False,
        initial=Letter.RESPONSIBLE,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    accountable_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ActivityCreateForm(VersionedModelForm):
    """A new activity with the two parts every activity needs: the accountable role and a responsible one.

    Further roles take their parts from the matrix, one cell at a time.
    """

    accountable: "forms.ModelChoiceField[Role]" = forms.ModelChoiceField(
        label=_("Accountable (A)"), queryset=Role.objects.order_by("position", "pk"), to_field_name="slug"
    )
    responsible: "forms.ModelChoiceField[Role]" = forms.ModelChoiceField(
        label=_("Responsible (R)"), queryset=Role.objects.order_by("position", "pk"), to_field_name="slug"
    )

    class Meta:
        model = Activity
        fields = ("slug", "category", "title_en", "title_nb", "description_en", "description_nb")
        help_texts = {"slug": _("The activity's address: lowercase letters, digits and hyphens, e.g. clinical-audit.")}

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("accountable") and cleaned.get("accountable") == cleaned.get("responsible"):
            self.add_error("responsible", _("Choose another role: one role has one part in an activity."))
        return cleaned

    def cells(self) -> list[CellChange]:
        return [
            CellChange(role=self.cleaned_data["accountable"], data={"letter": Letter.ACCOUNTABLE}),
            CellChange(role=self.cleaned_data["responsible"], data={"letter": Letter.RESPONSIBLE}),
        ]
