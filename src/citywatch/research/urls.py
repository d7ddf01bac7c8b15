from django.urls import path

from citywatch.research import views

app_name = "research"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("sources/new/", views.document_new, name="document_new"),
    path("sources/<uuid:key>/text/", views.source_text, name="source_text"),
    path("sources/<uuid:key>/cite/", views.cite, name="cite"),
    path("sources/<uuid:key>/file/", views.source_file, name="source_file"),
    path("sources/<uuid:key>/document/", views.document_attach, name="document_attach"),
    path("sources/<uuid:key>/archive/", views.archive_now, name="archive_now"),
    path(
        "sources/<uuid:key>/archive/<str:stamp>/",
        views.snapshot_file,
        name="snapshot_file",
    ),
    path("sources/<uuid:key>/suggestions/", views.source_suggestions, name="suggestions"),
    path(
        "sources/<uuid:key>/suggestions/accept/",
        views.accept_suggestion,
        name="accept_suggestion",
    ),
]
