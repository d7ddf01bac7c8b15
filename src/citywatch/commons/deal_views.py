"""The deal page: record a new deployment, or edit one, with its sources, on one page.

A reviewer of the owning team saves directly; a contributor's save becomes one proposal for
that team's reviewers (``citywatch.commons.deal_writes``). Who may open the page, which team a
new deployment may belong to, and every choice in the form come from the permission module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from citywatch.atlas import queries
from citywatch.atlas.deal_form import DealForm, add_row
from citywatch.atlas.models import Deployment
from citywatch.atlas.place_search import nearest_places, search_places
from citywatch.commons import deal_writes
from citywatch.places.models import Country
from citywatch.teams import permissions
from citywatch.teams.models import Team


def teams_for_new_records(user: Any) -> list[Team]:
    """The teams a new deployment of this user may belong to: those where the user may at
    least propose (every team for a site administrator)."""
    teams = Team.objects.order_by("name")
    if permissions.is_superuser(user):
        return list(teams)
    return list(teams.filter(pk__in=permissions.teams_with(user, permissions.Capability.PROPOSE)))


@login_required
def deployment_new(request: HttpRequest) -> HttpResponse:
    teams = teams_for_new_records(request.user)
    if not teams and not permissions.is_superuser(request.user):
        raise PermissionDenied
    reviews = [
        permissions.has_capability(request.user, permissions.Capability.REVIEW, team)
        for team in teams
    ]
    proposing = not permissions.is_superuser(request.user) and not any(reviews)
    mixed = any(reviews) and not all(reviews)
    return deal_page(request, None, teams, proposing, mixed=mixed)


@login_required
def deployment_edit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        deployment = queries.visible_deployments(request.user).get(slug=slug)
    except Deployment.DoesNotExist as missing:
        raise Http404("No such deployment") from missing
    mode = permissions.write_mode(request.user, deployment)
    if mode == "refuse":
        raise PermissionDenied
    return deal_page(request, deployment, [], mode == "propose")


def deal_page(
    request: HttpRequest,
    deployment: Deployment | None,
    teams: list[Team],
    proposing: bool,
    mixed: bool = False,
) -> HttpResponse:
    """The page for a new deployment (``deployment`` None) or an existing one. ``proposing``:
    the user's save becomes a proposal; ``mixed``: that depends on the team chosen."""
    data = request.POST if request.method == "POST" else None
    more = data.get("more", "") if data is not None else ""
    if more:
        data = add_row(data, more)
    form = DealForm(
        data, user=request.user, deployment=deployment, teams=teams, proposing=proposing
    )
    saving = data is not None and not more
    if more:
        form.quiet()
    elif saving and form.is_valid():
        changes = form.changes()
        if not any(key for key in changes if key != "was"):
            form.non_field_errors.append(_("Nothing changed: there is nothing to save."))
        else:
            team = form.team()
            if deployment is None and team is not None and team not in teams:
                raise PermissionDenied
            try:
                saved = deal_writes.save_or_propose(
                    changes,
                    deployment=deployment,
                    team=team,
                    user=request.user,
                    reason=form.reason_text(),
                )
            except ValidationError as error:
                form.add_errors(error)
            else:
                return after_save(request, saved, deployment)
    status = 400 if saving else 200
    return render(
        request,
        "atlas/deal_form.html",
        {
            "form": form,
            "deployment": deployment,
            "proposing": proposing,
            "mixed": mixed,
            "problems": form.problems() if saving else [],
            "teams": teams,
            "place_search_url": reverse("commons:place_search"),
        },
        status=status,
    )


def after_save(
    request: HttpRequest, saved: deal_writes.Saved, deployment: Deployment | None
) -> HttpResponse:
    if saved.deployment is not None:
        messages.success(request, _("Saved."))
        return redirect(saved.deployment)
    team = saved.proposal.team if saved.proposal else None
    messages.success(
        request,
        _(
            "Thank you: your change waits for a reviewer of %(team)s. Nothing is shown "
            "until a reviewer applies it."
        )
        % {"team": team.name if team else _("the owning team")},
    )
    if deployment is not None:
        return redirect(deployment)
    return redirect("commons:account")


@permissions.contributor_required
def place_search(request: HttpRequest) -> JsonResponse:
    """Places of the shipped place list (GeoNames, public reference data) for the deal page:
    ``?country=KE&q=nai`` by name (accents folded, prefix), ``?country=KE&lat=..&lon=..`` the
    nearest. At most 10; nothing about the atlas's own records."""
    code = request.GET.get("country", "").upper()
    if not Country.objects.filter(code=code).exists():
        return JsonResponse({"places": [], "error": _("Choose the country first.")}, status=400)
    if "lat" in request.GET or "lon" in request.GET:
        try:
            latitude = float(request.GET.get("lat", ""))
            longitude = float(request.GET.get("lon", ""))
        except ValueError:
            return JsonResponse({"places": [], "error": _("Give lat and lon.")}, status=400)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return JsonResponse({"places": [], "error": _("Give lat and lon.")}, status=400)
        return JsonResponse({"places": nearest_places(code, latitude, longitude)})
    return JsonResponse({"places": search_places(code, request.GET.get("q", ""))})
