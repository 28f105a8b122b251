"""Form plumbing every content form shares: the row version it was loaded from, and both languages.

Each form carries the row's ``version`` (hidden) so a save can be refused when someone else
saved in between — a form for an existing row that arrives without it is refused too, never
saved blindly — and shows a translated field's two languages side by side. The rules
themselves live on the models (``clean``) and in ``knowledge.rules``; forms only collect input.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .languages import LANGUAGE_NAMES, per_language, split_language, translated_fields

CITATION_FIELDS = ("source", "excerpt", "editorial")
MISSING_VERSION = _(
    "This form arrived without the version of the row it was loaded from, so it cannot be checked "
    "against changes saved since. Reload the page and make your change again."
)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version of the row it was loaded from, in a hidden field.

    Required for an existing row: a form that arrives without it is refused, never saved blindly.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            version = self.fields["version"]
            version.initial = self.instance.version
            version.required = True
            version.error_messages["required"] = MISSING_VERSION

    def full_clean(self):
        super().full_clean()
        errors = self._errors  # type: ignore[attr-defined]  # set by full_clean() above
        if self.is_bound and "version" in errors:
            # A hidden field cannot show its error: the form says it above its fields.
            self.add_error(None, errors.pop("version"))

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk is not None else None


class VersionedModelForm(VersionedForm):
    """A page's form: the row version it was loaded from, and a translated field's languages side by side."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "editorial" in self.fields and not self.initial.get("source"):
            # A row an editor adds is the team's own statement unless they cite a source.
            self.initial["editorial"] = True
        for name, field in self.fields.items():
            base, language = split_language(name, self._meta.model)
            if language is not None:
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
        rows = []
        for base in self._base_names():
            columns = per_language(base)
            if base in translated and all(name in self.fields for name in columns):
                rows.append(tuple(self[name] for name in columns))
        return rows

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
        return {name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data}


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def posted_version(request, name: str = "version") -> int:
    """The row version a posted action (delete, move, revert) was based on, from the field ``name``.

    Refuses a post without one: an action that cannot be checked against newer changes is not carried out.
    """
    try:
        version = int(request.POST[name])
    except (KeyError, ValueError):
        raise ValidationError(MISSING_VERSION, code="missing_version") from None
    if version < 0:
        raise ValidationError(MISSING_VERSION, code="missing_version")
    return version
