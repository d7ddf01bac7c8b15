"""WSGI entry point used by `citywatch serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")
application = get_wsgi_application()

# A server process computes the public dataset's version again in the background after each
# change it commits (docs/performance.md, "The first request after a change").
from django.conf import settings  # noqa: E402 (Django is set up above)

from citywatch.core import data_cache  # noqa: E402

data_cache.warm_in_background(settings.CITYWATCH_WARM_IN_BACKGROUND)
