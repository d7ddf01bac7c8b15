"""Budgets: the home page's own assets at most 200 KB compressed, HTML pages at most 60 KB."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+\.(?:js|css|svg))"')


def compressed_size(static_url: str) -> int:
    path = finders.find(static_url.removeprefix("/static/"))
    assert path, static_url
    with open(path, "rb") as handle:
        return len(gzip.compress(handle.read(), compresslevel=9))


def test_home_page_assets_within_200_kb_compressed(client, demo):
    html = client.get("/").content.decode()
    assets = ASSET.findall(html)
    assert any("leaflet.js" in asset for asset in assets)
    total = sum(compressed_size(asset) for asset in assets)
    assert total <= 200 * 1024, f"{total} bytes in {assets}"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/deployments/",
        "/deployments/naypyidaw-safe-city/",
        "/countries/mm/",
        "/organisations/huawei/",
    ],
)
def test_html_pages_within_60_kb(client, demo, url):
    assert len(client.get(url).content) <= 60 * 1024
