from django.urls import path

from citywatch.evidence import views

app_name = "evidence"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("sources/new/", views.document_new, name="document_new"),
    path("sources/<int:pk>/text/", views.source_text, name="source_text"),
    path("sources/<int:pk>/cite/", views.cite, name="cite"),
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("sources/<int:pk>/document/", views.document_attach, name="document_attach"),
    path("sources/<int:pk>/archive/", views.archive_now, name="archive_now"),
    path(
        "sources/<int:pk>/archive/<int:snapshot_pk>/",
        views.snapshot_file,
        name="snapshot_file",
    ),
    path("sources/<int:pk>/suggestions/", views.source_suggestions, name="suggestions"),
    path(
        "sources/<int:pk>/suggestions/accept/",
        views.accept_suggestion,
        name="accept_suggestion",
    ),
]
