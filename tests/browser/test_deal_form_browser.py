"""The deal page in Chromium: a contributor records the Nairobi example (50 CCTV cameras, Huawei
as supplier, the city police as buyer, 2021, a source whose quote "fifty cameras were
installed" backs the count) through the new page alone; a reviewer of the team applies the
proposal; the public page shows the footnote on "50 cameras". And the same page with
JavaScript off. Screenshots of each step at 1366 px and 390 px."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, HostRecorder, snap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "fifty cameras were installed"


def member_session(django_user_model, username: str, role: str) -> str:
    from allauth.mfa.models import Authenticator

    from citywatch.teams.models import Membership, Team

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "x" * 16)
    team, _created = Team.objects.get_or_create(slug="share", defaults={"name": "SHARE Foundation"})
    Membership.objects.create(team=team, user=user, role=role)
    if role == "reviewer":
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def page_as(browser, live_demo, session: str | None, javascript: bool = True):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=javascript)
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_demo.url}])
    page = context.new_page()
    recorder = HostRecorder(urlsplit(live_demo.url).netloc)
    page.on("request", recorder)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.host_recorder = recorder
    return page


def scrolls_sideways(page) -> int:
    page.set_viewport_size(PHONE)
    width = page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
    page.set_viewport_size(DESKTOP)
    return width


def test_a_contributor_records_the_nairobi_example_and_a_reviewer_applies_it(
    browser, live_demo, screenshot_dir, django_user_model
):
    from citywatch.atlas.models import Deployment
    from citywatch.commons.models import ChangeProposal

    contributor = page_as(
        browser, live_demo, member_session(django_user_model, "contributor", "contributor")
    )
    page = contributor
    page.goto(live_demo.url + "/")
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="New deployment").click()
    page.wait_for_selector("#place-map[data-ready=true]", timeout=15000)
    assert scrolls_sideways(page) <= 0
    snap(page, screenshot_dir, "deal-nairobi-1-empty")

    # The source, once, at the top.
    page.fill("#id_sources-0-title", "Nairobi police install Huawei cameras")
    page.fill("#id_sources-0-url", "https://news.example.org/2021/nairobi-cameras")
    page.fill("#id_sources-0-publisher", "Example News")
    page.fill("#id_sources-0-published_on", "2021-06")
    page.select_option("#id_sources-0-kind", "media")
    # The new source is offered beside every fact as soon as it has a title.
    expect(page.locator("#id_components-0-citations-0-source option[value='new:0']")).to_have_text(
        "New source 1: Nairobi police install Huawei cameras"
    )
    snap(page, screenshot_dir, "deal-nairobi-2-source")

    page.fill("#id_deployment-title", "Nairobi: 50 CCTV cameras from Huawei")
    page.select_option("#id_deployment-status", "operational")
    page.select_option("#id_deployment-certainty", "reported")

    # The place: Kenya, then the place list as you type.
    page.select_option("#id_place-country", "KE")
    page.fill("#id_place-name", "nairo")
    page.locator("#place-results button", has_text="Nairobi").first.click()
    assert page.input_value("#id_place-name") == "Nairobi"
    assert page.input_value("#id_place-latitude").startswith("-1.28")
    expect(page.locator("#place-map path.picked")).to_have_count(1)
    snap(page, screenshot_dir, "deal-nairobi-3-place")

    # The parties: Huawei (in CityWatch) and the city police (new).
    page.fill("#id_organisations-0-name", "Nairobi City Police")
    page.select_option("#id_organisations-0-kind", "authority")
    page.select_option("#id_organisations-0-country", "KE")
    page.select_option("#id_parties-0-organisation", "huawei")
    page.select_option("#id_parties-0-role", "supplier")
    page.select_option("#id_parties-1-organisation", "new:0")
    page.select_option("#id_parties-1-role", "buyer")
    snap(page, screenshot_dir, "deal-nairobi-4-parties")

    # The component, with the quote backing its count.
    page.select_option("#id_components-0-technology", label="CCTV")
    page.fill("#id_components-0-quantity", "50")
    page.fill("#id_components-0-unit", "cameras")
    page.select_option("#id_components-0-supplier", "huawei")
    page.select_option("#id_components-0-citations-0-source", "new:0")
    page.select_option("#id_components-0-citations-0-field_name", "quantity")
    page.fill("#id_components-0-citations-0-quote", QUOTE)
    page.fill("#id_components-0-citations-0-stated_value", "50")

    # 2021: the event, with a second event added without a round trip and left empty.
    page.fill("#id_events-0-date", "2021")
    page.select_option("#id_events-0-kind", "installed")
    page.fill("#id_events-0-title", "Fifty cameras installed")
    page.get_by_role("button", name="Add an event").click()
    expect(page.locator("#id_events-1-title")).to_be_visible()
    assert page.input_value("#id_events-TOTAL_FORMS") == "2"
    page.fill("#id_reason", "Reported by Example News in June 2021.")
    assert scrolls_sideways(page) <= 0
    snap(page, screenshot_dir, "deal-nairobi-5-filled")

    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".message-success")).to_contain_text("waits for a reviewer of SHARE")
    snap(page, screenshot_dir, "deal-nairobi-6-proposed")
    assert not Deployment.objects.filter(title__startswith="Nairobi").exists()
    proposal = ChangeProposal.objects.get(operation="save_deployment")
    assert contributor.console_errors == []
    assert contributor.host_recorder.foreign == []
    contributor.context.close()

    # The reviewer: the account menu counts the proposal; the queue; apply.
    reviewer = page_as(
        browser, live_demo, member_session(django_user_model, "reviewer", "reviewer")
    )
    reviewer.goto(live_demo.url + "/")
    expect(reviewer.locator(".account-menu .menu-count")).to_have_text("1")
    reviewer.locator(".account-menu summary").click()
    snap(reviewer, screenshot_dir, "deal-nairobi-7-reviewer-menu")
    reviewer.get_by_role("link", name="Review queue: 1 waiting").click()
    reviewer.locator(f"a[href='/review/proposals/{proposal.key}/']").click()
    table = reviewer.locator("table.review-diff")
    expect(table).to_contain_text("Nairobi City Police (new)")
    expect(table).to_contain_text(QUOTE)
    expect(table).to_contain_text("Source for the new component — Quantity")
    snap(reviewer, screenshot_dir, "deal-nairobi-8-review")
    reviewer.get_by_role("button", name="Apply").click()
    expect(reviewer.locator(".message-success")).to_contain_text("Applied")
    reviewer.context.close()

    # Anyone: the public page shows the footnote on "50 cameras".
    deployment = Deployment.objects.get(title="Nairobi: 50 CCTV cameras from Huawei")
    visitor = page_as(browser, live_demo, None)
    visitor.goto(live_demo.url + deployment.get_absolute_url())
    heading = visitor.locator("li.card h3", has_text="50 cameras")
    expect(heading).to_contain_text("CCTV: 50 cameras")
    reference = heading.locator("sup.ref a").first
    note = reference.get_attribute("href")
    expect(visitor.locator(note)).to_contain_text(QUOTE)
    expect(visitor.locator(note)).to_contain_text("Nairobi police install Huawei cameras")
    expect(visitor.locator(note)).to_contain_text("This source states: 50")
    expect(visitor.locator("table.facts").first).to_contain_text("Nairobi, Kenya")
    expect(visitor.locator("table.facts").nth(1)).to_contain_text("Buyer Nairobi City Police")
    expect(visitor.locator("table.facts").nth(1)).to_contain_text("Supplier Huawei")
    expect(visitor.locator("ol.timeline")).to_contain_text("2021")
    assert scrolls_sideways(visitor) <= 0
    snap(visitor, screenshot_dir, "deal-nairobi-9-public")
    visitor.context.close()


def test_the_page_works_without_javascript(browser, live_demo, screenshot_dir, django_user_model):
    """Rows are added by the server, problems are named on the page, and a reviewer's save
    applies at once."""
    from citywatch.atlas.models import Deployment

    page = page_as(
        browser,
        live_demo,
        member_session(django_user_model, "reviewer", "reviewer"),
        javascript=False,
    )
    page.goto(live_demo.url + "/deployments/new/")
    expect(page.locator("#place-map-box")).to_be_hidden()
    page.fill("#id_deployment-title", "Lusaka: cameras")
    page.get_by_role("button", name="Add a component").click()  # a round trip, no JS
    expect(page.locator("#id_components-1-technology")).to_be_visible()
    assert page.input_value("#id_deployment-title") == "Lusaka: cameras"
    expect(page.locator(".error-summary")).to_have_count(0)
    page.select_option("#id_deployment-status", "announced")
    page.select_option("#id_deployment-certainty", "reported")
    page.select_option("#id_place-country", "ZM")
    page.fill("#id_place-name", "Lusáka")
    page.select_option("#id_components-0-technology", label="CCTV")
    page.fill("#id_components-0-quantity", "12")  # no unit: a problem to fix
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Fix 1 problem below")
    expect(summary).to_contain_text("Say what the quantity counts")
    snap(page, screenshot_dir, "deal-nojs-problem")
    assert not Deployment.objects.filter(title="Lusaka: cameras").exists()
    page.fill("#id_components-0-unit", "cameras")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Lusaka: cameras")
    deployment = Deployment.objects.get(title="Lusaka: cameras")
    assert deployment.locality.name == "Lusaka"
    snap(page, screenshot_dir, "deal-nojs-saved")
    page.context.close()


def test_a_click_on_the_small_map_sets_the_point_and_names_the_nearest_place(
    browser, live_demo, screenshot_dir, django_user_model
):
    page = page_as(
        browser, live_demo, member_session(django_user_model, "contributor", "contributor")
    )
    page.goto(live_demo.url + "/deployments/new/")
    page.wait_for_selector("#place-map[data-ready=true]", timeout=15000)
    page.select_option("#id_place-country", "KE")
    expect(page.locator("#place-map path.country.focus")).to_have_count(1)  # Kenya outlined
    page.wait_for_selector("#place-map[data-country=KE]")  # and shown whole
    point = page.evaluate(
        "() => { const p = document.getElementById('place-map').leafletMap"
        ".latLngToContainerPoint([-1.29, 36.82]); return [p.x, p.y]; }"
    )
    page.locator("#place-map").click(position={"x": point[0], "y": point[1]})
    expect(page.locator("#id_place-name")).to_have_value("Nairobi")
    expect(page.locator("#place-map-note")).to_contain_text("Nearest listed place: Nairobi")
    assert page.input_value("#id_place-latitude").startswith("-1.")
    assert page.input_value("#id_place-longitude").startswith("36.")
    snap(page, screenshot_dir, "deal-map-click")
    page.check("#id_place-nationwide")
    assert page.is_disabled("#id_place-name")
    assert page.console_errors == []
    page.context.close()
