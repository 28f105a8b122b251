from django.urls import path

from . import views
from .editing import FACTS, LINES, QUALIFICATIONS


def item_patterns(kind):
    """Add, change, delete and move one kind of a role's rows (duties, qualifications, …)."""
    prefix = f"roles/<slug:slug>/{kind.key}/"
    options = {"kind": kind}
    patterns = [
        path(f"{prefix}add/", views.item_add, options, name=f"{kind.key}_add"),
        path(f"{prefix}<int:pk>/edit/", views.item_edit, options, name=f"{kind.key}_edit"),
        path(f"{prefix}<int:pk>/delete/", views.item_delete, options, name=f"{kind.key}_delete"),
    ]
    if kind.positioned:
        patterns.append(path(f"{prefix}<int:pk>/move/", views.item_move, options, name=f"{kind.key}_move"))
    return patterns


app_name = "roles"
urlpatterns = [
    path("", views.directory, name="directory"),
    # Before roles/<slug>/, which would otherwise take "new" for a slug.
    path("roles/new/", views.role_create, name="create"),
    path("roles/<slug:slug>/", views.detail, name="detail"),
    # Editing (editors only)
    path("roles/<slug:slug>/edit/", views.role_edit, name="edit"),
    *item_patterns(FACTS),
    *item_patterns(QUALIFICATIONS),
    *item_patterns(LINES),
    # History, revert and restore
    path("roles/<slug:slug>/history/", views.role_history, name="history"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/revert/", views.history_revert, name="revert"),
    path("roles/<slug:slug>/history/<str:track>/<int:history_id>/restore/", views.history_restore, name="restore"),
]
