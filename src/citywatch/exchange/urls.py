from django.urls import path

from citywatch.exchange import feeds, views

app_name = "exchange"
urlpatterns = [
    path("exports/", views.index, name="index"),
    path(
        "exports/schema/citywatch.schema.json",
        views.dataset_schema,
        name="dataset_schema",
    ),
    path("exports/<str:filename>", views.export_file, name="export"),
    path(
        "exports/releases/<str:version>/<str:filename>",
        views.release_file,
        name="release_file",
    ),
    path("imports/", views.import_upload, name="import"),
    path("feeds/deployments.atom", feeds.DeploymentFeed(), name="feed"),
    path("feeds/countries/<str:code>.atom", feeds.CountryFeed(), name="country_feed"),
    path("feeds/vendors/<slug:slug>.atom", feeds.VendorFeed(), name="vendor_feed"),
    path("feeds/technologies/<slug:slug>.atom", feeds.TechnologyFeed(), name="technology_feed"),
]
