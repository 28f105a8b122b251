"""Edit forms for roles and what hangs off them.

Each form carries the row's ``version`` (hidden) so a save can be refused when
someone else saved in between, and shows a translated field's two languages side
by side. The rules themselves live on the models (``clean``) and in ``rules.py``;
the forms only collect input.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext, gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .models import LANGUAGES, Qualification, ReportingLine, Role, RoleFact, RoleTitle

CITATION_FIELDS = ("source", "excerpt", "editorial")
LANGUAGE_NAMES = dict(LANGUAGES)
# A page at /roles/new/ creates a role, so no role may take that slug.
RESERVED_SLUGS = {"new"}


def translated_fields(model) -> set[str]:
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


class VersionedModelForm(forms.ModelForm):
    """A model form that remembers the row version it was loaded from and pairs up language fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        elif "editorial" in self.fields:
            # A row an editor adds is the team's own statement unless they cite a source.
            self.initial["editorial"] = True
        translated = translated_fields(self._meta.model)
        for name, field in self.fields.items():
            base, _sep, language = name.rpartition("_")
            if base in translated and language in LANGUAGE_NAMES:
                field.label = _("%(field)s (%(language)s)") % {
                    "field": self._meta.model._meta.get_field(base).verbose_name.capitalize(),
                    "language": LANGUAGE_NAMES[language],
                }
                field.widget.attrs["lang"] = language
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3

    def bilingual_rows(self):
        """(English field, Norwegian field) pairs of translated fields, in form order."""
        translated = translated_fields(self._meta.model)
        return [
            (self[f"{base}_en"], self[f"{base}_nb"])
            for base in self._base_names()
            if base in translated and f"{base}_en" in self.fields and f"{base}_nb" in self.fields
        ]

    def single_fields(self):
        """Visible fields that are not one language of a translated field."""
        paired = {bf.name for row in self.bilingual_rows() for bf in row}
        return [bf for bf in self.visible_fields() if bf.name not in paired and bf.name != "DELETE"]

    def _base_names(self):
        seen = []
        for name in self.fields:
            base = name.rpartition("_")[0]
            if base and base not in seen:
                seen.append(base)
        return seen

    def model_data(self) -> dict:
        """The cleaned values of the model's own fields, for the services."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk is not None else None


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


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
            *CITATION_FIELDS,
        )


class RoleCreateForm(RoleForm):
    class Meta(RoleForm.Meta):
        fields = ("slug", *RoleForm.Meta.fields)
        help_texts = {"slug": _("The role's address: lowercase letters, digits and hyphens, e.g. head-of-surgery.")}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(gettext("This address is reserved; choose another slug."))
        return slug


class RoleTitleForm(VersionedModelForm):
    class Meta:
        model = RoleTitle
        fields = ("language", "kind", "title", *CITATION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Show each title in the script of its language for screen readers.
        if self.instance.pk is not None:
            self.fields["title"].widget.attrs["lang"] = self.instance.language


class BaseRoleTitleFormSet(BaseInlineFormSet):
    """Titles of one role; the source list is read once for all rows instead of once per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._source_choices = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self._source_choices is None:
            self._source_choices = list(form.fields["source"].choices)
        form.fields["source"].choices = self._source_choices
        return form


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
