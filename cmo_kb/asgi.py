import os

from django.core.asgi import get_asgi_application

from .collector import tune as tune_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmo_kb.settings")
tune_garbage_collector()
application = get_asgi_application()
