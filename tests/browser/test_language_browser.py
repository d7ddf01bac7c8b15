"""Right-to-left text and the header on a phone, in a real browser (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_TITLE = "مدينة آمنة في القاهرة (Huawei)"

# The box of a piece of an element's text, as the browser laid it out.
TEXT_BOX = """([selector, piece]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(piece);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + piece.length);
            const box = range.getBoundingClientRect();
            return {left: box.left, right: box.right,
                    direction: getComputedStyle(node.parentElement).direction};
        }
    }
    return null;
}"""


@pytest.fixture
def arabic_deployment(live_demo):
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Deployment, Party

    deployment = Deployment.objects.create(
        title=ARABIC_TITLE,
        slug="cairo-safe-city",
        country_id="EG",
        status="announced",
        certainty="reported",
        summary="كاميرات مراقبة في الشوارع (Huawei).",
    )
    huawei = Organisation.objects.get(slug="huawei")
    Party.objects.create(deployment=deployment, organisation=huawei, role="supplier")
    return deployment


def bracket_is_at_the_end(page, selector: str) -> dict:
    """In right-to-left text the end is on the left: "(Huawei)" must lie left of the
    Arabic words, and the element must be laid out right to left."""
    bracket = page.evaluate(TEXT_BOX, [selector, "(Huawei)"])
    arabic = page.evaluate(TEXT_BOX, [selector, "مدينة"])
    assert bracket and arabic, selector
    assert bracket["direction"] == "rtl" or arabic["direction"] == "rtl", (selector, bracket)
    assert bracket["right"] <= arabic["left"] + 1, (selector, bracket, arabic)
    return bracket


@pytest.mark.parametrize("language", ["en-GB", "es-ES", "fr-FR", "sr-Latn"])
def test_arabic_title_keeps_its_bracket_at_the_end(
    browser, live_demo, arabic_deployment, screenshot_dir, language
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    page = context.new_page()
    page.goto(live_demo.url + "/deployments/cairo-safe-city/")
    bracket_is_at_the_end(page, "h1")
    page.screenshot(path=screenshot_dir / f"rtl-title-{language}.png")
    # The same text without the markup, in the page's left-to-right flow, would put the
    # bracket on the wrong side: the check above can tell.
    page.evaluate(
        """(text) => { const p = document.createElement('p'); p.id = 'control';
                       p.textContent = text; document.querySelector('main').prepend(p); }""",
        ARABIC_TITLE,
    )
    control = page.evaluate(TEXT_BOX, ["#control", "(Huawei)"])
    arabic = page.evaluate(TEXT_BOX, ["#control", "مدينة"])
    assert control["left"] >= arabic["right"] - 1
    for url, selector in [
        ("/deployments/", "ul.cards h2 a[href='/deployments/cairo-safe-city/']"),
        ("/organisations/huawei/", "ul.cards h2 a[href='/deployments/cairo-safe-city/']"),
        ("/search/?q=القاهرة", "a[href='/deployments/cairo-safe-city/']"),
    ]:
        page.goto(live_demo.url + url)
        bracket_is_at_the_end(page, selector)
    context.close()


LANGUAGES = ["en-GB", "es-ES", "fr-FR", "sr-Latn", "sr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_fits_in_a_fifth_of_a_phone_screen(browser, live_demo, screenshot_dir, language):
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    for url in ["/", "/deployments/", "/search/"]:
        page.goto(live_demo.url + url)
        height = page.evaluate(
            "() => document.querySelector('header.site-header').getBoundingClientRect().height"
        )
        assert height <= PHONE["height"] / 5, (language, url, height)
        # Every menu entry is on screen: nothing cut off or pushed out sideways.
        for box in page.evaluate(
            "() => [...document.querySelectorAll('header.site-header a, header select, "
            "header button')].map(e => e.getBoundingClientRect().right)"
        ):
            assert box <= PHONE["width"], (language, url, box)
    page.goto(live_demo.url + "/")
    page.screenshot(path=screenshot_dir / f"header-phone-{language}.png")
    context.close()
