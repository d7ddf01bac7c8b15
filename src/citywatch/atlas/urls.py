from django.urls import path

from citywatch.atlas import deal_views, views

app_name = "atlas"
urlpatterns = [
    path("deployments/", views.deployment_list, name="deployment_list"),
    # Before the deployment pages: "new" is a page, never a deployment's slug.
    path("deployments/new/", deal_views.deployment_new, name="deployment_new"),
    path("deployments/<slug:slug>/", views.deployment_detail, name="deployment"),
    path("deployments/<slug:slug>/edit/", deal_views.deployment_edit, name="deployment_edit"),
    path("places/search.json", deal_views.place_search, name="place_search"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("sources/<int:pk>/", views.source_by_number, name="source_by_number"),
    path("sources/<uuid:key>/", views.source_detail, name="source"),
    path("map/deployments.json", views.map_deployments, name="map_deployments"),
    path("map/countries.json", views.map_countries, name="map_countries"),
    path("map/deployments/<int:pk>.json", views.map_popup, name="map_popup"),
]
