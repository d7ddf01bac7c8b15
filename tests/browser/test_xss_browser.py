"""An XSS corpus in every user-text field and every tip field, then every public page and the
reviewer pages in Chromium: no script runs, the text shows as text, no `javascript:` link.

The browser context bypasses the site's Content-Security-Policy on purpose: the CSP is a
second wall, and this test checks the first one (escaping) on its own. Records are written
straight to the database, skipping form validation, as a faulty import might.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.browser.conftest import DESKTOP, HostRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK = "XSS-FIRED"
JAVASCRIPT_URL = re.compile(r"^\s*javascript:", re.IGNORECASE)


class AttributeCollector(HTMLParser):
    """Attributes of the real elements of a page (escaped text is not an element)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if (
                name in {"href", "src", "action", "formaction", "xlink:href"}
                and value
                and (JAVASCRIPT_URL.match(value))
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def javascript_attributes(html: str) -> list[str]:
    collector = AttributeCollector()
    collector.feed(html)
    return collector.found


def long_payload(n: int) -> str:
    """Script tag, event handlers, an SVG payload, an attribute break-out and a javascript:
    link, in under 200 characters."""
    return (
        f"<script>alert({n})</script><img src=x onerror=console.log('{MARK}-{n}')>"
        f'<svg onload=alert({n})>"\'><a href="javascript:alert({n})">j{n}</a> xsstown'
    )


def medium_payload(n: int) -> str:  # up to 100 characters
    return f'"><svg/onload=alert({n})><img src=x onerror=alert({n})>'


def short_payload(n: int) -> str:  # up to 50 characters
    return f"<svg onload=alert({n})>"


TINY_PAYLOAD = '"><b onclick=x>'  # up to 20 characters
LANGUAGE_PAYLOAD = '"><b>x</b>'  # 10 characters
JAVASCRIPT_URLS = ["javascript:alert(71)", "JaVaScRiPt:alert(72)", "\tjavascript:alert(73)"]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests empty every table afterwards; the demo's FOI stories need the FOI
    law catalogue (which needs the countries) before ``live_demo`` loads them."""
    from citywatch.foi.services import sync_laws
    from citywatch.places.models import Country
    from citywatch.places.services import sync_countries

    sync_countries(Country)
    sync_laws()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


class Watch:
    """Dialogs, console messages carrying the marker, and requests to other hosts."""

    def __init__(self, page, host: str) -> None:
        self.dialogs: list[str] = []
        self.markers: list[str] = []
        self.recorder = HostRecorder(host)
        page.on("dialog", self.on_dialog)
        page.on("console", self.on_console)
        page.on("request", self.recorder)

    def on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(self, message) -> None:
        if MARK in message.text:
            self.markers.append(message.text)


@pytest.fixture
def xss_context(browser, live_demo):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
    yield context
    context.close()


def new_page(context, live_server):
    page = context.new_page()
    page.watch = Watch(page, urlsplit(live_server.url).netloc)
    return page


def seed_records() -> dict:
    """A deal in Iceland whose every text field carries a payload."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import (
        Component,
        Deployment,
        Event,
        Money,
        Party,
        Technology,
        VendorClaim,
    )
    from citywatch.evidence.models import Citation, Source, StoredFile
    from citywatch.places.models import LegalCardEntry, Locality

    locality = Locality.objects.create(
        name=long_payload(1), country_id="IS", latitude=64.14, longitude=-21.94
    )
    vendor = Organisation.objects.create(
        name=long_payload(2),
        slug="xss-vendor",
        kind="vendor",
        country_id="IS",
        aliases=long_payload(3),
        website=JAVASCRIPT_URLS[0],
        email=long_payload(4),
        postal_address=long_payload(5),
        phone=short_payload(6),
        description=long_payload(7),
        wikidata_id=TINY_PAYLOAD,
    )
    deployment = Deployment.objects.create(
        title=long_payload(10),
        slug="xss-deal",
        summary=long_payload(11),
        country_id="IS",
        locality=locality,
        status="operational",
        certainty="reported",
        visibility="public",
    )
    Party.objects.create(
        deployment=deployment, organisation=vendor, role="supplier", note=long_payload(12)
    )
    component = Component.objects.create(
        deployment=deployment,
        technology=Technology.objects.order_by("position").first(),
        quantity=12,
        unit=short_payload(13),
        description=long_payload(14),
        product_models=long_payload(15),
        supplier=vendor,
    )
    Money.objects.create(
        deployment=deployment, amount=1000, currency="EUR", dated="2024", note=long_payload(16)
    )
    Event.objects.create(
        deployment=deployment,
        date="2024-05",
        kind="announced",
        title=long_payload(17),
        description=long_payload(18),
    )
    VendorClaim.objects.create(
        vendor=vendor, deployment=deployment, statement=long_payload(19), claimed_on="2024"
    )
    VendorClaim.objects.create(vendor=vendor, statement=long_payload(20), claimed_on="2023")
    quote = long_payload(21)
    document = StoredFile.objects.create(
        sha256="a" * 64,
        size=100,
        media_type="text/plain",
        file="evidence/none.txt",
        text=f"Before the quote. {quote} After the quote.",
        text_status="done",
    )
    source = Source.objects.create(
        title=long_payload(22),
        url=JAVASCRIPT_URLS[1],
        publisher=long_payload(23),
        language=LANGUAGE_PAYLOAD,
        kind="media",
        notes=long_payload(24),
        document=document,
    )
    Source.objects.create(title=long_payload(25), url=JAVASCRIPT_URLS[2], kind="crowd")
    deployment_type = ContentType.objects.get_for_model(Deployment)
    Citation.objects.create(
        source=source,
        content_type=deployment_type,
        object_id=deployment.pk,
        quote=quote,
        stated_value=long_payload(26),
        locator=medium_payload(27),
        note=long_payload(28),
    )
    Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(Component),
        object_id=component.pk,
        field_name="quantity",
        stated_value=long_payload(29),
        quote=long_payload(30),
    )
    LegalCardEntry.objects.create(
        country_id="IS",
        topic="surveillance_law",
        status="in_force",
        name=long_payload(31),
        summary=long_payload(32),
        url=JAVASCRIPT_URLS[0],
    )
    from citywatch.commons.models import ChangeProposal

    proposal = ChangeProposal.objects.create(
        content_type=deployment_type,
        object_id=deployment.pk,
        proposed_values={"title": long_payload(40), "summary": long_payload(41)},
        base_values={"title": deployment.title, "summary": deployment.summary},
        reason=long_payload(42),
        proposed_on=dt.date.today(),
    )
    return {"deployment": deployment, "vendor": vendor, "source": source, "proposal": proposal}


def reviewer_cookie(live_server) -> dict:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    from citywatch.teams.models import Membership, Role, Team

    user = get_user_model().objects.create_user("rev", "rev@example.org", "x" * 16)
    team = Team.objects.create(name=long_payload(50), slug="xss-team")
    Membership.objects.create(team=team, user=user, role=Role.REVIEWER)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


DOM_CHECK = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) found.push(element.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
          && attribute.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase()
               .startsWith('javascript:')) found.push(element.tagName + ' ' + name);
    }
  }
  for (const script of document.querySelectorAll('script')) {
    if (script.type && !['text/javascript', 'module'].includes(script.type)) continue;
    if (script.textContent.includes('alert(') || script.textContent.includes('XSS')) {
      found.push('inline script');
    }
  }
  if (document.querySelector('iframe, img[src="x"], svg[onload]')) found.push('payload element');
  return found;
}"""


def check_page(page, url: str, shown: list[str]) -> None:
    """Open the page; nothing may run, and each text in `shown` must be visible as text."""
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    html = response.text()
    assert javascript_attributes(html) == [], f"javascript: link in {url}"
    assert page.evaluate(DOM_CHECK) == [], url
    text = page.inner_text("body")
    for expected in shown:
        assert expected in text, f"{expected!r} not shown as text on {url}"
    assert page.watch.dialogs == [], f"dialog on {url}: {page.watch.dialogs}"
    assert page.watch.markers == [], f"script ran on {url}: {page.watch.markers}"


def test_payloads_in_every_field_stay_text_on_every_page(xss_context, live_demo):
    records = seed_records()
    deployment, vendor, source = records["deployment"], records["vendor"], records["source"]
    base = live_demo.url
    page = new_page(xss_context, live_demo)

    # A tip with a payload in every field, sent through the form; first with an error, so the
    # form comes back filled in with the payloads.
    page.goto(base + "/tips/new/")
    page.fill("#id_what", long_payload(60))
    page.fill("#id_place", long_payload(61))
    page.select_option("#id_country", "NO")
    page.fill("#id_vendor", long_payload(62))
    page.fill("#id_details", long_payload(64) + "\n" + long_payload(65))
    page.fill("#id_source_url", "javascript:alert(66)")
    page.get_by_role("button", name="Send the tip").click()
    page.wait_for_load_state("load")
    assert "Enter a valid URL" in page.inner_text("main")
    assert page.input_value("#id_what") == long_payload(60)
    assert page.evaluate(DOM_CHECK) == []
    page.fill("#id_source_url", "https://example.org/?q=<script>alert(63)</script>")
    page.set_input_files(
        "#id_attachment",
        {
            "name": '"><img src=x onerror=alert(67)>.jpg',
            "mimeType": "image/jpeg",
            "buffer": b"<svg onload=alert(68)>",
        },
    )
    page.get_by_role("button", name="Send the tip").click()
    page.wait_for_load_state("load")
    assert "CityWatch accepts photos" in page.inner_text("main")
    page.set_input_files("#id_attachment", [])
    page.get_by_role("button", name="Send the tip").click()
    page.wait_for_url("**/tips/thanks/")

    from citywatch.commons.models import Tip

    tip = Tip.objects.get()
    assert tip.what == long_payload(60)

    public_pages = [
        ("/", []),
        ("/deployments/", [long_payload(10)]),
        ("/deployments/?q=xsstown", [long_payload(10)]),
        (
            deployment.get_absolute_url(),
            [
                long_payload(10),
                long_payload(11),
                long_payload(2),
                long_payload(12),
                long_payload(14),
                long_payload(15),
                long_payload(16),
                long_payload(17),
                long_payload(18),
                long_payload(19),
                long_payload(22),
            ],
        ),
        (f"/deployments/{deployment.slug}/history/", []),
        ("/countries/is/", [long_payload(10), long_payload(31), long_payload(32)]),
        (vendor.get_absolute_url(), [long_payload(2), long_payload(20)]),
        (source.get_absolute_url(), [long_payload(22), long_payload(23), JAVASCRIPT_URLS[1]]),
        (f"/sources/{source.key}/text/", [long_payload(21)]),
        ("/search/?q=xsstown", []),
        ("/foi/", []),
        ("/exports/", []),
        ("/tips/new/", []),
        ("/tips/thanks/", []),
    ]
    for url, shown in public_pages:
        check_page(page, base + url, shown)

    # The map popup is built from the same data, in JavaScript.
    page.goto(base + "/?country=IS")
    page.wait_for_selector("#map[data-markers='1']")
    page.locator("path.marker").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Vendor:").wait_for()
    assert long_payload(10) in popup.inner_text()
    assert page.evaluate(DOM_CHECK) == []
    assert page.watch.dialogs == [] and page.watch.markers == []

    # The reviewer's pages.
    xss_context.add_cookies([reviewer_cookie(live_demo)])
    reviewer_pages = [
        ("/review/", [long_payload(42)]),
        (
            f"/review/tips/{tip.key}/",
            [
                long_payload(60),
                long_payload(62),
                long_payload(64),
                long_payload(65),
                "https://example.org/?q=<script>alert(63)</script>",
            ],
        ),
        (f"/review/proposals/{records['proposal'].key}/", [long_payload(40), long_payload(42)]),
        (f"/deployments/{deployment.slug}/propose/", []),
        (f"/deployments/{deployment.slug}/history/", []),
        (deployment.get_absolute_url(), [long_payload(10)]),
    ]
    for url, shown in reviewer_pages:
        check_page(page, base + url, shown)

    # Accepting the tip: the form starts from the payloads; the place is not in the city
    # list, so the reviewer types coordinates.
    page.goto(base + f"/review/tips/{tip.key}/")
    assert page.input_value("#id_accept-summary") == long_payload(60)
    page.select_option("#id_accept-country", "NO")
    page.fill("#id_accept-latitude", "59.91")
    page.fill("#id_accept-longitude", "10.75")
    page.click("button[name=accept]")
    page.wait_for_url("**/deployments/**")
    created = Tip.objects.get().deployment
    assert created is not None and created.locality.name == long_payload(61)
    check_page(page, base + created.get_absolute_url(), [created.title, long_payload(61)])
    check_page(page, base + "/?country=NO", [])
    check_page(page, base + "/review/", [])

    assert page.watch.recorder.foreign == []


def test_the_link_check_sees_real_elements_only():
    assert javascript_attributes('<p><a href=" JavaScript:alert(1)">x</a></p>') == [
        "<a href=' JavaScript:alert(1)'>"
    ]
    assert javascript_attributes('<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>') == []
