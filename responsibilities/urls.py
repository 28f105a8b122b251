from roles.urls import item_patterns

from .editing import DUTIES

app_name = "responsibilities"
urlpatterns = [
    *item_patterns(DUTIES),
]
