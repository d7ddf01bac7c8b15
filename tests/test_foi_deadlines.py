"""Dated cases for the FOI deadline engine.

Every expected date below was worked out by hand from the law (as recorded in the catalogue)
and a printed calendar, with the reasoning in the comment above the case. Holidays named are
those of the pinned ``holidays`` package (0.109). No database is used.

The section "Corrected figures" holds one dated case per figure that the November 2026 check
of the catalogue corrected (see docs/foi-deadlines.md), each with its provision; "The
authority's seat" holds the Berlin/Bonn IFG pair, the Spanish regional holiday at the seat and
a municipal holiday entered by staff.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from citywatch.foi.deadlines import (
    PHRASES,
    ClockStop,
    DateOutOfRange,
    Step,
    amount_text,
    compute_appeal_deadlines,
    compute_due_date,
    describe,
    is_working_day,
    render,
    step_from_dict,
    step_to_dict,
)
from citywatch.foi.laws import (
    AppealTrigger,
    Seat,
    SilenceEffect,
    StopKind,
    Unit,
    all_laws,
    get_law,
)

D = date

# (law id, request received, extended?, expected due date)
DUE_DATE_CASES = [
    # --- Madrid, Ley 10/2019: 20 working days, Madrid regional calendar -------------------
    # Fri 26 Apr 2024. Day 1 = Mon 29 Apr. Skips Sat 27/Sun 28 Apr, Wed 1 May (Fiesta del
    # Trabajo), Thu 2 May (Fiesta de la Comunidad de Madrid) and the weekends after. Working
    # days: 29, 30 Apr, 3, 6-10, 13-17, 20-24, 27, 28 May -> day 20 = Tue 28 May.
    ("es-md-10-2019", D(2024, 4, 26), False, D(2024, 5, 28)),
    # Sat 27 Apr 2024: a request filed on a non-working day counts as filed on Mon 29 Apr
    # (Ley 39/2015 art. 31.2.b), so day 1 is Tue 30 Apr: 30, 3, 6-10, 13-17, 20-24, 27, 28,
    # 29 May -> day 20 = Wed 29 May, one day later than a Friday filing.
    ("es-md-10-2019", D(2024, 4, 27), False, D(2024, 5, 29)),
    # Fri 22 Mar 2024 (Easter): 25, 26, 27 Mar; skips Thu 28 (Jueves Santo, a Madrid holiday)
    # and Fri 29 (Viernes Santo); Mon 1 Apr is a working day in Madrid. 1-5, 8-12, 15-19, 22,
    # 23 Apr -> day 20 = Tue 23 Apr.
    ("es-md-10-2019", D(2024, 3, 22), False, D(2024, 4, 23)),
    # Mon 8 Jul 2024: 9-12, 15-19, 22-24 Jul; skips Thu 25 Jul (Santiago Apóstol, Madrid);
    # 26, 29-31 Jul, 1-2 Aug, 5, 6 Aug -> day 20 = Tue 6 Aug.
    ("es-md-10-2019", D(2024, 7, 8), False, D(2024, 8, 6)),
    # Extended (20 + 20 working days) from Fri 26 Apr 2024: after day 20 on Tue 28 May,
    # 29-31 May (23), 3-7 Jun (28), 10-14 (33), 17-21 (38), 24, 25 Jun -> day 40 = Tue 25 Jun.
    ("es-md-10-2019", D(2024, 4, 26), True, D(2024, 6, 25)),
    # --- Spain, Ley 19/2013: one month, date to date, national calendar --------------------
    # Wed 31 Jan 2024 + 1 month: February 2024 has no 31st, so the last day of the month,
    # Thu 29 Feb (leap year), a working day.
    ("es-19-2013", D(2024, 1, 31), False, D(2024, 2, 29)),
    # Fri 31 Jan 2025 + 1 month: no 31 February, so Fri 28 Feb 2025 (not a leap year).
    ("es-19-2013", D(2025, 1, 31), False, D(2025, 2, 28)),
    # Thu 29 Feb 2024 + 1 month = Fri 29 Mar, Viernes Santo (national) -> Sat 30, Sun 31 ->
    # Mon 1 Apr (Easter Monday is not a national holiday in Spain).
    ("es-19-2013", D(2024, 2, 29), False, D(2024, 4, 1)),
    # Extended by another month (art. 20.1): 31 Jan 2024 + 2 months = Sun 31 Mar (March has a
    # 31st, so no clamping) -> Mon 1 Apr.
    ("es-19-2013", D(2024, 1, 31), True, D(2024, 4, 1)),
    # Filed Sat 6 Jan 2024 (Saturday and Epiphany): counts as filed Mon 8 Jan (Sun 7 is also
    # skipped); + 1 month = Thu 8 Feb.
    ("es-19-2013", D(2024, 1, 6), False, D(2024, 2, 8)),
    # Fri 26 Apr 2024 + 1 month = Sun 26 May -> Mon 27 May.
    ("es-19-2013", D(2024, 4, 26), False, D(2024, 5, 27)),
    # Thu 12 Sep 2024 + 1 month = Sat 12 Oct (Fiesta Nacional, on a Saturday) -> Sun 13 ->
    # Mon 14 Oct.
    ("es-19-2013", D(2024, 9, 12), False, D(2024, 10, 14)),
    # Tue 2 Apr 2024 + 1 month = Thu 2 May: a Madrid holiday, but not a national one, so it
    # stays (compare Madrid above).
    ("es-19-2013", D(2024, 4, 2), False, D(2024, 5, 2)),
    # Fri 24 May 2024 + 1 month = Mon 24 Jun (Sant Joan is Catalan, not national): stays.
    ("es-19-2013", D(2024, 5, 24), False, D(2024, 6, 24)),
    # Mon 11 Aug 2025 + 1 month = Thu 11 Sep 2025: a working day nationally.
    ("es-19-2013", D(2025, 8, 11), False, D(2025, 9, 11)),
    # Tue 26 Nov 2024 + 1 month = Thu 26 Dec: working day nationally.
    ("es-19-2013", D(2024, 11, 26), False, D(2024, 12, 26)),
    # --- Catalonia, Llei 19/2014: one month, Catalan calendar -------------------------------
    # Fri 24 May 2024 + 1 month = Mon 24 Jun, Sant Joan (Catalan holiday) -> Tue 25 Jun.
    ("es-ct-19-2014", D(2024, 5, 24), False, D(2024, 6, 25)),
    # Mon 11 Aug 2025 + 1 month = Thu 11 Sep 2025, Diada Nacional de Catalunya -> Fri 12 Sep.
    ("es-ct-19-2014", D(2025, 8, 11), False, D(2025, 9, 12)),
    # Tue 26 Nov 2024 + 1 month = Thu 26 Dec, Sant Esteve (Catalan) -> Fri 27 Dec.
    ("es-ct-19-2014", D(2024, 11, 26), False, D(2024, 12, 27)),
    # Thu 29 Feb 2024 + 1 month = Fri 29 Mar (Divendres Sant) -> Sat 30, Sun 31, Mon 1 Apr
    # (Dilluns de Pasqua, a Catalan holiday) -> Tue 2 Apr. Nationally it is Mon 1 Apr.
    ("es-ct-19-2014", D(2024, 2, 29), False, D(2024, 4, 2)),
    # Extended by half the initial period, 15 days: 31 Jan 2024 + 1 month = Thu 29 Feb
    # (clamped), + 15 calendar days = Fri 15 Mar, a working day.
    ("es-ct-19-2014", D(2024, 1, 31), True, D(2024, 3, 15)),
    # --- UK, FOIA 2000: 20 working days, bank holidays anywhere in the UK ------------------
    # Fri 26 Apr 2024: 29, 30 Apr, 1-3 May (5), skips Mon 6 May (May Day), 7-10 (9), 13-17
    # (14), 20-24 (19), skips Mon 27 May (Spring Bank Holiday) -> day 20 = Tue 28 May.
    ("gb-foia-2000", D(2024, 4, 26), False, D(2024, 5, 28)),
    # Received Sat 27 Apr 2024: the date of receipt may be a weekend; day 1 is still Mon 29
    # Apr, so the same Tue 28 May (no Spanish-style move of the receipt date).
    ("gb-foia-2000", D(2024, 4, 27), False, D(2024, 5, 28)),
    # Mon 16 Dec 2024: 17-20 (4), 23, 24 (6), skips 25-26 Dec, 27 (7), 30, 31 (9), skips
    # 1 Jan and Thu 2 Jan (a Scottish bank holiday, which counts under s. 10(6)), 3 Jan (10),
    # 6-10 (15), 13-17 (20) -> Fri 17 Jan 2025. An England-only count would say Thu 16 Jan.
    ("gb-foia-2000", D(2024, 12, 16), False, D(2025, 1, 17)),
    # Fri 22 Mar 2024: 25-28 Mar (4), skips Good Friday 29 Mar and Easter Monday 1 Apr, 2-5
    # Apr (8), 8-12 (13), 15-19 (18), 22, 23 -> day 20 = Tue 23 Apr.
    ("gb-foia-2000", D(2024, 3, 22), False, D(2024, 4, 23)),
    # Mon 1 Jul 2024: 2-5 (4), 8-11 (8), skips Fri 12 Jul (Battle of the Boyne, Northern
    # Ireland), 15-19 (13), 22-26 (18), 29, 30 -> day 20 = Tue 30 Jul.
    ("gb-foia-2000", D(2024, 7, 1), False, D(2024, 7, 30)),
    # Mon 29 Jul 2024: 30, 31 Jul, 1, 2 Aug (4), skips Mon 5 Aug (Scottish summer holiday),
    # 6-9 (8), 12-16 (13), 19-23 (18), skips Mon 26 Aug (English late summer holiday), 27, 28
    # -> day 20 = Wed 28 Aug.
    ("gb-foia-2000", D(2024, 7, 29), False, D(2024, 8, 28)),
    # Mon 25 Nov 2024: 26-29 Nov (4), skips Sat 30 Nov, Sun 1 Dec, Mon 2 Dec (St Andrew's Day
    # observed, Scotland, counts under s. 10(6)), 3-6 (8), 9-13 (13), 16-20 (18), 23, 24 ->
    # day 20 = Tue 24 Dec.
    ("gb-foia-2000", D(2024, 11, 25), False, D(2024, 12, 24)),
    # Public-interest extension, 20 + 20 working days from Fri 26 Apr 2024: after Tue 28 May
    # (20), 29-31 May (23), 3-7 Jun (28), 10-14 (33), 17-21 (38), 24, 25 -> Tue 25 Jun.
    ("gb-foia-2000", D(2024, 4, 26), True, D(2024, 6, 25)),
    # --- Scotland, FOISA 2002: 20 working days, Scottish bank holidays only ----------------
    # Fri 22 Mar 2024: 25-28 Mar (4), skips Good Friday; Easter Monday 1 Apr is NOT a
    # Scottish bank holiday and counts (5); 2-5 (9), 8-12 (14), 15-19 (19), 22 -> Mon 22 Apr,
    # a day earlier than FOIA.
    ("gb-sct-foisa-2002", D(2024, 3, 22), False, D(2024, 4, 22)),
    # Mon 25 Nov 2024: skips St Andrew's Day (Sat 30 Nov) and its observed Monday 2 Dec ->
    # Tue 24 Dec (same count as FOIA above).
    ("gb-sct-foisa-2002", D(2024, 11, 25), False, D(2024, 12, 24)),
    # Fri 20 Dec 2024: 23, 24 (2), skips 25-26, 27 (3), 30, 31 (5), skips 1 Jan and 2 Jan
    # (Scottish New Year Holiday), 3 (6), 6-10 (11), 13-17 (16), 20-23 -> Thu 23 Jan 2025.
    ("gb-sct-foisa-2002", D(2024, 12, 20), False, D(2025, 1, 23)),
    # Mon 29 Jul 2024: skips Mon 5 Aug (Scottish summer holiday) but not Mon 26 Aug (English
    # only): 30 Jul-2 Aug (4), 6-9 (8), 12-16 (13), 19-23 (18), 26, 27 -> Tue 27 Aug.
    ("gb-sct-foisa-2002", D(2024, 7, 29), False, D(2024, 8, 27)),
    # Mon 1 Jul 2024: Fri 12 Jul is a Northern Irish holiday only, so it counts here: 2-5,
    # 8-12 (9), 15-19 (14), 22-26 (19), 29 -> Mon 29 Jul, a day earlier than FOIA.
    ("gb-sct-foisa-2002", D(2024, 7, 1), False, D(2024, 7, 29)),
    # FOISA has no extension: 'extended' changes nothing -> Tue 24 Dec 2024 as above.
    ("gb-sct-foisa-2002", D(2024, 11, 25), True, D(2024, 12, 24)),
    # --- USA, FOIA: 20 working days, federal holidays ---------------------------------------
    # Fri 1 Nov 2024: 4-8 Nov (5), skips Mon 11 Nov (Veterans Day), 12-15 (9), 18-22 (14),
    # 25-27 (17), skips Thu 28 Nov (Thanksgiving), 29 (18), 2, 3 Dec -> Tue 3 Dec.
    ("us-foia", D(2024, 11, 1), False, D(2024, 12, 3)),
    # Unusual circumstances, 20 + 10 working days: 4-6 Dec (23), 9-13 (28), 16, 17 ->
    # Tue 17 Dec.
    ("us-foia", D(2024, 11, 1), True, D(2024, 12, 17)),
    # --- Germany, IFG: one month (BGB §§ 187-188, rollover § 193) ---------------------------
    # Fri 31 May 2024 + 1 month: June has no 31st -> Sun 30 Jun -> Mon 1 Jul.
    ("de-ifg", D(2024, 5, 31), False, D(2024, 7, 1)),
    # Tue 3 Sep 2024 + 1 month = Thu 3 Oct, Day of German Unity -> Fri 4 Oct.
    ("de-ifg", D(2024, 9, 3), False, D(2024, 10, 4)),
    # --- France, CRPA: silence for one month is a refusal -----------------------------------
    # Mon 15 Apr 2024 + 1 month = Wed 15 May.
    ("fr-crpa", D(2024, 4, 15), False, D(2024, 5, 15)),
    # Mon 8 Apr 2024 + 1 month = Wed 8 May (Victory Day). No rollover is applied to the birth
    # of an implicit refusal (unverified in the catalogue), so it stays Wed 8 May.
    ("fr-crpa", D(2024, 4, 8), False, D(2024, 5, 8)),
    # --- Serbia: 15 days, up to 40 days in total --------------------------------------------
    # Mon 1 Jul 2024 + 15 calendar days = Tue 16 Jul.
    ("rs-2004", D(2024, 7, 1), False, D(2024, 7, 16)),
    # Extended to 40 days from receipt: 1 Jul + 40 = Sat 10 Aug -> Sun 11 -> Mon 12 Aug.
    ("rs-2004", D(2024, 7, 1), True, D(2024, 8, 12)),
    # Tue 16 Apr 2024 + 15 = Wed 1 May, Labour Day; 2 May Labour Day; 3 May Good Friday;
    # 4 May Holy Saturday; 5 May Easter Sunday; 6 May Easter Monday (Orthodox) -> Tue 7 May.
    ("rs-2004", D(2024, 4, 16), False, D(2024, 5, 7)),
    # --- Uganda, ATI Act 2005: 21 days + 21 ---------------------------------------------------
    # Mon 1 Jul 2024 + 21 = Mon 22 Jul.
    ("ug-ati-2005", D(2024, 7, 1), False, D(2024, 7, 22)),
    # Mon 13 May 2024 + 21 = Mon 3 Jun, Uganda Martyrs' Day -> Tue 4 Jun.
    ("ug-ati-2005", D(2024, 5, 13), False, D(2024, 6, 4)),
    # Sat 1 Jun 2024 + 21 = Sat 22 Jun: only Sundays and public holidays are excluded days
    # under the Interpretation Act reading recorded (unverified), so it stays.
    ("ug-ati-2005", D(2024, 6, 1), False, D(2024, 6, 22)),
    # Extended: 1 Jul + 42 = Mon 12 Aug.
    ("ug-ati-2005", D(2024, 7, 1), True, D(2024, 8, 12)),
    # --- India, RTI Act: 30 days ---------------------------------------------------------------
    # Mon 1 Jul 2024 + 30 = Wed 31 Jul.
    ("in-rti-2005", D(2024, 7, 1), False, D(2024, 7, 31)),
    # Thu 1 Aug 2024 + 30 = Sat 31 Aug; no rollover is applied (unverified), so Sat 31 Aug.
    ("in-rti-2005", D(2024, 8, 1), False, D(2024, 8, 31)),
    # --- Brazil, LAI: 20 days + 10 -------------------------------------------------------------
    # Mon 1 Apr 2024 + 20 = Sun 21 Apr (also Tiradentes' Day) -> Mon 22 Apr.
    ("br-lai-2011", D(2024, 4, 1), False, D(2024, 4, 22)),
    # Extended: 1 Apr + 30 = Wed 1 May, Worker's Day -> Thu 2 May.
    ("br-lai-2011", D(2024, 4, 1), True, D(2024, 5, 2)),
    # --- South Africa, PAIA: 30 days + 30 ------------------------------------------------------
    # Mon 1 Jul 2024 + 30 = Wed 31 Jul.
    ("za-paia-2000", D(2024, 7, 1), False, D(2024, 7, 31)),
    # Wed 10 Jul 2024 + 30 = Fri 9 Aug, National Women's Day -> Sat 10 Aug, which is not an
    # excluded day under the Interpretation Act reading recorded (unverified).
    ("za-paia-2000", D(2024, 7, 10), False, D(2024, 8, 10)),
    # Sun 25 Aug 2024 + 30 = Tue 24 Sep, Heritage Day -> Wed 25 Sep.
    ("za-paia-2000", D(2024, 8, 25), False, D(2024, 9, 25)),
    # Extended once by 30 days: 1 Jul + 60 = Fri 30 Aug.
    ("za-paia-2000", D(2024, 7, 1), True, D(2024, 8, 30)),
    # --- Kenya, ATI Act 2016: 21 days + 14 -----------------------------------------------------
    # Mon 1 Jul 2024 + 21 = Mon 22 Jul.
    ("ke-ati-2016", D(2024, 7, 1), False, D(2024, 7, 22)),
    # Extended: 1 Jul + 35 = Mon 5 Aug.
    ("ke-ati-2016", D(2024, 7, 1), True, D(2024, 8, 5)),
    # Sun 29 Sep 2024 + 21 = Sun 20 Oct (Mashujaa Day) -> Mon 21 Oct (Mashujaa Day observed)
    # -> Tue 22 Oct.
    ("ke-ati-2016", D(2024, 9, 29), False, D(2024, 10, 22)),
]


@pytest.mark.parametrize(
    ("law_id", "received", "extended", "expected"),
    DUE_DATE_CASES,
    ids=[f"{case[0]}-{case[1]}{'-ext' if case[2] else ''}" for case in DUE_DATE_CASES],
)
def test_due_date(law_id, received, extended, expected):
    result = compute_due_date(get_law(law_id), received, extended=extended)
    assert result.due == expected
    assert result.binding
    assert result.steps[-1].code.startswith(("silence_", "unverified"))


# (law id, stops, received, expected due date)
STOP_CASES = [
    # Spain: received Mon 4 Mar 2024, nominal due Thu 4 Apr. Clarification asked Mon 11 Mar,
    # received Fri 15 Mar: 5 days (11-15, both included) are suspended -> Tue 9 Apr.
    (
        "es-19-2013",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 3, 11), D(2024, 3, 15))],
        D(2024, 3, 4),
        D(2024, 4, 9),
    ),
    # Madrid: received Mon 3 Jun 2024, clarification asked Wed 5 Jun, answered Mon 10 Jun.
    # Day 1 Tue 4 Jun; 5, 6, 7 and 10 Jun are paused; 11-14 (5), 17-21 (10), 24-28 (15),
    # 1-5 Jul -> day 20 = Fri 5 Jul.
    (
        "es-md-10-2019",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 6, 5), D(2024, 6, 10))],
        D(2024, 6, 3),
        D(2024, 7, 5),
    ),
    # FOIA s. 1(3): received Mon 8 Jan 2024, clarification asked Wed 10 Jan, received Mon 15
    # Jan: the 20 working days start again from 15 Jan: 16-19 (4), 22-26 (9), 29 Jan-2 Feb
    # (14), 5-9 (19), Mon 12 Feb (20).
    (
        "gb-foia-2000",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 1, 10), D(2024, 1, 15))],
        D(2024, 1, 8),
        D(2024, 2, 12),
    ),
    # FOIA s. 10(2): received Fri 1 Mar 2024, fees notice Tue 5 Mar, fee received Mon 11 Mar;
    # working days 5-8 and 11 Mar are disregarded. Counted: 4 Mar (1), 12-15 (5), skips Mon
    # 18 Mar (St Patrick's Day observed, NI), 19-22 (9), 25-28 (13), skips Good Friday and
    # Easter Monday, 2-5 Apr (17), 8, 9, 10 -> Wed 10 Apr.
    (
        "gb-foia-2000",
        [ClockStop(StopKind.FEES, D(2024, 3, 5), D(2024, 3, 11))],
        D(2024, 3, 1),
        D(2024, 4, 10),
    ),
    # US FOIA tolling: received Mon 1 Jul 2024, tolled from Wed 3 to Tue 9 Jul while the agency
    # awaited information. Counted: 2 Jul (1), [3, 5, 8, 9 tolled; 4 Jul is a holiday], 10-12
    # (4), 15-19 (9), 22-26 (14), 29 Jul-2 Aug (19), Mon 5 Aug (20).
    (
        "us-foia",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 7, 3), D(2024, 7, 9))],
        D(2024, 7, 1),
        D(2024, 8, 5),
    ),
    # Serbia: received Mon 1 Jul 2024, told to complete the request Wed 3 Jul, completed Mon 8
    # Jul; the 15 days run from the completed request (restart): 8 Jul + 15 = Tue 23 Jul.
    (
        "rs-2004",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 7, 3), D(2024, 7, 8))],
        D(2024, 7, 1),
        D(2024, 7, 23),
    ),
    # Spain: a clarification asked on Wed 10 Apr 2024, after the due date Thu 4 Apr, changes
    # nothing.
    (
        "es-19-2013",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 4, 10), D(2024, 4, 15))],
        D(2024, 3, 4),
        D(2024, 4, 4),
    ),
    # Germany: the IFG has no clock-stop rule, so a clarification stop is ignored:
    # Tue 3 Sep 2024 -> Fri 4 Oct, as without it.
    (
        "de-ifg",
        [ClockStop(StopKind.CLARIFICATION, D(2024, 9, 5), D(2024, 9, 10))],
        D(2024, 9, 3),
        D(2024, 10, 4),
    ),
]


@pytest.mark.parametrize(
    ("law_id", "stops", "received", "expected"),
    STOP_CASES,
    ids=[f"{case[0]}-{case[2]}-{case[1][0].kind}" for case in STOP_CASES],
)
def test_due_date_with_clock_stops(law_id, stops, received, expected):
    assert compute_due_date(get_law(law_id), received, stops=stops).due == expected


# (law id, trigger event, trigger date, stage id, expected last day)
APPEAL_CASES = [
    # CTBG claim, one month from the day after notification (art. 24.2): notified Fri 31 May
    # 2024 -> no 31 June -> Sun 30 Jun -> Mon 1 Jul.
    ("es-19-2013", AppealTrigger.DECISION, D(2024, 5, 31), "ctbg-claim", D(2024, 7, 1)),
    # Notified Thu 29 Feb 2024 -> Fri 29 Mar (Viernes Santo) -> Mon 1 Apr.
    ("es-19-2013", AppealTrigger.DECISION, D(2024, 2, 29), "ctbg-claim", D(2024, 4, 1)),
    # Same notification in Catalonia: 29 Mar, 30, 31, Mon 1 Apr (Dilluns de Pasqua) -> Tue 2.
    ("es-ct-19-2014", AppealTrigger.DECISION, D(2024, 2, 29), "gaip-claim", D(2024, 4, 2)),
    # Madrid, deemed refusal on Tue 28 May 2024 (the Rivas case: day 20 passed unanswered):
    # one month -> Fri 28 Jun (the safe target; claims are accepted later too).
    (
        "es-md-10-2019",
        AppealTrigger.SILENCE,
        D(2024, 5, 28),
        "madrid-council-claim-silence",
        D(2024, 6, 28),
    ),
    # France: CADA referral two months after a refusal notified Tue 14 May 2024 -> Sun 14 Jul
    # (also Bastille Day) -> Mon 15 Jul.
    ("fr-crpa", AppealTrigger.DECISION, D(2024, 5, 14), "cada-referral", D(2024, 7, 15)),
    # Serbia: complaint 15 days after delivery on Fri 5 Jul 2024 -> Sat 20 Jul -> Mon 22 Jul.
    (
        "rs-2004",
        AppealTrigger.DECISION,
        D(2024, 7, 5),
        "commissioner-complaint",
        D(2024, 7, 22),
    ),
    # FOIA internal review, 40 working days from a response on Fri 1 Nov 2024: 4 Nov-29 Nov
    # (20), skips 2 Dec (St Andrew's Day observed), 3-6 (24), 9-13 (29), 16-20 (34), 23, 24
    # (36), skips 25-26, 27 (37), 30, 31 (39), skips 1-2 Jan -> Fri 3 Jan 2025.
    ("gb-foia-2000", AppealTrigger.DECISION, D(2024, 11, 1), "internal-review", D(2025, 1, 3)),
    # Tribunal appeal, 28 days after the decision notice was sent Mon 29 Jul 2024 (GRC Rules
    # 2009 r. 22(1)(b)) -> Mon 26 Aug (late summer bank holiday). Whether it moves was not
    # found, so the safe reading keeps Mon 26 Aug (with a warning).
    (
        "gb-foia-2000",
        AppealTrigger.COMMISSIONER_DECISION,
        D(2024, 7, 29),
        "tribunal-appeal",
        D(2024, 8, 26),
    ),
    # FOISA requirement for review, 40 working days after the deadline Tue 24 Dec 2024 passed:
    # skips 25-26 Dec, 27 (1), 30, 31 (3), skips 1-2 Jan, 3 (4), then 5 working days a week:
    # 6-10 Jan (9), 13-17 (14), 20-24 (19), 27-31 (24), 3-7 Feb (29), 10-14 (34), 17-21 (39),
    # Mon 24 Feb 2025 (40).
    (
        "gb-sct-foisa-2002",
        AppealTrigger.SILENCE,
        D(2024, 12, 24),
        "requirement-for-review-silence",
        D(2025, 2, 24),
    ),
    # Scottish Commissioner, six months after a review decision of Fri 31 May 2024: no 31
    # November -> Sat 30 Nov 2024; no rollover for this stage (safe reading).
    (
        "gb-sct-foisa-2002",
        AppealTrigger.REVIEW_DECISION,
        D(2024, 5, 31),
        "commissioner-application",
        D(2024, 11, 30),
    ),
    # Germany: Widerspruch one month after notification on Tue 30 Jan 2024 -> no 30 February
    # -> Thu 29 Feb 2024 (leap year).
    ("de-ifg", AppealTrigger.DECISION, D(2024, 1, 30), "widerspruch", D(2024, 2, 29)),
    # USA: at least 90 days after an adverse determination of Fri 1 Nov 2024: 29 days to 30
    # Nov, 31 to 31 Dec (60), 30 more -> Thu 30 Jan 2025.
    (
        "us-foia",
        AppealTrigger.DECISION,
        D(2024, 11, 1),
        "administrative-appeal",
        D(2025, 1, 30),
    ),
    # India: first appeal 30 days after the deadline Wed 31 Jul 2024 passed -> Fri 30 Aug.
    ("in-rti-2005", AppealTrigger.SILENCE, D(2024, 7, 31), "first-appeal-silence", D(2024, 8, 30)),
    # India: second appeal 90 days after the first-appeal decision of Fri 30 Aug 2024: 1 to
    # 31 Aug, 31 to 30 Sep, 62 to 31 Oct, 90 -> Thu 28 Nov.
    (
        "in-rti-2005",
        AppealTrigger.REVIEW_DECISION,
        D(2024, 8, 30),
        "second-appeal",
        D(2024, 11, 28),
    ),
    # Brazil: appeal 10 days after notice on Tue 5 Nov 2024 -> Fri 15 Nov (Republic
    # Proclamation Day) -> Sat 16, Sun 17 -> Mon 18 Nov.
    ("br-lai-2011", AppealTrigger.DECISION, D(2024, 11, 5), "appeal", D(2024, 11, 18)),
    # Kenya: review 30 days after notice on Fri 1 Nov 2024 -> Sun 1 Dec; no rollover for the
    # requester's step (safe reading) -> Sun 1 Dec.
    ("ke-ati-2016", AppealTrigger.DECISION, D(2024, 11, 1), "caj-review", D(2024, 12, 1)),
]


@pytest.mark.parametrize(
    ("law_id", "event", "trigger", "stage_id", "expected"),
    APPEAL_CASES,
    ids=[f"{case[0]}-{case[3]}-{case[2]}" for case in APPEAL_CASES],
)
def test_appeal_deadline(law_id, event, trigger, stage_id, expected):
    deadlines = compute_appeal_deadlines(get_law(law_id), trigger, event=event)
    by_stage = {deadline.stage.id: deadline for deadline in deadlines}
    assert by_stage[stage_id].due == expected
    assert all(deadline.stage.counted_from == event for deadline in deadlines)


def test_myanmar_has_no_binding_deadline_only_an_advisory_date():
    # No FOI law: no due date. The advisory follow-up is 30 days after Mon 1 Feb 2021:
    # February 2021 has 28 days, so 27 days to 28 Feb, 3 more -> Wed 3 Mar 2021.
    result = compute_due_date(get_law("mm-none"), D(2021, 2, 1))
    assert result.due is None
    assert not result.binding
    assert result.advisory_date == D(2021, 3, 3)
    text = result.text()
    assert "no freedom-of-information law" in text
    assert "no deadline is legally binding" in text
    assert "advisory only" in text
    assert compute_appeal_deadlines(get_law("mm-none"), D(2021, 3, 3)) == []


def test_myanmar_ignores_extension_and_stops():
    stops = [ClockStop(StopKind.FEES, D(2021, 2, 2), D(2021, 2, 5))]
    result = compute_due_date(get_law("mm-none"), D(2021, 2, 1), stops=stops, extended=True)
    assert result.due is None
    assert result.advisory_date == D(2021, 3, 3)


def test_clock_still_stopped_gives_no_due_date():
    # FOIA fees notice sent Tue 5 Mar 2024 and not yet paid: no due date while it is unpaid.
    stops = [ClockStop(StopKind.FEES, D(2024, 3, 5))]
    result = compute_due_date(get_law("gb-foia-2000"), D(2024, 3, 1), stops=stops)
    assert result.due is None
    assert not result.clock_running
    assert "stopped since Tuesday 5 March 2024" in result.text()
    assert "a fee to be paid" in result.text()


def test_clock_stop_before_the_request_is_rejected():
    stops = [ClockStop(StopKind.FEES, D(2024, 2, 28), D(2024, 3, 5))]
    with pytest.raises(ValueError, match="before the request"):
        compute_due_date(get_law("gb-foia-2000"), D(2024, 3, 1), stops=stops)


def test_clock_stop_ending_before_it_starts_is_rejected():
    stops = [ClockStop(StopKind.FEES, D(2024, 3, 5), D(2024, 3, 4))]
    with pytest.raises(ValueError, match="before it starts"):
        compute_due_date(get_law("gb-foia-2000"), D(2024, 3, 1), stops=stops)


def test_stops_the_law_does_not_know_are_explained_and_ignored():
    stops = [ClockStop(StopKind.CLARIFICATION, D(2024, 9, 5), D(2024, 9, 10))]
    text = compute_due_date(get_law("de-ifg"), D(2024, 9, 3), stops=stops).text()
    assert "does not stop the clock" in text


# --- explanations -------------------------------------------------------------------------


def test_madrid_explanation_names_every_skipped_day_and_why():
    text = compute_due_date(get_law("es-md-10-2019"), D(2024, 4, 26)).text()
    assert "Saturday 27 April 2024 skipped: weekend (Saturday)." in text
    assert "Sunday 28 April 2024 skipped: weekend (Sunday)." in text
    assert "Wednesday 1 May 2024 skipped: holiday: Fiesta del Trabajo." in text
    assert "Thursday 2 May 2024 skipped: holiday: Fiesta de la Comunidad de Madrid." in text
    assert "20 working days after Friday 26 April 2024 is Tuesday 28 May 2024." in text
    assert "Due date: Tuesday 28 May 2024." in text
    assert "counts as refused" in text


def test_national_spain_does_not_skip_the_madrid_holiday():
    text = compute_due_date(get_law("es-19-2013"), D(2024, 4, 2)).text()
    assert "Comunidad de Madrid" not in text
    assert "Due date: Thursday 2 May 2024." in text


def test_catalan_explanation_names_the_regional_holiday_and_the_rollover():
    text = compute_due_date(get_law("es-ct-19-2014"), D(2024, 5, 24)).text()
    assert "Monday 24 June 2024 skipped: holiday: Sant Joan." in text
    assert "Monday 24 June 2024 is not a working day, so the deadline moves to Tuesday" in text
    assert "counts as granted" in text


def test_rollover_over_good_friday_and_easter_monday_lists_each_day():
    text = compute_due_date(get_law("es-ct-19-2014"), D(2024, 2, 29)).text()
    assert "Friday 29 March 2024 skipped: holiday: Divendres Sant." in text
    assert "Saturday 30 March 2024 skipped: weekend (Saturday)." in text
    assert "Sunday 31 March 2024 skipped: weekend (Sunday)." in text
    assert "Monday 1 April 2024 skipped: holiday: Dilluns de Pasqua." in text
    assert "moves to Tuesday 2 April 2024" in text


def test_saturday_holiday_is_named_as_both():
    text = compute_due_date(get_law("es-19-2013"), D(2024, 9, 12)).text()
    assert (
        "Saturday 12 October 2024 skipped: weekend (Saturday), also holiday: "
        "Fiesta Nacional de España." in text
    )


def test_month_end_clamping_is_explained():
    text = compute_due_date(get_law("es-19-2013"), D(2024, 1, 31)).text()
    assert "1 month after Wednesday 31 January 2024 is Thursday 29 February 2024." in text
    assert "February 2024 has no day 31" in text


def test_spanish_weekend_filing_is_explained():
    text = compute_due_date(get_law("es-19-2013"), D(2024, 1, 6)).text()
    assert "Saturday 6 January 2024 skipped: weekend (Saturday), also holiday: " in text
    assert "counts as received on the next working day, Monday 8 January 2024" in text


def test_foia_names_scottish_holiday_with_its_region():
    text = compute_due_date(get_law("gb-foia-2000"), D(2024, 12, 16)).text()
    assert "Thursday 2 January 2025 skipped: holiday: New Year Holiday (GB-SCT)." in text


def test_foisa_counts_easter_monday_but_foia_skips_it():
    foisa = compute_due_date(get_law("gb-sct-foisa-2002"), D(2024, 3, 22)).text()
    foia = compute_due_date(get_law("gb-foia-2000"), D(2024, 3, 22)).text()
    assert "Easter Monday" not in foisa
    assert "Monday 1 April 2024 skipped: holiday: Easter Monday" in foia
    assert "Good Friday" in foisa


def test_foisa_skips_st_andrews_day():
    text = compute_due_date(get_law("gb-sct-foisa-2002"), D(2024, 11, 25)).text()
    assert "Saturday 30 November 2024 skipped: weekend (Saturday), also holiday: Saint Andrew" in (
        text
    )
    assert "Monday 2 December 2024 skipped: holiday: Saint Andrew's Day (observed)." in text


def test_extension_and_pause_are_explained():
    law = get_law("gb-foia-2000")
    extended = compute_due_date(law, D(2024, 4, 26), extended=True).text()
    assert "Extension (FOIA 2000 s. 10(3)): 20 working days more." in extended
    assert "40 working days after Friday 26 April 2024 is Tuesday 25 June 2024." in extended
    assert "Not verified (extension): The Act allows extra time" in extended
    stops = [ClockStop(StopKind.FEES, D(2024, 3, 5), D(2024, 3, 11))]
    paused = compute_due_date(law, D(2024, 3, 1), stops=stops).text()
    assert (
        "The clock stopped on Tuesday 5 March 2024 while waiting for a fee to be paid and "
        "resumed after Monday 11 March 2024: 5 working days not counted." in paused
    )
    assert "leaving out the paused days, is Wednesday 10 April 2024" in paused


def test_restart_is_explained():
    stops = [ClockStop(StopKind.CLARIFICATION, D(2024, 1, 10), D(2024, 1, 15))]
    text = compute_due_date(get_law("gb-foia-2000"), D(2024, 1, 8), stops=stops).text()
    assert "started again from zero when it arrived on Monday 15 January 2024" in text
    assert "20 working days after Monday 15 January 2024 is Monday 12 February 2024." in text


def test_month_pause_is_explained():
    stops = [ClockStop(StopKind.CLARIFICATION, D(2024, 3, 11), D(2024, 3, 15))]
    text = compute_due_date(get_law("es-19-2013"), D(2024, 3, 4), stops=stops).text()
    assert "5 calendar days not counted" in text
    assert "Adding the paused days (5 calendar days), the period ends on Tuesday 9 April 2024." in (
        text
    )
    # Only the note of the stop used is shown: the third-party stop's note is not.
    assert "third parties' comments arrive" not in text


def test_extension_the_law_lacks_is_explained():
    text = compute_due_date(get_law("gb-sct-foisa-2002"), D(2024, 11, 25), extended=True).text()
    assert "provides no extension" in text


def test_no_rollover_is_explained_once_with_a_warning():
    # CRPA R311-13: the implicit refusal arises on Wed 8 May 2024, Victory Day. The explanation
    # says once that the law does not move it, warns that the day is not a working day, and
    # never calls the day "skipped" (which would contradict the due date).
    text = compute_due_date(get_law("fr-crpa"), D(2024, 4, 8)).text()
    assert text.count("does not move the deadline") == 1
    assert (
        "Warning: the last day, Wednesday 8 May 2024, is a holiday (Victory Day) and not a "
        "working day, but this law does not move the deadline to the next working day." in text
    )
    assert "skipped" not in text
    assert "Due date: Wednesday 8 May 2024." in text
    assert "Not verified (moving a deadline past non-working days)" in text


def test_no_rollover_on_a_weekend_is_explained_once():
    # India, RTI Act s. 7(1): Thu 1 Aug 2024 + 30 days = Sat 31 Aug 2024; the PIO's deadline
    # does not move (General Clauses Act s. 10 not applied to it).
    text = compute_due_date(get_law("in-rti-2005"), D(2024, 8, 1)).text()
    assert text.count("does not move the deadline") == 1
    assert "Warning: the last day, Saturday 31 August 2024, falls on a weekend (Saturday)" in text
    assert "skipped" not in text


def test_appeal_explanations_say_what_they_count_from():
    (deadline,) = compute_appeal_deadlines(
        get_law("es-md-10-2019"), D(2024, 5, 28), event=AppealTrigger.SILENCE
    )
    text = deadline.text()
    assert "Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid" in text
    assert "Counted from Tuesday 28 May 2024, when the deadline for an answer passed." in text
    assert "Last day to act: Friday 28 June 2024." in text
    assert "also accepted after that date" in text
    assert deadline.any_time
    assert "Not verified (appeal time limit)" in text
    assert "madrid-council" not in text  # internal ids never reach the reader


def test_appeal_stage_without_time_limit():
    (deadline,) = compute_appeal_deadlines(
        get_law("rs-2004"), D(2024, 7, 16), event=AppealTrigger.SILENCE
    )
    assert deadline.due is None
    assert "act promptly" in deadline.text()


def test_every_calendar_day_is_either_counted_or_named_as_skipped():
    # For working-day laws without stops: the days between receipt and the due date are the
    # counted working days plus one named 'skipped' step for each other day.
    for law_id in ("es-md-10-2019", "gb-foia-2000", "gb-sct-foisa-2002", "us-foia"):
        law = get_law(law_id)
        for offset in range(0, 366, 11):
            received = D(2024, 1, 1) + timedelta(days=offset)
            result = compute_due_date(law, received)
            skipped = [step for step in result.steps if step.code.startswith("skipped_")]
            assert len({step.day for step in skipped}) == len(skipped)
            days_between = (result.due - received).days
            assert days_between == law.period.amount + len(skipped), (law_id, received)
            for step in skipped:
                assert not is_working_day(law.calendar, step.day)


def test_every_step_renders_from_the_phrase_table():
    # All English wording comes from PHRASES; no placeholder is left unfilled.
    def stop_sets(received):
        later = received + timedelta(days=3)
        return (
            (),
            (ClockStop(StopKind.CLARIFICATION, later, later + timedelta(days=4)),),
            (ClockStop(StopKind.FEES, later, later + timedelta(days=2)),),
            (ClockStop(StopKind.THIRD_PARTY, later, later + timedelta(days=15)),),
            (ClockStop(StopKind.FEES, later),),
            (ClockStop(StopKind.CLARIFICATION, received + timedelta(days=200), None),),
        )

    for law in all_laws():
        for received in (D(2024, 3, 4), D(2024, 12, 21), D(2025, 8, 9)):
            for stops in stop_sets(received):
                for extended in (False, True):
                    result = compute_due_date(law, received, stops=stops, extended=extended)
                    for step in result.steps:
                        assert step.code in PHRASES
                        line = describe(step)
                        assert "{" not in line
                        assert line.strip()
            for deadline in compute_appeal_deadlines(law, received):
                assert "{" not in deadline.text()


def test_describe_and_render():
    step = Step("skipped_holiday", day=D(2024, 5, 2), name="Fiesta de la Comunidad de Madrid")
    assert describe(step) == (
        "Thursday 2 May 2024 skipped: holiday: Fiesta de la Comunidad de Madrid."
    )
    assert render([step, Step("due", day=D(2024, 5, 28))]).splitlines() == [
        "Thursday 2 May 2024 skipped: holiday: Fiesta de la Comunidad de Madrid.",
        "Due date: Tuesday 28 May 2024.",
    ]


def test_units_agree_in_number():
    step = Step("period_end", day=D(2024, 2, 29), other=D(2024, 1, 31), count=1, unit=Unit.MONTHS)
    assert describe(step).startswith("1 month after")
    assert amount_text(1, Unit.WORKING_DAYS) == "1 working day"
    assert amount_text(2, Unit.WORKING_DAYS) == "2 working days"
    assert amount_text(21, Unit.CALENDAR_DAYS) == "21 calendar days"
    assert amount_text(1, Unit.CALENDAR_DAYS) == "1 calendar day"
    assert amount_text(6, Unit.WEEKS) == "6 weeks"
    assert amount_text(1, Unit.WEEKS) == "1 week"
    assert amount_text(2, Unit.MONTHS) == "2 months"


# --- the catalogue ------------------------------------------------------------------------

EXPECTED_IDS = {
    "es-19-2013",
    "es-md-10-2019",
    "es-ct-19-2014",
    "fr-crpa",
    "rs-2004",
    "ug-ati-2005",
    "gb-foia-2000",
    "gb-sct-foisa-2002",
    "de-ifg",
    "us-foia",
    "in-rti-2005",
    "br-lai-2011",
    "za-paia-2000",
    "ke-ati-2016",
    "mm-none",
}


def test_catalogue_holds_the_shipped_laws():
    assert {law.id for law in all_laws()} == EXPECTED_IDS
    assert len(all_laws()) == len(EXPECTED_IDS)


def test_get_law_unknown_id():
    with pytest.raises(KeyError, match="unknown FOI law 'xx'"):
        get_law("xx")


def test_jurisdictions():
    assert get_law("es-md-10-2019").jurisdiction == "ES-MD"
    assert get_law("es-ct-19-2014").jurisdiction == "ES-CT"
    assert get_law("gb-sct-foisa-2002").jurisdiction == "GB-SCT"
    assert get_law("es-19-2013").jurisdiction == "ES"


def test_silence_effects():
    assert get_law("es-19-2013").silence == SilenceEffect.DEEMED_REFUSED
    assert get_law("es-md-10-2019").silence == SilenceEffect.DEEMED_REFUSED
    assert get_law("es-ct-19-2014").silence == SilenceEffect.DEEMED_GRANTED
    assert get_law("fr-crpa").silence == SilenceEffect.DEEMED_REFUSED
    assert get_law("gb-foia-2000").silence == SilenceEffect.NOTHING


def test_verified_flag_follows_the_figures():
    for law in all_laws():
        unverified = [figure for figure in law.figures() if not figure.basis.verified]
        assert law.verified == (not unverified), law.id
        for figure in unverified:
            assert str(figure.basis.note).strip(), (law.id, figure.key)
    # The Catalan extension (half the initial period) could not be settled: the law says so.
    assert not get_law("es-ct-19-2014").verified
    assert any(note.topic == "extension" for note in get_law("es-ct-19-2014").unverified_notes())
    # FOISA's figures are all confirmed against their sources.
    assert get_law("gb-sct-foisa-2002").verified


def test_every_law_has_a_usable_holiday_calendar():
    for law in all_laws():
        assert is_working_day(law.calendar, D(2024, 7, 3)) in (True, False)
        assert law.country == law.calendar.country


def test_appeal_stage_ids_are_unique_per_law():
    for law in all_laws():
        ids = [stage.id for stage in law.appeals]
        assert len(ids) == len(set(ids)), law.id


def test_only_myanmar_lacks_a_law():
    assert [law.id for law in all_laws() if not law.has_law] == ["mm-none"]


# --- the user documentation ----------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "foi-deadlines.md"


def test_documentation_covers_every_law():
    text = DOC.read_text(encoding="utf-8")
    for law in all_laws():
        assert f"`{law.id}`" in text, law.id


def test_documentation_example_runs():
    text = DOC.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, str(DOC), "exec"), {"print": lambda *args: None})  # noqa: S102


# --- corrected figures (checked against their sources, November 2026) -------------------


def _stage(law_id: str, trigger: date, event: AppealTrigger, stage_id: str):
    deadlines = compute_appeal_deadlines(get_law(law_id), trigger, event=event)
    return {deadline.stage.id: deadline for deadline in deadlines}[stage_id]


def test_ctbg_claim_against_a_deemed_refusal_has_no_time_limit():
    # Ley 19/2013 art. 24.2 as applied by the CTBG, STC 52/2014: a claim against silence may
    # be made at any time. Received Mon 11 Aug 2025 + 1 month = Thu 11 Sep 2025 (a working
    # day nationally): the request counts as refused then, and the claim has no last day.
    law = get_law("es-19-2013")
    assert compute_due_date(law, D(2025, 8, 11)).due == D(2025, 9, 11)
    claim = _stage("es-19-2013", D(2025, 9, 11), AppealTrigger.SILENCE, "ctbg-claim-silence")
    assert claim.due is None
    text = claim.text()
    assert "There is no time limit for this step." in text
    assert "STC 52/2014" in text
    assert "act promptly" not in text  # a confirmed absence, not a limit nobody found
    assert "Not verified" not in text


def test_ctbg_claim_against_an_express_decision_keeps_its_month():
    # Ley 19/2013 art. 24.2: one month from the day after notification. Notified Fri 31 Oct
    # 2025 -> no 31 November -> Sun 30 Nov 2025 -> Mon 1 Dec 2025 (Ley 39/2015 art. 30.5).
    claim = _stage("es-19-2013", D(2025, 10, 31), AppealTrigger.DECISION, "ctbg-claim")
    assert claim.due == D(2025, 12, 1)
    assert "(Ley 19/2013 art. 24.2)" in claim.text()


def test_madrid_claim_goes_to_the_new_council_and_its_limit_stays_uncertain():
    # Ley 10/2019 as amended in December 2023: the Consejo de Transparencia y Protección de
    # Datos. Deemed refusal on Thu 29 May 2025 + 1 month = Sun 29 Jun 2025 -> Mon 30 Jun 2025,
    # the safe target; the council may accept later claims (marked not verified).
    claim = _stage(
        "es-md-10-2019", D(2025, 5, 29), AppealTrigger.SILENCE, "madrid-council-claim-silence"
    )
    assert claim.due == D(2025, 6, 30)
    text = claim.text()
    assert "Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid" in text
    assert "Participación" not in text.split("\n")[0]
    assert "Not verified (appeal time limit)" in text
    assert "also accepted after that date" in text


def test_ico_complaint_is_six_weeks_and_explained_as_guidance():
    # ICO complaint guidance (FOIA s. 50(2)(b)): within six weeks of the final response.
    # Review outcome Fri 9 May 2025 + 42 days = Fri 20 Jun 2025. Advice, not a statutory limit.
    complaint = _stage(
        "gb-foia-2000", D(2025, 5, 9), AppealTrigger.REVIEW_DECISION, "ico-complaint"
    )
    assert complaint.due == D(2025, 6, 20)
    assert complaint.stage.advisory
    text = complaint.text()
    assert "6 weeks after Friday 9 May 2025 is Friday 20 June 2025." in text
    assert "This time limit is the body's guidance, not a rule of law" in text
    assert "The six weeks run from the authority's final response" in text


def test_catalan_extension_is_half_the_initial_period():
    # Llei 19/2014 art. 33.2: up to half the initial period. Received Fri 31 Jan 2025: the
    # month ends Fri 28 Feb 2025 (clamped), 28 days; half is 14 days -> Fri 14 Mar 2025.
    # Reading it as "15 days" would give Sat 15 Mar -> Mon 17 Mar.
    result = compute_due_date(get_law("es-ct-19-2014"), D(2025, 1, 31), extended=True)
    assert result.due == D(2025, 3, 14)
    assert "half the initial period of 28 days, rounded up: 14 calendar days more" in result.text()
    # A 31-day initial period: received Fri 10 Jan 2025, month ends Mon 10 Feb (31 days), half
    # rounded up is 16 days -> Wed 26 Feb 2025.
    assert compute_due_date(get_law("es-ct-19-2014"), D(2025, 1, 10), extended=True).due == (
        D(2025, 2, 26)
    )


def test_uganda_moves_only_a_last_day_on_a_sunday_or_holiday():
    # Interpretation Act (Cap. 2, 2023 revised edition) s. 34. Received Thu 18 Sep 2025 + 21 =
    # Thu 9 Oct 2025, Independence Day -> Fri 10 Oct 2025.
    result = compute_due_date(get_law("ug-ati-2005"), D(2025, 9, 18))
    assert result.due == D(2025, 10, 10)
    assert "(Interpretation Act (Cap. 2) s. 34)" in result.text()
    # Received Sat 6 Sep 2025 + 21 = Sat 27 Sep 2025: Saturdays are not excluded, it stays.
    assert compute_due_date(get_law("ug-ati-2005"), D(2025, 9, 6)).due == D(2025, 9, 27)


def test_serbia_rolls_over_under_zup_article_80():
    # ZUP čl. 80: a period ending on a day the authority does not work ends on its next
    # working day. Received Thu 3 Apr 2025 + 15 = Fri 18 Apr 2025 (Orthodox Good Friday);
    # Sat 19, Easter Sunday 20, Easter Monday 21 -> Tue 22 Apr 2025.
    result = compute_due_date(get_law("rs-2004"), D(2025, 4, 3))
    assert result.due == D(2025, 4, 22)
    assert "(ZUP čl. 80 (Sl. glasnik RS 18/2016, 95/2018))" in result.text()


def test_court_of_session_appeal_runs_42_days_from_intimation():
    # FOISA s. 56 sets no period, so RCS 41.20(1)(b): 42 days after intimation. Intimated Thu
    # 20 Nov 2025 + 42 = Thu 1 Jan 2026, New Year's Day, not moved (the safe reading).
    appeal = _stage(
        "gb-sct-foisa-2002",
        D(2025, 11, 20),
        AppealTrigger.COMMISSIONER_DECISION,
        "court-of-session-appeal",
    )
    assert appeal.due == D(2026, 1, 1)
    text = appeal.text()
    assert "RCS 41.20(1)(b)" in text
    assert "intimated (formally notified) to you" in text
    assert "Warning: the last day, Thursday 1 January 2026, is a holiday" in text


def test_brazil_cgu_is_the_third_instance():
    # LAI arts. 15-16, Decreto 7.724/2012: two appeals inside the body, then the CGU. The
    # second-instance decision notified Tue 5 Nov 2024 + 10 = Fri 15 Nov 2024 (Republic
    # Proclamation Day) -> Sat, Sun -> Mon 18 Nov 2024 (Lei 9.784/1999 art. 66).
    law = get_law("br-lai-2011")
    order = [stage.id for stage in law.appeals if stage.counted_from != AppealTrigger.SILENCE]
    assert order == ["appeal", "second-appeal", "cgu-appeal"]
    assert law.stage("cgu-appeal").counted_from == AppealTrigger.SECOND_REVIEW_DECISION
    cgu = _stage("br-lai-2011", D(2024, 11, 5), AppealTrigger.SECOND_REVIEW_DECISION, "cgu-appeal")
    assert cgu.due == D(2024, 11, 18)
    assert "the decision on the second appeal was notified" in cgu.text()


def test_brazil_complaint_after_no_answer():
    # Decreto 7.724/2012 art. 22: 10 days once the period has passed. Request Tue 1 Apr 2025 +
    # 20 = Mon 21 Apr (Tiradentes) -> Tue 22 Apr 2025; + 10 = Fri 2 May 2025 (1 May is inside
    # the period and changes nothing).
    assert compute_due_date(get_law("br-lai-2011"), D(2025, 4, 1)).due == D(2025, 4, 22)
    complaint = _stage("br-lai-2011", D(2025, 4, 22), AppealTrigger.SILENCE, "reclamacao-silence")
    assert complaint.due == D(2025, 5, 2)


def test_india_first_appeal_moves_past_a_closed_office():
    # RTI Act s. 19(1) with General Clauses Act 1897 s. 10: decision received Tue 2 Sep 2025 +
    # 30 = Thu 2 Oct 2025 (Gandhi Jayanti) -> Fri 3 Oct 2025.
    appeal = _stage("in-rti-2005", D(2025, 9, 2), AppealTrigger.DECISION, "first-appeal")
    assert appeal.due == D(2025, 10, 3)


def test_south_africa_counts_saturdays_under_section_4():
    # Interpretation Act 33 of 1957 s. 4: received Thu 3 Apr 2025 + 30 = Sat 3 May 2025, which
    # stays; received Wed 19 Feb 2025 + 30 = Fri 21 Mar (Human Rights Day) -> Sat 22 Mar 2025.
    assert compute_due_date(get_law("za-paia-2000"), D(2025, 4, 3)).due == D(2025, 5, 3)
    assert compute_due_date(get_law("za-paia-2000"), D(2025, 2, 19)).due == D(2025, 3, 22)


# --- the authority's seat ------------------------------------------------------------------

BERLIN = Seat(country="DE", subdivision="DE-BE", municipality="Berlin")
BONN = Seat(country="DE", subdivision="DE-NW", municipality="Bonn")


def test_ifg_month_ending_on_8_march_moves_in_berlin_not_in_bonn():
    # IFG § 7(5), BGB § 193: received Thu 8 Feb 2024 + 1 month = Fri 8 Mar 2024. International
    # Women's Day is a statutory holiday in Berlin: Sat 9, Sun 10 -> Mon 11 Mar 2024. In Bonn
    # (North Rhine-Westphalia) it is a working day, so Fri 8 Mar 2024.
    law = get_law("de-ifg")
    berlin = compute_due_date(law, D(2024, 2, 8), seat=BERLIN)
    bonn = compute_due_date(law, D(2024, 2, 8), seat=BONN)
    assert berlin.due == D(2024, 3, 11)
    assert bonn.due == D(2024, 3, 8)
    assert "The authority sits in Berlin (DE-BE): holidays there are non-working days." in (
        berlin.text()
    )
    assert "Friday 8 March 2024 skipped: holiday: Women's Day." in berlin.text()
    assert "Women's Day" not in bonn.text()
    # Without a seat only nationwide holidays count, and the explanation says so.
    unseated = compute_due_date(law, D(2024, 2, 8))
    assert unseated.due == D(2024, 3, 8)
    assert "its seat is not known, so only national holidays are counted" in unseated.text()


def test_corpus_christi_moves_the_ifg_month_in_bonn_not_in_berlin():
    # Received Mon 19 May 2025 + 1 month = Thu 19 Jun 2025, Corpus Christi: a holiday in North
    # Rhine-Westphalia (Bonn -> Fri 20 Jun 2025), not in Berlin (stays Thu 19 Jun 2025).
    law = get_law("de-ifg")
    assert compute_due_date(law, D(2025, 5, 19), seat=BONN).due == D(2025, 6, 20)
    assert compute_due_date(law, D(2025, 5, 19), seat=BERLIN).due == D(2025, 6, 19)


def test_spanish_regional_holiday_at_the_authoritys_seat():
    # Ley 39/2015 art. 30.6: a State office in Barcelona. Received Mon 11 Aug 2025 + 1 month =
    # Thu 11 Sep 2025, the Diada (Catalonia) -> Fri 12 Sep 2025. Nationally it stays Thu 11 Sep.
    law = get_law("es-19-2013")
    barcelona = Seat(country="ES", subdivision="ES-CT", municipality="Barcelona")
    result = compute_due_date(law, D(2025, 8, 11), seat=barcelona)
    assert result.due == D(2025, 9, 12)
    assert "The authority sits in Barcelona (ES-CT)" in result.text()
    assert compute_due_date(law, D(2025, 8, 11)).due == D(2025, 9, 11)


def test_municipal_holiday_entered_by_staff_moves_a_working_day_count():
    # Ley 39/2015 art. 30.7; Ley 10/2019: 20 working days. Received Mon 28 Apr 2025 by a body in
    # Madrid city. Day 1 Tue 29 Apr; skips Thu 1 May (national), Fri 2 May (Comunidad de
    # Madrid), weekends, and Thu 15 May (San Isidro, Madrid's local holiday entered by staff):
    # 29, 30 Apr (2), 5-9 May (7), 12-14 (10), 16 (11), 19-23 (16), 26-29 May -> Thu 29 May
    # 2025. Without the local holiday: Wed 28 May.
    law = get_law("es-md-10-2019")
    madrid = Seat(
        country="ES",
        subdivision="ES-MD",
        municipality="Madrid",
        local_holidays=((D(2025, 5, 15), "San Isidro Labrador"),),
        local_years=frozenset({2025}),
    )
    result = compute_due_date(law, D(2025, 4, 28), seat=madrid)
    assert result.due == D(2025, 5, 29)
    text = result.text()
    assert "Thursday 15 May 2025 skipped: holiday: San Isidro Labrador." in text
    assert "Local holidays of Madrid entered for 2025 are counted." in text
    without = Seat(country="ES", subdivision="ES-MD", municipality="Madrid")
    plain = compute_due_date(law, D(2025, 4, 28), seat=without)
    assert plain.due == D(2025, 5, 28)
    assert (
        "Local holidays of Madrid may also be non-working days, but none are entered for 2025"
        in plain.text()
    )


def test_a_seat_the_law_ignores_is_said_once():
    # 5 U.S.C. § 552(a)(6)(A)(i): federal holidays only, wherever the agency sits.
    result = compute_due_date(get_law("us-foia"), D(2024, 11, 1), seat=Seat("US", "US-CA"))
    assert result.due == D(2024, 12, 3)
    assert result.text().count("its seat (US-CA) changes nothing") == 1
    # A seat in another country than the law's changes nothing either.
    other = compute_due_date(get_law("de-ifg"), D(2024, 2, 8), seat=Seat("ES", "ES-MD"))
    assert other.due == D(2024, 3, 8)
    assert "outside this law's country" in other.text()


# --- dates the holiday data cannot cover ---------------------------------------------------


@pytest.mark.parametrize(
    ("law_id", "sent"),
    [
        ("es-19-2013", D(9999, 12, 31)),
        ("es-19-2013", D(1, 1, 1)),
        ("es-19-2013", D(2007, 12, 31)),  # the Spanish holiday data starts in 2008
        ("gb-foia-2000", D(9999, 12, 31)),
        ("mm-none", D(9999, 12, 31)),
        ("mm-none", D(1, 1, 1)),
    ],
)
def test_dates_outside_the_holiday_data_are_refused(law_id, sent):
    with pytest.raises(DateOutOfRange) as raised:
        compute_due_date(get_law(law_id), sent)
    assert raised.value.day == sent
    assert raised.value.last == 2100


def test_a_deadline_beyond_the_holiday_data_is_refused():
    # Received Mon 20 Dec 2100: the month ends on 20 Jan 2101, after the data's last year.
    with pytest.raises(DateOutOfRange) as raised:
        compute_due_date(get_law("es-19-2013"), D(2100, 12, 20))
    assert raised.value.day.year == 2101
    with pytest.raises(DateOutOfRange):
        compute_appeal_deadlines(get_law("gb-foia-2000"), D(2100, 12, 20))
    # Within the data it still computes: received Tue 2 Nov 2100 -> Thu 2 Dec 2100. Received
    # Wed 1 Dec 2100, the month would end on 1 Jan 2101: refused.
    assert compute_due_date(get_law("es-19-2013"), D(2100, 11, 2)).due == D(2100, 12, 2)
    with pytest.raises(DateOutOfRange):
        compute_due_date(get_law("es-19-2013"), D(2100, 12, 1))


# --- translation ---------------------------------------------------------------------------


def test_stored_steps_keep_the_source_text_and_render_translated(settings):
    # Catalogue texts are stored in their source language whatever the active language, so a
    # stored explanation can be shown in any language later.
    from django.utils import translation

    result = compute_due_date(get_law("rs-2004"), D(2025, 4, 3))
    with translation.override("sr-latn"):
        stored = [step_to_dict(step) for step in result.steps]
    first = stored[0]
    assert first["name"] == "Free Access to Information Act (Serbia)"
    assert first["provision"] == "ZSPI čl. 16"
    assert describe(step_from_dict(first)).startswith("Free Access to Information Act (Serbia):")


SERBIAN_PLURALS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"  # noqa: E501


@pytest.fixture
def serbian_test_catalogue(tmp_path, settings):
    """A throw-away Serbian (Latin) catalogue with only the counted phrases, in front of the
    project's own, so the plural forms are checked through real gettext without touching
    the project's .po files (the translation pass fills those)."""
    import polib

    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "sr_Latn",
        "Plural-Forms": SERBIAN_PLURALS,
    }
    forms = {
        ("{count} calendar day", "{count} calendar days"): (
            "{count} kalendarski dan",
            "{count} kalendarska dana",
            "{count} kalendarskih dana",
        ),
        ("{count} month", "{count} months"): ("{count} mesec", "{count} meseca", "{count} meseci"),
    }
    for (singular, plural), translated in forms.items():
        po.append(
            polib.POEntry(
                msgid=singular,
                msgid_plural=plural,
                msgstr_plural=dict(enumerate(translated)),
            )
        )
    folder = tmp_path / "sr_Latn" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]
    yield


def test_counted_text_uses_the_languages_plural_forms(serbian_test_catalogue):
    # Serbian has three plural forms: 21 (one), 2 and 42 (few), 15 (other).
    from django.utils import translation

    with translation.override("sr-latn"):
        assert amount_text(21, Unit.CALENDAR_DAYS) == "21 kalendarski dan"
        assert amount_text(2, Unit.MONTHS) == "2 meseca"
        assert amount_text(42, Unit.CALENDAR_DAYS) == "42 kalendarska dana"
        assert amount_text(15, Unit.CALENDAR_DAYS) == "15 kalendarskih dana"
        assert amount_text(11, Unit.CALENDAR_DAYS) == "11 kalendarskih dana"
        step = Step(
            "period_end", day=D(2025, 4, 18), other=D(2025, 4, 3), count=15, unit="calendar_days"
        )
        assert "15 kalendarskih dana" in describe(step)
    with translation.override("en"):
        assert amount_text(21, Unit.CALENDAR_DAYS) == "21 calendar days"


def test_explanations_stored_by_the_previous_version_still_render():
    # Steps stored before November 2026 had no provision, a stage id as the detail of a "not
    # verified" note, and a separate "skipped" line before "no_rollover".
    old = [
        {
            "code": "law_period",
            "name": "Ley 10/2019 (Comunidad de Madrid)",
            "count": 20,
            "unit": "working_days",
            "day": None,
            "other": None,
            "detail": "",
        },
        {
            "code": "extension",
            "name": "art. 20.1 (volume or complexity)",
            "count": 1,
            "unit": "months",
            "day": None,
            "other": None,
            "detail": "",
        },
        {
            "code": "no_rollover",
            "day": "2024-05-08",
            "other": None,
            "count": None,
            "unit": "",
            "name": "",
            "detail": "",
        },
        {
            "code": "unverified",
            "name": "One month from the day after ...",
            "detail": "madrid-council-claim-silence",
            "day": None,
            "other": None,
            "count": None,
            "unit": "",
        },
    ]
    lines = [describe(step_from_dict(step)) for step in old]
    assert lines[0] == (
        "Ley 10/2019 (Comunidad de Madrid): the authority must answer within 20 working days."
    )
    assert lines[1] == "Extension: 1 month more."
    assert lines[2].startswith("Warning: the last day, Wednesday 8 May 2024, is not a working day")
    assert lines[3] == "Not verified (this figure): One month from the day after ..."
