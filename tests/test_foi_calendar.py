"""The iCal feed per requesting organisation, at a secret address."""

from __future__ import annotations

import datetime as dt

import pytest
import test_foi_check
import test_foi_desk
from icalendar import Calendar

from citywatch.actors.models import Organisation
from citywatch.foi import services
from citywatch.foi.models import CalendarFeed

pytestmark = pytest.mark.django_db

# Fixtures and helpers shared with the other FOI tests.
team, campaigner, sent = test_foi_check.team, test_foi_desk.campaigner, test_foi_check.sent

D = dt.date


def events(response) -> dict[str, tuple[dt.date, str]]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(item["uid"]): (item.decoded("dtstart"), str(item["summary"]))
        for item in calendar.walk("VEVENT")
    }


def test_feed_holds_due_dates_and_appeal_deadlines(client, team):
    waiting = sent(team, "Waiting", D(2024, 4, 26))  # due 28 May 2024
    lapsed = sent(team, "Lapsed", D(2024, 1, 8))
    services.check_overdue(D(2024, 7, 1))  # opens the claim window after silence
    other = Organisation.objects.create(name="Other", slug="other-team", kind="other")
    sent(other, "Someone else's", D(2024, 4, 26))
    feed = services.calendar_feed_for(team)
    assert len(feed.token) >= 40
    response = client.get(f"/foi/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert found[f"foi-{waiting.key}-due@testserver"][0] == D(2024, 5, 28)
    assert found[f"foi-{waiting.key}-appeal@testserver"][0] == D(2024, 6, 28)
    assert f"foi-{lapsed.key}-due@testserver" in found
    assert all("Someone else" not in summary for _, summary in found.values())
    assert b"BEGIN:VCALENDAR" in response.content
    assert b"DTSTART;VALUE=DATE:20240528" in response.content


def test_wrong_or_renewed_token_finds_nothing(client, team):
    feed = services.calendar_feed_for(team)
    assert client.get("/foi/calendar/guess.ics").status_code == 404
    renewed = services.renew_calendar_feed(team)
    assert renewed.token != feed.token
    assert client.get(f"/foi/calendar/{feed.token}.ics").status_code == 404
    assert client.get(f"/foi/calendar/{renewed.token}.ics").status_code == 200


def test_campaigners_create_and_renew_addresses(campaigner, team):
    from citywatch.teams.models import Team

    other = Organisation.objects.create(name="Another group", slug="another-group")
    campaigner.post("/foi/calendars/", {"organisation": other.slug})
    assert not CalendarFeed.objects.filter(organisation=other).exists(), "not their team's"
    Team.objects.filter(slug="campaigners").update(organisation=team)
    assert campaigner.get("/foi/calendars/").status_code == 200
    campaigner.post("/foi/calendars/", {"organisation": team.slug})
    token = CalendarFeed.objects.get(organisation=team).token
    assert token in campaigner.get("/foi/calendars/").content.decode()
    campaigner.post("/foi/calendars/", {"organisation": team.slug, "renew": "1"})
    assert CalendarFeed.objects.get(organisation=team).token != token


def test_the_public_cannot_list_the_addresses(client, team):
    services.calendar_feed_for(team)
    response = client.get("/foi/calendars/")
    assert response.status_code == 302
