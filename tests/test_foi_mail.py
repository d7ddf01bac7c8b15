"""Letters go out through a real SMTP server (aiosmtpd, started by the test)."""

from __future__ import annotations

import datetime as dt
import re
import socket

import pytest

from citywatch.actors.models import Organisation
from citywatch.foi import services
from citywatch.foi.mail.addresses import reply_address
from citywatch.foi.models import FoiLaw, FoiRequest, RequestStatus
from citywatch.places.models import Country

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def madrid_draft(db) -> FoiRequest:
    spain = Country.objects.get(code="ES")
    requester = Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )
    authority = Organisation.objects.create(
        name="Ayuntamiento de Rivas-Vaciamadrid",
        slug="rivas",
        kind="authority",
        country=spain,
        email="transparencia@rivas.example",
    )
    from citywatch.teams.models import Team

    team = Team.objects.create(name="Campaigners", slug="campaigners", organisation=requester)
    return services.create_request(
        owner_team=team,
        requester=requester,
        authority=authority,
        law=FoiLaw.objects.get(law_id="es-md-10-2019"),
        title="Contratos con Huawei",
        questions=["Copia de los contratos.", "Evaluaciones de impacto."],
        language="es",
    )


def subject_of(message) -> str:
    """The decoded subject, with folding whitespace collapsed as mail clients show it."""
    return " ".join(str(message["Subject"]).split())


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_the_letter_arrives_with_recipient_subject_body_and_law(smtp, madrid_draft):

    services.send_by_email(
        madrid_draft, subject=madrid_draft.letter_subject, body=madrid_draft.letter_body
    )
    assert len(smtp.received) == 1
    recipients, message = smtp.received[0]
    assert recipients == ["transparencia@rivas.example"]
    assert message["To"] == "transparencia@rivas.example"
    # From, Reply-To and the envelope sender are the request's own reply address on the mail
    # domain (here the domain of DEFAULT_FROM_EMAIL), shown with the organisation's name.
    address = reply_address(madrid_draft)
    assert re.fullmatch(rf"request-{madrid_draft.key}-[0-9a-f]{{12}}@citywatch\.example", address)
    assert message["From"] == f"Watchers <{address}>"
    assert message["Reply-To"] == address
    assert smtp.envelope_senders == [address]
    assert subject_of(message) == (
        "Solicitud de acceso a la información pública: Contratos con Huawei"
    )
    body = body_of(message)
    assert "Al amparo de la Ley 10/2019, de 10 de abril, de Transparencia y de" in body
    assert f"a la dirección {address}" in body
    sent = madrid_draft.messages.get()
    assert message["Message-ID"] == f"<{sent.message_id}>"
    assert sent.message_id.endswith("@citywatch.example")
    assert "(Ley 10/2019; Ley 19/2013 arts. 19-24; Ley 39/2015 arts. 30-31)" in body
    assert "1. Copia de los contratos.\n2. Evaluaciones de impacto." in body
    assert "20 días hábiles" in body
    madrid_draft.refresh_from_db()
    assert madrid_draft.status == RequestStatus.AWAITING_RESPONSE
    assert madrid_draft.sent_via == "email"
    assert madrid_draft.sent_on is not None
    assert madrid_draft.due_on is not None
    sent = madrid_draft.messages.get()
    assert (sent.direction, sent.channel, sent.recipient) == (
        "out",
        "email",
        "transparencia@rivas.example",
    )


def test_sending_from_the_page(smtp, madrid_draft, client, django_user_model):

    from conftest import join_team

    user = django_user_model.objects.create_user("c", "c@example.org", "x" * 16)
    join_team(user, "contributor")
    client.force_login(user)
    edited = madrid_draft.letter_body + "\nPosdata: gracias.\n"
    response = client.post(
        f"/foi/{madrid_draft.key}/send/",
        {"channel": "email", "subject": madrid_draft.letter_subject, "body": edited},
    )
    assert response.status_code == 302
    (_recipients, message) = smtp.received[0]
    assert "Posdata: gracias." in body_of(message)
    assert "Ley 10/2019" in body_of(message)


def test_a_refused_letter_records_nothing(settings, madrid_draft, client, django_user_model):

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 5
    from conftest import join_team

    user = django_user_model.objects.create_user("c", "c@example.org", "x" * 16)
    join_team(user, "contributor")
    client.force_login(user)
    response = client.post(
        f"/foi/{madrid_draft.key}/send/",
        {"channel": "email", "subject": "S", "body": madrid_draft.letter_body},
    )
    assert response.status_code == 400
    assert "The letter was not sent" in response.content.decode()
    madrid_draft.refresh_from_db()
    assert madrid_draft.status == RequestStatus.DRAFT
    assert madrid_draft.sent_on is None
    assert not madrid_draft.messages.exists()


def test_follow_up_by_email_cites_the_due_date(smtp, madrid_draft):
    services.record_sent(
        madrid_draft, channel="portal", on=dt.date(2024, 4, 26), subject="S", body="B"
    )
    madrid_draft.refresh_from_db()
    letter = services.draft_follow_up(madrid_draft)
    services.send_follow_up(madrid_draft, channel="email", subject=letter.subject, body=letter.body)
    recipients, message = smtp.received[0]
    assert recipients == ["transparencia@rivas.example"]
    assert subject_of(message).startswith("Recordatorio de nuestra solicitud")
    body = body_of(message)
    assert "El 26 de abril de 2024" in body
    assert "venció el 28 de mayo de 2024" in body
    assert "silencio tiene efecto desestimatorio" in body
