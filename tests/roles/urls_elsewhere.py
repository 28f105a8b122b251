"""A site whose role pages live under /elsewhere/ (tests/roles/test_role_url.py)."""

from django.urls import include, path

from descriptions.views import pages

role_pages = ([path("roles/<slug:slug>/", pages.detail, name="detail")], "descriptions")
urlpatterns = [path("elsewhere/", include(role_pages))]
