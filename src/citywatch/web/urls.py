from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from citywatch.web import outbox, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/continue/", views.continue_after_setup, name="continue"),
    path("outbox/", outbox.outbox_list, name="outbox"),
    path("outbox/<str:key>/", outbox.outbox_message, name="outbox_message"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("citywatch/img/favicon.svg"), permanent=True),
    ),
]
