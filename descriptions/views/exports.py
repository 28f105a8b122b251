"""Job descriptions to take away: one role as Word, several roles' PDFs at once (a zip)."""

import io
import zipfile

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from knowledge.access import kb_read_required, throttled
from roles.models import Role

from .. import documents, word
from ..sheet import role_with_everything

# PDFs are laid out at a few pages a second: a zip holds at most this many roles.
MAX_PDF_ROLES = 10


@require_safe
@kb_read_required
@throttled("pdf")
def docx(request, slug):
    role = role_with_everything(slug)
    citations = request.GET.get("citations") == "1"  # the edition with sources, as for the PDF
    address = request.build_absolute_uri(role.get_absolute_url())
    body = word.job_description_docx(role, request.LANGUAGE_CODE, address, citations=citations)
    response = HttpResponse(body, content_type=word.CONTENT_TYPE)
    suffix = "-cited" if citations else ""
    response["Content-Disposition"] = f'attachment; filename="{role.slug}-{request.LANGUAGE_CODE}{suffix}.docx"'
    return response


@require_safe
@kb_read_required
@throttled("pdf")
def pdf_zip(request):
    """``/roles/pdf/?roles=a,b,c``: the chosen roles' job descriptions as PDFs in one zip file."""
    wanted = [slug.strip() for value in request.GET.getlist("roles") for slug in value.split(",") if slug.strip()]
    wanted = list(dict.fromkeys(wanted))
    known = set(Role.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    errors = []
    if not wanted:
        errors.append(_("Choose at least one role."))
    if len(wanted) > MAX_PDF_ROLES:
        errors.append(_("Choose at most %(max)s roles at a time.") % {"max": MAX_PDF_ROLES})
    unknown = [slug for slug in wanted if slug not in known]
    if unknown:
        errors.append(_("No role has the address %(slugs)s.") % {"slugs": ", ".join(unknown)})
    if errors:
        roles = Role.objects.order_by("position", "slug").only("slug", "title")
        context = {"errors": errors, "roles": roles, "max_roles": MAX_PDF_ROLES, "chosen": wanted}
        return render(request, "descriptions/role_pdf_zip.html", context, status=400 if wanted else 200)
    out = io.BytesIO()
    skipped = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for slug in wanted:
            role = role_with_everything(slug)
            try:
                archive.writestr(f"{slug}-{request.LANGUAGE_CODE}.pdf", documents.job_description_pdf(request, role))
            except documents.TooLongToPrint:
                skipped.append(slug)
        if skipped:
            archive.writestr(
                "README.txt",
                _("Too long to print as PDF; open these on the site: %(slugs)s") % {"slugs": ", ".join(skipped)},
            )
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="job-descriptions-{request.LANGUAGE_CODE}.zip"'
    return response
