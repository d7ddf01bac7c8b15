"""An FOI desk that reads right (issue 14, item 3): letters dated the day they are sent,
the timeline in the order things happened, one confirmation per action, the appeal that fits
the answer, refusal grounds in the figures, a legal basis that reads as a sentence, a page
for someone without a team, and a deployments picker that filters as you type."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from citywatch.actors.models import Organisation
from citywatch.foi import laws, queries, services
from citywatch.foi.letters import (
    LetterContext,
    date_line,
    language_for_country,
    legal_basis,
    redate,
    render_letter,
)
from citywatch.foi.models import FoiLaw, FoiRequest
from citywatch.places.models import Country
from citywatch.teams.models import Membership, Team

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]

D = dt.date


@pytest.fixture
def team(db) -> Team:
    watchers = Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )
    return Team.objects.create(name="Watchers team", slug="watchers-team", organisation=watchers)


@pytest.fixture
def campaigner(team, django_user_model) -> Client:
    user = django_user_model.objects.create_user("c", "c@example.org", "a long passphrase")
    Membership.objects.create(team=team, user=user, role="contributor")
    client = Client()
    client.force_login(user)
    return client


def new_request(team, *, law="es-md-10-2019", country="ES", email="", **values) -> FoiRequest:
    authority = Organisation.objects.create(
        name=f"Authority of {law}",
        slug=f"authority-{law}",
        kind="authority",
        country=Country.objects.get(code=country),
        email=email,
    )
    request = services.create_request(
        owner_team=team,
        requester=team.organisation,
        authority=authority,
        law=FoiLaw.objects.get(law_id=law),
        title="Cameras",
        questions=["Copy of the contract."],
        language=values.pop("language", "es"),
        **values,
    )
    return FoiRequest.objects.get(pk=request.pk)


# --- the letter is dated the day it is sent ---------------------------------------------------


def test_a_letter_drafted_one_day_and_emailed_another_carries_the_sending_day(team, smtp):
    request = new_request(team, law="gb-foia-2000", country="GB", email="foi@ho.example")
    request.language = "en"
    drafted = date_line(dt.date.today(), "en")
    body = services.draft_letter(request).body
    assert f"\n{drafted}\n" in body
    services.send_by_email(
        request,
        subject="FOI request",
        body=body + "\nP.S. Edited by hand.\n",
        at=dt.datetime(2024, 6, 3, 23, 30, tzinfo=dt.UTC),
    )
    letter = request.messages.get()
    assert "\n4 June 2024\n" in letter.body  # London's day at 23:30 UTC on 3 June
    assert f"\n{drafted}\n" not in letter.body
    assert "P.S. Edited by hand." in letter.body  # the campaigner's edits are kept
    (_to, sent) = smtp.received[0]
    assert "\n4 June 2024\n" in sent.get_body().get_content().replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("language", "day", "line"),
    [
        ("en", D(2024, 6, 4), "4 June 2024"),
        ("es", D(2024, 6, 4), "4 de junio de 2024"),
        ("fr", D(2024, 6, 4), "Le 4 juin 2024"),
        ("sr-latn", D(2024, 6, 4), "4. 6. 2024."),
    ],
)
def test_every_language_redates_its_letters(language, day, line):
    law = laws.get_law("es-19-2013")
    context = LetterContext(
        language=language,
        title="T",
        authority="A",
        requester="R",
        requester_email="r@example.org",
        law=law,
        questions=[(1, "Q")],
    )
    for kind in ("request", "follow_up"):
        body = render_letter(kind, context, today=D(2023, 12, 31)).body
        redated = redate(body, language, day)
        assert redated.split("\n")[2] == line
        assert redated.replace(line, "", 1) == body.replace(body.split("\n")[2], "", 1)
    assert redate("No date line here.\n", language, day) == "No date line here.\n"


def test_the_send_form_shows_the_letter_dated_today(team, campaigner):
    request = new_request(team, email="a@example.org")
    page = campaigner.get(f"/foi/{request.key}/")
    body = page.context["send_form"].initial["body"]
    today = services.local_today(request)
    assert body.split("\n")[2] == date_line(today, "es")


# --- the timeline in event order ----------------------------------------------------------------


def test_the_timeline_is_in_event_order_whatever_the_entry_order(team, campaigner):
    request = new_request(team, email="a@example.org")
    services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
    request.refresh_from_db()
    services.record_reply(request, on=D(2024, 6, 3), channel="post", body="Answer.")
    services.stop_clock(request, kind="clarification", on=D(2024, 5, 10))  # entered later
    kinds = [(event.on, event.kind) for event in queries.timeline(request) if event.on]
    assert [day for day, _kind in kinds] == sorted(day for day, _kind in kinds)
    page = campaigner.get(f"/foi/{request.key}/").content.decode()
    timeline = page[page.index('<ol class="timeline">') :]
    assert timeline.index("Clock stopped") < timeline.index("Reply received")
    # The API tells the same order.
    request.visibility = "public"
    request.save()
    api = Client().get(f"/api/foi/requests/{request.key}").json()
    dates = [entry["date"] for entry in api["timeline"] if entry["date"]]
    assert dates == sorted(dates)


def test_each_confirmation_appears_once(team, campaigner):
    request = new_request(team, email="a@example.org")
    services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
    response = campaigner.post(
        f"/foi/{request.key}/reply/",
        {"on": "2024-05-20", "channel": "post", "body": "Answer."},
        follow=True,
    )
    assert response.content.decode().count("The reply is recorded.") == 1
    listing = campaigner.get("/foi/new/")
    assert listing.status_code == 200


# --- the appeal that fits the answer --------------------------------------------------------


def test_an_explicit_refusal_replaces_the_appeal_against_silence(team, campaigner):
    request = new_request(team, email="a@example.org")
    services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
    request = FoiRequest.objects.get(pk=request.pk)
    before = {info.stage.id: info for info in queries.appeal_overview(request)}
    assert set(before) == {"madrid-council-claim", "madrid-council-claim-silence"}
    assert before["madrid-council-claim-silence"].trigger == request.due_on
    services.change_status(request, status="resolved", resolution="deemed_refused")
    request = FoiRequest.objects.get(pk=request.pk)
    assert request.appeal_stage == "madrid-council-claim-silence"

    response = campaigner.post(
        f"/foi/{request.key}/status/",
        {
            "status": "resolved",
            "resolution": "refused",
            "refusal_ground": "confidentiality",
            "refusal_section": "art. 14.1.a",
            "on": "2024-06-03",
        },
    )
    assert response.status_code == 302
    request = FoiRequest.objects.get(pk=request.pk)
    assert (request.appeal_stage, request.appeal_trigger_on) == (
        "madrid-council-claim",
        D(2024, 6, 3),
    )
    after = queries.appeal_overview(request)
    assert [info.stage.id for info in after] == ["madrid-council-claim"]
    assert (after[0].trigger, after[0].due) == (D(2024, 6, 3), D(2024, 7, 3))
    page = campaigner.get(f"/foi/{request.key}/").content.decode()
    assert "against the deemed refusal" not in page
    assert "against the decision" in page
    assert "Confidentiality or national security (art. 14.1.a)" in page


def test_a_refusal_needs_its_ground(team, campaigner):
    request = new_request(team, email="a@example.org")
    services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
    response = campaigner.post(
        f"/foi/{request.key}/status/", {"status": "resolved", "resolution": "refused"}
    )
    assert response.status_code == 400
    assert "Say on which ground the authority refused" in response.content.decode()
    response = campaigner.post(
        f"/foi/{request.key}/status/",
        {"status": "resolved", "resolution": "successful", "refusal_ground": "cost"},
    )
    assert response.status_code == 400
    assert "only for a refusal or a partial answer" in response.content.decode()
    # "Not held" is its own ground.
    services.change_status(request, status="resolved", resolution="not_held")
    assert FoiRequest.objects.get(pk=request.pk).refusal_ground == "not_held"


def test_refusal_grounds_show_in_the_transparency_figures(team, client):
    for number, (resolution, ground) in enumerate(
        [
            ("refused", "personal_data"),
            ("partially_successful", "personal_data"),
            ("refused", "cost"),
        ]
    ):
        request = new_request(team, law="es-19-2013", visibility="public")
        request.title = f"Request {number}"
        services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
        services.change_status(
            FoiRequest.objects.get(pk=request.pk),
            status="resolved",
            resolution=resolution,
            refusal_ground=ground,
            refusal_section="art. 15",
        )
        Organisation.objects.filter(slug="authority-es-19-2013").update(slug=f"old-{number}")
    figures = queries.transparency_figures()
    assert (figures.ground("personal_data"), figures.ground("cost")) == (2, 1)
    assert [f.key for f in figures.grounds_given] == ["personal_data", "cost"]
    assert [f.percent for f in figures.grounds_given] == [67, 33]
    page = client.get("/foi/").content.decode()
    assert "Grounds given for refusals" in page
    assert "Personal data" in page and "Cost or workload" in page


# --- the legal basis reads as a sentence -------------------------------------------------------


@pytest.mark.parametrize(
    "law", [law for law in laws.all_laws() if law.has_law], ids=lambda law: law.id
)
def test_the_letters_name_the_law_in_a_sentence_without_notes(law):
    language = language_for_country(law.country)
    if language not in ("en", "es", "fr", "sr-latn"):
        language = "en"
    context = LetterContext(
        language=language,
        title="Cameras",
        authority="City Hall",
        requester="Watchers",
        requester_email="r@example.org",
        law=law,
        questions=[(1, "Q")],
        sent_on=D(2024, 1, 1),
        due_on=D(2024, 2, 1),
    )
    basis = legal_basis(law, language)
    request = render_letter("request", context).body
    assert basis in request
    for stage in law.appeals:
        appeal = render_letter("appeal", LetterContext(**{**context.__dict__, "stage": stage}))
        heading = appeal.body.split("\n")[4]
        # The stage is named in the letter's language (the catalogue's translation).
        with translation.override(language):
            assert heading.startswith(str(stage.name)), (heading, language)
        for body in (request, appeal.body):
            for note in ("as amended", "as applied", "guidance", "Code of Practice", ".."):
                assert note not in body, (note, body)
    # The basis names the law's title with the article its language needs.
    expected = {
        "gb-foia-2000": "the Freedom of Information Act 2000 (FOIA 2000 s. 1 and s. 10)",
        "es-md-10-2019": "la Ley 10/2019, de 10 de abril, de Transparencia y de Participación "
        "de la Comunidad de Madrid (Ley 10/2019; Ley 19/2013 arts. 19-24; Ley 39/2015 "
        "arts. 30-31)",
        "rs-2004": "Zakona o slobodnom pristupu informacijama od javnog značaja",
        "fr-crpa": "du Code des relations entre le public et l'administration, livre III",
    }
    if law.id in expected:
        assert basis.startswith(expected[law.id])
    assert re.search(r"\w", basis)


# --- who may start a request ----------------------------------------------------------------------


def test_someone_without_a_team_is_told_how_to_get_one(django_user_model, team):
    user = django_user_model.objects.create_user("lone", "lone@example.org", "a passphrase!")
    client = Client()
    client.force_login(user)
    response = client.get("/foi/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Join a team to file requests" in html
    assert "You are not in a team yet." in html
    assert client.post("/foi/new/", {"title": "x"}).status_code == 403
    assert not FoiRequest.objects.exists()
    Membership.objects.create(team=team, user=user, role="viewer")
    html = client.get("/foi/new/").content.decode()
    assert "Watchers team · Viewer" in html
    assert "Ask an admin of your team to make you a contributor." in html


def test_new_requests_default_to_the_only_team_and_the_picker_filters(demo, campaigner, team):
    page = campaigner.get("/foi/new/")
    form = page.context["form"]
    assert form.initial["owner_team"] == team.slug
    assert form.initial["requester"] == team.organisation.slug
    html = page.content.decode()
    assert 'data-filter="deployments"' in html
    assert "/static/foi/picker.js" in html
    assert 'multiple id="id_deployments"' in html or 'id="id_deployments" multiple' in html
