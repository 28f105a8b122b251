from roles.urls import item_patterns

from .editing import DUTIES

app_name = "responsibilities"
urlpatterns = [
    # A role's duties (editors only)
    *item_patterns(DUTIES),
]
