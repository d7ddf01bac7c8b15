"""The FOI law catalogue is honest: a source for every figure, the November 2026 verdicts
applied, texts translatable, time zones real, and no internal id in front of readers.

The figures themselves are checked with dated cases in tests/test_foi_deadlines.py.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.functional import Promise

from citywatch.foi import law_catalogue
from citywatch.foi.deadlines import compute_appeal_deadlines, compute_due_date
from citywatch.foi.laws import (
    AppealTrigger,
    Basis,
    Rollover,
    Seat,
    SilenceEffect,
    Source,
    Unit,
    all_laws,
    get_law,
    iter_texts,
    law_from_dict,
    law_to_dict,
    seat_time_zone,
)

D = date


# --- completeness ----------------------------------------------------------------------------


@pytest.mark.parametrize("law", all_laws(), ids=lambda law: law.id)
def test_every_figure_has_a_source_or_a_not_verified_note(law):
    incomplete = [figure.key for figure in law.figures() if not figure.basis.is_complete()]
    assert incomplete == [], law.id


@pytest.mark.parametrize("law", all_laws(), ids=lambda law: law.id)
def test_every_source_has_an_address_a_description_and_a_month(law):
    for figure in law.figures():
        for source in figure.basis.sources:
            assert re.match(r"^https?://[^\s]+$", source.url), (law.id, figure.key)
            assert str(source.description).strip(), (law.id, figure.key)
            assert re.match(r"^\d{4}-\d{2}$", source.checked), (law.id, figure.key)


def test_a_figure_without_source_or_note_is_incomplete():
    # What the completeness test guards against: a figure with neither a source nor a "not
    # verified" note fails, and each of the two ways out passes.
    assert not Basis(provision="s. 10(1)").is_complete()
    assert not Basis(provision="s. 10(1)", verified=False).is_complete()
    assert not Basis(sources=(Source("https://example.org/act", "The act"),)).is_complete()
    assert not Basis(
        provision="s. 10(1)", sources=(Source("https://example.org/act", "The act", "Nov"),)
    ).is_complete()
    assert Basis(
        provision="s. 10(1)", sources=(Source("https://example.org/act", "The act"),)
    ).is_complete()
    assert Basis(provision="s. 10(1)", verified=False, note="Not found.").is_complete()


def test_every_law_with_a_law_has_each_figure():
    for law in all_laws():
        keys = [figure.key for figure in law.figures()]
        if not law.has_law:
            assert keys == ["period"]
            continue
        assert keys[:5] == ["period", "rollover", "calendar", "extension", "silence"], law.id
        assert [f"appeal:{stage.id}" for stage in law.appeals] == [
            key for key in keys if key.startswith("appeal:")
        ]


# --- the verdicts of November 2026 -------------------------------------------------------------


def test_confirmed_and_corrected_figures_carry_their_provisions():
    spain = get_law("es-19-2013")
    silence_claim = spain.stage("ctbg-claim-silence")
    assert silence_claim.period is None and silence_claim.verified
    assert "STC 52/2014" in silence_claim.citation
    assert spain.stage("ctbg-claim").period.amount == 1
    assert spain.calendar.seat_subdivision and spain.calendar.seat_municipality
    assert "30.6" in spain.calendar_basis.provision and spain.calendar_basis.verified

    madrid = get_law("es-md-10-2019")
    claim = madrid.stage("madrid-council-claim-silence")
    assert "Protección de Datos" in str(claim.body)
    assert not claim.verified and claim.any_time
    assert madrid.extension_basis.verified  # 20 more working days: confirmed
    assert {rule.kind for rule in madrid.stops} == {"clarification", "third_party"}

    catalonia = get_law("es-ct-19-2014")
    assert catalonia.extension.share == (1, 2)
    assert not catalonia.extension_basis.verified
    assert catalonia.silence == SilenceEffect.DEEMED_GRANTED

    uk = get_law("gb-foia-2000")
    ico = uk.stage("ico-complaint")
    assert (ico.period.amount, ico.period.unit, ico.advisory) == (6, Unit.WEEKS, True)
    assert ico.verified and "ico.org.uk" in ico.basis.sources[0].url
    tribunal = uk.stage("tribunal-appeal")
    assert tribunal.period.amount == 28 and not tribunal.verified
    assert tribunal.rollover == Rollover.NONE and str(tribunal.trigger_note)

    scotland = get_law("gb-sct-foisa-2002").stage("court-of-session-appeal")
    assert scotland.verified and "RCS 41.20" in scotland.citation
    assert "intimated" in str(scotland.trigger_note)

    uganda = get_law("ug-ati-2005")
    assert "(Cap. 2)" in uganda.rollover_basis.provision and uganda.rollover_basis.verified
    assert not uganda.calendar_basis.verified  # public holidays: s. 34 not retrieved

    serbia = get_law("rs-2004")
    assert "čl. 80" in serbia.rollover_basis.provision and serbia.rollover_basis.verified
    assert serbia.stage("commissioner-complaint").verified
    assert not serbia.stage("commissioner-complaint-silence").verified

    brazil = get_law("br-lai-2011")
    assert brazil.stage("cgu-appeal").counted_from == AppealTrigger.SECOND_REVIEW_DECISION
    assert "third instance" in str(brazil.stage("cgu-appeal").note)

    germany = get_law("de-ifg")
    assert germany.calendar.seat_subdivision and germany.calendar_basis.verified

    india = get_law("in-rti-2005")
    assert india.stage("first-appeal").rollover == Rollover.NEXT_WORKING_DAY
    assert india.rollover == Rollover.NONE and not india.rollover_basis.verified

    south_africa = get_law("za-paia-2000")
    assert south_africa.stage("internal-appeal").verified
    assert not south_africa.stage("regulator-complaint").verified
    assert south_africa.rollover_basis.verified


def test_uncertain_figures_say_what_is_known():
    for law in all_laws():
        for note in law.unverified_notes():
            assert len(str(note.text)) > 40, (law.id, note.topic)


# --- data form ---------------------------------------------------------------------------


def test_each_law_survives_its_data_form():
    for law in all_laws():
        data = law_to_dict(law)
        assert law_from_dict(data) == law, law.id
        assert data["period_basis"]["sources"] or not data["period_basis"]["verified"]


def test_data_form_stores_source_texts_whatever_the_language():
    with translation.override("sr-latn"):
        data = law_to_dict(get_law("rs-2004"))
    assert data["name"] == "Law on Free Access to Information of Public Importance"
    assert data["official_name"] == "Zakon o slobodnom pristupu informacijama od javnog značaja"


def test_the_old_module_still_answers():
    assert law_catalogue.get_law("gb-foia-2000") is get_law("gb-foia-2000")
    assert law_catalogue.all_laws() == all_laws()


# --- time zones ----------------------------------------------------------------------------

EXPECTED_ZONES = {
    "es-19-2013": "Europe/Madrid",
    "es-md-10-2019": "Europe/Madrid",
    "es-ct-19-2014": "Europe/Madrid",
    "fr-crpa": "Europe/Paris",
    "rs-2004": "Europe/Belgrade",
    "ug-ati-2005": "Africa/Kampala",
    "gb-foia-2000": "Europe/London",
    "gb-sct-foisa-2002": "Europe/London",
    "de-ifg": "Europe/Berlin",
    "us-foia": "America/New_York",
    "in-rti-2005": "Asia/Kolkata",
    "br-lai-2011": "America/Sao_Paulo",
    "za-paia-2000": "Africa/Johannesburg",
    "ke-ati-2016": "Africa/Nairobi",
    "mm-none": "Asia/Yangon",
}


def test_each_law_has_a_real_time_zone():
    assert {law.id: law.time_zone for law in all_laws()} == EXPECTED_ZONES
    for law in all_laws():
        assert ZoneInfo(law.time_zone).key == law.time_zone


def test_the_seat_refines_the_time_zone():
    spain, usa = get_law("es-19-2013"), get_law("us-foia")
    assert seat_time_zone(spain, Seat("ES", "ES-CN")) == "Atlantic/Canary"
    assert seat_time_zone(spain, Seat("ES", "ES-MD")) == "Europe/Madrid"
    assert seat_time_zone(spain) == "Europe/Madrid"
    assert seat_time_zone(usa, Seat("US", "US-CA")) == "America/Los_Angeles"
    assert seat_time_zone(usa, Seat("US", "US-DC")) == "America/New_York"
    assert seat_time_zone(usa, Seat("ES", "ES-CN")) == "America/New_York"  # another country


# --- readers never see internal ids; every text is translatable -----------------------------


def test_every_reader_text_of_the_catalogue_is_translatable():
    for law in all_laws():
        for text in iter_texts(law):
            assert isinstance(text, Promise), (law.id, text)


def test_serbias_law_has_an_english_msgid_and_its_serbian_title_apart():
    serbia = get_law("rs-2004")
    assert serbia.official_name.startswith("Zakon o slobodnom pristupu")
    with translation.override(None):
        assert str(serbia.name) == "Law on Free Access to Information of Public Importance"


@pytest.mark.parametrize("law", all_laws(), ids=lambda law: law.id)
def test_explanations_never_show_internal_ids(law):
    # Ids made of several words (es-19-2013, madrid-council-claim) cannot be prose; a
    # one-word id such as "appeal" can, so it is not looked for.
    ids = {law.id, *(stage.id for stage in law.appeals if "-" in stage.id)}
    texts = []
    for sent in (D(2024, 3, 4), D(2024, 12, 21)):
        texts.append(compute_due_date(law, sent, extended=True).text())
        texts += [deadline.text() for deadline in compute_appeal_deadlines(law, sent)]
    joined = "\n".join(texts)
    for internal in ids:
        assert internal not in joined, internal
    assert "appeal:" not in joined and "stop:" not in joined
