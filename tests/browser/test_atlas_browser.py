"""The atlas in a real browser: map, filters in the URL, sources, language, privacy."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/deployments/",
    "/deployments/?technology=facial-recognition",
    "/deployments/belgrade-safe-city/",
    "/countries/rs/",
    "/organisations/huawei/",
]


def open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)


def test_map_shows_clusters_for_the_demo_data(page, live_demo, screenshot_dir):
    open_map(page, live_demo.url + "/")
    assert page.get_attribute("#map", "data-markers") == "8"
    assert page.locator(".leaflet-marker-icon.cluster").count() >= 1
    assert page.locator("path.country").count() > 150  # the offline basemap
    page.screenshot(path=screenshot_dir / "map-desktop.png", full_page=True)
    assert page.console_errors == []


def test_filter_changes_the_count_and_the_url(page, live_demo):
    open_map(page, live_demo.url + "/")
    assert page.inner_text("#map-count").strip() == "8 deployments"
    page.check("input[name=technology][value=facial-recognition]")
    expect(page.locator("#map-count")).to_have_text("4 deployments")
    assert "technology=facial-recognition" in page.url
    page.check("input[name=vendor][value=huawei]")
    page.wait_for_url(re.compile(r"vendor=huawei"))
    # The URL is shareable: opening it again restores the same view.
    page.goto(page.url)
    page.wait_for_selector("#map[data-ready=true]")
    assert page.is_checked("input[name=technology][value=facial-recognition]")
    assert page.get_attribute("#map", "data-markers") == "4"


def test_country_shading_toggle(page, live_demo):
    open_map(page, live_demo.url + "/")
    assert page.locator("path.country.shade-1").count() == 0
    page.check("#shade-countries")
    assert page.locator("path.country.shade-1, path.country.shade-2").count() == 5


def test_popup_shows_vendor_and_technologies(page, live_demo):
    open_map(page, live_demo.url + "/?country=FR")
    expect(page.locator("#map")).to_have_attribute("data-markers", "1")
    page.locator("path.marker").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Vendor: Huawei").wait_for()
    assert "Valenciennes" in popup.inner_text()
    assert "CCTV" in popup.inner_text()


def test_deployment_page_shows_its_sources(page, live_demo, screenshot_dir):
    page.goto(live_demo.url + "/deployments/belgrade-safe-city/")
    assert page.locator("ol.footnotes > li").count() >= 4  # one per source and quote
    page.locator("sup.ref a").first.click()
    assert page.url.endswith("#fn-1")
    assert "Mapping Huawei’s Smart Cities creep" in page.inner_text("#fn-1")
    page.screenshot(path=screenshot_dir / "belgrade-desktop.png", full_page=True)


def test_language_switch_turns_the_page_into_spanish(page, live_demo):
    page.goto(live_demo.url + "/deployments/belgrade-safe-city/")
    page.select_option("#language-select", "es")
    page.click(".language button")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "es"
    assert page.locator("h2", has_text="Fuentes").count() == 1
    assert "Anunciado" in page.inner_text("main")


@pytest.mark.parametrize("path", PAGES)
def test_every_request_goes_to_our_own_host(page, live_demo, path):
    page.goto(live_demo.url + path)
    page.wait_for_load_state("networkidle")
    # the fixture fails the test if any request went to another host
    assert page.host_recorder.foreign == []


@pytest.mark.parametrize("path", ["/", "/deployments/", "/deployments/naypyidaw-safe-city/"])
def test_phone_layout(browser, live_demo, screenshot_dir, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_demo.url + path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=screenshot_dir / f"{name}-phone.png", full_page=True)
    context.close()


def test_list_works_without_javascript(browser, live_demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_demo.url + "/deployments/")
    page.check("input[name=country][value=MM]")
    page.click("text=Apply filters")
    assert "country=MM" in page.url
    assert "3 deployments of 8" in page.inner_text("#result-count")
    context.close()


def test_keyboard_reaches_the_content(page, live_demo):
    page.goto(live_demo.url + "/deployments/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
