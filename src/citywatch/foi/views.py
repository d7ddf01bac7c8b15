"""Pages of the FOI desk.

Anyone sees public requests, the transparency figures and the deadline calculator.
Campaigners (members whose team role files FOI requests, see ``citywatch.teams.permissions``)
start requests for their team and record everything that happens to them. A form with bad
input comes back with each problem named, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.foi import forms, queries, services
from citywatch.foi.ical import build_calendar
from citywatch.foi.letters import four_questions, language_for_country
from citywatch.foi.models import CalendarFeed, Channel, FoiRequest, RequestStatus
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
    context = {
        "foi": foi,
        "deployments": queries.visible_deployments(foi, request.user),
        "due_lines": queries.explanation(foi.due_steps),
        "appeals": queries.appeal_overview(foi),
        "law": foi.law,
        "unverified": foi.law.unverified_notes(),
        "can_manage": permissions.can_edit(request.user, foi),
    }
    if context["can_manage"]:
        context.update(_management_forms(foi, forms_given))
    return context


def _management_forms(foi: FoiRequest, given: dict) -> dict:
    result = {}
    if foi.status == RequestStatus.DRAFT:
        result["send_form"] = given.get("send") or forms.SendForm(
            request=foi, initial={"subject": foi.letter_subject, "body": foi.letter_body}
        )
        return result
    follow_up = services.draft_follow_up(foi)
    result["follow_up_form"] = given.get("follow-up") or forms.FollowUpForm(
        request=foi, initial={"subject": follow_up.subject, "body": follow_up.body}
    )
    result["reply_form"] = given.get("reply") or forms.ReplyForm(initial={"channel": foi.sent_via})
    result["status_form"] = given.get("status") or forms.StatusForm(
        initial={"status": foi.status, "resolution": foi.resolution}
    )
    result["clock_form"] = given.get("clock") or forms.ClockForm(request=foi)
    result["extension_form"] = given.get("extend") or forms.ExtensionForm()
    stages = foi.law.as_catalogue().appeals
    if stages:
        stage = next((s for s in stages if s.id == foi.appeal_stage), stages[0])
        letter = services.draft_appeal(foi, stage.id)
        result["escalate_form"] = given.get("escalate") or forms.EscalateForm(
            request=foi, initial={"stage": stage.id, "subject": letter.subject, "body": letter.body}
        )
    return result


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        foi = queries.request_page(pk, request.user)
    except FoiRequest.DoesNotExist as missing:
        raise Http404("No such request") from missing
    return render(request, "foi/request_detail.html", _detail_context(request, foi))


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
        initial["deployments"] = [deployment.pk]
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
        initial["authority"] = authority.pk
        initial.setdefault("title", authority.name)
        if "law" not in initial:
            law = queries.suggest_law(authority.country_id)
            if law is not None:
                initial["law"] = law.pk
        if deployment is None:
            initial["language"] = language_for_country(authority.country_id)
    return initial


@campaigner_required
def request_new(request: HttpRequest) -> HttpResponse:
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


ACTIONS = {"send", "reply", "follow-up", "escalate", "status", "clock", "extend"}


@campaigner_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    foi = get_object_or_404(queries.requests_visible_to(request.user), pk=pk)
    if not permissions.can_edit(request.user, foi):
        raise PermissionDenied
    form = _bound_form(action, request, foi)
    if form.is_valid():
        try:
            _perform(action, form.cleaned_data, foi, request)
        except services.SendError as error:
            form.add_error(None, _("The letter was not sent: %(error)s") % {"error": error})
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return redirect(foi)
    foi = queries.request_page(pk, request.user)
    context = _detail_context(request, foi, **{action: form})
    context["failed_action"] = action
    return render(request, "foi/request_detail.html", context, status=400)


def _bound_form(action: str, request: HttpRequest, foi: FoiRequest):
    data, files = request.POST, request.FILES
    if action == "send":
        return forms.SendForm(data, request=foi)
    if action == "reply":
        return forms.ReplyForm(data, files)
    if action == "follow-up":
        return forms.FollowUpForm(data, request=foi)
    if action == "escalate":
        return forms.EscalateForm(data, request=foi)
    if action == "status":
        return forms.StatusForm(data)
    if action == "clock":
        return forms.ClockForm(data, request=foi)
    return forms.ExtensionForm(data)


def _perform(action: str, data: dict, foi: FoiRequest, request: HttpRequest) -> None:
    user = request.user
    if action == "send":
        if data["channel"] == Channel.EMAIL:
            services.send_by_email(foi, subject=data["subject"], body=data["body"], user=user)
            messages.success(request, _("The request was e-mailed to the authority."))
        else:
            services.record_sent(
                foi,
                channel=data["channel"],
                on=data["on"],
                subject=data["subject"],
                body=data["body"],
                user=user,
            )
            messages.success(request, _("The request is recorded as sent."))
    elif action == "reply":
        services.record_reply(
            foi,
            on=data["on"],
            channel=data["channel"],
            subject=data["subject"],
            body=data["body"],
            files=data["files"],
            status=data["status"],
            resolution=data["resolution"],
            user=user,
        )
        messages.success(request, _("The reply is recorded."))
    elif action == "follow-up":
        services.send_follow_up(
            foi,
            channel=data["channel"],
            subject=data["subject"],
            body=data["body"],
            on=data["on"],
            user=user,
        )
        messages.success(request, _("The follow-up is recorded."))
    elif action == "escalate":
        services.escalate(
            foi,
            stage_id=data["stage"],
            channel=data["channel"],
            on=data["on"],
            subject=data["subject"],
            body=data["body"],
            recipient=data["recipient"],
            user=user,
        )
        messages.success(request, _("The appeal is recorded."))
    elif action == "status":
        services.change_status(
            foi,
            status=data["status"],
            resolution=data["resolution"],
            on=data["on"],
            note=data["note"],
            user=user,
        )
    elif action == "clock":
        if data["action"] == "stop":
            services.stop_clock(foi, kind=data["kind"], on=data["on"], user=user)
        else:
            services.resume_clock(foi, on=data["on"], user=user)
    else:
        services.mark_extended(foi, on=data["on"], user=user)


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
        organisation = get_object_or_404(mine, pk=request.POST.get("organisation"))
        if request.POST.get("renew"):
            services.renew_calendar_feed(organisation)
        else:
            services.calendar_feed_for(organisation)
        return redirect("foi:calendars")
    organisations = mine.select_related("foi_calendar")
    return render(request, "foi/calendars.html", {"organisations": organisations})
