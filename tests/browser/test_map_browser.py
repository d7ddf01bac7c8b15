"""The map in Chromium: no line across the world, antimeridian countries shown whole,
shading with a legend, the view kept in the address, plural counts from the catalogue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import snap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EDGES = """(element) => {
  const found = [];
  element.basemap.eachLayer((layer) => {
    const walk = (rings) => {
      if (rings.length && rings[0].lat !== undefined) {
        for (let i = 1; i < rings.length; i++) {
          const a = rings[i - 1], b = rings[i];
          const polar = Math.abs(a.lat) > 85 && Math.abs(b.lat) > 85;
          if (Math.abs(a.lng - b.lng) > 180 && !polar) {
            found.push(layer.feature.properties.name);
          }
        }
      } else {
        rings.forEach(walk);
      }
    };
    walk(layer.getLatLngs());
  });
  return found;
}"""


def open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)


def test_no_country_is_drawn_across_the_world(page, live_demo, screenshot_dir):
    open_map(page, live_demo.url + "/#map=3/-17.00/179.00")
    assert page.eval_on_selector("#map", LONG_EDGES) == []
    names = page.eval_on_selector(
        "#map",
        "(e) => { const n = new Set(); e.basemap.eachLayer(l => n.add(l.feature.properties.name));"
        " return [...n]; }",
    )
    assert {"Fiji", "Russia", "New Zealand", "United States of America"} <= set(names)
    snap(page, screenshot_dir, "map-pacific")
    open_map(page, live_demo.url + "/#map=1/20.00/0.00")
    assert page.eval_on_selector("#map", LONG_EDGES) == []
    snap(page, screenshot_dir, "map-world")


VISIBLE_SHARE = """(element) => {
  const map = element.getBoundingClientRect();
  let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
  element.querySelectorAll("path.country.focus").forEach((path) => {
    const box = path.getBoundingClientRect();
    const l = Math.max(box.left, map.left), r = Math.min(box.right, map.right);
    const t = Math.max(box.top, map.top), b = Math.min(box.bottom, map.bottom);
    if (r > l && b > t) {
      left = Math.min(left, l); right = Math.max(right, r);
      top = Math.min(top, t); bottom = Math.max(bottom, b);
    }
  });
  if (left === Infinity) { return null; }
  return {width: (right - left) / map.width, height: (bottom - top) / map.height};
}"""


@pytest.mark.parametrize(
    ("iso2", "west", "east"),
    [("fj", 177.5, 180.5), ("ru", 30, 185), ("rs", 19.5, 22.5), ("us", -160, -70)],
)
def test_a_country_page_zooms_to_the_whole_country(
    page, live_demo, screenshot_dir, iso2, west, east
):
    """Fiji and Russia straddle the antimeridian: their maps show them whole, centred."""
    open_map(page, live_demo.url + f"/countries/{iso2}/")
    bounds = page.eval_on_selector("#map", "(e) => e.leafletMap.getBounds().toBBoxString()")
    left, _south, right, _north = (float(value) for value in bounds.split(","))
    assert left <= west and right >= east, bounds
    share = page.eval_on_selector("#map", VISIBLE_SHARE)
    assert share is not None, "the country is not inside the map"
    assert share["width"] >= 0.3 or share["height"] >= 0.3, share  # it fills the map
    snap(page, screenshot_dir, f"country-map-{iso2}")


def test_shading_has_a_legend_and_the_view_stays_in_the_address(page, live_demo, screenshot_dir):
    open_map(page, live_demo.url + "/?technology=facial-recognition")
    legend = page.locator("#shade-legend")
    assert legend.is_hidden()
    page.check("#shade-countries")
    expect(legend).to_be_visible()
    assert "more than 10" in legend.inner_text()
    assert "shade=1" in page.url
    page.eval_on_selector("#map", "(e) => e.leafletMap.setView([44.8, 20.5], 5)")
    page.wait_for_function("() => location.hash.includes('map=5/44.80/20.50')")
    snap(page, screenshot_dir, "map-shaded")

    # The address restores the view: the same filters, zoom, centre and shading.
    page.goto(page.url)
    page.wait_for_selector("#map[data-ready=true]")
    assert page.is_checked("#shade-countries")
    expect(page.locator("#shade-legend")).to_be_visible()
    assert page.eval_on_selector("#map", "(e) => e.leafletMap.getZoom()") == 5
    assert page.is_checked("input[name=technology][value=facial-recognition]")
    assert page.locator("path.country.shade-1, path.country.shade-2").count() >= 1
    assert page.console_errors == []


def test_counts_use_the_plural_forms_of_the_catalogue(page, live_demo):
    open_map(page, live_demo.url + "/?country=FR")
    expect(page.locator("#map-count")).to_have_text("1 deployment")
    assert page.evaluate("typeof window.ngettext") == "function"  # served by this site
    page.uncheck("input[name=country][value=FR]")
    expect(page.locator("#map-count")).to_have_text("8 deployments")
