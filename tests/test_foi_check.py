"""`citywatch foi-check`: every overdue request is flagged once, whenever the check runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import test_foi_mail
from django.core.management import CommandError, call_command

from citywatch.actors.models import Organisation
from citywatch.foi import services
from citywatch.foi.models import FoiLaw, FoiRequest, TimelineKind
from citywatch.places.models import Country

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]  # smtp: a real SMTP server for the test
body_of, free_port, subject_of = (
    test_foi_mail.body_of,
    test_foi_mail.free_port,
    test_foi_mail.subject_of,
)

D = dt.date


@pytest.fixture
def team(db):
    return Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )


def sent(team, title: str, on: dt.date, law_id: str = "es-md-10-2019") -> FoiRequest:
    authority = Organisation.objects.create(
        name=f"Authority {title}",
        slug=f"authority-{title.lower()}",
        kind="authority",
        country=Country.objects.get(code="ES"),
    )
    request = services.create_request(
        requester=team,
        authority=authority,
        law=FoiLaw.objects.get(law_id=law_id),
        title=title,
        questions=["Q"],
        language="es",
    )
    services.record_sent(request, channel="post", on=on, subject="S", body="B")
    return FoiRequest.objects.get(pk=request.pk)


def overdue_events() -> int:
    from citywatch.foi.models import FoiEvent

    return FoiEvent.objects.filter(kind=TimelineKind.OVERDUE).count()


def test_run_twice_flags_once(smtp, team):
    first = sent(team, "First", D(2024, 4, 26))  # due 28 May 2024
    assert [f.request.pk for f in services.check_overdue(D(2024, 5, 29))] == [first.pk]
    assert services.check_overdue(D(2024, 5, 29)) == []
    assert services.check_overdue(D(2024, 6, 5)) == []
    assert overdue_events() == 1
    assert len(smtp.received) == 1
    recipients, message = smtp.received[0]
    assert recipients == ["team@watchers.example"]
    assert subject_of(message) == "[CityWatch] Overdue: First"
    body = body_of(message)
    assert "was due on 2024-05-28" in body
    assert "Ley 10/2019, de 10 de abril" in body
    assert f"/foi/{first.key}/" in body
    # The silence opens the claim to the Madrid council, one month later.
    first.refresh_from_db()
    assert (first.flagged_due_on, first.appeal_stage, first.appeal_due_on) == (
        D(2024, 5, 28),
        "madrid-council-claim-silence",
        D(2024, 6, 28),
    )


def test_after_a_gap_of_weeks_everything_overdue_is_flagged(smtp, team):
    early = sent(team, "Early", D(2024, 1, 8))  # due long before the run
    middle = sent(team, "Middle", D(2024, 4, 26))  # due 28 May 2024
    not_yet = sent(team, "Later", D(2024, 7, 1))  # due after the run
    resolved = sent(team, "Resolved", D(2024, 1, 8))
    services.change_status(resolved, status="resolved", resolution="successful", on=D(2024, 2, 1))
    flagged = services.check_overdue(D(2024, 7, 15))
    assert {f.request.pk for f in flagged} == {early.pk, middle.pk}
    assert {not_yet.pk, resolved.pk}.isdisjoint({f.request.pk for f in flagged})
    assert len(smtp.received) == 2
    assert services.check_overdue(D(2024, 7, 16)) == []
    # Weeks later the third one lapses too and is flagged, alone.
    assert [f.request.pk for f in services.check_overdue(D(2024, 9, 1))] == [not_yet.pk]
    assert overdue_events() == 3


def test_a_new_due_date_can_be_flagged_again(smtp, team):
    request = sent(team, "Extended", D(2024, 4, 26))
    services.check_overdue(D(2024, 5, 29))
    services.mark_extended(request, on=D(2024, 5, 29))
    request.refresh_from_db()
    assert request.due_on == D(2024, 6, 25)
    assert services.check_overdue(D(2024, 6, 1)) == []
    assert [f.request.pk for f in services.check_overdue(D(2024, 6, 26))] == [request.pk]
    assert overdue_events() == 2


def test_no_address_still_flags(smtp, db):
    quiet = Organisation.objects.create(name="Quiet", slug="quiet", kind="other")
    request = sent(quiet, "Quiet", D(2024, 4, 26))
    (flag,) = services.check_overdue(D(2024, 6, 1))
    assert (flag.request.pk, flag.emailed_to) == (request.pk, "")
    assert smtp.received == []
    assert services.check_overdue(D(2024, 6, 2)) == []


def test_a_failed_reminder_is_tried_again(settings, team):
    request = sent(team, "Retry", D(2024, 4, 26))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 5
    err = StringIO()
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("foi_check", "--today", "2024-06-01", stdout=StringIO(), stderr=err)
    assert "Retry" in err.getvalue()
    request.refresh_from_db()
    assert request.flagged_due_on is None
    assert overdue_events() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert [f.request.pk for f in services.check_overdue(D(2024, 6, 1))] == [request.pk]


def test_the_command_reports_what_it_flagged(smtp, team):
    sent(team, "Command", D(2024, 4, 26))
    out = StringIO()
    call_command("foi_check", "--today", "2024-06-01", stdout=out)
    assert "Overdue since 2024-05-28: Command (reminder to team@watchers.example)" in out.getvalue()
    assert "1 request newly flagged." in out.getvalue()
    out = StringIO()
    call_command("foi_check", "--today", "2024-06-01", stdout=out)
    assert "0 requests newly flagged." in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("foi_check", "--today", "tomorrow", stdout=StringIO())
