"""Public tips: the anonymous form, spam control, review, and what the database keeps."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from PIL import Image

from citywatch.atlas.models import Deployment
from citywatch.commons.models import ReviewStatus, Tip
from citywatch.commons.tip_views import SESSION_KEY, TIPS_PER_SESSION_PER_DAY
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.teams.models import Membership, Role, Team

pytestmark = pytest.mark.django_db

# Distinctive values the test client sends as the tipster's address and browser; not one of
# them may end up anywhere in the database.
TIPSTER_ADDRESS = "198.51.100.231"
TIPSTER_AGENT = "TipsterBrowser/7.3 (ua-marker-q9z7)"
TIPSTER_FORWARDED = "192.0.2.177"
TIPSTER_FILE_NAME = "IMG_20240501_by-jovana-petrovic.jpg"
# The reviewer's address and browser are not kept either.
REVIEWER_ADDRESS = "203.0.113.58"
REVIEWER_AGENT = "ReviewerBrowser/2.1 (rv-marker-k3x8)"
MARKERS = [
    TIPSTER_ADDRESS,
    TIPSTER_AGENT,
    "ua-marker-q9z7",
    TIPSTER_FORWARDED,
    "jovana-petrovic",
    REVIEWER_ADDRESS,
    "rv-marker-k3x8",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def tipster(client):
    """An anonymous visitor whose address and browser the server can see."""
    client.defaults.update(
        REMOTE_ADDR=TIPSTER_ADDRESS,
        HTTP_USER_AGENT=TIPSTER_AGENT,
        HTTP_X_FORWARDED_FOR=TIPSTER_FORWARDED,
        HTTP_X_REAL_IP=TIPSTER_FORWARDED,
    )
    return client


def make_reviewer(django_user_model, username: str = "reviewer", role: str = Role.REVIEWER):
    from allauth.mfa.models import Authenticator

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "x" * 16)
    team, _ = Team.objects.get_or_create(name="SHARE Foundation", slug="share")
    Membership.objects.create(team=team, user=user, role=role)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def reviewer_client(django_user_model):
    from django.test import Client

    client = Client(REMOTE_ADDR=REVIEWER_ADDRESS, HTTP_USER_AGENT=REVIEWER_AGENT)
    client.force_login(make_reviewer(django_user_model))
    return client


def photo(name: str = TIPSTER_FILE_NAME) -> io.BytesIO:
    image = Image.new("RGB", (40, 30), (120, 160, 200))
    handle = io.BytesIO()
    image.save(handle, "JPEG")
    handle.seek(0)
    handle.name = name
    return handle


def tip_data(**values) -> dict:
    data = {
        "what": "Forty new Huawei cameras with face recognition on the main square",
        "place": "Trg Slobode, Novi Sad",
        "country": "RS",
        "vendor": "Huawei",
        "source_url": "https://news.example.org/novi-sad-cameras",
        "details": "Installed last week; the city has said nothing.",
        "website": "",
    }
    data.update(values)
    return data


def stored_tip_files(media) -> list:
    folder = media / "tips"
    return sorted(folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------- the form


def test_the_form_needs_no_account_and_says_what_is_not_stored(client):
    response = client.get("/tips/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "no IP address" in html
    assert "no browser identifier" in html
    assert "no precise time" in html
    assert "JavaScript turned off" in html
    # Every text field has a size limit in the page as well as on the server.
    assert 'name="what" cols="40" rows="4" maxlength="2000"' in html
    assert 'maxlength="300"' in html and 'maxlength="1000"' in html
    # The honeypot is out of sight, out of the tab order, and labelled for what it is.
    assert 'class="visually-hidden" aria-hidden="true"' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html
    # No inline script or style attribute (the site runs a strict CSP).
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_tip_round_trip_reaches_the_map_and_keeps_no_trace_of_the_tipster(
    demo, tipster, reviewer_client, media
):
    response = tipster.post("/tips/new/", {**tip_data(), "attachment": photo()})
    assert response.status_code == 302
    assert response["Location"] == "/tips/thanks/"
    assert "no IP address" in tipster.get("/tips/thanks/").content.decode()

    tip = Tip.objects.get()
    assert tip.status == ReviewStatus.PENDING
    assert tip.received_on == timezone.localdate()
    assert tip.attachment_type == "image/jpeg"
    assert tip.attachment.name.startswith("tips/") and "jovana" not in tip.attachment.name

    # Nothing reaches the public before a reviewer accepts it.
    before = tipster.get("/map/deployments.json").json()
    assert "Huawei cameras" not in tipster.get("/deployments/").content.decode()

    queue = reviewer_client.get("/review/").content.decode()
    assert f'href="/review/tips/{tip.key}/"' in queue
    page = reviewer_client.get(f"/review/tips/{tip.key}/").content.decode()
    assert "Novi Sad" in page  # the city list's suggestion
    assert 'value="45.25' in page  # its latitude, filled in for the reviewer
    assert reviewer_client.get(f"/review/tips/{tip.key}/file/").status_code == 200

    huawei = demo_vendor("Huawei")
    response = reviewer_client.post(
        f"/review/tips/{tip.key}/",
        {
            "accept-title": "Novi Sad: face recognition cameras on Trg Slobode",
            "accept-summary": "Forty cameras, reported by a tip.",
            "accept-country": "RS",
            "accept-locality_name": "Novi Sad",
            "accept-latitude": "",
            "accept-longitude": "",
            "accept-status": "deploying",
            "accept-certainty": "reported",
            "accept-visibility": "public",
            "accept-vendor": huawei.slug,
            "accept-source_title": "City cameras go up in Novi Sad",
            "accept-note": "Checked the article.",
            "accept": "1",
        },
    )
    deployment = Deployment.objects.get(title__startswith="Novi Sad: face")
    assert response.status_code == 302 and response["Location"] == deployment.get_absolute_url()
    tip.refresh_from_db()
    assert tip.status == ReviewStatus.APPLIED and tip.deployment == deployment
    assert deployment.locality.name == "Novi Sad" and deployment.locality.geonames_id
    assert deployment.parties.get().organisation == huawei
    source = Source.objects.get(url="https://news.example.org/novi-sad-cameras")
    assert source.kind == SourceKind.CROWD
    assert Citation.objects.filter(source=source, object_id=deployment.pk).exists()

    # Visible to everyone: on the map, in the list, on its page with its source.
    after = tipster.get("/map/deployments.json").json()
    assert len(after["rows"]) == len(before["rows"]) + 1
    assert deployment.slug in [row[0] for row in after["rows"]]
    assert "Novi Sad: face recognition cameras" in tipster.get("/deployments/").content.decode()
    detail = tipster.get(deployment.get_absolute_url()).content.decode()
    assert "City cameras go up in Novi Sad" in detail

    assert_no_trace_of_the_tipster(media)


def demo_vendor(name: str):
    from citywatch.actors.models import Organisation

    return Organisation.objects.get(name=name)


def all_rows():
    """Every value of every row of every table, as text."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    yield table, value_text(value)


def value_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def assert_no_trace_of_the_tipster(media) -> None:
    checked = 0
    for table, text in all_rows():
        checked += 1
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} found in table {table}"
    assert checked > 1000  # the demo data is there: the scan really read the tables
    # Sessions and cached values are encoded: read them decoded too.
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert not any(marker in decoded for marker in MARKERS)
    with connection.cursor() as cursor:
        if "citywatch_cache" in connection.introspection.table_names(cursor):
            cursor.execute("SELECT value FROM citywatch_cache")
            for (value,) in cursor.fetchall():
                raw = base64.b64decode(value).decode("latin-1")
                assert not any(marker in raw for marker in MARKERS)
    for path in media.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("latin-1")
            assert not any(marker in content or marker in path.name for marker in MARKERS)


def test_the_session_holds_a_day_and_a_count_and_ends_at_midnight(tipster):
    tipster.post("/tips/new/", tip_data())
    session = tipster.session
    assert session[SESSION_KEY] == {"day": timezone.localdate().isoformat(), "count": 1}
    expiry = session.get_expiry_date()
    assert (expiry.hour, expiry.minute, expiry.second) == (0, 0, 0)
    assert expiry.date() == timezone.localdate() + dt.timedelta(days=1)


# ---------------------------------------------------------------- spam control


def test_a_filled_in_honeypot_looks_like_success_and_keeps_nothing(tipster, media):
    response = tipster.post(
        "/tips/new/", {**tip_data(website="https://cheap-pills.example"), "attachment": photo()}
    )
    assert response.status_code == 302 and response["Location"] == "/tips/thanks/"
    assert Tip.objects.count() == 0
    assert stored_tip_files(media) == []


def test_a_session_may_send_a_few_tips_a_day(tipster):
    for number in range(TIPS_PER_SESSION_PER_DAY):
        response = tipster.post("/tips/new/", tip_data(what=f"Tip number {number}"))
        assert response.status_code == 302
    response = tipster.post("/tips/new/", tip_data(what="One too many"))
    assert response.status_code == 400
    assert "the most we accept in a day" in response.content.decode()
    assert Tip.objects.count() == TIPS_PER_SESSION_PER_DAY
    assert "already sent the most tips" in tipster.get("/tips/new/").content.decode()
    # Another browser (another session) is not affected.
    from django.test import Client

    assert Client().post("/tips/new/", tip_data(what="Someone else")).status_code == 302


@pytest.mark.parametrize(
    ("field", "limit"),
    [("what", 2000), ("details", 5000), ("place", 300), ("vendor", 200), ("website", 200)],
)
def test_every_text_field_has_a_size_limit(tipster, field, limit):
    too_long = {field: "x" * (limit + 1)}
    if field == "website":
        # A bot filling the honeypot is turned away without a word whatever it sends.
        assert tipster.post("/tips/new/", tip_data(**too_long)).status_code == 302
    else:
        response = tipster.post("/tips/new/", tip_data(**too_long))
        assert response.status_code == 400
        assert f"at most {limit} characters" in response.content.decode()
    assert Tip.objects.count() == 0


def test_a_long_link_is_refused(tipster):
    url = "https://example.org/" + "a" * 1000
    response = tipster.post("/tips/new/", tip_data(source_url=url))
    assert response.status_code == 400
    assert Tip.objects.count() == 0


def test_a_file_over_the_limit_is_refused_with_a_message(tipster, media):
    big = io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024 + 10))
    big.name = "big.jpg"
    response = tipster.post("/tips/new/", {**tip_data(), "attachment": big})
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert Tip.objects.count() == 0
    assert stored_tip_files(media) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200),
        ("notes.docx", b"PK\x03\x04" + b"\0" * 100),
        ("scan.gif", b"GIF89a" + b"\0" * 100),
    ],
)
def test_a_file_of_another_kind_is_refused_whatever_its_name(tipster, media, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    response = tipster.post("/tips/new/", {**tip_data(), "attachment": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "CityWatch accepts photos (JPEG, PNG, WebP), PDF documents" in html
    assert Tip.objects.count() == 0
    assert stored_tip_files(media) == []


def test_only_web_links_are_taken(tipster):
    for url in ["javascript:alert(1)", "ftp://files.example.org/x", "data:text/html,hi"]:
        response = tipster.post("/tips/new/", tip_data(source_url=url))
        assert response.status_code == 400, url
    assert Tip.objects.count() == 0


# ---------------------------------------------------------------- review


@pytest.fixture
def pending_tip(tipster):
    tipster.post("/tips/new/", {**tip_data(), "attachment": photo()})
    return Tip.objects.get()


def test_only_reviewers_see_tips(pending_tip, django_user_model):
    tip_page = f"/review/tips/{pending_tip.key}/"
    file_page = f"{tip_page}file/"
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(tip_page).status_code == 302  # to the login page
    assert anonymous.get(file_page).status_code == 302
    contributor = Client()
    contributor.force_login(make_reviewer(django_user_model, "contrib", Role.CONTRIBUTOR))
    assert contributor.get(tip_page).status_code == 403
    assert contributor.get(file_page).status_code == 403
    assert contributor.post(tip_page, {"reject-reason": "no", "reject": "1"}).status_code == 403
    pending_tip.refresh_from_db()
    assert pending_tip.status == ReviewStatus.PENDING


def test_the_tips_file_is_served_to_reviewers_as_a_sandboxed_image(pending_tip, reviewer_client):
    response = reviewer_client.get(f"/review/tips/{pending_tip.key}/file/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    Image.open(io.BytesIO(b"".join(response.streaming_content))).verify()


def test_a_rejection_needs_a_reason_and_deletes_the_file(
    pending_tip, reviewer_client, media, django_capture_on_commit_callbacks
):
    page = f"/review/tips/{pending_tip.key}/"
    assert len(stored_tip_files(media)) == 1
    response = reviewer_client.post(page, {"reject-reason": "", "reject": "1"})
    assert response.status_code == 200
    pending_tip.refresh_from_db()
    assert pending_tip.status == ReviewStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            page, {"reject-reason": "Duplicate of Belgrade", "reject": "1"}
        )
    assert response.status_code == 302
    pending_tip.refresh_from_db()
    assert pending_tip.status == ReviewStatus.REJECTED
    assert pending_tip.review_note == "Duplicate of Belgrade"
    assert pending_tip.reviewed_on == timezone.localdate()
    assert not pending_tip.attachment
    assert stored_tip_files(media) == []
    queue = reviewer_client.get("/review/").content.decode()
    assert f"/review/tips/{pending_tip.key}/" not in queue


def test_an_unknown_place_is_placed_approximately_or_at_the_coordinates_given(
    pending_tip, reviewer_client
):
    """The tip review uses the same resolver as imports and the API (issue 11): a town the
    place list does not know is put at its country, marked approximate; coordinates typed by
    the reviewer place it exactly."""
    page = f"/review/tips/{pending_tip.key}/"
    values = {
        "accept-title": "Somewhere unknown",
        "accept-country": "RS",
        "accept-locality_name": "Zzyzx Hamlet",
        "accept-status": "rumoured",
        "accept-certainty": "speculative",
        "accept-visibility": "public",
        "accept": "1",
    }
    response = reviewer_client.post(page, values)
    assert response.status_code == 302
    deployment = Deployment.objects.get(title="Somewhere unknown")
    assert deployment.locality.approximate is True
    assert "approximate location" in reviewer_client.get(deployment.get_absolute_url()).text


def test_coordinates_typed_by_the_reviewer_place_the_town(pending_tip, reviewer_client):
    values = {
        "accept-title": "Somewhere exact",
        "accept-country": "RS",
        "accept-locality_name": "Zzyzx Hamlet",
        "accept-latitude": "44.10000",
        "accept-longitude": "20.50000",
        "accept-status": "rumoured",
        "accept-certainty": "speculative",
        "accept-visibility": "public",
        "accept": "1",
    }
    response = reviewer_client.post(f"/review/tips/{pending_tip.key}/", values)
    assert response.status_code == 302
    deployment = Deployment.objects.get(title="Somewhere exact")
    assert float(deployment.locality.latitude) == pytest.approx(44.1)
    assert deployment.locality.approximate is False


def test_a_tip_is_accepted_only_once(pending_tip, django_user_model):
    from citywatch.commons import tips
    from citywatch.places.models import Country

    reviewer = make_reviewer(django_user_model, "second")
    acceptance = tips.TipAcceptance(
        title="Country-wide cameras",
        country=Country.objects.get(code="RS"),
        status="announced",
        certainty="reported",
    )
    deployment = tips.accept_tip(pending_tip, acceptance, reviewer=reviewer)
    assert deployment.is_nationwide
    with pytest.raises(tips.AlreadyReviewed):
        tips.accept_tip(pending_tip, acceptance, reviewer=reviewer)
    with pytest.raises(tips.AlreadyReviewed):
        tips.reject_tip(pending_tip, reviewer=reviewer, reason="late")
    assert Deployment.objects.filter(title="Country-wide cameras").count() == 1
