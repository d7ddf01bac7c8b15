"""Export downloads, release files and the import page for reviewers."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_http_methods

from citywatch.exchange import exports, meta, queries, releases
from citywatch.exchange.forms import ImportForm
from citywatch.exchange.imports import run_import
from citywatch.exchange.imports.schema import SCHEMA_FILE
from citywatch.exchange.models import Release
from citywatch.teams.permissions import can_review_anything, contributor_required

R = TypeVar("R", bound=HttpResponseBase)

DESCRIPTIONS = {
    "deployments.csv": "csv",
    "deployments.geojson": "geojson",
    "citywatch.json": "json",
    "ocds.json": "ocds",
    "datapackage.zip": "datapackage",
}


def export_etag(request: HttpRequest, filename: str = "") -> str:
    return f"{filename}-{queries.dataset_version()}"


def export_last_modified(request: HttpRequest, filename: str = "") -> dt.datetime | None:
    return queries.dataset_last_modified()


def with_licence(response: R, filename: str) -> R:
    """Exports download as files (the API serves the same data inline, as JSON)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{meta.LICENCE_URL}>; rel="license"'
    return response


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchange/index.html",
        {
            "formats": list(DESCRIPTIONS),
            "tables": exports.TABLE_FILES,
            "releases": Release.objects.all()[:20],
            "cite_as": meta.cite_as(dt.date.today()),
            "licence_url": meta.LICENCE_URL,
        },
    )


@require_http_methods(["GET", "HEAD"])
@condition(etag_func=export_etag, last_modified_func=export_last_modified)
@cache_control(public=True, max_age=300)
def export_file(request: HttpRequest, filename: str) -> HttpResponseBase:
    """An export file, streamed as it is made (a HEAD request makes nothing), or the latest
    release's copy when the public data has not changed since (``citywatch release``)."""
    if filename not in exports.FILENAMES:
        raise Http404("No such export")
    made = exports.export(filename)
    snapshot = releases.snapshot_file(filename)
    if snapshot is not None:  # the latest release holds this very data: sent as a file
        response: HttpResponseBase = FileResponse(
            snapshot.open("rb"), content_type=made.content_type
        )
    else:
        blocks = made.blocks() if request.method == "GET" else iter(())
        response = StreamingHttpResponse(blocks, content_type=made.content_type)
    return with_licence(response, filename)


@require_http_methods(["GET", "HEAD"])
@cache_control(public=True, max_age=3600)
def dataset_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of citywatch.json, at a stable address; every import is checked
    against it."""
    response = HttpResponse(
        SCHEMA_FILE.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="citywatch.schema.json"'
    return response


def release_file(request: HttpRequest, version: str, filename: str) -> FileResponse:
    if (
        filename not in releases.RELEASE_FILES
        or not Release.objects.filter(version=version).exists()
    ):
        raise Http404("No such release file")
    path = releases.releases_dir() / version / filename
    if not path.is_file():
        raise Http404("No such release file")
    response = FileResponse(path.open("rb"), filename=filename)
    if filename == "CHANGELOG.md":
        response["Content-Type"] = "text/markdown; charset=utf-8"
    return with_licence(response, filename)


@contributor_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Reviewers upload a file; "Check" is a dry run, "Import" saves when nothing is wrong.

    The import runs as the uploader: it matches and changes only records they may review
    (``exchange.imports.access``); a contributor's import proposes its changes to existing
    deployments for review instead."""
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = run_import(
            upload.read(),
            filename=upload.name,
            format_name=form.cleaned_data["format"],
            dry_run="apply" not in request.POST,
            scheme=form.cleaned_data["scheme"],
            user=request.user,
        )
    return render(
        request,
        "exchange/import.html",
        {"form": form, "report": report, "proposes": not can_review_anything(request.user)},
    )
