"""A URLconf for tests: the project's URLs plus one view that fails, for the 500 page."""

from django.urls import path

from citywatch.urls import handler500, urlpatterns  # noqa: F401 (Django reads handler500)


def crash(request):
    raise RuntimeError("a bug for the 500 page")


urlpatterns = [path("crash-for-tests/", crash), *urlpatterns]
