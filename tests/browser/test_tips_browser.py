"""The tip form in Chromium with JavaScript turned off (Tor Browser's safest mode), and a
reviewer turning the tip into a deployment on the map."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.test import Client
from PIL import ExifTags, Image

from tests.browser.conftest import DESKTOP, HostRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIAL = "SN-8899001122"


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
    return settings.MEDIA_ROOT


def camera_photo() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (44.0, 49.0, 1.0)
    handle = io.BytesIO()
    Image.new("RGB", (80, 60), (90, 90, 90)).save(handle, "JPEG", exif=exif)
    return handle.getvalue()


@pytest.fixture
def no_script_page(browser, live_demo):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    recorder = HostRecorder(urlsplit(live_demo.url).netloc)
    page.on("request", recorder)
    yield page
    context.close()
    assert recorder.foreign == [], f"requests to other hosts: {recorder.foreign}"


def reviewer_session(django_user_model) -> str:
    from allauth.mfa.models import Authenticator

    from citywatch.teams.models import Membership, Role, Team

    user = django_user_model.objects.create_user("reviewer", "reviewer@example.org", "x" * 16)
    team = Team.objects.create(name="SHARE Foundation", slug="share")
    Membership.objects.create(team=team, user=user, role=Role.REVIEWER)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_a_tip_with_a_photo_is_sent_with_javascript_off(
    no_script_page, live_demo, media, screenshot_dir
):
    from citywatch.commons.models import Tip

    page = no_script_page
    page.goto(live_demo.url + "/tips/new/")
    assert "no IP address" in page.inner_text("main")
    page.fill("#id_what", "Smart poles with cameras along the Danube quay")
    page.fill("#id_place", "Novi Sad")
    page.select_option("#id_country", "RS")
    page.fill("#id_vendor", "Huawei")
    page.fill("#id_source_url", "https://news.example.org/quay-cameras")
    page.fill("#id_details", "Twelve poles so far.")
    page.set_input_files(
        "#id_attachment",
        {"name": "IMG_4411.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()},
    )
    # The honeypot is out of sight: a person never fills it in.
    box = page.locator("div.visually-hidden:has(#id_website)").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
    page.screenshot(path=screenshot_dir / "tip-form-no-js.png", full_page=True)
    page.get_by_role("button", name="Send the tip").click()
    page.wait_for_url("**/tips/thanks/")
    assert "Thank you for your tip" in page.inner_text("h1")

    tip = Tip.objects.get()
    assert tip.what == "Smart poles with cameras along the Danube quay"
    assert tip.country_id == "RS"
    with tip.attachment.open("rb") as handle:
        stored = handle.read()
    assert SERIAL.encode() not in stored and b"iPhone" not in stored
    assert len(Image.open(io.BytesIO(stored)).getexif()) == 0


def test_a_refused_file_is_explained_and_the_text_is_kept(no_script_page, live_demo):
    from citywatch.commons.models import Tip

    page = no_script_page
    page.goto(live_demo.url + "/tips/new/")
    page.fill("#id_what", "Cameras at the station")
    page.set_input_files(
        "#id_attachment",
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"<html>not a photo</html>"},
    )
    page.get_by_role("button", name="Send the tip").click()
    assert "CityWatch accepts photos (JPEG, PNG, WebP)" in page.inner_text("main")
    assert page.input_value("#id_what") == "Cameras at the station"
    assert Tip.objects.count() == 0


def test_a_reviewer_puts_the_tip_on_the_map(browser, live_demo, page, django_user_model):
    from citywatch.commons import tips

    tip = tips.receive_tip(
        what="Face recognition cameras at the Vienna airport",
        place="Schwechat, Vienna",
        country=None,
        vendor="Huawei",
    )
    context = page.context
    context.add_cookies(
        [{"name": "sessionid", "value": reviewer_session(django_user_model), "url": live_demo.url}]
    )
    page.goto(live_demo.url + "/review/")
    page.click(f"a[href='/review/tips/{tip.key}/']")
    # The city list suggests Vienna and fills in its country and coordinates.
    assert "Vienna, Austria" in page.inner_text(".place-suggestions")
    assert page.input_value("#id_accept-locality_name") == "Vienna"
    assert page.input_value("#id_accept-country") == "AT"
    page.fill("#id_accept-title", "Vienna airport face recognition")
    page.select_option("#id_accept-status", "operational")
    page.click("button[name=accept]")
    page.wait_for_url("**/deployments/vienna-airport-face-recognition/")
    assert "Vienna airport face recognition" in page.inner_text("h1")

    page.goto(live_demo.url + "/?country=AT")
    page.wait_for_selector("#map[data-markers='1']")
    page.locator("path.marker").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Vendor: Huawei").wait_for()
    assert "Vienna airport face recognition" in popup.inner_text()
    assert page.console_errors == []
