from django.urls import path

from citywatch.atlas import views

app_name = "atlas"
urlpatterns = [
    path("deployments/", views.deployment_list, name="deployment_list"),
    path("deployments/<slug:slug>/", views.deployment_detail, name="deployment"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
