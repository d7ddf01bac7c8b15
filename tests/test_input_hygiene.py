"""Hostile input never becomes a server error (PostgreSQL refuses NUL characters in text)."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/?q=%00x&country=%00",
    "/deployments/?q=cam%00aras&vendor=%00&sort=%00",
    "/map/deployments.json?technology=%00",
    "/map/countries.json?q=%00",
    "/countries/%00/",
    "/countries/e%00s/",
    "/deployments/belgrade%00/",
    "/search/?q=%00elte",
    "/foi/?status=%00",
    "/foi/deadline/?law=%00&sent=2024-01-01%00",
    "/exports/",
    "/feeds/deployments.atom?x=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_nul_characters_never_cause_a_server_error(client, demo, url):
    response = client.get(url)
    assert response.status_code < 500, url


def test_nul_is_dropped_not_searched(client, demo):
    html = client.get("/deployments/?q=bel%00grade").content.decode()
    assert "1 deployment of 8" in html
