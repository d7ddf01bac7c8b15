"""Pages of the FOI desk.

Anyone sees public requests, the transparency figures and the deadline calculator.
Campaigners (members whose team role files FOI requests, see ``citywatch.teams.permissions``)
start requests for their team and record everything that happens to them. A form with bad
input comes back with each problem named, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.core.choices import Visibility
from citywatch.evidence.models import Source
from citywatch.foi import forms, queries, services
from citywatch.foi.ical import build_calendar
from citywatch.foi.letters import four_questions, language_for_country, redate
from citywatch.foi.mail import filing
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.mail.parsing import parse
from citywatch.foi.mail.redaction import redactor_for
from citywatch.foi.models import CalendarFeed, Channel, FoiMessage, FoiRequest, RequestStatus
from citywatch.teams import permissions
from citywatch.teams.permissions import campaigner_required

PAGE_SIZE = 50


def request_list(request: HttpRequest) -> HttpResponse:
    requests = queries.requests_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "foi/request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": RequestStatus.choices,
            "figures": queries.transparency_figures(),
            "can_manage": queries.can_manage(request.user),
        },
    )


def _detail_context(request: HttpRequest, foi: FoiRequest, **forms_given) -> dict:
    user = request.user
    context = {
        "foi": foi,
        "deployments": queries.visible_deployments(foi, user),
        "due_lines": queries.explanation(foi.due_steps),
        "appeals": queries.appeal_overview(foi),
        "law": foi.law,
        "unverified": foi.law.unverified_notes(),
        "can_manage": permissions.can_edit(user, foi),
        "timeline": queries.timeline(foi),
        "letters": _letters_for(user, foi),
        "failing": queries.failing_address(foi),
    }
    if context["can_manage"]:
        context["reply_address"] = reply_address(foi)
        context.update(_management_forms(foi, forms_given))
    return context


def _letters_for(user, foi: FoiRequest) -> list[FoiMessage]:
    """The letters as stored for the request's team; for everyone else, the public view,
    with the requester's people and addresses hidden (see ``foi.mail.redaction``).

    Each letter's ``documents`` are the attachments the user may see: all of them, with the
    digest of the file as received, for the team; for everyone else only those whose source
    they may see (a published document), with the digest of the cleaned file they can
    download (``shown_sha256``)."""
    letters = queries.letters(foi)
    originals = permissions.sees_originals(user, foi)
    _documents_for(user, letters, originals)
    if originals:
        return letters
    hide = redactor_for(foi)
    for letter in letters:
        letter.subject, letter.body = hide(letter.subject), hide(letter.body)
        letter.sender, letter.recipient = hide(letter.sender), hide(letter.recipient)
    return letters


def _documents_for(user, letters: list[FoiMessage], originals: bool) -> None:
    attachments = {
        letter.pk: list(letter.attachments.select_related("source__document")) for letter in letters
    }
    source_ids = {a.source_id for found in attachments.values() for a in found if a.source_id}
    visible = set(
        permissions.visible(user, Source).filter(pk__in=source_ids).values_list("pk", flat=True)
    )
    for letter in letters:
        letter.documents = []
        for attachment in attachments[letter.pk]:
            if originals:
                attachment.shown_sha256 = attachment.sha256
            elif attachment.source_id in visible:
                document = attachment.source.document
                attachment.shown_sha256 = document.sha256 if document else ""
            else:
                continue
            letter.documents.append(attachment)


def _management_forms(foi: FoiRequest, given: dict) -> dict:
    return {
        f"{name.replace('-', '_')}_form": given.get(name) or action.unbound(foi)
        for name, action in ACTIONS.items()
        if action.offered(foi)
    }


def request_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        foi = queries.request_page(key, request.user)
    except FoiRequest.DoesNotExist as missing:
        raise Http404("No such request") from missing
    return render(request, "foi/request_detail.html", _detail_context(request, foi))


def request_by_number(request: HttpRequest, number: int) -> HttpResponse:
    """An old address, ``/foi/<number>/``: leads to the request only for the numbers kept when
    public keys came (requests that were public then) and only for those who may see it now;
    any other number is 404, like one that never existed."""
    foi = queries.request_by_legacy_number(number, request.user)
    if foi is None:
        raise Http404("No such request")
    return redirect(foi, permanent=True)


def _initial_from_query(request: HttpRequest) -> dict:
    """Prefill a new request from ?deployment=<slug> or ?authority=<slug>, only with records the
    user may see (a hidden slug is treated as unknown)."""
    return _prefill(request, queries.visible_deployments_for(request.user))


def _prefill(request: HttpRequest, deployments) -> dict:
    """Prefill a new request from ?deployment=<slug> or ?authority=<slug>."""
    initial: dict = {"since": 2015, "use_template": True, "language": "en"}
    authority = None
    deployment = None
    if slug := request.GET.get("deployment"):
        deployment = deployments.filter(slug=slug).first()
    if deployment is not None:
        initial["deployments"] = [deployment.slug]
        initial["title"] = deployment.title
        authority = queries.deployment_authority(deployment)
        vendor = queries.deployment_vendor(deployment)
        if vendor is not None:
            initial["vendor"] = vendor.name
        subdivision = deployment.locality.subdivision_code if deployment.locality else ""
        law = queries.suggest_law(deployment.country_id, subdivision)
        if law is not None:
            initial["law"] = law.pk
        initial["language"] = language_for_country(deployment.country_id)
    if slug := request.GET.get("authority"):
        authority = (
            permissions.visible(request.user, Organisation)
            .filter(slug=slug, kind=OrganisationKind.AUTHORITY)
            .first()
            or authority
        )
    if authority is not None:
        initial["authority"] = authority.slug
        initial.setdefault("title", authority.name)
        if "law" not in initial:
            law = queries.suggest_law(authority.country_id)
            if law is not None:
                initial["law"] = law.pk
        if deployment is None:
            initial["language"] = language_for_country(authority.country_id)
    return initial


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Start a request for one of the user's teams. Someone who campaigns for no team is told
    how to join or set up one, not refused without a word."""
    if not permissions.can_campaign(request.user):
        return render(
            request,
            "foi/no_team.html",
            {"memberships": request.user.memberships.select_related("team")},
            status=403,
        )
    if request.method == "POST":
        form = forms.NewRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            questions = data["question_list"] or four_questions(
                data["language"],
                authority=data["authority"].name,
                vendor=data["vendor"],
                since=data["since"],
            )
            foi = services.create_request(
                requester=data["requester"],
                authority=data["authority"],
                law=data["law"],
                title=data["title"],
                questions=questions,
                language=data["language"],
                deployments=data["deployments"],
                visibility=data["visibility"],
                embargo_until=data["embargo_until"],
                owner_team=data["owner_team"],
                user=request.user,
            )
            messages.success(request, _("Draft saved. Check the letter, then send it."))
            return redirect(foi)
    else:
        form = forms.NewRequestForm(initial=_initial_from_query(request), user=request.user)
    return render(request, "foi/request_new.html", {"form": form})


# --- what campaigners do to a request: one table ---------------------------------------------


def _sent(foi: FoiRequest) -> bool:
    return foi.status != RequestStatus.DRAFT


def _no_initial(foi: FoiRequest) -> dict:
    return {}


@dataclass(frozen=True)
class FoiAction:
    """One thing a campaigner does to a request from its page: the form it takes, when it is
    offered, its initial values and the service it calls (which returns the confirmation).

    A form's fields are named as its service's arguments, so its cleaned data is passed on
    whole (``services.send_follow_up(foi, **data, user=user)``): a field the service does not
    take fails loudly, in the tests, instead of being dropped."""

    form_class: type[django_forms.Form]
    perform: Callable[[FoiRequest, dict, Any], str]
    offered: Callable[[FoiRequest], bool] = _sent
    initial: Callable[[FoiRequest], dict] = _no_initial
    takes_request: bool = False

    def _make(self, foi: FoiRequest, *args: Any, **kwargs: Any) -> django_forms.Form:
        if self.takes_request:
            kwargs["request"] = foi
        return self.form_class(*args, **kwargs)

    def unbound(self, foi: FoiRequest) -> django_forms.Form:
        return self._make(foi, initial=self.initial(foi))

    def bound(self, foi: FoiRequest, request: HttpRequest) -> django_forms.Form:
        return self._make(foi, request.POST, request.FILES)


def _send(foi: FoiRequest, data: dict, user: Any) -> str:
    services.send_request(foi, **data, user=user)
    if data["channel"] == Channel.EMAIL:
        return _("The request was e-mailed to the authority.")
    return _("The request is recorded as sent.")


def _send_initial(foi: FoiRequest) -> dict:
    body = redate(foi.letter_body, foi.language, services.local_today(foi))
    return {"subject": foi.letter_subject, "body": body}


def _reply(foi: FoiRequest, data: dict, user: Any) -> str:
    services.record_reply(foi, **data, user=user)
    return _("The reply is recorded.")


def _follow_up(foi: FoiRequest, data: dict, user: Any) -> str:
    services.send_follow_up(foi, **data, user=user)
    return _("The follow-up is recorded.")


def _follow_up_initial(foi: FoiRequest) -> dict:
    letter = services.draft_follow_up(foi)
    return {"subject": letter.subject, "body": letter.body}


def _escalate(foi: FoiRequest, data: dict, user: Any) -> str:
    letter = dict(data)  # the form's data stays as it was
    services.escalate(foi, stage_id=letter.pop("stage"), **letter, user=user)
    return _("The appeal is recorded.")


def _escalate_initial(foi: FoiRequest) -> dict:
    stages = [info.stage for info in queries.appeal_overview(foi)]
    stage = next((s for s in stages if s.id == foi.appeal_stage), stages[0])
    letter = services.draft_appeal(foi, stage.id)
    return {"stage": stage.id, "subject": letter.subject, "body": letter.body}


def _status(foi: FoiRequest, data: dict, user: Any) -> str:
    services.change_status(foi, **data, user=user)
    return _("The status is saved.")


def _clock(foi: FoiRequest, data: dict, user: Any) -> str:
    if data["action"] == "stop":
        services.stop_clock(foi, kind=data["kind"], on=data["on"], user=user)
        return _("The clock is stopped.")
    services.resume_clock(foi, on=data["on"], user=user)
    return _("The clock runs again.")


def _extend(foi: FoiRequest, data: dict, user: Any) -> str:
    services.mark_extended(foi, **data, user=user)
    return _("The extension is recorded.")


def _publish(foi: FoiRequest, data: dict, user: Any) -> str:
    source = services.publish_attachment(data["attachment"], user=user)
    return _("“%(title)s” is published, without its identifying metadata.") % {
        "title": source.title
    }


def _has_private_documents(foi: FoiRequest) -> bool:
    return any(
        attachment.source.visibility != Visibility.PUBLIC or attachment.source.embargo_until
        for message in foi.messages.all()
        for attachment in message.attachments.all()
    )


ACTIONS: dict[str, FoiAction] = {
    "send": FoiAction(
        forms.SendForm,
        _send,
        offered=lambda foi: foi.status == RequestStatus.DRAFT,
        initial=_send_initial,
        takes_request=True,
    ),
    "reply": FoiAction(forms.ReplyForm, _reply, initial=lambda foi: {"channel": foi.sent_via}),
    "follow-up": FoiAction(
        forms.FollowUpForm, _follow_up, initial=_follow_up_initial, takes_request=True
    ),
    "escalate": FoiAction(
        forms.EscalateForm,
        _escalate,
        offered=lambda foi: _sent(foi) and bool(queries.appeal_overview(foi)),
        initial=_escalate_initial,
        takes_request=True,
    ),
    "status": FoiAction(
        forms.StatusForm,
        _status,
        initial=lambda foi: {
            "status": foi.status,
            "resolution": foi.resolution,
            "refusal_ground": foi.refusal_ground,
            "refusal_section": foi.refusal_section,
        },
    ),
    "clock": FoiAction(forms.ClockForm, _clock, takes_request=True),
    "extend": FoiAction(forms.ExtensionForm, _extend),
    "publish": FoiAction(
        forms.PublishForm, _publish, offered=_has_private_documents, takes_request=True
    ),
}


@login_required
@require_POST
def request_action(request: HttpRequest, key: str, action: str) -> HttpResponse:
    """Do one of ``ACTIONS`` to a request the user handles (its team's campaigners)."""
    if action not in ACTIONS:
        raise Http404("No such action")
    foi = get_object_or_404(queries.requests_visible_to(request.user), key=key)
    if not permissions.can_edit(request.user, foi):
        raise PermissionDenied
    todo = ACTIONS[action]
    form = todo.bound(foi, request)
    if form.is_valid() and not todo.offered(foi):
        form.add_error(None, _("This cannot be done at this stage of the request."))
    elif form.is_valid():
        try:
            confirmation = todo.perform(foi, form.cleaned_data, request.user)
        except services.SendError as error:
            form.add_error(None, _("The letter was not sent: %(error)s") % {"error": error})
        except (services.PublishError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, confirmation)
            return redirect(foi)
    foi = queries.request_page(key, request.user)
    context = _detail_context(request, foi, **{action: form})
    context["failed_action"] = action
    return render(request, "foi/request_detail.html", context, status=400)


# --- the unmatched mail queue ----------------------------------------------------------------


@permissions.requires(permissions.can_triage_mail)
def unmatched_list(request: HttpRequest) -> HttpResponse:
    """Mail that matched no request, oldest first (site administrators only)."""
    page = Paginator(queries.unmatched_mail_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "foi/unmatched_list.html", {"page": page})


@permissions.requires(permissions.can_triage_mail)
def unmatched_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unmatched mail, read as text: file it on a request or delete it."""
    inbound = get_object_or_404(queries.unmatched_mail_for(request.user), pk=pk)
    form = forms.AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["delete"]:
            filing.delete(inbound, user=request.user)
            messages.success(request, _("The mail is deleted."))
            return redirect("foi:unmatched")
        foi = (
            queries.requests_handled_by(request.user)
            .filter(key=form.cleaned_data["request"])
            .first()
        )
        if foi is None:
            form.add_error("request", _("You handle no request with this key."))
        else:
            try:
                filing.assign(inbound, foi, user=request.user)
            except (filing.NotAllowed, ValueError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The mail is filed on the request."))
                return redirect(foi)
    parsed = parse(bytes(inbound.raw), received_at=inbound.received_at)
    return render(
        request,
        "foi/unmatched_detail.html",
        {"mail": inbound, "parsed": parsed, "form": form},
        status=400 if form.errors else 200,
    )


def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """The public calculator: the same answer as the API and `citywatch deadline`. Input it
    cannot use (a malformed date, a date outside the holiday data such as 9999-12-31, an
    unknown region) comes back as a form error with status 400, never a 500."""
    form = forms.DeadlineForm(request.GET or None)
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = queries.deadline_payload(
                    data["law"],
                    data["sent"],
                    extended=data["extended"],
                    decision=data["decision"],
                    authority=data["authority"],
                    subdivision=data["subdivision"],
                    municipality=data["municipality"],
                )
            except queries.BadDeadlineInput as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
        else:
            status = 400
    return render(
        request,
        "foi/deadline.html",
        {"form": form, "result": result, "laws": queries.laws()},
        status=status,
    )


def law_detail(request: HttpRequest, law_id: str) -> HttpResponse:
    """A law's page: every figure with its provision, sources and when it was last checked,
    and what could not be confirmed."""
    try:
        record = queries.law_by_id(law_id)
    except queries.UnknownLaw as missing:
        raise Http404("No such law") from missing
    return render(request, "foi/law_detail.html", queries.law_page(record))


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.select_related("organisation").filter(token=token).first()
    if feed is None:
        raise Http404("No such calendar")
    requests = list(queries.calendar_requests(feed.organisation))
    body = build_calendar(
        feed.organisation.name,
        requests,
        base_url=f"{request.scheme}://{request.get_host()}",
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="foi-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def campaign_organisations(user) -> QuerySet[Organisation]:
    """The requesting organisations of the teams this user campaigns for."""
    if permissions.is_superuser(user):
        return Organisation.objects.filter(kind=OrganisationKind.OTHER)
    teams = permissions.teams_with(user, permissions.Capability.CAMPAIGN)
    return Organisation.objects.filter(teams__in=teams).distinct()


@campaigner_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    """Campaigners find (or renew) their organisation's secret calendar address here."""
    mine = campaign_organisations(request.user)
    if request.method == "POST":
        organisation = get_object_or_404(mine, slug=request.POST.get("organisation", ""))
        if request.POST.get("renew"):
            services.renew_calendar_feed(organisation)
        else:
            services.calendar_feed_for(organisation)
        return redirect("foi:calendars")
    organisations = mine.select_related("foi_calendar")
    return render(request, "foi/calendars.html", {"organisations": organisations})
