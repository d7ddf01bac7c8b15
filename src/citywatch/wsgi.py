"""WSGI entry point used by `citywatch serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")
application = get_wsgi_application()
