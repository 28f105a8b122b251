from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("roles/<slug:slug>/", views.detail, name="detail"),
    path("roles/<slug:slug>/pdf/", views.pdf, name="pdf"),
    # Org chart: the page, and the picture on its own as a download.
    path("org-chart/", views.org_chart, name="org-chart"),
    path("org-chart.svg", views.org_chart_svg, name="org-chart-svg"),
    path("compare/", views.compare, name="compare"),
]
