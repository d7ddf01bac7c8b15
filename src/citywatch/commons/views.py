"""Proposals, review, history and the account page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citywatch.atlas import queries
from citywatch.atlas.models import Deployment
from citywatch.commons import services
from citywatch.commons.forms import DeploymentProposalForm, ProfileForm, RejectForm
from citywatch.commons.history import history_entries, version_number
from citywatch.commons.models import ChangeProposal, Profile, ReviewStatus, Tip
from citywatch.teams import permissions


def visible_deployment(request: HttpRequest, slug: str) -> Deployment:
    try:
        return queries.visible_deployments(request.user).get(slug=slug)
    except Deployment.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def propose_edit(request: HttpRequest, slug: str) -> HttpResponse:
    deployment = visible_deployment(request, slug)
    if not permissions.can_edit(request.user, deployment):
        raise PermissionDenied
    original = Deployment.objects.get(pk=deployment.pk)
    form = DeploymentProposalForm(request.POST or None, instance=deployment)
    if request.method == "POST" and form.is_valid():
        values = {
            name: services.field_value(form.instance, name)
            for name in services.EDITABLE_DEPLOYMENT_FIELDS
        }
        try:
            services.propose_change(
                original, values, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your proposal waits for a reviewer."))
            return redirect(deployment)
    return render(request, "commons/propose.html", {"deployment": original, "form": form})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_anything(request.user):
        raise PermissionDenied
    proposals = services.proposals_for_reviewer(request.user)
    tips = Tip.objects.filter(status=ReviewStatus.PENDING)
    return render(request, "commons/review_queue.html", {"proposals": proposals, "tips": tips})


@login_required
def proposal_detail(request: HttpRequest, key: str) -> HttpResponse:
    proposal = get_object_or_404(ChangeProposal, key=key)
    if not services.may_review(request.user, proposal):
        raise Http404
    reject_form = RejectForm(prefix="reject")
    if request.method == "POST" and proposal.status == ReviewStatus.PENDING:
        if "apply" in request.POST:
            try:
                seen = json.loads(request.POST.get("seen_values", "{}"))
                services.apply_proposal(
                    proposal,
                    reviewer=request.user,
                    seen_values=seen,
                    note=request.POST.get("note", ""),
                )
            except services.StaleRecord:
                messages.error(
                    request,
                    _(
                        "The record changed since you opened this page, so nothing was "
                        "written. Check the values below and apply again."
                    ),
                )
            except (ValidationError, json.JSONDecodeError) as error:
                messages.error(
                    request,
                    _("The proposal cannot be applied: %(error)s")
                    % {"error": "; ".join(getattr(error, "messages", [str(error)]))},
                )
            else:
                messages.success(request, _("Applied."))
                return redirect("commons:review_queue")
        elif "reject" in request.POST:
            reject_form = RejectForm(request.POST, prefix="reject")
            if reject_form.is_valid():
                services.reject_proposal(
                    proposal, reviewer=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected."))
                return redirect("commons:review_queue")
    proposal.refresh_from_db()
    if proposal.operation == services.UPDATE_FIELDS:
        changes = services.field_changes(proposal)
        described = []
    else:
        changes, described = [], services.describe_operation(proposal)
    seen_values = {change.name: change.current for change in changes}
    return render(
        request,
        "commons/proposal_detail.html",
        {
            "proposal": proposal,
            "record": proposal.target,
            "changes": changes,
            "described": described,
            "seen_values": json.dumps(seen_values),
            "reject_form": reject_form,
        },
    )


def deployment_history(request: HttpRequest, slug: str) -> HttpResponse:
    deployment = visible_deployment(request, slug)
    can_review = permissions.can_review(request.user, deployment)
    return render(
        request,
        "commons/history.html",
        {
            "deployment": deployment,
            "entries": history_entries(deployment, show_all_names=can_review),
            "can_revert": can_review,
        },
    )


@login_required
@require_POST
def revert_deployment(request: HttpRequest, slug: str, entry: str) -> HttpResponse:
    deployment = visible_deployment(request, slug)
    history_id = version_number(deployment, entry)
    if history_id is None:
        raise Http404
    try:
        services.revert_to(deployment, history_id, reviewer=request.user)
    except deployment.history.model.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("commons:history", slug=deployment.slug)
    messages.success(request, _("The record was reverted; the revert is itself in the history."))
    return redirect("commons:history", slug=deployment.slug)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("commons:account")
    memberships = request.user.memberships.select_related("team")
    proposals = request.user.proposals.select_related("content_type")[:50]
    return render(
        request,
        "commons/account.html",
        {"form": form, "memberships": memberships, "proposals": proposals},
    )
