from django.urls import path

from roles.urls import item_patterns

from . import views
from .editing import DUTIES

app_name = "responsibilities"
urlpatterns = [
    path("search/", views.search, name="search"),
    *item_patterns(DUTIES),
]
