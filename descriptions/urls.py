from django.urls import path

from .views import editing, exports, history, pages, publications, review

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
    # Drafts, review and publications
    path("reviews/", review.reviews, name="reviews"),
    path("roles/<slug:slug>/draft/", review.draft, name="draft"),
    path("roles/<slug:slug>/draft/submit/", review.draft_submit, name="draft-submit"),
    path("roles/<slug:slug>/draft/discard/", review.draft_discard, name="draft-discard"),
    path("roles/<slug:slug>/review/", review.review, name="review"),
    path("roles/<slug:slug>/review/publish/", review.publish, name="publish"),
    path("roles/<slug:slug>/review/return/", review.return_draft, name="return"),
    path("roles/<slug:slug>/review/sign-off/", review.sign_off, name="sign-off"),
    path("roles/<slug:slug>/publications/", publications.publication_list, name="publications"),
    path("roles/<slug:slug>/publications/compare/", publications.publication_compare, name="publication-compare"),
    path("roles/<slug:slug>/publications/<int:number>/", publications.publication_detail, name="publication"),
    # History, revert and restore
    path("roles/<slug:slug>/history/", history.role_history, name="history"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/revert/", history.history_revert, name="revert"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/restore/", history.history_restore, name="restore"),
]
