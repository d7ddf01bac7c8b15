"""The FOI desk: starting a request from a deal, letters, sending, replies, clock stops,
extensions, appeals, the append-only timeline, recomputation, visibility and forms."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.evidence.models import Source
from citywatch.foi import services
from citywatch.foi.law_catalogue import get_law
from citywatch.foi.letters import (
    LetterContext,
    four_questions,
    legal_basis,
    letter_provisions,
    render_letter,
)
from citywatch.foi.models import (
    AppendOnlyError,
    FoiEvent,
    FoiLaw,
    FoiRequest,
    RequestStatus,
    TimelineKind,
)
from citywatch.places.models import Country

pytestmark = pytest.mark.django_db

D = dt.date


def enable_two_factor(user) -> None:
    """Staff must have two-factor authentication when the commons app requires it."""
    from django.apps import apps

    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})


@pytest.fixture
def campaigner(client, django_user_model):
    """A logged-in campaigner: a contributor of a team (campaigning is a capability of the
    contributor's role, not of staff status)."""
    from conftest import join_team

    user = django_user_model.objects.create_user("campaigner", "campaigner@example.org", "x" * 16)
    join_team(user, "contributor")
    client.force_login(user)
    return client


def file_as(slug: str) -> None:
    """The campaigners' team files requests as this organisation."""
    from citywatch.teams.models import Team

    Team.objects.filter(slug="campaigners").update(organisation=Organisation.objects.get(slug=slug))


@pytest.fixture
def anonymous():
    from django.test import Client

    return Client()


@pytest.fixture
def orgs(db):
    spain = Country.objects.get(code="ES")
    requester = Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )
    authority = Organisation.objects.create(
        name="Ayuntamiento de Ejemplo", slug="ejemplo", kind="authority", country=spain
    )
    return requester, authority


def make_request(orgs, law_id="es-md-10-2019", **kwargs) -> FoiRequest:
    """A draft request owned by the campaigners' team (created if needed)."""
    from citywatch.teams.models import Team

    requester, authority = orgs
    team, _created = Team.objects.get_or_create(
        slug="campaigners", defaults={"name": "Campaigners"}
    )
    values = {
        "owner_team": team,
        "requester": requester,
        "authority": authority,
        "law": FoiLaw.objects.get(law_id=law_id),
        "title": "Cameras",
        "questions": ["Copy of the contract.", "Impact assessments."],
        "language": "es",
    } | kwargs
    return services.create_request(**values)


def sent_request(orgs, on: dt.date | None = None, **kwargs) -> FoiRequest:
    request = make_request(orgs, **kwargs)
    on = on or D(2024, 4, 26)
    services.record_sent(request, channel="post", on=on, subject="S", body="B")
    return FoiRequest.objects.get(pk=request.pk)


# --- starting a request ----------------------------------------------------------------


def test_ask_about_this_deal_prefills_the_form(demo, campaigner):
    response = campaigner.get("/foi/new/?deployment=rivas-vaciamadrid-elte")
    assert response.status_code == 200
    form = response.context["form"]
    rivas = Organisation.objects.get(slug="ayuntamiento-rivas-vaciamadrid")
    assert form.initial["authority"] == rivas.slug
    assert form.initial["law"] == FoiLaw.objects.get(law_id="es-md-10-2019").pk
    assert form.initial["vendor"] == "Huawei"
    assert form.initial["language"] == "es"
    assert form.initial["deployments"] == ["rivas-vaciamadrid-elte"]
    by_authority = campaigner.get("/foi/new/?authority=ministry-of-interior-serbia")
    assert by_authority.context["form"].initial["law"] == FoiLaw.objects.get(law_id="rs-2004").pk
    assert by_authority.context["form"].initial["language"] == "sr-latn"


def test_only_campaigners_start_requests(client, demo, django_user_model):
    response = client.get("/foi/new/?deployment=rivas-vaciamadrid-elte")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    demo_request = FoiRequest.objects.order_by("pk").first()
    assert client.post(f"/foi/{demo_request.key}/send/", {}).status_code == 302
    # Staff status alone (the Django admin) makes nobody a campaigner; nor does viewing.
    from conftest import join_team

    staff = django_user_model.objects.create_user("staff", "s@example.org", "x" * 16)
    staff.is_staff = True
    staff.save()
    enable_two_factor(staff)
    client.force_login(staff)
    assert client.get("/foi/new/").status_code == 403
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "x" * 16)
    join_team(viewer, "viewer")
    client.force_login(viewer)
    assert client.get("/foi/new/").status_code == 403


def test_filing_the_rivas_request_from_the_deployment_page(demo, campaigner, anonymous):
    file_as("privacy-international")
    deployment = Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    response = campaigner.post(
        "/foi/new/",
        {
            "requester": "privacy-international",
            "authority": "ayuntamiento-rivas-vaciamadrid",
            "law": FoiLaw.objects.get(law_id="es-md-10-2019").pk,
            "deployments": [deployment.slug],
            "title": "Contratos con Huawei",
            "language": "es",
            "use_template": "on",
            "vendor": "Huawei",
            "since": "2015",
            "questions": "",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    request = FoiRequest.objects.get(title="Contratos con Huawei")
    assert response["Location"] == f"/foi/{request.key}/"
    questions = [q.text for q in request.questions.all()]
    assert len(questions) == 4
    assert "contratos" in questions[0] and "Huawei" in questions[0]
    assert "folletos" in questions[1] and "manuales" in questions[1]
    assert "evaluación de impacto" in questions[2]
    assert "análisis inteligente de vídeo" in questions[3]
    assert "Ley 10/2019, de 10 de abril" in request.letter_body
    assert "20 días hábiles" in request.letter_body
    assert request.status == RequestStatus.DRAFT
    assert [e.kind for e in request.events.all()] == [TimelineKind.CREATED]
    # A draft is never public, even with public visibility.
    assert anonymous.get(f"/foi/{request.key}/").status_code == 404

    # Record it as sent by post: due 20 working days later, skipping the holidays.
    response = campaigner.post(
        f"/foi/{request.key}/send/",
        {
            "channel": "post",
            "on": "2024-04-26",
            "subject": request.letter_subject,
            "body": request.letter_body,
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.due_on == D(2024, 5, 28)
    assert request.status == RequestStatus.AWAITING_RESPONSE
    html = anonymous.get(f"/foi/{request.key}/").content.decode()
    assert "20 working days after Friday 26 April 2024 is Tuesday 28 May 2024." in html
    assert "Thursday 2 May 2024 skipped: holiday: Fiesta de la Comunidad de Madrid." in html
    assert "Wednesday 1 May 2024 skipped: holiday: Fiesta del Trabajo." in html
    assert "Very overdue" in html
    deployment_include = Template("{% load foi %}{% foi_deployment_requests deployment %}").render(
        Context({"deployment": deployment})
    )
    assert "Contratos con Huawei" in deployment_include


def test_bad_input_names_what_to_fix(campaigner, orgs):
    response = campaigner.post("/foi/new/", {"title": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please fix the following" in html
    assert "This field is required." in html
    requester, authority = orgs
    response = campaigner.post(
        "/foi/new/",
        {
            "requester": requester.slug,
            "authority": authority.slug,
            "law": FoiLaw.objects.get(law_id="es-19-2013").pk,
            "title": "T",
            "language": "es",
            "since": "2015",
            "visibility": "private",
            "embargo_until": "next week",
        },
    )
    html = response.content.decode()
    assert "Write at least one question" in html
    assert "Enter a date as YYYY-MM-DD" in html

    request = make_request(orgs)
    # E-mail to an authority without an address: explained, nothing recorded.
    response = campaigner.post(
        f"/foi/{request.key}/send/", {"channel": "email", "subject": "S", "body": "B"}
    )
    assert response.status_code == 400
    assert "has no e-mail address" in response.content.decode()
    response = campaigner.post(
        f"/foi/{request.key}/send/", {"channel": "post", "subject": "S", "body": "B"}
    )
    assert "Enter the day the authority received the request." in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT

    services.record_sent(request, channel="post", on=D(2024, 4, 26), subject="S", body="B")
    response = campaigner.post(
        f"/foi/{request.key}/reply/", {"on": "2024-05-02", "channel": "post", "status": "resolved"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A resolved request needs a resolution." in html
    assert "Paste the reply or upload at least one document." in html
    response = campaigner.post(
        f"/foi/{request.key}/clock/",
        {"action": "stop", "kind": "clarification", "on": "2024-01-01"},
    )
    assert "The clock cannot stop before the request arrived." in response.content.decode()
    response = campaigner.post(
        f"/foi/{request.key}/clock/", {"action": "resume", "on": "2024-05-01"}
    )
    assert "The clock is not stopped." in response.content.decode()
    assert campaigner.post(f"/foi/{request.key}/explode/", {}).status_code == 404
    assert campaigner.get(f"/foi/{request.key}/send/").status_code == 405


# --- dates ------------------------------------------------------------------------------


def test_clock_stopped_and_restarted(campaigner, orgs):
    request = sent_request(orgs)
    assert request.due_on == D(2024, 5, 28)
    campaigner.post(
        f"/foi/{request.key}/clock/",
        {"action": "stop", "kind": "clarification", "on": "2024-05-06"},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_CLARIFICATION
    assert request.due_on is None
    campaigner.post(f"/foi/{request.key}/clock/", {"action": "resume", "on": "2024-05-10"})
    request.refresh_from_db()
    # Working days 6-10 May are not counted: 28 May moves on by five working days.
    assert request.due_on == D(2024, 6, 4)
    assert request.status == RequestStatus.AWAITING_RESPONSE
    kinds = [e.kind for e in request.events.all()]
    assert kinds[-2:] == [TimelineKind.CLOCK_STOPPED, TimelineKind.CLOCK_RESUMED]


def test_extension_moves_the_due_date_and_says_so(campaigner, orgs):
    request = sent_request(orgs)
    response = campaigner.post(f"/foi/{request.key}/extend/", {"on": "2024-05-20"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.due_on == D(2024, 6, 25)
    change = request.events.get(kind=TimelineKind.DUE_DATE_CHANGED)
    assert change.data == {"from": "2024-05-28", "to": "2024-06-25"}


def test_reply_documents_become_sources_and_a_refusal_opens_the_appeal(campaigner, anonymous, orgs):
    request = sent_request(orgs, visibility="public")
    content = b"%PDF-1.4 refusal letter"
    response = campaigner.post(
        f"/foi/{request.key}/reply/",
        {
            "on": "2024-06-03",
            "channel": "email",
            "body": "Denegado.",
            "files": [SimpleUploadedFile("resolucion.pdf", content, "application/pdf")],
            "status": "resolved",
            "resolution": "refused",
            "refusal_ground": "commercial_interest",
            "refusal_section": "art. 14.1.h",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution) == ("resolved", "refused")
    assert (request.refusal_ground, request.refusal_section) == (
        "commercial_interest",
        "art. 14.1.h",
    )
    attachment = request.messages.get(direction="in").attachments.get()
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    source = attachment.source
    assert (source.kind, source.publisher, source.published_on) == (
        "foi_response",
        "Ayuntamiento de Ejemplo",
        "2024-06-03",
    )
    assert Source.objects.filter(kind="foi_response").count() == 1
    # Claim to the Madrid council: one month from the decision.
    assert (request.appeal_stage, request.appeal_due_on) == ("madrid-council-claim", D(2024, 7, 3))
    html = anonymous.get(f"/foi/{request.key}/").content.decode()
    # Not published yet: the public page does not list it (review 3, G7); the team's does.
    assert source.get_absolute_url() not in html
    assert source.get_absolute_url() in campaigner.get(f"/foi/{request.key}/").content.decode()
    assert 'datetime="2024-07-03"' in html

    response = campaigner.post(
        f"/foi/{request.key}/escalate/",
        {
            "stage": "madrid-council-claim",
            "channel": "portal",
            "on": "2024-06-20",
            "subject": "Reclamación",
            "body": "Reclamamos.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ESCALATED
    assert request.events.filter(kind=TimelineKind.ESCALATED).get().data["stage"] == (
        "madrid-council-claim"
    )


def test_follow_up_is_prefilled_when_overdue(campaigner, orgs):
    request = sent_request(orgs)
    html = campaigner.get(f"/foi/{request.key}/").content.decode()
    assert "the request is overdue" in html
    assert "venció el 28 de mayo de 2024" in html
    assert "Ley 10/2019, de 10 de abril" in html
    response = campaigner.post(
        f"/foi/{request.key}/follow-up/",
        {"channel": "post", "on": "2024-06-10", "subject": "Recordatorio", "body": "Texto"},
    )
    assert response.status_code == 302
    assert request.messages.filter(kind="follow_up").count() == 1
    assert request.events.filter(kind=TimelineKind.FOLLOW_UP_SENT).count() == 1


def test_derived_flags_are_computed_from_dates(orgs):
    request = sent_request(orgs)
    assert not request.is_overdue(D(2024, 5, 28))
    assert request.is_overdue(D(2024, 5, 29))
    assert not request.is_very_overdue(D(2024, 6, 27))
    assert request.is_very_overdue(D(2024, 6, 28))
    request.appeal_due_on = D(2024, 7, 3)
    assert request.is_appeal_window_closing(D(2024, 6, 27))
    assert not request.is_appeal_window_closing(D(2024, 6, 20))
    assert not request.is_appeal_window_closing(D(2024, 7, 4))
    request.status = RequestStatus.ESCALATED
    assert not request.is_appeal_window_closing(D(2024, 6, 27))
    assert not request.is_overdue(D(2024, 6, 1))


def test_timeline_is_append_only(orgs):
    request = sent_request(orgs)
    event = request.events.first()
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert FoiEvent.objects.get(pk=event.pk).note == ""


# --- laws and recomputation -------------------------------------------------------------


def test_open_requests_are_recomputed_when_a_law_or_calendar_changes(orgs):
    open_request = sent_request(orgs)
    closed = sent_request(orgs, title="Closed")
    services.change_status(closed, status="resolved", resolution="withdrawn", on=D(2024, 5, 2))
    law = FoiLaw.objects.get(law_id="es-md-10-2019")

    rules = dict(law.rules, period={"amount": 30, "unit": "working_days"})
    assert services.update_law(law, rules) == 1
    open_request.refresh_from_db()
    closed.refresh_from_db()
    assert open_request.due_on == D(2024, 6, 11)
    assert closed.due_on == D(2024, 5, 28)
    assert open_request.events.filter(kind=TimelineKind.DUE_DATE_CHANGED).count() == 1

    # A calendar change: without the Madrid holidays, 2 May counts.
    rules = dict(law.rules, calendar=dict(law.rules["calendar"], subdivisions=[]))
    rules["period"] = {"amount": 20, "unit": "working_days"}
    services.update_law(law, rules)
    open_request.refresh_from_db()
    assert open_request.due_on == D(2024, 5, 27)

    # Syncing from the catalogue restores the shipped law and recomputes again; twice is a no-op.
    counts = services.sync_laws()
    assert counts["foilaw_updated"] == 1
    assert counts["foirequest_recomputed"] == 1
    open_request.refresh_from_db()
    assert open_request.due_on == D(2024, 5, 28)
    assert services.sync_laws() == {}


def test_law_rules_round_trip_through_the_database():
    for law in FoiLaw.objects.all():
        assert law.as_catalogue() == get_law(law.law_id)


def test_unverified_figures_are_marked_on_the_request_page(client, orgs):
    request = sent_request(orgs, visibility="public")
    html = client.get(f"/foi/{request.key}/").content.decode()
    assert "Not verified" in html
    assert "whether the first and last day of the suspension count" in html
    # The authority's municipality is not recorded: the explanation says local holidays may
    # apply (Ley 39/2015 art. 30.7) but none are counted.
    assert "Local holidays of the municipality where the authority sits may also be" in html


# --- letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "law_id", "words"),
    [
        ("en", "gb-foia-2000", ["Under the Freedom of Information Act 2000 (", "20 working days"]),
        ("es", "es-19-2013", ["Al amparo de la Ley 19/2013, de 9 de diciembre", "1 mes"]),
        ("fr", "fr-crpa", ["En application du Code des relations", "1 mois"]),
        ("sr-latn", "rs-2004", ["Na osnovu Zakona o slobodnom pristupu informacijama", "15 dana"]),
    ],
)
def test_letters_in_each_language_cite_the_law(language, law_id, words):
    law = get_law(law_id)
    questions = four_questions(language, authority="City Hall", vendor="Huawei", since=2015)
    assert len(questions) == 4
    assert all("Huawei" in q for q in questions)
    context = LetterContext(
        language=language,
        title="Cameras",
        authority="City Hall",
        requester="Watchers",
        requester_email="team@watchers.example",
        law=law,
        questions=list(enumerate(questions, 1)),
        sent_on=D(2024, 4, 26),
        due_on=D(2024, 5, 28),
    )
    letter = render_letter("request", context, today=D(2024, 4, 26))
    assert "Cameras" in letter.subject
    for word in words:
        assert word in letter.body, (word, letter.body)
    assert letter_provisions(law.citation) in letter.body
    assert f"4. {questions[3]}" in letter.body
    follow_up = render_letter("follow_up", context)
    assert legal_basis(law, language) in follow_up.body
    appeal = render_letter("appeal", LetterContext(**{**context.__dict__, "stage": law.appeals[0]}))
    # The appeal names its stage and body in the letter's language.
    from django.utils import translation

    from citywatch.foi.letters import letter_language

    with translation.override(letter_language(language)):
        assert str(law.appeals[0].body).lower() in appeal.body.lower()
        assert str(law.appeals[0].name) in appeal.subject


def test_a_serbian_appeal_names_the_commissioner_in_serbian_from_an_english_page(orgs):
    """The desk's pages may be in English; the appeal letter, its heading and the recorded
    recipient follow the request's language (the catalogue's Serbian texts)."""
    request = sent_request(orgs, law_id="rs-2004", language="sr-latn")
    commissioner = "Poverenik za informacije od javnog značaja i zaštitu podataka o ličnosti"
    letter = services.draft_appeal(request, "commissioner-complaint-silence")
    assert letter.body.startswith(commissioner)
    assert "Commissioner" not in letter.body
    assert letter.subject.startswith("Žalba zbog ćutanja uprave")
    message = services.escalate(
        request,
        stage_id="commissioner-complaint-silence",
        channel="post",
        on=D(2024, 6, 3),
        subject=letter.subject,
        body=letter.body,
    )
    assert message.recipient == commissioner
    event = request.events.get(kind=TimelineKind.ESCALATED)
    assert event.data["body"] == commissioner


# --- visibility -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"visibility": "private"},
        {"visibility": "partners"},
        {"visibility": "public", "embargo_until": D(2999, 1, 1)},
    ],
)
def test_hidden_requests_never_show_in_public(demo, anonymous, campaigner, values):
    deployment = Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    secret = sent_request(
        (
            Organisation.objects.get(slug="privacy-international"),
            Organisation.objects.get(slug="ayuntamiento-rivas-vaciamadrid"),
        ),
        title="Secret request",
        deployments=[deployment],
        **values,
    )
    assert anonymous.get(f"/foi/{secret.key}/").status_code == 404
    assert "Secret request" not in anonymous.get("/foi/").content.decode()
    include = Template(
        "{% load foi %}{% foi_deployment_requests deployment %}{% foi_transparency country=c %}"
    ).render(Context({"deployment": deployment, "c": Country.objects.get(code="ES")}))
    assert "Secret request" not in include
    assert "2 public requests recorded." in include
    # The owning team's campaigners see it; staff status alone or another team does not.
    assert campaigner.get(f"/foi/{secret.key}/").status_code == 200
    assert "Secret request" in campaigner.get("/foi/").content.decode()


def test_past_embargo_is_public(client, orgs):
    request = sent_request(orgs, visibility="public", embargo_until=D(2020, 1, 1))
    assert client.get(f"/foi/{request.key}/").status_code == 200
    assert "Cameras" in client.get("/foi/").content.decode()


def test_a_team_linked_to_a_vendor_gets_a_form_error_not_a_500(demo, campaigner):
    """Review 5: the admin could link a team to a vendor; /foi/new/ pre-selected it as the
    requester and saving failed with a 500 (a requester is of kind "other"). Now it is not
    offered, and posting it says what to fix."""
    from citywatch.teams.models import Team

    huawei = Organisation.objects.get(slug="huawei")
    Team.objects.filter(slug="campaigners").update(organisation=huawei)
    page = campaigner.get("/foi/new/")
    assert page.status_code == 200
    assert "requester" not in page.context["form"].initial
    assert 'value="huawei"' not in page.content.decode().split('name="requester"', 1)[1][:2000]
    response = campaigner.post(
        "/foi/new/",
        {
            "requester": "huawei",
            "authority": "ayuntamiento-rivas-vaciamadrid",
            "law": FoiLaw.objects.get(law_id="es-md-10-2019").pk,
            "title": "Contratos",
            "language": "es",
            "questions": "Copy of the contract.",
            "visibility": "private",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["requester"]
    assert not FoiRequest.objects.filter(title="Contratos").exists()
    # The admin offers a team only organisations that may file requests.
    assert Team._meta.get_field("organisation").get_limit_choices_to() == {"kind": "other"}
