from django.urls import path

from citywatch.api import views
from citywatch.api.api import api

# No app namespace here: the API itself registers the "api" namespace (for its docs page).
urlpatterns = [
    path("api/", api.urls),
    path("account/tokens/", views.tokens, name="api_tokens"),
    path("account/tokens/<str:token_id>/revoke/", views.revoke, name="api_revoke_token"),
]
