from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from citywatch.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("citywatch/img/favicon.svg"), permanent=True),
    ),
]
