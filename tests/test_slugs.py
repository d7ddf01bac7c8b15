"""Slugs of titles and names in any script are readable: transliterated, never
"deployment-2" (issue 12). Every door that makes a slug goes through citywatch.core.slugs."""

from __future__ import annotations

import pytest

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.commons import tips
from citywatch.core.slugs import free_slug, slug_text
from citywatch.exchange.imports import run_import


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Београд: паметне камере", "beograd-pametne-kamere"),
        ("Beograd: pametne kamere", "beograd-pametne-kamere"),
        ("Ђорђевић и Џаја", "djordjevic-i-dzaja"),
        ("Đorđević", "djordjevic"),
        ("Љубљана, Његош", "ljubljana-njegos"),
        ("Cámaras de vigilancia en Móstoles", "camaras-de-vigilancia-en-mostoles"),
        ("Straße, Œuvre", "strasse-oeuvre"),
        ("Москва: умные камеры", "moskva-umnye-kamery"),
        ("مدينة آمنة (Huawei)", "mdynh-amnh-huawei"),
        ("平安城市", "pinganchengshi"),
        ("!!! ???", ""),
    ],
)
def test_slug_text_transliterates_every_script(text, slug):
    assert slug_text(text) == slug


def test_long_titles_are_cut():
    assert len(slug_text("Београд " * 40)) <= 100
    assert not slug_text("Београд " * 40).endswith("-")


@pytest.mark.django_db
def test_free_slug_numbers_only_when_taken():
    fields = {"country_id": "RS", "status": "announced", "certainty": "reported"}
    title = "Београд: паметне камере"
    assert free_slug(Deployment, title, "deployment") == "beograd-pametne-kamere"
    Deployment.objects.create(title=title, slug="beograd-pametne-kamere", **fields)
    assert free_slug(Deployment, title, "deployment") == "beograd-pametne-kamere-2"
    assert free_slug(Deployment, title, "deployment", extra="P-7") == "beograd-pametne-kamere-p-7"
    assert free_slug(Deployment, "???", "deployment") == "deployment"
    assert tips.free_slug(title) == "beograd-pametne-kamere-2"


CSV = (
    "external_id,title,country,locality,latitude,longitude,status,certainty,"
    "technologies,buyers,suppliers,source_urls\n"
    "C-1,Београд: паметне камере,RS,,,,announced,reported,cctv,Град Београд,Хуавеј,\n"
    "C-2,Београд: паметне камере,RS,,,,announced,reported,cctv,,,\n"
)


@pytest.mark.django_db
def test_imported_records_get_transliterated_slugs(demo):
    report = run_import(CSV.encode(), "partner.csv", scheme="partner")
    assert report.ok, [str(problem) for problem in report.problems]
    slugs = sorted(
        Deployment.objects.filter(title="Београд: паметне камере").values_list("slug", flat=True)
    )
    assert slugs == ["beograd-pametne-kamere", "beograd-pametne-kamere-c-2"]
    assert Organisation.objects.get(name="Град Београд").slug == "grad-beograd"
    assert Organisation.objects.get(name="Хуавеј").slug == "huavej"


@pytest.mark.django_db
def test_the_api_gives_a_readable_slug(client, django_user_model, demo):
    from conftest import join_team

    from citywatch.api.services import create_token

    user = django_user_model.objects.create_user("rita", "r@example.org", "x" * 16)
    join_team(user, "reviewer", "editors")
    _token, text = create_token(user, "test", "write")
    response = client.post(
        "/api/deployments",
        {
            "title": "Нови Сад: камере",
            "country": "RS",
            "status": "announced",
            "certainty": "reported",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert response.status_code in (200, 201), response.content
    assert Deployment.objects.get(title="Нови Сад: камере").slug == "novi-sad-kamere"
