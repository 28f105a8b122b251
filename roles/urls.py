from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("roles/<slug:slug>/", views.detail, name="detail"),
]
