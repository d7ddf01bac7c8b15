"""One fact, two sources, two values: both are kept and shown side by side."""

import pytest

from citywatch.atlas.models import Component
from citywatch.evidence.models import Citation, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_count(demo):
    """A second (made-up, test-only) source reporting another camera count for Belgrade."""
    component = Component.objects.get(deployment__slug="belgrade-safe-city")
    other = Source.objects.create(title="Test source with another count", kind="media")
    Citation.objects.create(
        source=other,
        target=component,
        field_name="quantity",
        stated_value="8,100 (reported)",
        quote="Test quote: 8,100 cameras were reported.",
    )
    return component


def test_model_keeps_both_values_with_their_sources(second_count):
    citations = Citation.objects.filter(component=second_count, field_name="quantity")
    assert sorted((c.source.title, c.stated_value) for c in citations) == [
        ("Mapping Huawei’s Smart Cities creep", "a thousand (announced)"),
        ("Test source with another count", "8,100 (reported)"),
    ]


def test_page_shows_both_values_side_by_side(client, second_count):
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert "Sources differ:" in html
    assert "a thousand (announced)" in html
    assert "8,100 (reported)" in html
    assert "Test quote: 8,100 cameras were reported." in html
    assert "Mapping Huawei’s Smart Cities creep" in html


def test_single_value_shows_no_conflict(client, demo):
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert "Sources differ:" not in html
