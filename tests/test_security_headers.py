"""A strict Content-Security-Policy and the usual protective headers on every page."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/deployments/",
    "/deployments/belgrade-safe-city/",
    "/countries/rs/",
    "/organisations/huawei/",
]


@pytest.mark.parametrize("url", PAGES)
def test_csp_is_strict(client, demo, url):
    response = client.get(url)
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style(client, demo, url):
    html = client.get(url).content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html
    assert " on" + "click=" not in html


def test_tile_server_origin_joins_the_csp_only_when_configured(client, demo):
    import importlib

    from citywatch import settings as project_settings

    assert project_settings.tile_origin("") == []
    assert project_settings.tile_origin("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://a.tiles.example.org"
    ]
    importlib.reload(project_settings)  # no side effects: the module is pure configuration


@override_settings(CITYWATCH_MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_configured_tile_layer_reaches_the_map(client, demo):
    html = client.get("/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
