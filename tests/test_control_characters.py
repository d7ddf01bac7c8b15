"""Text every format can carry: control characters never get in, whichever the door, and
never break a feed or an export.

One U+001A in a public title made every Atom feed answer 500 (XML 1.0 cannot carry it). Each
door is tried with C0 and C1 controls (and NUL, DEL, an unpaired surrogate through JSON); then
the feeds, the exports and the API must answer 200 with no control character in them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test import Client

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.commons.models import ChangeProposal, Tip
from citywatch.core.text import MULTI_LINE_KEEPS, strip_controls
from citywatch.exchange import exports
from citywatch.exchange.imports import run_import
from citywatch.exchange.imports.eff_atlas import COLUMNS

pytestmark = pytest.mark.django_db

# SUB (the reported one), BEL, VT, FF, ESC, DEL, NEL (C1), CSI (C1), U+009F.
BAD = "\x1a\x07\x0b\x0c\x1b\x7f\x85\x9b\x9f"
# What may appear in any output: nothing below U+0020 but tab, LF, CR; no DEL or C1.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

FEEDS = [
    "/feeds/deployments.atom",
    "/feeds/countries/RS.atom",
    "/feeds/vendors/huawei.atom",
    "/feeds/technologies/cctv.atom",
]
EXPORTS = [f"/exports/{name}" for name in exports.FORMATS.values()] + [
    f"/exports/{name}" for name in exports.TABLE_FILES
]


def dirty(text: str) -> str:
    """``text`` with every bad character inserted after its first word."""
    first, _, rest = text.partition(" ")
    return f"{first}{BAD} {rest}"


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings_in(v)]]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def assert_no_controls(body: bytes, where: str) -> None:
    text = body.decode("utf-8")
    assert not FORBIDDEN.search(text), where
    if text.lstrip().startswith(("{", "[")):
        for string in strings_in(json.loads(text)):
            assert not FORBIDDEN.search(string), (where, string)


def assert_every_output_is_clean(client: Client, *must_contain: str) -> None:
    """Feeds, exports and the API answer 200 and carry no control character."""
    seen = b""
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_controls(response.content, url)
        seen += response.content
    for url in EXPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)  # exports are streamed
        if url.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                for name in archive.namelist():
                    assert_no_controls(archive.read(name), f"{url}:{name}")
        else:
            assert_no_controls(body, url)
            if url.endswith(".csv"):  # still a well-formed CSV
                list(csv.reader(io.StringIO(body.decode())))
    for url in ["/api/deployments", "/api/organisations", "/deployments/", "/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_controls(response.content, url)
        seen += response.content
    for text in must_contain:
        assert text.encode() in seen, text


def assert_saved_clean(model, **lookup) -> None:
    record = model.objects.get(**lookup)
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if isinstance(value, str):
            assert not FORBIDDEN.search(value), (field.name, value)


@pytest.fixture
def reviewer(make_member):
    """A reviewer of team A who is also staff (the FOI desk and imports ask for either)."""
    user = make_member("reviewer", "A")
    user.is_staff = True
    user.save()
    return user


# ---------------------------------------------------------------- the text function


def test_strip_controls_keeps_tab_and_newlines_and_removes_the_rest():
    assert strip_controls(f"a{BAD}b\tc\nd") == "ab\tc\nd"
    assert strip_controls("a\r\nb") == "a\nb"
    assert strip_controls("a\r\nb", keep=MULTI_LINE_KEEPS) == "a\r\nb"
    assert strip_controls("x\x00y\ud800z\ufffe") == "xyz"
    assert strip_controls("Đorđević — Београд ✓ 北京") == "Đorđević — Београд ✓ 北京"


# ---------------------------------------------------------------- every door


def test_api_post_and_patch(client, demo, reviewer):
    from citywatch.api.services import create_token

    _token, secret = create_token(reviewer, "writer", "write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {
        "title": dirty("Subotica smart cameras"),
        # NUL is refused with a message by the API (tests/test_api.py); the rest is removed.
        "summary": dirty("Cameras on every\r\ncorner") + "\ud800",
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
        "technologies": ["cctv"],
        "suppliers": [dirty("Huawei")],
        "source_urls": ["https://example.org/subotica"],
    }
    created = client.post("/api/deployments", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert not FORBIDDEN.search(created.json()["title"])
    deployment = Deployment.objects.get(slug=slug)
    assert deployment.title == "Subotica smart cameras"
    assert deployment.summary == "Cameras on every\r\ncorner"
    patched = client.patch(
        f"/api/deployments/{slug}",
        {"title": dirty("Subotica: more cameras"), "summary": f"two{BAD}\nlines"},
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Subotica: more cameras"
    assert_saved_clean(Deployment, slug=slug)
    assert_every_output_is_clean(client, "Subotica: more cameras")


def management_forms(client: Client, url: str) -> dict[str, str]:
    """The inline formsets' management fields of an admin page, as the browser sends them."""
    page = client.get(url).content.decode()
    fields = re.findall(
        r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page
    )
    return {
        name: ("0" if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")) else v) for name, v in fields
    }


def test_admin_forms(admin_client, demo):
    url = "/admin/actors/organisation/add/"
    response = admin_client.post(
        url,
        {
            "name": dirty("Acme Vision Ltd"),
            "slug": "acme-vision",
            "kind": "vendor",
            **management_forms(admin_client, url),
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the form asks for more: show what
        pytest.fail(response.content.decode()[:3000])
    assert Organisation.objects.get(slug="acme-vision").name == "Acme Vision Ltd"
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    belgrade.title = dirty("Belgrade safe city")
    belgrade.save()
    assert Deployment.objects.get(slug="belgrade-safe-city").title == "Belgrade safe city"
    assert_every_output_is_clean(admin_client)


def test_proposal_form(client, demo, make_member, reviewer):
    client.force_login(make_member("contributor", "A"))
    belgrade = Deployment.objects.get(slug="belgrade-safe-city")
    response = client.post(
        "/deployments/belgrade-safe-city/propose/",
        {
            "title": belgrade.title + BAD + " (update)",
            "summary": belgrade.summary,
            "status": belgrade.status,
            "certainty": belgrade.certainty,
            "visibility": belgrade.visibility,
            "embargo_until": "",
            "reason": dirty("Per the ministry's statement."),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = ChangeProposal.objects.get()
    for text in [*strings_in(proposal.proposed_values), proposal.reason]:
        assert not FORBIDDEN.search(text), text
    assert proposal.proposed_values["title"] == belgrade.title + " (update)"


def test_tip_form(client, demo):
    response = client.post(
        "/tips/new/",
        {
            "what": dirty("Cameras with face recognition"),
            "place": dirty("Novi Sad"),
            "vendor": dirty("Hikvision"),
            "details": f"two{BAD}\r\nlines",
        },
    )
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.what, tip.place, tip.vendor) == (
        "Cameras with face recognition",
        "Novi Sad",
        "Hikvision",
    )
    assert tip.details == "two\r\nlines"


CSV_HEADER = "external_id,title,country,locality,status,certainty,summary\n"


def test_import_citywatch_csv(client, demo):
    data = (
        CSV_HEADER
        + f'X-1,"{dirty("Niš cameras")}",RS,Niš,announced,reported,"line one{BAD}\nline two"\n'
    )
    report = run_import(data.encode(), "partner.csv", scheme="partner")
    assert report.ok, report.problems
    deployment = Deployment.objects.get(title="Niš cameras")
    assert deployment.summary == "line one\nline two"
    assert_every_output_is_clean(client, "Niš cameras")


def test_import_citywatch_json(client, demo):
    dataset = json.loads(b"".join(client.get("/exports/citywatch.json").streaming_content))
    record = next(d for d in dataset["deployments"] if d["title"].startswith("Belgrade"))
    record["title"] = dirty(record["title"])
    record["summary"] = dirty(record["summary"] or "A summary")
    report = run_import(json.dumps(dataset).encode(), "citywatch.json")
    assert report.ok, report.problems
    assert_saved_clean(Deployment, slug="belgrade-safe-city")
    assert_every_output_is_clean(client)


def test_import_eff_atlas_csv(client, demo):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    row = {
        "AOSNUMBER": "7001",
        "City": "Fresno",
        "County": "Fresno",
        "State": "CA",
        "Agency": dirty("Fresno Police Department"),
        "Type of LEA": "Police",
        "Summary": dirty("The department uses plate readers."),
        "Type of Juris": "Municipal",
        "Technology": "Automated License Plate Readers",
        "Vendor": dirty("Vigilant Solutions"),
        "Link 1": "https://example.org/fresno-alpr",
        "Link 1 Snapshot": "",
        "Link 1 Source": dirty("Fresno Bee"),
        "Link 1 Type": "News",
        "Link 1 Date": "2020-05-01",
    }
    writer.writerow({column: row.get(column, "") for column in COLUMNS})
    report = run_import(buffer.getvalue().encode(), "atlas.csv")
    assert report.ok, report.problems
    assert Organisation.objects.filter(name="Fresno Police Department").exists()
    assert Organisation.objects.filter(name="Vigilant Solutions").exists()
    assert_every_output_is_clean(client, "Fresno")


# ---------------------------------------------------------------- data already stored


def test_bad_data_already_in_the_database_does_not_break_the_feeds(client, demo):
    """A record stored before the safety net (or written around save()) still gives 200."""
    table = Deployment._meta.db_table
    bad_title = "Belgrade\x1a safe\x0b city\x85"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET title = %s, summary = %s WHERE slug = %s",  # noqa: S608
            [bad_title, f"summary{BAD}", "belgrade-safe-city"],
        )
    assert Deployment.objects.get(slug="belgrade-safe-city").title == bad_title
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_controls(response.content, url)
    assert b"Belgrade safe city" in client.get("/feeds/deployments.atom").content


def test_every_model_of_citywatch_apps_is_guarded():
    """The safety net covers every model of CityWatch's apps, so no door can skip it."""
    from django.apps import apps
    from django.db.models.signals import pre_save

    from citywatch.core.signals import is_citywatch_model, remove_control_characters

    models = [m for m in apps.get_models(include_auto_created=True) if is_citywatch_model(m)]
    assert len(models) > 20
    for model in models:
        receivers = pre_save._live_receivers(model)
        receivers = receivers[0] if isinstance(receivers, tuple) else receivers
        assert remove_control_characters in receivers, model


def test_email_reply_body(demo):
    """An authority's reply, as received by e-mail, is recorded without control characters."""
    import datetime as dt

    from citywatch.foi import services
    from citywatch.foi.models import FoiRequest

    request = FoiRequest.objects.order_by("pk").first()
    message = services.record_reply(
        request,
        on=dt.date(2024, 6, 4),
        channel="email",
        subject=dirty("Re: solicitud de acceso"),
        body=f"Estimado{BAD} solicitante,\r\n\r\nAdjuntamos\x1a el contrato.",
    )
    message.refresh_from_db()
    assert message.subject == "Re: solicitud de acceso"
    assert message.body == "Estimado solicitante,\r\n\r\nAdjuntamos el contrato."


@pytest.mark.parametrize("keep", ["", "\t\n", MULTI_LINE_KEEPS])
def test_text_that_is_printable_holds_no_character_strip_controls_removes(keep):
    """strip_controls returns a printable text as it is (its short way): no character that
    ``str.isprintable`` accepts is one it would remove, for any code point."""
    from citywatch.core.text import _pattern

    printable = "".join(chr(c) for c in range(0x110000) if chr(c).isprintable())
    assert not _pattern(keep).search(printable)
    every = "".join(chr(c) for c in range(0x110000))
    assert strip_controls(every, keep) == _pattern(keep).sub("", every)
