from django.urls import path

from .views import editing, exports, history, pages

app_name = "descriptions"
urlpatterns = [
    path("", pages.directory, name="directory"),
    # Before roles/<slug>/, which would otherwise take "new" for a slug.
    path("roles/new/", editing.role_create, name="create"),
    path("roles/pdf/", exports.pdf_zip, name="pdf-zip"),
    path("roles/<slug:slug>/", pages.detail, name="detail"),
    path("roles/<slug:slug>/pdf/", pages.pdf, name="pdf"),
    path("roles/<slug:slug>/job-description/", pages.job_description, name="job-description"),
    path("roles/<slug:slug>/docx/", exports.docx, name="docx"),
    path("compare/", pages.compare, name="compare"),
    # Editing (editors only)
    path("roles/<slug:slug>/edit/", editing.role_edit, name="edit"),
    # History, revert and restore
    path("roles/<slug:slug>/history/", history.role_history, name="history"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/revert/", history.history_revert, name="revert"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/restore/", history.history_restore, name="restore"),
]
