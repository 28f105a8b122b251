from django.urls import path

from roles.urls import item_patterns

from . import views
from .editing import DUTIES

app_name = "responsibilities"
urlpatterns = [
    # The responsibility matrix (RACI) and its cells; editors set a cell in place or on its own page
    path("responsibilities/", views.matrix, name="matrix"),
    path("responsibilities/new/", views.activity_create, name="activity-create"),
    path("responsibilities/<slug:activity_slug>/<slug:role_slug>/", views.cell, name="cell"),
    path("responsibilities/<slug:activity_slug>/<slug:role_slug>/set/", views.cell_set, name="cell-set"),
    path(
        "responsibilities/<slug:activity_slug>/<slug:role_slug>/accountable/",
        views.cell_accountable,
        name="cell-accountable",
    ),
    # A role's duties (editors only)
    *item_patterns(DUTIES),
]
