"""Values as people write them in spreadsheets, read by the importers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from citywatch.atlas.models import DeploymentStatus, FinancingKind
from citywatch.core.choices import Certainty
from citywatch.exchange.imports.reading import sniff_delimiter, unguard
from citywatch.exchange.imports.values import (
    Amount,
    Quantity,
    ValueProblem,
    excel_serial_date,
    parse_amount,
    parse_label,
    parse_number,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,800", "1800"),
        ("1.800", "1800"),
        ("1 800", "1800"),
        ("1\u202f800", "1800"),
        ("2,5", "2.5"),
        ("2.5", "2.5"),
        ("1.800,50", "1800.50"),
        ("1,800.50", "1800.50"),
        ("1,234,567", "1234567"),
        ("0.500", "0.500"),
    ],
)
def test_numbers_with_either_decimal_mark(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["abc", "1,80,0", "12-3", ""])
def test_what_is_not_a_number_says_so(text):
    with pytest.raises(ValueProblem):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("1,800", Quantity("exactly", 1800, "")),
        ("about 2,500 cameras", Quantity("about", 2500, "cameras")),
        ("more than 300 cameras", Quantity("more_than", 300, "cameras")),
        ("at least 12 km", Quantity("at_least", 12, "km")),
        ("up to 40 drones", Quantity("up_to", 40, "drones")),
        ("~500", Quantity("about", 500, "")),
        ("unos 1.800 cámaras", Quantity("about", 1800, "cámaras")),
        ("environ 300 caméras", Quantity("about", 300, "caméras")),
        ("oko 1.000 kamera", Quantity("about", 1000, "kamera")),
        ("1,000 cameras (1,500 planned)", Quantity("exactly", 1000, "cameras", 1500)),
        ("1,000 of a planned 1,500 cameras", Quantity("exactly", 1000, "cameras", 1500)),
        ("2k cameras", Quantity("exactly", 2000, "cameras")),
    ],
)
def test_quantities_as_people_write_them(text, quantity):
    assert parse_quantity(text) == quantity


@pytest.mark.parametrize("text", ["many", "2.5 cameras", "0 cameras"])
def test_a_count_must_be_a_whole_number(text):
    with pytest.raises(ValueProblem) as error:
        parse_quantity(text)
    assert "e.g." in str(error.value) or "whole number" in str(error.value)


M = Decimal("1000000.00")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("USD 126m", Amount("exactly", 126 * M, None, "USD")),
        ("€2 million", Amount("exactly", 2 * M, None, "EUR")),
        ("126 million", Amount("exactly", 126 * M, None, "")),
        ("about USD 2.5 million", Amount("about", Decimal("2500000.00"), None, "USD")),
        ("USD 2-3 million", Amount("exactly", 2 * M, 3 * M, "USD")),
        ("between 2 and 3 million euros", Amount("exactly", 2 * M, 3 * M, "EUR")),
        ("2000000.00 EUR", Amount("exactly", 2 * M, None, "EUR")),
        ("2000000.00–3000000.00 EUR", Amount("exactly", 2 * M, 3 * M, "EUR")),
        ("US$ 1.5bn", Amount("exactly", Decimal("1500000000.00"), None, "USD")),
        ("2 millones de euros", Amount("exactly", 2 * M, None, "EUR")),
        ("plus de 5 millions EUR", Amount("more_than", 5 * M, None, "EUR")),
        ("RSD 1.200.000", Amount("exactly", Decimal("1200000.00"), None, "RSD")),
    ],
)
def test_amounts_as_people_write_them(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["cheap", "USD", "3-2 million USD"])
def test_what_is_not_an_amount_says_how_to_write_one(text):
    with pytest.raises(ValueProblem):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "choices", "value"),
    [
        ("Operational", DeploymentStatus, "operational"),
        ("OPERATIONAL", DeploymentStatus, "operational"),
        ("agreement signed", DeploymentStatus, "agreement_signed"),
        ("Reported", Certainty, "reported"),
        ("donation", FinancingKind, "donation"),
        ("Loan", FinancingKind, "loan"),
    ],
)
def test_labels_in_any_case(text, choices, value):
    assert parse_label(text, choices, "x") == value


def test_labels_in_every_interface_language():
    from django.utils import translation

    for language in ("es", "fr", "sr-latn"):
        with translation.override(language):
            for value, label in DeploymentStatus.choices:
                assert parse_label(str(label), DeploymentStatus, "status") == value
            for value, label in Certainty.choices:
                assert parse_label(str(label).upper(), Certainty, "certainty") == value
    with pytest.raises(ValueProblem) as error:
        parse_label("exploded", DeploymentStatus, "status")
    assert "use one of rumoured, announced" in str(error.value)


def test_excel_date_serials():
    assert excel_serial_date("44197") == "2021-01-01"
    assert excel_serial_date("43985.0") == "2020-06-03"
    assert excel_serial_date("2019") is None
    assert excel_serial_date("12") is None


def test_delimiters_are_sniffed_and_our_apostrophes_taken_off():
    assert sniff_delimiter("a,b,c\n1,2,3") == ","
    assert sniff_delimiter("a;b;c\n1;2;3") == ";"
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter('"a;b",c,d\n') == ","
    assert unguard("'=SUM(A1)") == "=SUM(A1)"
    assert unguard("'quoted") == "'quoted"


def test_coordinates_with_a_decimal_comma(db):
    from citywatch.atlas.models import Deployment
    from citywatch.exchange.imports import run_import

    text = (
        "title;country;status;certainty;locality;subdivision;latitude;longitude\r\n"
        "Salem cámaras;US;anunciado;reportado;Salem;;44,9429;-123,0351\r\n"
    )
    report = run_import(("\ufeff" + text).encode(), "excel.csv")
    assert report.ok, [str(p) for p in report.problems]
    salem = Deployment.objects.get().locality
    assert (salem.subdivision_code, str(salem.latitude)) == ("US-OR", "44.94290")
