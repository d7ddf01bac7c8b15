from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from citywatch.teams.admin_site import site_administrators_only

# The admin logs in through allauth, so its login is rate-limited and two-factor protected.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
site_administrators_only(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("citywatch.commons.urls")),
    path("foi/", include("citywatch.foi.urls")),
    path("", include("citywatch.web.urls")),
    path("", include("citywatch.atlas.urls")),
    path("", include("citywatch.exchange.urls")),
    path("", include("citywatch.api.urls")),
    path("", include("citywatch.research.urls")),
]

# Error pages in the site's style (templates 404.html, 403.html, 403_csrf.html, 500.html).
handler500 = "citywatch.web.views.server_error"
