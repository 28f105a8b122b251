from django.urls import path

from . import views

app_name = "responsibilities"
urlpatterns = [
    path("search/", views.search, name="search"),
]
