"""The FOI desk in Chromium: the deployments picker filters as you type (a small script of
our own, no request to another host), and the plain multiple select works without it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.browser.conftest import DESKTOP, PHONE, HostRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests empty every table afterwards; the demo's FOI stories need the FOI
    law catalogue (which needs the countries) before ``live_demo`` loads them."""
    from citywatch.foi.services import sync_laws
    from citywatch.places.models import Country
    from citywatch.places.services import sync_countries

    sync_countries(Country)
    sync_laws()


def campaigner_cookie(live_server, django_user_model) -> dict:
    from citywatch.actors.models import Organisation
    from citywatch.teams.models import Membership, Team

    share = Organisation.objects.get(slug="share-foundation")
    team = Team.objects.create(name="SHARE Foundation", slug="share", organisation=share)
    user = django_user_model.objects.create_user("camp", "camp@example.org", "x" * 16)
    Membership.objects.create(team=team, user=user, role="contributor")
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def visible_options(page) -> list[str]:
    return page.eval_on_selector_all(
        "#id_deployments option", "options => options.filter(o => !o.hidden).map(o => o.text)"
    )


def test_the_deployments_picker_searches_as_you_type(
    page, live_demo, django_user_model, screenshot_dir
):
    page.context.add_cookies([campaigner_cookie(live_demo, django_user_model)])
    page.goto(live_demo.url + "/foi/new/")
    everything = visible_options(page)
    assert len(everything) > 3
    page.fill("#id_deployments-filter", "rivas")
    shown = visible_options(page)
    assert shown and all("Rivas" in text for text in shown)
    assert len(shown) < len(everything)
    # Case, accents and Serbian Cyrillic fold: "РИВАС" and "rivás" find the same deals.
    page.fill("#id_deployments-filter", "РИВАС")
    assert visible_options(page) == shown
    page.fill("#id_deployments-filter", "rivás")
    assert visible_options(page) == shown
    page.fill("#id_deployments-filter", "")
    assert visible_options(page) == everything
    page.select_option("#id_deployments", label=shown[0])
    page.fill("#id_deployments-filter", "zzz-nothing")
    assert visible_options(page) == shown[:1]  # the chosen deal stays in sight
    page.screenshot(path=str(screenshot_dir / "foi-new-picker-1366.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "foi-new-picker-390.png"), full_page=True)


def test_without_javascript_the_picker_is_a_plain_multiple_select(
    browser, live_demo, django_user_model
):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False)
    context.add_cookies([campaigner_cookie(live_demo, django_user_model)])
    page = context.new_page()
    recorder = HostRecorder(urlsplit(live_demo.url).netloc)
    page.on("request", recorder)
    page.goto(live_demo.url + "/foi/new/")
    assert page.query_selector("#id_deployments-filter") is None
    assert page.get_attribute("#id_deployments", "multiple") is not None
    assert len(visible_options(page)) > 3
    context.close()
    assert recorder.foreign == []
