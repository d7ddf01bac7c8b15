"""The authority's seat decides the calendar of a request's deadline, local holidays are
entered by staff with their source, the time zone follows the law and the seat, and each law
has a page showing every figure with its basis. Real database, real admin."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from citywatch.actors.models import Organisation
from citywatch.foi import services
from citywatch.foi.models import FoiLaw, FoiRequest
from citywatch.foi.seats import authority_local_date, authority_time_zone, seat_of
from citywatch.places.models import Country, LocalHoliday, Locality

pytestmark = pytest.mark.django_db

D = dt.date


def requester() -> Organisation:
    return Organisation.objects.create(
        name="Watchers", slug="watchers", kind="other", email="team@watchers.example"
    )


def authority(slug: str, country: str, **seat) -> Organisation:
    return Organisation.objects.create(
        name=slug.replace("-", " ").title(),
        slug=slug,
        kind="authority",
        country=Country.objects.get(code=country),
        **seat,
    )


def sent_request(to: Organisation, law_id: str, on: dt.date) -> FoiRequest:
    request = services.create_request(
        requester=Organisation.objects.filter(slug="watchers").first() or requester(),
        authority=to,
        law=FoiLaw.objects.get(law_id=law_id),
        title="Cameras",
        questions=["Every contract."],
        language="en",
    )
    services.record_sent(request, channel="portal", on=on, subject="Request", body="Please.")
    return FoiRequest.objects.get(pk=request.pk)


def madrid() -> Locality:
    return Locality.objects.create(
        name="Madrid",
        country_id="ES",
        subdivision_code="ES-MD",
        latitude="40.41650",
        longitude="-3.70256",
    )


# --- a request's deadline follows its authority's seat ------------------------------------


def test_an_ifg_request_to_a_berlin_authority_moves_past_8_march_and_one_to_bonn_does_not():
    # IFG § 7(5), BGB § 193: received Thu 8 Feb 2024 + 1 month = Fri 8 Mar 2024, Women's Day
    # in Berlin -> Mon 11 Mar 2024; a working day in Bonn (DE-NW) -> Fri 8 Mar 2024.
    berlin = authority("ministry-in-berlin", "DE", seat_subdivision="DE-BE")
    bonn = authority("ministry-in-bonn", "DE", seat_subdivision="DE-NW")
    to_berlin = sent_request(berlin, "de-ifg", D(2024, 2, 8))
    to_bonn = sent_request(bonn, "de-ifg", D(2024, 2, 8))
    assert to_berlin.due_on == D(2024, 3, 11)
    assert to_bonn.due_on == D(2024, 3, 8)
    assert any(step.get("name") == "Women's Day" for step in to_berlin.due_steps)


def test_a_municipal_holiday_entered_by_staff_counts_for_the_authoritys_requests(admin_client):
    # Ley 10/2019 (20 working days), Ley 39/2015 art. 30.7. A body in Madrid city receives a
    # request on Mon 28 Apr 2025: without local holidays day 20 is Wed 28 May 2025. Staff enter
    # San Isidro (Thu 15 May 2025) with its source through the admin; recomputing gives Thu
    # 29 May 2025.
    city = madrid()
    body = authority("madrid-city-hall", "ES", seat_municipality=city)
    request = sent_request(body, "es-md-10-2019", D(2025, 4, 28))
    assert request.due_on == D(2025, 5, 28)
    missing = [step for step in request.due_steps if step["code"] == "local_holidays_missing"]
    assert [(step["name"], step["detail"]) for step in missing] == [("Madrid", "2025")]

    refused = admin_client.post(
        "/admin/places/localholiday/add/",
        {"municipality": city.pk, "date": "2025-05-15", "name": "San Isidro Labrador"},
    )
    assert refused.status_code == 200  # the form comes back: a source is required
    assert not LocalHoliday.objects.exists()
    response = admin_client.post(
        "/admin/places/localholiday/add/",
        {
            "municipality": city.pk,
            "date": "2025-05-15",
            "name": "San Isidro Labrador",
            "source_url": "https://www.bocm.es/",
            "source_title": "BOCM: local holidays of the Community of Madrid for 2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = LocalHoliday.objects.get()
    assert (holiday.municipality, holiday.year) == (city, 2025)

    out = StringIO()
    call_command("foi_sync_laws", "--recompute-all", stdout=out)
    request.refresh_from_db()
    assert request.due_on == D(2025, 5, 29)
    assert {"code": "skipped_holiday", "name": "San Isidro Labrador"}.items() <= next(
        step for step in request.due_steps if step.get("name") == "San Isidro Labrador"
    ).items()


def test_the_seat_of_an_authority():
    city = madrid()
    LocalHoliday.objects.create(
        municipality=city, date=D(2025, 5, 15), name="San Isidro", source_url="https://x.example/"
    )
    body = authority("madrid-body", "ES", seat_municipality=city)
    seat = seat_of(body)
    assert (seat.country, seat.subdivision, seat.municipality) == ("ES", "ES-MD", "Madrid")
    assert seat.local_holidays == ((D(2025, 5, 15), "San Isidro"),)
    assert seat.local_years == frozenset({2025})
    assert seat_of(authority("somewhere", "ES")) is None


def test_a_seat_outside_the_organisations_country_is_refused():
    body = Organisation(
        name="X", slug="x", kind="authority", country_id="DE", seat_subdivision="es-md"
    )
    with pytest.raises(ValidationError) as raised:
        body.full_clean()
    assert "seat_subdivision" in raised.value.message_dict
    body.seat_subdivision = "de-be"
    body.full_clean()
    assert body.seat_subdivision == "DE-BE"
    body.seat_municipality = madrid()
    with pytest.raises(ValidationError) as raised:
        body.full_clean()
    assert "seat_municipality" in raised.value.message_dict


# --- time zones -----------------------------------------------------------------------------


def test_the_authoritys_local_day_decides_receipt():
    # shared/cases: a UK request e-mailed at 23:30 UTC on 3 June 2024 reaches a London authority
    # at 00:30 on 4 June (BST). Received Tue 4 Jun 2024: 5-7 Jun (3), 10-14 (8), 17-21 (13),
    # 24-28 (18), Mon 1, Tue 2 Jul -> due Tue 2 Jul 2024 (FOIA s. 10(1)).
    council = authority("london-council", "GB", seat_subdivision="GB-ENG")
    law = FoiLaw.objects.get(law_id="gb-foia-2000")
    assert law.time_zone == "Europe/London"
    assert authority_time_zone(council, law) == "Europe/London"
    moment = dt.datetime(2024, 6, 3, 23, 30, tzinfo=dt.UTC)
    received = authority_local_date(moment, council, law)
    assert received == D(2024, 6, 4)
    assert sent_request(council, "gb-foia-2000", received).due_on == D(2024, 7, 2)
    with pytest.raises(ValueError, match="time zone"):
        authority_local_date(dt.datetime(2024, 6, 3, 23, 30), council, law)


def test_the_seat_refines_the_authoritys_time_zone():
    canaries = authority("cabildo", "ES", seat_subdivision="ES-CN")
    spain = FoiLaw.objects.get(law_id="es-19-2013")
    assert authority_time_zone(canaries, spain) == "Atlantic/Canary"
    assert authority_time_zone(None, spain) == "Europe/Madrid"
    # 23:30 UTC on 31 Dec 2024 is already 1 Jan 2025 in Madrid, still 31 Dec on the Canaries.
    moment = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert authority_local_date(moment, canaries, spain) == D(2024, 12, 31)
    assert authority_local_date(moment, authority("mainland", "ES"), spain) == D(2025, 1, 1)


# --- the law's page -----------------------------------------------------------------------------


def test_a_laws_page_shows_each_figure_with_its_basis(client):
    response = client.get("/foi/laws/es-md-10-2019/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ley 10/2019, de 10 de abril" in html
    assert "20 working days" in html
    assert "Ley 39/2015 arts. 30.6-30.7" in html
    assert 'href="https://sede.comunidad.madrid/' in html
    assert "checked November 2026" in html
    assert "Not verified" in html
    assert "Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid" in html
    assert "Europe/Madrid" in html
    for internal in ("madrid-council-claim", "stop:clarification", "appeal:"):
        assert internal not in html, internal
    assert client.get("/foi/laws/no-such-law/").status_code == 404


def test_a_confirmed_law_page_has_no_not_verified_mark(client):
    html = client.get("/foi/laws/gb-sct-foisa-2002/").content.decode()
    assert "Not verified" not in html
    assert "RCS 41.20(1)(b)" in html
    assert "intimated (formally notified)" in html
    myanmar = client.get("/foi/laws/mm-none/").content.decode()
    assert "No freedom-of-information law" in myanmar
