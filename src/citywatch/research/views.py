"""Pages for working with sources: search, document text, uploads, archived copies, citing
passages and fact suggestions. Who may see or change what is asked of the permission module."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import (
    DeploymentStatus,
    EventKind,
    FinancingKind,
    PartyRole,
    QuantityQualifier,
    Technology,
)
from citywatch.atlas.queries import (
    editable_deployments,
    source_evidence,
    visible_deployments,
)
from citywatch.commons.services import propose_operation
from citywatch.core.choices import Visibility
from citywatch.evidence import archiving, documents, passages, services
from citywatch.evidence.models import Source, StoredFile
from citywatch.evidence.queries import text_file
from citywatch.places.models import Country
from citywatch.research import services as research_services
from citywatch.research import suggestions
from citywatch.research.forms import AttachForm, CiteForm, DocumentForm
from citywatch.research.search import KINDS, search
from citywatch.teams import permissions
from citywatch.teams.models import Team
from citywatch.teams.permissions import contributor_required

PAGE_SIZE = 20
INLINE_TYPES = {documents.PDF, *documents.IMAGE_TYPES}


# ---------------------------------------------------------------- search


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:500]
    kinds = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    country = request.GET.get("country", "").strip().upper()[:2]
    vendor = request.GET.get("vendor", "").strip()[:120]
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    results = search(
        query,
        kinds=kinds or None,
        country=country or None,
        vendor=vendor or None,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
        user=request.user,
    )
    paginator = Paginator(range(results.total), PAGE_SIZE)
    page = paginator.get_page(page_number) if results.total else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "research/search.html",
        {
            "query": query,
            "results": results,
            "page": page,
            "query_string": params.urlencode(),
            "kinds": [(kind, label, kind in kinds) for kind, label in KINDS.items()],
            "country": country,
            "vendor": vendor,
            "countries": Country.objects.filter(
                deployments__in=visible_deployments(request.user).values("pk")
            ).distinct(),
            "vendors": permissions.visible(request.user, Organisation).filter(
                kind=OrganisationKind.VENDOR
            ),
        },
    )


# ---------------------------------------------------------------- files


def file_response(stored: StoredFile, download_name: str) -> FileResponse:
    """A stored file as a download (or inline for PDFs and images), named ``download_name``.

    Raises:
        Http404: the file is missing from storage.
    """
    try:
        handle = default_storage.open(stored.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404("The stored file is missing") from missing
    inline = stored.media_type in INLINE_TYPES
    name = f"{download_name}.{documents.EXTENSIONS.get(stored.media_type, 'bin')}"
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=stored.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Digest"] = f"sha-256={stored.sha256}"
    if stored.media_type != documents.PDF:
        # A stored web page is someone else's HTML: never let it run as this site.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


def visible_source(request: HttpRequest, key: Any) -> Source:
    """The source with this key if the user may see it.

    Raises:
        Http404: no source with this key, or the user may not see it (the same answer).
    """
    return get_object_or_404(
        permissions.visible(request.user, Source).select_related("document"), key=key
    )


def editable_source(request: HttpRequest, key: Any) -> Source:
    """A source the user may see and change (directly or by proposal).

    Raises:
        Http404: as ``visible_source``.
        PermissionDenied: the user may see the source but not change it.
    """
    source = visible_source(request, key)
    if not permissions.can_edit(request.user, source):
        raise PermissionDenied
    return source


def source_file(request: HttpRequest, key: Any) -> FileResponse:
    """The document behind a source the user may see.

    Raises:
        Http404: no such visible source, or it has no document, or the file is missing.
    """
    source = visible_source(request, key)
    if source.document is None:
        raise Http404("This source has no document")
    return file_response(source.document, f"source-{source.pk}")


def snapshot_file(request: HttpRequest, key: Any, snapshot_pk: int) -> FileResponse:
    source = visible_source(request, key)
    snapshot = get_object_or_404(source.snapshots.select_related("stored_file"), pk=snapshot_pk)
    stamp = snapshot.retrieved_at.strftime("%Y%m%d-%H%M%S")
    return file_response(snapshot.stored_file, f"source-{source.pk}-archived-{stamp}")


# ---------------------------------------------------------------- reading and citing


def source_text(request: HttpRequest, key: Any) -> HttpResponse:
    """The source's text page by page, every cited passage marked."""
    source = visible_source(request, key)
    stored = text_file(source)
    evidence = source_evidence(source, request.user)
    pages: list[passages.Page] = []
    if stored is not None:
        quotes = [
            (f"quote-{citation.pk}", citation.quote, str(citation.target or ""))
            for citation in evidence.quoted
        ]
        pages = passages.render_pages(stored.text, passages.marks_for(stored.text, quotes))
    context: dict[str, Any] = {
        "source": source,
        "stored": stored,
        "evidence": evidence,
        "pages": pages,
        "multipage": len(pages) > 1,
    }
    if permissions.can_contribute(request.user):
        context.update(cite_context(request, source))
    return render(request, "research/source_text.html", context)


def cite_context(request: HttpRequest, source: Source, form: CiteForm | None = None) -> dict:
    """The cite panel: only deployments the user may change are offered or pre-filled."""
    slug = request.GET.get("deployment") or request.POST.get("deployment", "")
    editable = editable_deployments(request.user)
    deployment = editable.filter(slug=slug).first() if slug else None
    return {
        "can_cite": True,
        "deployments": editable.only("slug", "title").order_by("title"),
        "cite_deployment": deployment,
        "cite_form": form or (CiteForm(deployment=deployment) if deployment else None),
    }


@contributor_required
@require_POST
def cite(request: HttpRequest, key: Any) -> HttpResponse:
    """Cite a passage for a fact: reviewers of the deployment's team write it, contributors
    propose it to them."""
    source = visible_source(request, key)
    deployment = get_object_or_404(
        editable_deployments(request.user), slug=request.POST.get("deployment", "")
    )
    form = CiteForm(request.POST, deployment=deployment)
    if form.is_valid():
        content_type_id, object_id, field_name = form.target()
        arguments = {
            "source": str(source.key),
            "content_type": content_type_id,
            "object_id": object_id,
            "field_name": field_name,
            "quote": form.cleaned_data["quote"],
            "locator": form.cleaned_data["locator"],
            "stated_value": form.cleaned_data["stated_value"],
        }
        try:
            services.check_quote_in_text(source, passages.normalise_quote(arguments["quote"]))
            if permissions.can_review(request.user, deployment):
                citation = atlas_services.cite_passage(
                    source,
                    services.citable_target(content_type_id, object_id),
                    quote=arguments["quote"],
                    field_name=field_name,
                    locator=arguments["locator"],
                    stated_value=arguments["stated_value"],
                    by=request.user,
                )
            else:
                propose_operation("cite_passage", arguments, target=deployment, user=request.user)
                messages.success(
                    request, _("Thank you: your citation waits for a reviewer of this deal.")
                )
                return redirect(source.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Citation added."))
            return redirect(citation.get_absolute_url())
    stored = text_file(source)
    evidence = source_evidence(source, request.user)
    pages = passages.render_pages(stored.text, []) if stored else []
    context = {
        "source": source,
        "stored": stored,
        "evidence": evidence,
        "pages": pages,
        "multipage": len(pages) > 1,
        **cite_context(request, source, form),
    }
    return render(request, "research/source_text.html", context, status=400)


# ---------------------------------------------------------------- documents and archiving


@contributor_required
def document_new(request: HttpRequest) -> HttpResponse:
    """A new source from a file, owned by one of the user's teams; a contributor's source stays
    private to the team until a reviewer publishes it."""
    teams = permissions.teams_with(request.user, permissions.Capability.PROPOSE)
    if permissions.is_superuser(request.user):
        teams = list(Team.objects.values_list("pk", flat=True))
    form = DocumentForm(request.POST or None, request.FILES or None, team_ids=teams)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        source = form.save(commit=False)
        if not permissions.has_capability(
            request.user, permissions.Capability.REVIEW, source.owner_team_id
        ):
            source.visibility = Visibility.PRIVATE
        source = services.add_document(upload, upload.name, source=source)
        messages.success(
            request, _("Document stored. Its text will be read in the background shortly.")
        )
        return redirect(source.get_absolute_url())
    return render(request, "research/document_form.html", {"form": form, "source": None})


@contributor_required
def document_attach(request: HttpRequest, key: Any) -> HttpResponse:
    """Attach or replace a source's document: reviewers of the source's team do it, others
    propose it (the file is kept, unused and unseen, until a reviewer applies it)."""
    source = editable_source(request, key)
    form = AttachForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        if permissions.can_review(request.user, source):
            services.add_document(upload, upload.name, source=source)
            messages.success(
                request, _("Document stored. Its text will be read in the background shortly.")
            )
        else:
            stored, _created = documents.store_file(upload, upload.name)
            propose_operation(
                "attach_document",
                {"source": str(source.key), "sha256": stored.sha256},
                target=source,
                user=request.user,
            )
            messages.success(
                request, _("Thank you: the new document waits for a reviewer of this source.")
            )
        return redirect(source.get_absolute_url())
    return render(request, "research/document_form.html", {"form": form, "source": source})


@contributor_required
@require_POST
def archive_now(request: HttpRequest, key: Any) -> HttpResponse:
    source = editable_source(request, key)
    try:
        snapshot = services.archive_source(source)
    except archiving.ArchiveError as error:
        messages.error(request, _("Not archived: %(reason)s") % {"reason": error})
    else:
        messages.success(
            request,
            _("Archived copy stored (SHA-256 %(hash)s).") % {"hash": snapshot.stored_file.sha256},
        )
    return redirect(source.get_absolute_url())


# ---------------------------------------------------------------- suggestions


@contributor_required
def source_suggestions(request: HttpRequest, key: Any) -> HttpResponse:
    source = visible_source(request, key)
    stored = text_file(source)
    found = suggestions.suggest(stored.text, user=request.user) if stored else []
    groups = {kind: [s for s in found if s.kind == kind] for kind in suggestions.KINDS}
    return render(
        request,
        "research/suggestions.html",
        {
            "source": source,
            "stored": stored,
            "groups": [(suggestions.KINDS[k], k, items) for k, items in groups.items() if items],
            "deployments": editable_deployments(request.user)
            .only("slug", "title")
            .order_by("title"),
            "technologies": Technology.objects.all(),
            "qualifiers": QuantityQualifier.choices,
            "roles": PartyRole.choices,
            "event_kinds": EventKind.choices,
            "financing": FinancingKind.choices,
            "statuses": DeploymentStatus.choices,
        },
    )


OPTION_FIELDS = (
    "quantity",
    "unit",
    "technology",
    "qualifier",
    "amount",
    "currency",
    "financing",
    "dated",
    "role",
    "event_kind",
    "title",
    "date",
)


@contributor_required
@require_POST
def accept_suggestion(request: HttpRequest, key: Any) -> HttpResponse:
    """Add a suggested fact with its citation: reviewers of the deployment's team write it,
    contributors propose it to them."""
    source = visible_source(request, key)
    slug = request.POST.get("deployment", "")
    deployment = editable_deployments(request.user).filter(slug=slug).first()
    back = reverse("research:suggestions", args=[source.key])
    if deployment is None:
        messages.error(request, _("Choose the deployment the fact belongs to."))
        return redirect(back)
    options = {name: request.POST.get(name, "").strip() for name in OPTION_FIELDS}
    suggestion_key = request.POST.get("key", "")
    try:
        if permissions.can_review(request.user, deployment):
            citation = research_services.accept_suggestion(
                source, suggestion_key, deployment, options, by=request.user
            )
        else:
            research_services.find_suggestion(source, suggestion_key, request.user)
            propose_operation(
                "accept_suggestion",
                {
                    "source": str(source.key),
                    "key": suggestion_key,
                    "deployment": deployment.pk,
                    "options": options,
                },
                target=deployment,
                user=request.user,
            )
            messages.success(
                request,
                _("Thank you: the fact waits for a reviewer of %(deployment)s.")
                % {"deployment": deployment.title},
            )
            return redirect(back)
    except ValidationError as error:
        messages.error(request, _("Not added: %(reason)s") % {"reason": "; ".join(error.messages)})
        return redirect(back)
    messages.success(
        request,
        _("Added to %(deployment)s: %(fact)s, citing this source.")
        % {"deployment": deployment.title, "fact": citation.target},
    )
    return redirect(back)
