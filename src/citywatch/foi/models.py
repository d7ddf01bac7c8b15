"""The FOI desk: laws, requests, their letters and their append-only timeline.

Status says where the process stands, resolution says how it ended (DESIGN.md §2). Whether a
request is overdue, very overdue or close to the end of an appeal window is derived from its
dates every time it is asked, never stored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas.models import Deployment
from citywatch.core.choices import Visibility
from citywatch.core.fields import WebAddressField
from citywatch.core.public_keys import KEY_LENGTH, mint_key
from citywatch.evidence.models import Source, StoredFile
from citywatch.foi import law_catalogue as catalogue
from citywatch.places.models import Country

# A request still overdue this many calendar days after its due date is "very overdue".
VERY_OVERDUE_AFTER_DAYS = 30
# An appeal window "is closing" in the last this-many calendar days before its last day.
APPEAL_WINDOW_WARNING_DAYS = 7


class FoiLaw(models.Model):
    """One freedom-of-information law, as data. Rows come from ``law_catalogue`` (synced)."""

    law_id = models.SlugField(_("law id"), max_length=60, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="foi_laws", verbose_name=_("country")
    )
    subdivision = models.CharField(
        _("subdivision"), max_length=10, blank=True, help_text=_("ISO 3166-2, e.g. ES-MD.")
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120)
    citation = models.CharField(_("citation"), max_length=500, blank=True)
    url = WebAddressField(_("official text"), max_length=500, blank=True)
    has_law = models.BooleanField(_("a law exists"), default=True)
    verified = models.BooleanField(
        _("every figure confirmed"),
        default=False,
        help_text=_("False when any figure of the law could not be confirmed."),
    )
    rules = models.JSONField(
        _("rules"), help_text=_("The whole law as data (see citywatch.foi.law_catalogue).")
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("FOI law")
        verbose_name_plural = _("FOI laws")
        ordering = ["country__english_name", "subdivision", "short_name"]

    def __str__(self) -> str:
        return gettext(self.short_name)  # stored in its source language, shown translated

    def as_catalogue(self) -> catalogue.FoiLaw:
        """The law as the deadline engine's plain data."""
        return catalogue.law_from_dict(self.rules)

    def clean(self) -> None:
        try:
            law = self.as_catalogue()
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationError({"rules": _("These rules are not valid: %s") % error}) from error
        if law.id != self.law_id:
            raise ValidationError({"rules": _("The rules' id must be the law id.")})

    @property
    def jurisdiction(self) -> str:
        return self.subdivision or self.country_id

    def unverified_notes(self) -> tuple[catalogue.Note, ...]:
        return self.as_catalogue().unverified_notes()

    @property
    def time_zone(self) -> str:
        """The IANA time zone the law's authorities keep their day in (e.g. Europe/London);
        ``citywatch.foi.seats.authority_time_zone`` refines it by an authority's seat."""
        return self.as_catalogue().time_zone


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting response")
    AWAITING_CLARIFICATION = "awaiting_clarification", _("Awaiting clarification")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    ESCALATED = "escalated", _("Escalated to the appeal body")
    IN_LITIGATION = "in_litigation", _("In litigation")
    AWAITING_CLASSIFICATION = "awaiting_classification", _("Reply received, to classify")
    RESOLVED = "resolved", _("Resolved")
    ASLEEP = "asleep", _("Asleep")


class Resolution(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    PARTIALLY_SUCCESSFUL = "partially_successful", _("Partially successful")
    REFUSED = "refused", _("Refused")
    NOT_HELD = "not_held", _("Information not held")
    DEEMED_REFUSED = "deemed_refused", _("Deemed refused (no answer)")
    DEEMED_GRANTED = "deemed_granted", _("Deemed granted (no answer)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The resolutions that are a decision by the authority against the requester, in whole or in
# part: they record the ground of the refusal and open the appeal against the decision.
REFUSALS = {Resolution.REFUSED, Resolution.PARTIALLY_SUCCESSFUL, Resolution.NOT_HELD}


class RefusalGround(models.TextChoices):
    """Why the authority refused, as the refusal states it (the statute's section is recorded
    beside it). Broad families shared by the laws of the catalogue: FOIA 2000 Part II,
    Ley 19/2013 arts. 14-15 and 18, ZSPI arts. 9 and 14, CRPA art. L311-5 and L311-6..."""

    CONFIDENTIALITY = "confidentiality", _("Confidentiality or national security")
    PERSONAL_DATA = "personal_data", _("Personal data")
    COMMERCIAL = "commercial_interest", _("Commercial interest")
    NOT_HELD = "not_held", _("Information not held")
    COST = "cost", _("Cost or workload")
    OTHER = "other", _("Other ground")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    PORTAL = "portal", _("Web portal")
    IN_PERSON = "in_person", _("In person")


class LetterLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
    SERBIAN_LATIN = "sr-latn", _("Serbian (Latin)")


# The statuses in which the authority's clock is running toward ``due_on``.
CLOCK_RUNNING = {RequestStatus.AWAITING_RESPONSE}
# The statuses of a request that is not finished (drafts are not sent yet).
OPEN_STATUSES = {
    RequestStatus.AWAITING_RESPONSE,
    RequestStatus.AWAITING_CLARIFICATION,
    RequestStatus.AWAITING_PAYMENT,
    RequestStatus.INTERNAL_REVIEW,
    RequestStatus.ESCALATED,
    RequestStatus.IN_LITIGATION,
    RequestStatus.AWAITING_CLASSIFICATION,
}


class FoiRequest(models.Model):
    key = models.CharField(
        _("public key"),
        max_length=KEY_LENGTH,
        unique=True,
        default=mint_key,
        editable=False,
        help_text=_("The request's id in its address and in the API: random, never its number."),
    )
    legacy_number = models.PositiveBigIntegerField(
        _("former public number"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_(
            "The number of a request that was public when public keys were introduced: its old "
            "address /foi/<number>/ still leads to it."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    requester = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="foi_requests",
        limit_choices_to={"kind": OrganisationKind.OTHER},
        verbose_name=_("requester"),
        help_text=_("The organisation (team) asking, never a person."),
    )
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="foi_requests_received",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
        verbose_name=_("authority"),
    )
    law = models.ForeignKey(
        FoiLaw, on_delete=models.PROTECT, related_name="requests", verbose_name=_("law")
    )
    deployments = models.ManyToManyField(
        Deployment, blank=True, related_name="foi_requests", verbose_name=_("deployments")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=LetterLanguage.choices, default="en"
    )
    letter_subject = models.CharField(_("subject"), max_length=300, blank=True)
    letter_body = models.TextField(_("letter"), blank=True)
    sent_on = models.DateField(
        _("received by the authority on"),
        null=True,
        blank=True,
        help_text=_("The day the authority received it: the day sent for e-mail and portals."),
    )
    sent_via = models.CharField(_("sent by"), max_length=12, choices=Channel.choices, blank=True)
    date_note = models.TextField(
        _("about the dates"), blank=True, help_text=_("E.g. why a date is not known.")
    )
    extended = models.BooleanField(
        _("extension notified"),
        default=False,
        help_text=_("The authority said it takes the extension its law allows."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    due_steps = models.JSONField(_("how the due date was computed"), default=list, editable=False)
    due_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    flagged_due_on = models.DateField(
        _("overdue reminder sent for"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The due date the last overdue reminder was about."),
    )
    appeal_stage = models.CharField(_("appeal stage"), max_length=60, blank=True)
    appeal_trigger_on = models.DateField(_("appeal counted from"), null=True, blank=True)
    appeal_due_on = models.DateField(_("last day to appeal"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    resolution = models.CharField(
        _("resolution"), max_length=30, choices=Resolution.choices, blank=True
    )
    refusal_ground = models.CharField(
        _("ground of the refusal"),
        max_length=30,
        choices=RefusalGround.choices,
        blank=True,
        help_text=_("The reason the authority gave for refusing (all or part of) the request."),
    )
    refusal_section = models.CharField(
        _("section cited"),
        max_length=200,
        blank=True,
        help_text=_("The statute's section the refusal cites, e.g. art. 14.1.d or s. 24(1)."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    embargo_until = models.DateField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_("The request stays hidden from the public until this day."),
    )
    owner_team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="foi_requests",
        verbose_name=_("owning team"),
        help_text=_(
            "The team that files and handles the request; its members see it while it is "
            "private or a draft."
        ),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("Where this request is documented, when it is recorded after the fact."),
    )
    quote = models.TextField(_("quote"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("FOI request")
        verbose_name_plural = _("FOI requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("foi:detail", args=[self.key])

    def clean(self) -> None:
        errors = {}
        if self.requester_id and self.requester.kind == OrganisationKind.AUTHORITY:
            errors["requester"] = _("A requester is an organisation, not an authority.")
        if self.authority_id and self.authority.kind != OrganisationKind.AUTHORITY:
            errors["authority"] = _("Choose a public authority.")
        if self.status == RequestStatus.RESOLVED and not self.resolution:
            errors["resolution"] = _("A resolved request needs a resolution.")
        if errors:
            raise ValidationError(errors)

    # --- derived, never stored ---------------------------------------------------------

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in CLOCK_RUNNING and self.due_on is not None and self.due_on < today

    def is_very_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_overdue(today) and (today - self.due_on).days > VERY_OVERDUE_AFTER_DAYS

    def is_appeal_window_closing(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.appeal_due_on is None or self.status in {
            RequestStatus.ESCALATED,
            RequestStatus.IN_LITIGATION,
            RequestStatus.INTERNAL_REVIEW,
        }:
            return False
        return 0 <= (self.appeal_due_on - today).days <= APPEAL_WINDOW_WARNING_DAYS

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def very_overdue(self) -> bool:
        return self.is_very_overdue()

    @property
    def appeal_window_closing(self) -> bool:
        return self.is_appeal_window_closing()


class FoiQuestion(models.Model):
    request = models.ForeignKey(
        FoiRequest, on_delete=models.CASCADE, related_name="questions", verbose_name=_("request")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="foi_question_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Direction(models.TextChoices):
    OUT = "out", _("Sent")
    IN = "in", _("Received")


class MessageKind(models.TextChoices):
    REQUEST = "request", _("Request")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLARIFICATION = "clarification", _("Clarification")
    APPEAL = "appeal", _("Appeal or complaint")
    REPLY = "reply", _("Reply")
    OTHER = "other", _("Other")


class Automated(models.TextChoices):
    """Mail that no person wrote: recognised when it arrives, never counted as an answer."""

    BOUNCE = "bounce", _("Delivery failure (bounce)")
    AUTO_REPLY = "auto_reply", _("Automatic reply")


class FoiMessage(models.Model):
    """One letter in or out.

    ``on`` is the day in the authority's time zone (the day of receipt for deadlines); ``at``
    the exact moment, when known (e-mail). ``message_id`` is the e-mail's Message-ID (without
    angle brackets): CityWatch's own for letters it sent, the sender's for mail received;
    a message is never filed twice in the same direction.
    """

    request = models.ForeignKey(
        FoiRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    channel = models.CharField(
        _("channel"),
        max_length=12,
        choices=Channel.choices,
        blank=True,
        help_text=_("Empty when unknown."),
    )
    on = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty when unknown."))
    at = models.DateTimeField(_("time"), null=True, blank=True, help_text=_("Empty when unknown."))
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipient = models.CharField(_("to"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    automated = models.CharField(
        _("automated mail"), max_length=12, choices=Automated.choices, blank=True
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("documented in"),
    )
    quote = models.TextField(_("quote"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("FOI message")
        verbose_name_plural = _("FOI messages")
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "message_id"],
                condition=~models.Q(message_id=""),
                name="foi_message_id_once_per_direction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject or self.get_kind_display()}"


class FoiAttachment(models.Model):
    """A document that came with a message; it is also a Source of the atlas."""

    message = models.ForeignKey(
        FoiMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="foi_attachments", verbose_name=_("source")
    )
    file = models.FileField(_("file"), upload_to="foi/%Y/", blank=True)
    received_file = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("file as received"),
        help_text=_("The bytes as they arrived; the source shows a cleaned copy once published."),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename or str(self.source)


class TimelineKind(models.TextChoices):
    CREATED = "created", _("Request drafted")
    SENT = "sent", _("Request sent")
    FOLLOW_UP_SENT = "follow_up_sent", _("Follow-up sent")
    REPLY_RECEIVED = "reply_received", _("Reply received")
    CLOCK_STOPPED = "clock_stopped", _("Clock stopped")
    CLOCK_RESUMED = "clock_resumed", _("Clock resumed")
    EXTENDED = "extended", _("Extension notified")
    DUE_DATE_CHANGED = "due_date_changed", _("Due date recomputed")
    BOUNCED = "bounced", _("Delivery failed")
    AUTO_REPLY = "auto_reply", _("Automatic reply received")
    DOCUMENT_PUBLISHED = "document_published", _("Document published")
    OVERDUE = "overdue", _("Deadline passed without an answer")
    STATUS_CHANGED = "status_changed", _("Status changed")
    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")
    NOTE = "note", _("Note")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a timeline entry."""


class FoiEvent(models.Model):
    """One entry of a request's timeline. Entries are only ever added."""

    request = models.ForeignKey(
        FoiRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TimelineKind.choices)
    on = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty when unknown."))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("documented in"),
    )
    quote = models.TextField(_("quote"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("FOI event")
        verbose_name_plural = _("FOI events")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on or '?'})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("FOI events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("FOI events are append-only")


class StopReason(models.TextChoices):
    CLARIFICATION = catalogue.StopKind.CLARIFICATION.value, _("a clarification")
    FEES = catalogue.StopKind.FEES.value, _("a fee")
    THIRD_PARTY = catalogue.StopKind.THIRD_PARTY.value, _("comments from third parties")


class FoiClockStop(models.Model):
    """The authority stopped the clock (waiting for a clarification or a fee)."""

    request = models.ForeignKey(
        FoiRequest, on_delete=models.CASCADE, related_name="clock_stops", verbose_name=_("request")
    )
    kind = models.CharField(
        _("waiting for"),
        max_length=20,
        choices=StopReason.choices,
    )
    started_on = models.DateField(_("stopped on"))
    ended_on = models.DateField(_("reply arrived on"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock stop")
        verbose_name_plural = _("clock stops")
        ordering = ["request", "started_on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_on} – {self.ended_on or '…'}"


class MailState(models.TextChoices):
    FILED = "filed", _("Filed on a request")
    UNMATCHED = "unmatched", _("Waiting to be assigned")
    ASSIGNED = "assigned", _("Assigned to a request")
    DELETED = "deleted", _("Deleted")


class InboundMail(models.Model):
    """Every e-mail CityWatch received, once: the ledger that makes filing idempotent.

    ``message_id`` is the mail's Message-ID, or ``sha256:<digest of the bytes>`` for mail
    without one; it is unique, so the same mail piped twice or fetched again after a crash is
    recognised and filed nothing. Mail that matched no request keeps its bytes (``raw``) in
    the unmatched queue until it is assigned or deleted; the bytes are dropped then.
    """

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    received_at = models.DateTimeField(_("received"))
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipients = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    automated = models.CharField(
        _("automated mail"), max_length=12, choices=Automated.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=12, choices=MailState.choices)
    raw = models.BinaryField(_("message as received"), blank=True, default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    request = models.ForeignKey(
        FoiRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mail",
        verbose_name=_("request"),
    )
    filed_as = models.OneToOneField(
        FoiMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound",
        verbose_name=_("filed as"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class FailingAddress(models.Model):
    """An authority's e-mail address that bounced: letters to it did not arrive."""

    address = models.CharField(_("address"), max_length=300, unique=True)
    failed_on = models.DateField(_("failed on"))
    diagnostic = models.CharField(_("reason given"), max_length=500, blank=True)
    message = models.ForeignKey(
        FoiMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bounce"),
    )

    class Meta:
        verbose_name = _("failing address")
        verbose_name_plural = _("failing addresses")
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an organisation's iCal feed of due dates and appeal deadlines."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="foi_calendar",
        verbose_name=_("organisation"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("foi:calendar", args=[self.token])
