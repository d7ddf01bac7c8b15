"""Deployment, country and organisation pages: cite box, counts, authorities, maps."""

import pytest

from citywatch.atlas.cite_record import bibtex_escape

pytestmark = pytest.mark.django_db


def test_cite_this_record_in_plain_text_and_bibtex(client, demo):
    html = client.get("/deployments/valenciennes-cameras/").content.decode()
    assert "Cite this record" in html
    assert (
        "CityWatch. “Valenciennes: 240 facial-recognition cameras offered free by Huawei”" in html
    )
    assert "@misc{citywatch-valenciennes-cameras," in html
    assert "url = {http://testserver/deployments/valenciennes-cameras/}" in html
    assert "Last changed" in html


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("50% & {x}_y") == r"50\% \& \{x\}\_y"


def test_timeline_shows_precision_and_puts_undated_last(client, demo):
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert '<time datetime="2019">2019</time>' in html
    assert html.index("2019</time>") < html.index("Date not known")


def test_capability_badges(client, demo):
    html = client.get("/deployments/valenciennes-cameras/").content.decode()
    assert "Facial recognition: capable, reportedly not in use" in html


def test_country_page_counts_and_authorities(client, demo):
    html = client.get("/countries/es/").content.decode()
    assert "Ayuntamiento de Rivas-Vaciamadrid" in html
    assert "Barcelona City Council" in html
    assert 'data-fixed-query="country=ES"' in html
    assert 'data-country-numeric="724"' in html
    assert "Ley 19/2013" in html


def test_kosovo_page_uses_its_name_for_the_map(client, demo):
    html = client.get("/countries/xk/").content.decode()
    assert 'data-country-name="Kosovo"' in html


def test_vendor_page_by_country_and_year(client, demo):
    html = client.get("/organisations/huawei/").content.decode()
    assert "By country" in html
    assert "2017" in html  # Valenciennes
    assert "2019" in html  # Barcelona, Belgrade


def test_authority_page_lists_its_deals(client, demo):
    html = client.get("/organisations/ministry-of-interior-serbia/").content.decode()
    assert "Belgrade" in html
    assert client.get("/organisations/no-such-org/").status_code == 404


def test_deployment_page_queries_do_not_grow_with_footnotes(client, demo):
    """Belgrade has 7 footnotes, Valenciennes fewer: the same number of queries for both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/deployments/")  # the first request of all also starts the data generation
    counts = []
    for slug in ("belgrade-safe-city", "valenciennes-cameras"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/deployments/{slug}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30
