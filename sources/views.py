"""The source pages: the list with coverage, a source's text with its citations, adding one, citing, marking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from knowledge.access import kb_read_required
from knowledge.forms import posted_version
from knowledge.models import Source
from knowledge.services import StaleEdit

from . import services
from .citing import KINDS, cite_url
from .extract import request_too_large, too_large_message
from .forms import CiteForm, MarkForm, SourceAddForm
from .models import SentenceMark
from .reading import read_source, read_sources

PAGE_SIZE = 25


def _require(request, *perms: str) -> None:
    if not request.user.has_perms(perms):
        raise PermissionDenied


@require_safe
@kb_read_required
def source_list(request):
    page = Paginator(Source.objects.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    readings = read_sources(list(page.object_list))
    return render(request, "sources/source_list.html", {"readings": readings, "page_obj": page})


@require_safe
@kb_read_required
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return _detail(request, source)


def _detail(request, source, *, cite_form=None, mark_form=None, status=200):
    reading = read_source(source)
    chosen = _chosen_sentence(request, reading)
    if cite_form is None:
        cite_form = CiteForm(source=source, initial={"excerpt": chosen.text} if chosen else None)
    if mark_form is None and chosen is not None and not chosen.covered:
        mark_form = MarkForm(initial={"sentence": chosen.number})
    context = {
        "source": source,
        "reading": reading,
        "chosen": chosen,
        "cite_form": cite_form,
        "mark_form": mark_form,
        "can_cite": request.user.is_authenticated and request.user.has_perm("sources.add_sentencemark"),
    }
    return render(request, "sources/source_detail.html", context, status=status)


def _chosen_sentence(request, reading):
    raw = request.POST.get("sentence") or request.GET.get("sentence")
    if raw and raw.isdigit() and 1 <= int(raw) <= len(reading.sentences):
        return reading.sentences[int(raw) - 1]
    return None


@require_http_methods(["GET", "POST"])
@login_required
def source_add(request):
    _require(request, "knowledge.add_source")
    if request.method == "POST" and request_too_large(request):
        # The body is not read, so the form comes back empty, with the reason above it.
        context = {"form": SourceAddForm(), "refused": too_large_message()}
        return render(request, "sources/source_form.html", context, status=413)
    form = SourceAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.source_add(
                title=data["title"],
                language=data["language"],
                text=data["text"],
                origin=data.get("origin") or "",
                date=data.get("date"),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None if not hasattr(error, "error_dict") else "text", error.messages)
        else:
            messages.success(request, _("Added the source “%(title)s”.") % {"title": source.title})
            return redirect("sources:detail", slug=source.slug)
    status = 400 if form.errors else 200
    return render(request, "sources/source_form.html", {"form": form}, status=status)


@require_safe
@login_required
def source_cite(request, slug):
    """Send the editor to the add page of the chosen kind of row, the passage cited (nothing is written here)."""
    source = get_object_or_404(Source, slug=slug)
    form = CiteForm(request.GET, source=source)
    if not form.is_valid():
        return _detail(request, source, cite_form=form, status=400)
    kind, role = form.cleaned_data["kind"], form.cleaned_data["role"]
    _require(request, KINDS[kind].perm("add"))
    return redirect(cite_url(source=source, excerpt=form.cleaned_data["excerpt"], role=role, kind_key=kind))


@require_POST
@login_required
def mark_add(request, slug):
    _require(request, "sources.add_sentencemark")
    source = get_object_or_404(Source, slug=slug)
    form = MarkForm(request.POST)
    reading = read_source(source)
    if form.is_valid():
        number = form.cleaned_data["sentence"]
        if number > len(reading.sentences):
            form.add_error(None, _("The source has no such sentence; it may have been corrected. Choose again."))
        else:
            sentence = reading.sentences[number - 1]
            try:
                services.mark_add(
                    source=source,
                    excerpt=sentence.text,
                    reason_en=form.cleaned_data["reason_en"],
                    reason_nb=form.cleaned_data["reason_nb"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Marked the sentence as stating nothing about a role."))
                return redirect(f"{reverse('sources:detail', kwargs={'slug': slug})}#s-{number}")
    return _detail(request, source, mark_form=form, status=400)


@require_POST
@login_required
def mark_delete(request, slug, pk):
    _require(request, "sources.delete_sentencemark")
    mark = get_object_or_404(SentenceMark, pk=pk, source__slug=slug)
    try:
        services.mark_remove(mark=mark, user=request.user, expected_version=posted_version(request))
    except StaleEdit:
        messages.error(request, _("The mark changed since you loaded the page. Here it is as it is now; try again."))
    except ObjectDoesNotExist:
        messages.info(request, _("The mark had already been removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed the mark; the sentence counts as not covered again."))
    return redirect("sources:detail", slug=slug)
