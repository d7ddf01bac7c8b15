"""Every admin page opens for the demo records: lists, change forms with their inlines."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def registered_models():
    return [model for model in admin.site._registry if model.__module__.startswith("citywatch.")]


def test_every_changelist_opens_with_search_and_filters(admin_client, demo):
    for model in registered_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url, {"q": "Huawei"})
        assert response.status_code == 200, url


def test_every_change_page_opens_for_a_demo_record(admin_client, demo):
    opened = set()
    for model in registered_models():
        record = model.objects.first()
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        if record is None:  # no demo record of this kind: the add page must open instead
            if admin.site._registry[model].has_add_permission(_request(admin_client)):
                assert admin_client.get(reverse(f"admin:{info}_add")).status_code == 200, info
            continue
        response = admin_client.get(reverse(f"admin:{info}_change", args=[record.pk]))
        assert response.status_code == 200, info
        opened.add(model._meta.label)
    assert {
        "places.Country",
        "places.LegalCardEntry",
        "places.Locality",
        "actors.Organisation",
        "evidence.Source",
        "evidence.Citation",
        "atlas.Deployment",
        "atlas.Party",
        "atlas.Component",
        "atlas.Money",
        "atlas.Event",
        "atlas.VendorClaim",
        "atlas.Technology",
    } <= opened


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = _logged_in_user(client)
    return request


def _logged_in_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_deployment_page_edits_parties_components_money_events_and_citations(admin_client, demo):
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.get(slug="valenciennes-cameras")
    html = admin_client.get(
        reverse("admin:atlas_deployment_change", args=[deployment.pk])
    ).content.decode()
    for prefix in ["parties-", "components-", "money-", "events-", "claims-"]:
        assert f'name="{prefix}TOTAL_FORMS"' in html, prefix
    assert "evidence-citation-content_type-object_id-TOTAL_FORMS" in html
    assert "240" in html


def test_adding_a_locality_by_name_fills_its_coordinates(admin_client):
    from citywatch.places.models import Locality

    response = admin_client.post(
        reverse("admin:places_locality_add"),
        {
            "name": "Kampala",
            "country": "UG",
            "subdivision_code": "",
            "latitude": "",
            "longitude": "",
            "geonames_id": "",
            "evidence-citation-content_type-object_id-TOTAL_FORMS": "0",
            "evidence-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    locality = Locality.objects.get(name="Kampala")
    assert str(locality.latitude) == "0.31628"


def test_bad_coordinates_in_the_admin_show_what_to_fix(admin_client):
    response = admin_client.post(
        reverse("admin:places_locality_add"),
        {
            "name": "Somewhere",
            "country": "UG",
            "latitude": "95",
            "longitude": "10",
            "evidence-citation-content_type-object_id-TOTAL_FORMS": "0",
            "evidence-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Latitude must be between -90 and 90." in response.content.decode()
