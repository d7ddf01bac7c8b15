"""An iCalendar (RFC 5545) feed of one organisation's FOI deadlines."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from citywatch.foi.models import FoiRequest

PRODID = "-//CityWatch//FOI desk//EN"


def _event(uid: str, day: dt.date, summary: str, description: str, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _stage_name(request: FoiRequest) -> str:
    """The appeal stage's name (never its internal id); "" when the law no longer has it."""
    try:
        return str(request.law.as_catalogue().stage(request.appeal_stage).name)
    except KeyError:
        return ""


def build_calendar(
    organisation_name: str, requests: list[FoiRequest], base_url: str, host: str
) -> bytes:
    """All-day events: each due date and each appeal deadline."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"FOI deadlines: {organisation_name}")
    for request in requests:
        url = base_url + request.get_absolute_url() if base_url else ""
        if request.due_on and not request.resolution:
            calendar.add_component(
                _event(
                    f"foi-{request.key}-due@{host}",
                    request.due_on,
                    f"FOI due: {request.title} ({request.authority.name})",
                    f"Last day for {request.authority.name} to answer under {request.law.name}.",
                    url,
                )
            )
        if request.appeal_due_on:
            calendar.add_component(
                _event(
                    f"foi-{request.key}-appeal@{host}",
                    request.appeal_due_on,
                    f"Last day to appeal: {request.title}",
                    f"{_stage_name(request) or 'Appeal'} under {request.law.name}.",
                    url,
                )
            )
    return calendar.to_ical()
