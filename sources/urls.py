from django.urls import path

from . import health, views

app_name = "sources"
urlpatterns = [
    # Sources: the list with coverage, adding one, a source's text, citing and marking its passages.
    path("sources/", views.source_list, name="list"),
    path("sources/new/", views.source_add, name="add"),
    path("sources/<slug:slug>/", views.source_detail, name="detail"),
    path("sources/<slug:slug>/cite/", views.source_cite, name="cite"),
    path("sources/<slug:slug>/marks/", views.mark_add, name="mark-add"),
    path("sources/<slug:slug>/marks/<int:pk>/delete/", views.mark_delete, name="mark-delete"),
    # The knowledge base's health: what is missing, stale or doubled, each with where to fix it.
    path("health/", health.health_page, name="health"),
]
