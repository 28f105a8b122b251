"""The admin writes through the write layer (``knowledge.services``), like every other editor.

Every content model's admin and every inline of a content model is built on these mixins
(``knowledge.admin`` puts them together), so saves, inline saves, deletes, "delete selected" and
reverts from the admin's history obey what the pages obey: each form carries its row's version and
a stale save is refused; the model's rules (citations, cycles, a source's text keeping its excerpts)
are checked in the service; the history records the user and a reason; the knowledge base's
version moves on.

A refused save writes nothing — the admin's change view runs in a transaction, and the refusal
leaves it by an exception — and shows the form again with the user's input: after a stale save,
with the newer saved values side by side (``knowledge.conflicts``), as the pages show it.
"""

import copy
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .conflicts import Conflict, edited_fields, merge_stale
from .forms import MISSING_VERSION, VersionedForm, apply_errors, posted_version

VERSION = "version"


@dataclass
class Reshow:
    """A refused save, to be shown again: the user's input and what stopped it.

    ``data`` is the posted input (after a stale save, merged with the newer values the user had
    not touched); ``errors`` maps a form's prefix (None: the main form) to the error it gets.
    """

    data: QueryDict
    conflict: Conflict | None = None
    errors: dict[str | None, ValidationError] = field(default_factory=dict)


class Refused(Exception):
    """A write the write layer refused; leaving the admin's transaction by it undoes everything."""

    def __init__(self, reshow: Reshow, summary: str):
        self.reshow = reshow
        super().__init__(summary)


def refusal(request, form, error: Exception) -> Refused:
    """The refusal of ``form``'s write, from the exception the write layer raised."""
    data = request.POST.copy()
    if isinstance(error, services.StaleEdit):
        conflict = merge_stale(form, error.current, data) if form is not None else None
        if conflict is not None and form.prefix is not None:  # an inline's row, among the page's others
            meta = error.current._meta
            conflict.about = _("the %(model)s “%(row)s”") % {"model": meta.verbose_name, "row": error.current}
        return Refused(Reshow(data, conflict=conflict), str(error))
    if isinstance(error, ObjectDoesNotExist):
        error = ValidationError(_("Someone else deleted this in the meantime; nothing was saved."))
    elif isinstance(error, ProtectedError):
        error = ValidationError(_("Other rows still refer to this, so it cannot be deleted."))
    summary = " ".join(error.messages)
    return Refused(Reshow(data, errors={form.prefix if form is not None else None: error}), summary)


REFUSED = (services.StaleEdit, ValidationError, ObjectDoesNotExist, ProtectedError)


class VersionedAdminForm(VersionedForm):
    """An admin form: the row's version (hidden), the model's own values for the write layer.

    The admin builds a subclass per request (``for_request``): after a refused save, ``reshow`` holds
    the input to show again and the errors to show with it, and ``binds`` says whether the form
    takes that input itself (the main form; an inline's forms get it from their formset).
    ``base_version``, when reverting from the admin's history, is the current row's version.
    """

    reshow: Reshow | None = None
    binds: bool = False
    base_version: int | None = None

    def __init__(self, data=None, *args, **kwargs):
        if data is None and self.binds and self.reshow is not None:
            data = self.reshow.data
        super().__init__(data, *args, **kwargs)
        if self.base_version is not None:
            self.fields[VERSION].initial = self.base_version

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.reshow is not None and self.prefix in self.reshow.errors:
            apply_errors(self, self.reshow.errors[self.prefix])

    def model_data(self) -> dict:
        """The cleaned values of the model's own fields (not its id or version), for the services."""
        names = {f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key and f.name != VERSION}
        return {name: value for name, value in self.cleaned_data.items() if name in names}


def for_request(form_class: type, request, *, binds: bool) -> type:
    """``form_class`` as this request needs it: bound to a refused save's input, or reverting."""
    reshow = getattr(request, "_knowledge_reshow", None)
    revert = getattr(request, "_knowledge_revert", None)
    if reshow is None and revert is None:
        return form_class
    attrs = {"reshow": reshow, "binds": binds, "base_version": revert.base_version if revert else None}
    return type(form_class.__name__, (form_class,), attrs)


def _with_version(fields) -> list:
    fields = list(fields)
    return fields if VERSION in fields else [*fields, VERSION]


def _without_version(fields) -> list | None:
    return None if fields is None else [name for name in fields if name != VERSION]


def _adopt(instance: models.Model, saved: models.Model) -> None:
    """Give the admin's copy of a row the values the write layer saved (its id, its new version)."""
    for model_field in saved._meta.concrete_fields:
        setattr(instance, model_field.attname, getattr(saved, model_field.attname))
    instance._state.adding = False
    instance._state.db = saved._state.db


@dataclass(frozen=True)
class Revert:
    base_version: int
    reason: str


class VersionedAdminMixin:
    """For a content model's ``ModelAdmin``: every write through the services, every save version-checked."""

    form = VersionedAdminForm
    change_form_template = "admin/knowledge/versioned_change_form.html"
    delete_confirmation_template = "admin/knowledge/versioned_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/knowledge/versioned_delete_selected_confirmation.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected, name, description)
        return actions

    # The forms ---------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        return _with_version(super().get_fields(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The version is the form's own field; the model's is not editable, so not asked for by name.
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = _without_version(fields)
        return for_request(super().get_form(request, obj, change=change, **kwargs), request, binds=True)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        reshow = getattr(request, "_knowledge_reshow", None)
        if reshow is not None:
            kwargs.update(data=reshow.data, files=request.FILES)
        return kwargs

    # Saving ------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # The transaction is undone. Show the forms again, bound to the input, as a page (no save).
            again = copy.copy(request)
            again.method = "GET"
            again._knowledge_reshow = refused.reshow
            context = {**(extra_context or {}), "conflict": refused.reshow.conflict}
            return super().changeform_view(again, object_id, form_url, context)

    def save_model(self, request, obj, form, change):
        revert = getattr(request, "_knowledge_revert", None)
        if change and revert is None and not edited_fields(form):
            return  # the user changed only rows of its inlines (or nothing): no write, no version check
        try:
            if change:
                saved = services.content_update(
                    instance=obj,
                    data=form.model_data(),
                    user=request.user,
                    expected_version=form.expected_version(),
                    reason=revert.reason if revert is not None else _changed(),
                )
            else:
                saved = services.content_create(
                    model=type(obj), data=form.model_data(), user=request.user, reason=_added()
                )
        except REFUSED as error:
            raise refusal(request, form, error) from error
        _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.form, VersionedAdminForm):
            return super().save_formset(request, form, formset, change)
        save_inline_rows(request, formset)

    # Deleting ----------------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refused:
            message = _("%(reason)s Nothing was deleted; look at it again before deleting.") % {"reason": refused}
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        try:
            services.content_delete(
                instance=obj,
                user=request.user,
                expected_version=posted_version(request),
                reason=_deleted(),
            )
        except REFUSED as error:
            raise refusal(request, None, error) from error

    def delete_queryset(self, request, queryset):
        """Delete each selected row through the services, checked against the version its confirmation showed."""
        for row in queryset.order_by("pk"):
            try:
                services.content_delete(
                    instance=row,
                    user=request.user,
                    expected_version=posted_version(request, f"{VERSION}-{row.pk}"),
                    reason=_deleted(),
                )
            except ObjectDoesNotExist:
                continue  # gone already (deleted with a row before it): what the user asked for
            except REFUSED as error:
                refused = refusal(request, None, error)
                raise Refused(refused.reshow, f"“{row}”: {refused}") from error

    # Reverting from the admin's history --------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        record = self.model.history.filter(id=unquote(object_id), history_id=version_id).first()
        if current is None or record is None:
            self.message_user(request, _("This row was deleted; it cannot be reverted."), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        reason = _("Reverted in the admin to the version of %(date)s") % {"date": services.when(record.history_date)}
        request._knowledge_revert = Revert(base_version=current.version, reason=reason)
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def save_inline_rows(request, formset) -> None:
    """Save an inline's rows through the services: deletions, then changes, then additions.

    A row counts as changed when its user changed it (``edited_fields``), not when someone else
    did meanwhile: an untouched row is left as it is now, not refused as stale.

    Sets what Django's own ``formset.save()`` sets, so the admin's change message lists them.
    """
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = formset.deleted_forms if formset.can_delete else []
    plan = [("delete", f) for f in deleted if f.instance.pk is not None]
    plan += [("change", f) for f in formset.initial_forms if f not in deleted and edited_fields(f)]
    plan += [("add", f) for f in formset.extra_forms if f not in deleted and f.has_changed()]
    for action, row_form in plan:
        try:
            if action == "delete":
                version = row_form.cleaned_data.get(VERSION)
                if version is None:
                    raise ValidationError(MISSING_VERSION)
                services.content_delete(
                    instance=row_form.instance, user=request.user, expected_version=version, reason=_deleted()
                )
                formset.deleted_objects.append(row_form.instance)
            elif action == "change":
                saved = services.content_update(
                    instance=row_form.instance,
                    data=row_form.model_data(),
                    user=request.user,
                    expected_version=row_form.expected_version(),
                    reason=_changed(),
                )
                formset.changed_objects.append((saved, row_form.changed_data))
            else:
                data = {**row_form.model_data(), formset.fk.name: formset.instance}
                row_form.instance = services.content_create(
                    model=formset.model, data=data, user=request.user, reason=_added()
                )
                formset.new_objects.append(row_form.instance)
        except REFUSED as error:
            raise refusal(request, row_form, error) from error


def _added() -> str:
    return _("Added in the admin")


def _changed() -> str:
    return _("Changed in the admin")


def _deleted() -> str:
    return _("Deleted in the admin")


def delete_selected(modeladmin, request, queryset):
    """Django's "delete selected", in one transaction: one refused row leaves every row in place."""
    try:
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            return django_delete_selected(modeladmin, request, queryset)
    except Refused as refused:
        modeladmin.message_user(request, _("Nothing was deleted. %(reason)s") % {"reason": refused}, messages.ERROR)
        return None


class VersionedInlineMixin:
    """For an inline of a content model: its forms carry their rows' versions too."""

    form = VersionedAdminForm

    def get_fields(self, request, obj=None):
        return _with_version(super().get_fields(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        fields = kwargs.pop("fields", None)
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = _without_version(fields)
        kwargs["form"] = for_request(kwargs.get("form", self.form), request, binds=False)
        return super().get_formset(request, obj, **kwargs)
