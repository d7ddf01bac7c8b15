from django.urls import path

from citywatch.atlas import views

app_name = "atlas"
urlpatterns = [
    path("deployments/", views.deployment_list, name="deployment_list"),
    path("deployments/<slug:slug>/", views.deployment_detail, name="deployment"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("sources/<int:pk>/", views.source_by_number, name="source_by_number"),
    path("sources/<uuid:key>/", views.source_detail, name="source"),
    path("map/deployments.json", views.map_deployments, name="map_deployments"),
    path("map/countries.json", views.map_countries, name="map_countries"),
    path("map/deployments/<slug:slug>.json", views.map_popup, name="map_popup"),
]
