from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from citywatch.web import outbox, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Translations for the map's script (the djangojs domain), plural forms included.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["citywatch.web"]),
        name="javascript_catalog",
    ),
    path("account/continue/", views.continue_after_setup, name="continue"),
    path("outbox/", outbox.outbox_list, name="outbox"),
    path("outbox/<str:key>/", outbox.outbox_message, name="outbox_message"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("citywatch/img/favicon.svg"), permanent=True),
    ),
]
