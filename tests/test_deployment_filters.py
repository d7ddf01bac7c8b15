"""Faceted browsing: filters, counts, accent-insensitive search, sorting, bad input."""

import pytest
from django.http import QueryDict

from citywatch.atlas.filters import apply_filters, facet_counts, parse_filters
from citywatch.atlas.models import Deployment
from citywatch.atlas.queries import public_deployments

pytestmark = pytest.mark.django_db


def slugs(query: str) -> list[str]:
    filters = parse_filters(QueryDict(query))
    return sorted(apply_filters(public_deployments(), filters).values_list("slug", flat=True))


def test_technology_filter_includes_cameras_with_that_capability(demo):
    assert slugs("technology=facial-recognition") == [
        "belgrade-safe-city",
        "kampala-highway-cctv",
        "naypyidaw-safe-city",
        "valenciennes-cameras",
    ]
    assert slugs("technology=licence-plate-recognition") == [
        "belgrade-safe-city",
        "naypyidaw-safe-city",
    ]


def test_filters_combine(demo):
    assert slugs("vendor=huawei&country=ES") == [
        "barcelona-letter-of-intention",
        "rivas-vaciamadrid-elte",
    ]
    assert slugs("country=ES&country=FR&status=operational") == ["valenciennes-cameras"]
    assert slugs("certainty=documented") == ["barcelona-letter-of-intention"]


def test_year_range_uses_dated_parts_of_the_deal(demo):
    assert slugs("year_from=2019&year_to=2019") == [
        "barcelona-letter-of-intention",
        "belgrade-safe-city",
    ]
    assert slugs("year_to=2017") == ["valenciennes-cameras"]


def test_search_is_accent_and_case_insensitive(demo):
    deployment = Deployment.objects.get(slug="rivas-vaciamadrid-elte")
    deployment.summary += " Red de cámaras y vídeo."
    deployment.save()
    # "cámaras" also finds every CCTV deal, through the Spanish name of the technology.
    assert "rivas-vaciamadrid-elte" in slugs("q=camaras")
    assert slugs("q=CÁMARAS") == slugs("q=camaras")
    assert slugs("q=video rivas") == ["rivas-vaciamadrid-elte"]


def test_search_covers_places_and_organisations(demo):
    assert slugs("q=kampala") == ["kampala-highway-cctv"]
    assert slugs("q=ministry of interior") == ["belgrade-safe-city"]
    assert slugs("q=espana") == ["barcelona-letter-of-intention", "rivas-vaciamadrid-elte"]
    assert slugs("q=ajuntament") == ["barcelona-letter-of-intention"]


def test_renaming_an_organisation_updates_search(demo):
    from citywatch.actors.models import Organisation

    council = Organisation.objects.get(slug="city-of-valenciennes")
    council.name = "Mairie de Valenciennes"
    council.save()
    assert slugs("q=mairie") == ["valenciennes-cameras"]


def test_facet_counts_apply_the_other_filters(demo):
    filters = parse_filters(QueryDict("country=MM"))
    facets = facet_counts(public_deployments(), filters)
    statuses = {o.value: o.count for o in facets["status"]}
    assert statuses == {"announced": 2, "operational": 1}
    countries = {o.value: (o.count, o.selected) for o in facets["country"]}
    assert countries["MM"] == (3, True)
    assert countries["ES"] == (2, False)  # what choosing Spain too would add
    vendors = {o.value: o.count for o in facets["vendor"]}
    assert vendors == {"huawei": 1}


def test_list_page_shows_counts_and_keeps_filters_in_links(client, demo):
    html = client.get("/deployments/?technology=facial-recognition&sort=-year").content.decode()
    assert "4 deployments of 8" in html
    assert 'value="facial-recognition" checked' in html
    assert "Rivas-Vaciamadrid" not in html
    assert "technology=facial-recognition" in html  # the map link keeps the view


def test_sorting(client, demo):
    html = client.get("/deployments/?sort=-year").content.decode()
    assert html.index("Barcelona") < html.index("Valenciennes")
    html = client.get("/deployments/?sort=year").content.decode()
    assert html.index("Valenciennes") < html.index("Barcelona")


@pytest.mark.parametrize(
    "query",
    [
        "year_from=abc&year_to=99999",
        "status=bogus&certainty=<script>",
        "sort=drop table",
        "page=-3",
        "page=99999",
        "country=" + "X" * 500,
        "q=" + "%00" * 10,
        "vendor=%ff%fe",
    ],
)
def test_bad_input_never_breaks_the_list(client, demo, query):
    response = client.get("/deployments/?" + query)
    assert response.status_code == 200


def test_pagination_keeps_filters(client, demo):
    from citywatch.atlas import views

    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        html = client.get("/deployments/?country=MM").content.decode()
    finally:
        views.PAGE_SIZE = original
    assert "Page 1 of 2" in html
    assert "?country=MM&amp;page=2" in html
