"""The public tip form (no account, no JavaScript needed) and the reviewer's tip page.

Privacy, as the form promises: no IP address, browser identifier or precise time is stored.
The upload is kept in memory only (never in Django's temporary upload files), cleaned of
identifying metadata (by mat2 in a private folder removed at once, then by our own pass), and
only the cleaned file is stored. The rate limit lives in the visitor's own
session and holds a day and a count, nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from citywatch.commons import tips
from citywatch.commons.forms import RejectForm
from citywatch.commons.models import ReviewStatus, Tip
from citywatch.commons.tip_forms import TipAcceptForm, TipForm
from citywatch.core.choices import Certainty
from citywatch.evidence import cleaning
from citywatch.places.models import Country
from citywatch.teams import permissions

TIPS_PER_SESSION_PER_DAY = 5
SESSION_KEY = "citywatch_tips"
UPLOAD_FIELD = "attachment"


# ---------------------------------------------------------------- uploads, in memory only


class InMemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps the tip's file in memory and never hands it to a handler that writes to disk.

    Django's default handlers spill uploads over 2.5 MB into a temporary file: that file
    would hold the original, metadata and all. This handler is the only one the tip form
    uses. A file over the limit (or any file in another field) is skipped, and the form
    says why.
    """

    def __init__(self, request: HttpRequest | None = None, limit: int = cleaning.MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.refused = ""
        self.buffer: io.BytesIO | None = None

    def new_file(self, field_name: str, *args, **kwargs) -> None:
        """Start a new buffer for the file; only the tip's attachment field is kept.

        Raises:
            SkipFile: when the file comes in another field, or a file was already refused as too
                large (Django then drops the file).
        """
        super().new_file(field_name, *args, **kwargs)
        self.buffer = io.BytesIO()
        if field_name != UPLOAD_FIELD or self.refused:
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        """Add a chunk (``start``: its offset in bytes) to the in-memory buffer.

        Raises:
            SkipFile: when the bytes received pass ``limit``; the buffer is dropped and ``refused``
                holds the message the form shows.
        """
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = cleaning.too_large_message()
            self.buffer = None
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


# ---------------------------------------------------------------- the rate limit


def end_of_today() -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time.min, tzinfo=timezone.get_current_timezone())


def tips_sent_today(request: HttpRequest) -> int:
    record = request.session.get(SESSION_KEY) or {}
    if record.get("day") != timezone.localdate().isoformat():
        return 0
    return int(record.get("count", 0))


def count_tip(request: HttpRequest) -> None:
    """Count the tip in the visitor's session: the day and a number, no time, no address.

    An anonymous visitor's session ends at midnight, so its expiry date tells no more than
    the day either.
    """
    request.session[SESSION_KEY] = {
        "day": timezone.localdate().isoformat(),
        "count": tips_sent_today(request) + 1,
    }
    if not request.user.is_authenticated:
        request.session.set_expiry(end_of_today())


# ---------------------------------------------------------------- public pages


@csrf_exempt
def tip_new(request: HttpRequest) -> HttpResponse:
    """Swap in the in-memory upload handler before anything reads the request body.

    The CSRF check is done by ``tip_form`` (csrf_protect): the CSRF middleware would
    otherwise read the body first, with Django's default handlers.
    """
    handler = InMemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    return tip_form(request, handler)


@never_cache
@csrf_protect
def tip_form(request: HttpRequest, handler: InMemoryOnlyUploadHandler) -> HttpResponse:
    limited = tips_sent_today(request) >= TIPS_PER_SESSION_PER_DAY
    if request.method != "POST":
        return render(request, "commons/tip_new.html", {"form": TipForm(), "limited": limited})
    form = TipForm(request.POST, request.FILES)
    if form.is_spam:
        # Look like success to the bot; keep nothing.
        return redirect("commons:tip_thanks")
    form.upload_refused = handler.refused
    if limited:
        form.add_error(
            None,
            _(
                "This browser has sent %(count)d tips today, the most we accept in a day. "
                "Please come back tomorrow."
            )
            % {"count": TIPS_PER_SESSION_PER_DAY},
        )
    if form.is_valid():
        data = form.cleaned_data
        tips.receive_tip(
            what=data["what"],
            place=data["place"],
            country=data["country"],
            vendor=data["vendor"],
            source_url=data["source_url"],
            details=data["details"],
            attachment=data["attachment"],
        )
        count_tip(request)
        return redirect("commons:tip_thanks")
    return render(request, "commons/tip_new.html", {"form": form, "limited": limited}, status=400)


def tip_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "commons/tip_thanks.html")


# ---------------------------------------------------------------- reviewers


def reviewer_only(request: HttpRequest) -> None:
    if not permissions.can_review_tips(request.user):
        raise PermissionDenied


def initial_acceptance(tip: Tip, user: Any = None) -> dict:
    """What the reviewer starts from: the tip's words and the city list's best guess."""
    suggestions = tips.place_suggestions(tip.place, tip.country_id)
    first = suggestions[0] if suggestions else None
    country = tip.country_id or (first.country_code if first else None)
    vendor = tips.vendor_match(tip.vendor, user)
    initial = {
        "title": " ".join(tip.what.split())[:120],
        "summary": tip.what,
        "country": country,
        "locality_name": first.name if first else tip.place[:200],
        "latitude": first.latitude if first else None,
        "longitude": first.longitude if first else None,
        "status": "rumoured",
        "certainty": Certainty.REPORTED if tip.source_url else Certainty.SPECULATIVE,
        "vendor": vendor.slug if vendor else None,
        "source_title": tips.source_title_for(tip.source_url) if tip.source_url else "",
    }
    return initial


def acceptance_from(data: dict) -> tips.TipAcceptance:
    return tips.TipAcceptance(
        title=data["title"],
        summary=data["summary"],
        country=data["country"],
        locality_name=data["locality_name"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        status=data["status"],
        certainty=data["certainty"],
        visibility=data["visibility"],
        vendor=data["vendor"],
        source_title=data.get("source_title", ""),
        publish_attachment=data.get("publish_attachment", False),
        note=data["note"],
    )


@login_required
def tip_review(request: HttpRequest, key: str) -> HttpResponse:
    reviewer_only(request)
    tip = get_object_or_404(Tip.objects.select_related("country", "deployment"), key=key)
    form_options = {
        "has_link": bool(tip.source_url),
        "has_file": bool(tip.attachment),
        "user": request.user,
    }
    accept_form = TipAcceptForm(
        prefix="accept", initial=initial_acceptance(tip, request.user), **form_options
    )
    reject_form = RejectForm(prefix="reject")
    if request.method == "POST" and tip.status == ReviewStatus.PENDING:
        if "accept" in request.POST:
            accept_form = TipAcceptForm(request.POST, prefix="accept", **form_options)
            if accept_form.is_valid():
                try:
                    deployment = tips.accept_tip(
                        tip, acceptance_from(accept_form.cleaned_data), reviewer=request.user
                    )
                except ValidationError as error:
                    for message in error.messages:
                        accept_form.add_error(None, message)
                except tips.AlreadyReviewed as error:
                    messages.error(request, str(error))
                    return redirect(tip)
                else:
                    messages.success(
                        request, _("The tip is now a deployment: complete it as needed.")
                    )
                    return redirect(deployment)
        elif "reject" in request.POST:
            reject_form = RejectForm(request.POST, prefix="reject")
            if reject_form.is_valid():
                try:
                    tips.reject_tip(
                        tip, reviewer=request.user, reason=reject_form.cleaned_data["reason"]
                    )
                except tips.AlreadyReviewed as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, _("The tip was rejected."))
                return redirect("commons:review_queue")
    cities = tips.place_suggestions(tip.place, tip.country_id)
    countries = Country.objects.in_bulk({city.country_code for city in cities})
    suggestions = [(city, countries.get(city.country_code)) for city in cities]
    return render(
        request,
        "commons/tip_review.html",
        {
            "tip": tip,
            "accept_form": accept_form,
            "reject_form": reject_form,
            "suggestions": suggestions,
            "is_image": tip.attachment_type in cleaning.IMAGE_TYPES,
            # A private deployment's title is not shown to reviewers of other teams.
            "deployment": tip.deployment
            if tip.deployment and permissions.can_view(request.user, tip.deployment)
            else None,
        },
    )


@login_required
def tip_file(request: HttpRequest, key: str) -> FileResponse:
    """The tip's cleaned file, for reviewers only (photos shown inline, the rest downloaded)."""
    reviewer_only(request)
    tip = get_object_or_404(Tip, key=key)
    if not tip.attachment:
        raise Http404
    try:
        handle = default_storage.open(tip.attachment.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    inline = tip.attachment_type in cleaning.IMAGE_TYPES
    extension = cleaning.EXTENSIONS.get(tip.attachment_type, "bin")
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=f"tip-{tip.key}.{extension}",
        content_type=tip.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
