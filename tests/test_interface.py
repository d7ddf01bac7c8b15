"""A finished interface: footnotes, error pages, downloads, source pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory

from citywatch.evidence.models import Citation, Source

FILES = ["deployments.csv", "deployments.geojson", "citywatch.json", "ocds.json", "datapackage.zip"]


@pytest.mark.django_db
@pytest.mark.parametrize("filename", FILES)
def test_exports_download_as_files(client, demo, filename):
    response = client.get(f"/exports/{filename}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.django_db
def test_the_api_keeps_serving_json_inline(client, demo):
    response = client.get("/api/deployments")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" not in response.get("Content-Disposition", "")


def footnotes_and_refs(html: str) -> tuple[list[str], list[str]]:
    notes = re.findall(r'<li id="fn-(\d+)"', html)
    refs = re.findall(r'<sup class="ref"><a href="#fn-(\d+)"', html)
    return notes, refs


@pytest.mark.django_db
def test_one_footnote_per_source_and_quote(client, demo):
    """The same quote backing several facts is one footnote, cited at each fact."""
    from citywatch.atlas.models import Component, Deployment

    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    component = Component.objects.filter(deployment=deployment).first()
    source = Source.objects.create(title="Test: city council minutes", kind="official")
    quote = "Test quote: the city installed 50 face-recognition cameras from Huawei."
    Citation.objects.create(source=source, target=deployment, field_name="status", quote=quote)
    for field_name in ("quantity", "facial_recognition", "supplier"):
        Citation.objects.create(source=source, target=component, field_name=field_name, quote=quote)
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    notes, refs = footnotes_and_refs(html)
    assert len(notes) == len(set(notes))  # each number once in the list
    [number] = [n for n in notes if quote in html.split(f'id="fn-{n}"')[1].split("</li>")[0]]
    assert html.count(quote) == 1
    assert refs.count(number) == 4  # cited four times
    # Every distinct (source, quote, locator) of the page's citations has its own number.
    shown = {
        (c.source_id, " ".join(c.quote.split()), c.locator)
        for c in Citation.objects.filter(source__in=Source.objects.all())
        if c.quote and c.quote in html
    }
    assert len(notes) == len(shown)


@pytest.mark.django_db
def test_two_values_from_one_sentence_stay_side_by_side(client, demo):
    from citywatch.atlas.models import Component

    component = Component.objects.get(deployment__slug="belgrade-safe-city")
    source = Source.objects.create(title="Test: procurement notice", kind="procurement")
    quote = "Test quote: 1,000 cameras, later 1,200."
    for value in ("1,000", "1,200"):
        Citation.objects.create(
            source=source, target=component, field_name="quantity", stated_value=value, quote=quote
        )
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert "Sources differ:" in html
    assert "This source states: <bdi>1,000; 1,200</bdi>" in html
    assert html.count(quote) == 1


@pytest.mark.django_db
def test_source_page_links_the_original_and_shows_no_file_paths(client, demo, settings):
    report = Source.objects.get(title="Mapping Huawei’s Smart Cities creep")
    html = client.get(f"/sources/{report.key}/").content.decode()
    assert f'<a href="{report.url}"' in html
    assert report.url.startswith("https://")
    for source in Source.objects.all():
        page = client.get(f"/sources/{source.key}/", follow=True).content.decode()
        for internal in (str(settings.DATA_DIR), "seed/data", ".txt", "site-packages"):
            assert internal not in page, (source.title, internal)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Page not found"), ("es", None), ("fr", None), ("sr-latn", None)],
)
def test_404_page_in_the_sites_style_and_language(client, language, heading):
    from django.utils import translation

    client.cookies["django_language"] = language
    response = client.get("/deployments/no-such-deal/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="/static/citywatch/css/site.css"' in html or "site.css" in html
    assert 'name="viewport"' in html
    assert 'href="/"' in html  # a way back
    with translation.override(language):
        assert translation.gettext("Page not found") in html
    if heading:
        assert heading in html


@pytest.mark.django_db
def test_403_page_has_a_way_back(client, django_user_model):
    user = django_user_model.objects.create_user("u", "u@example.org", "a long passphrase")
    client.force_login(user)
    response = client.get("/review/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not open this page" in html
    assert 'class="site-header"' in html and 'href="/"' in html


@pytest.mark.django_db
def test_csrf_failure_page_explains_and_keeps_the_style(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tips/new/", {"what": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html and "site.css" in html


@pytest.mark.urls("tests.crash_urls")
@pytest.mark.django_db
def test_500_page_in_the_sites_style(settings):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "es"
    response = client.get("/crash-for-tests/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "site.css" in html and 'name="viewport"' in html
    assert 'href="/"' in html
    assert "a bug for the 500 page" not in html  # no internals


def test_500_page_needs_no_database():
    """Rendered with the database blocked (no django_db mark): it must not touch it."""
    from citywatch.web.views import server_error

    response = server_error(RequestFactory().get("/deployments/x/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert 'href="/deployments/x/"' in html
