"""Forms of the source pages: add a source, cite a passage, mark a sentence as stating nothing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge.models import LANGUAGES, Source
from knowledge.rules import excerpt_occurs_in
from roles.models import Role

from . import extract
from .citing import CITE_KINDS


class SourceAddForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    origin = forms.CharField(
        label=_("Origin"),
        max_length=500,
        required=False,
        help_text=_("Its web address or where it is kept. For an upload, the file name is used when this is empty."),
    )
    date = forms.DateField(
        label=_("Date"), required=False, help_text=_("When the document was written, e.g. 2025-05-11.")
    )
    file = forms.FileField(
        label=_("Upload a document"),
        required=False,
        help_text=_("A .txt, .html, .pdf or .docx file of at most %(limit)s MB.")
        % {"limit": extract.MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,.pdf,.docx"}),
    )
    text = forms.CharField(label=_("… or paste its text"), required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > extract.MAX_UPLOAD_BYTES:
            raise ValidationError(extract.too_large_message())
        return upload

    def clean(self):
        super().clean()
        data = self.cleaned_data
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if self.errors:
            return data
        if upload and text:
            raise ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text:
            raise ValidationError(_("Upload a document or paste its text."))
        try:
            data["text"] = extract.extract(upload.read()) if upload else text
        except ValidationError as error:
            self.add_error("file" if upload else "text", error)
        if upload and not data.get("origin"):
            # Only the name, never a path: browsers may send one, and it is shown, never opened.
            data["origin"] = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:500]
        return data


class CiteForm(forms.Form):
    """A passage of the source and what to make of it: a duty, qualification, … of one role."""

    excerpt = forms.CharField(
        label=_("Passage"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Select text above to fill this in, or choose a sentence's “Cite” link. You may shorten it."),
    )
    role: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.order_by("position", "slug"), to_field_name="slug"
    )
    kind = forms.ChoiceField(label=_("Add as"), choices=[(key, label) for key, label, _kind in CITE_KINDS])

    def __init__(self, *args, source: Source, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    def clean_excerpt(self):
        excerpt = self.cleaned_data["excerpt"].strip()
        if not excerpt_occurs_in(excerpt, self.source.text):
            raise ValidationError(_("This passage does not occur in the source. Select it from the text."))
        return excerpt


class MarkForm(forms.Form):
    sentence = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason_en = forms.CharField(label=_("Why it states nothing (English)"), max_length=500, required=False)
    reason_nb = forms.CharField(label=_("Why it states nothing (Norwegian)"), max_length=500, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not (data.get("reason_en") or "").strip() and not (data.get("reason_nb") or "").strip():
            raise ValidationError(_("Say why this sentence states nothing about a role, in either language."))
        return data
