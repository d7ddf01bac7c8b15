"""Every page of the demo, found from the URLconf, fits a 390 px phone (no sideways scrolling),
with screenshots of each at 1366 px and 390 px.

A new URL pattern must be listed here: in PAGES (how to fill it from the demo data and who
opens it) or in NOT_PAGES (why it is no page: data, a file, a POST action...). The test
fails for a pattern in neither, so new pages cannot slip past the phone check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Filler = Callable[[dict], list[str]]


def all_of(model_path: str, field: str, **filters) -> Callable[[dict], list[str]]:
    def values(_records: dict) -> list[str]:
        from django.apps import apps

        model = apps.get_model(model_path)
        return [str(v) for v in model.objects.filter(**filters).values_list(field, flat=True)]

    return values


def deployment_slugs(_records: dict) -> list[str]:
    from citywatch.atlas.models import Deployment

    return list(Deployment.objects.order_by("slug").values_list("slug", flat=True))


def public_sources(_records: dict) -> list[str]:
    from citywatch.evidence.models import Source

    return [str(key) for key in Source.objects.order_by("pk").values_list("key", flat=True)]


def country_codes(_records: dict) -> list[str]:
    from citywatch.atlas.models import Deployment

    codes = Deployment.objects.values_list("country_id", flat=True).distinct()
    return [*sorted({code.lower() for code in codes if code}), "fj"]


def record(key: str) -> Callable[[dict], list[str]]:
    return lambda records: [str(records[key])]


# URL name -> (who opens it, argument name -> values, extra query strings).
# who: "anonymous", "staff" (a superuser with two-factor set up) or "member" (logged in, no role).
PAGES: dict[str, tuple[str, dict[str, Filler], list[str]]] = {
    "web:home": ("anonymous", {}, ["", "?technology=facial-recognition"]),
    "atlas:deployment_list": ("anonymous", {}, ["", "?q=cameras&sort=title"]),
    "atlas:deployment": ("anonymous", {"slug": deployment_slugs}, [""]),
    "atlas:country": ("anonymous", {"code": country_codes}, [""]),
    "atlas:organisation": ("anonymous", {"slug": all_of("actors.Organisation", "slug")}, [""]),
    "atlas:source": ("anonymous", {"key": public_sources}, [""]),
    "research:search": ("anonymous", {}, ["", "?q=cameras"]),
    "commons:history": ("anonymous", {"slug": deployment_slugs}, [""]),
    "commons:tip_new": ("anonymous", {}, [""]),
    "commons:tip_thanks": ("anonymous", {}, [""]),
    "foi:list": ("anonymous", {}, [""]),
    "foi:detail": ("anonymous", {"key": all_of("foi.FoiRequest", "key")}, [""]),
    "foi:deadline": ("anonymous", {}, ["", "?law=es-19-2013&sent=2024-06-03"]),
    "foi:law": ("anonymous", {"law_id": lambda r: ["es-19-2013", "gb-foia-2000"]}, [""]),
    "exchange:index": ("anonymous", {}, [""]),
    "api:openapi-view": ("anonymous", {}, [""]),
    "account_login": ("anonymous", {}, [""]),
    "account_signup": ("anonymous", {}, [""]),
    "account_reset_password": ("anonymous", {}, [""]),
    "account_reset_password_done": ("anonymous", {}, [""]),
    "account_email_verification_sent": ("anonymous", {}, [""]),
    "account_inactive": ("anonymous", {}, [""]),
    "account_reset_password_from_key_done": ("anonymous", {}, [""]),
    "commons:review_queue": ("staff", {}, [""]),
    "commons:proposal": ("staff", {"key": record("proposal")}, [""]),
    "commons:tip_review": ("staff", {"key": record("tip")}, [""]),
    "commons:propose_edit": ("staff", {"slug": lambda r: ["belgrade-safe-city"]}, [""]),
    "commons:deployment_new": ("staff", {}, [""]),
    "commons:deployment_edit": ("staff", {"slug": lambda r: ["belgrade-safe-city"]}, [""]),
    "commons:account": ("staff", {}, [""]),
    "web:outbox": ("staff", {}, [""]),
    "web:outbox_message": ("staff", {"key": record("message")}, [""]),
    "exchange:import": ("staff", {}, [""]),
    "api_tokens": ("staff", {}, [""]),
    "research:document_new": ("staff", {}, [""]),
    "research:document_attach": ("staff", {"key": lambda r: public_sources(r)[:1]}, [""]),
    "foi:new": ("staff", {}, [""]),
    "foi:unmatched": ("staff", {}, [""]),
    "foi:unmatched_detail": ("staff", {"pk": record("mail")}, [""]),
    "foi:calendars": ("staff", {}, [""]),
    "account_email": ("staff", {}, [""]),
    "account_change_password": ("staff", {}, [""]),
    "account_reauthenticate": ("staff", {}, [""]),
    "account_logout": ("staff", {}, [""]),
    "mfa_index": ("staff", {}, [""]),
    "mfa_reauthenticate": ("staff", {}, [""]),
    "mfa_view_recovery_codes": ("staff", {}, [""]),
    "mfa_generate_recovery_codes": ("staff", {}, [""]),
    "mfa_deactivate_totp": ("staff", {}, [""]),
}
# Error pages: not URL patterns, but pages all the same.
ERROR_PAGES = [
    ("error-404", "anonymous", "/deployments/no-such-deployment-with-a-rather-long-address/"),
    ("error-403", "member", "/review/"),
]

NOT_PAGES: dict[str, str] = {
    "set_language": "POST only (the language switch)",
    "web:javascript_catalog": "JavaScript (translations for the map)",
    "web:continue": "a redirect after two-factor set-up (tests/browser/test_first_run_browser.py)",
    "web:": "favicon.ico redirect",
    "atlas:map_deployments": "JSON for the map",
    "atlas:map_countries": "JSON for the map",
    "atlas:map_popup": "JSON for the map",
    "atlas:source_by_number": "a redirect from a source's old address to atlas:source",
    "foi:request_by_number": "a redirect from a request's old address to foi:detail",
    "exchange:dataset_schema": "the JSON schema of citywatch.json (a file)",
    "commons:place_search": "JSON for the deal page's place search",
    "exchange:export": "export files (downloads)",
    "exchange:release_file": "release files (downloads)",
    "exchange:feed": "Atom feed",
    "exchange:country_feed": "Atom feed",
    "exchange:vendor_feed": "Atom feed",
    "exchange:technology_feed": "Atom feed",
    "foi:calendar": "iCalendar feed",
    "foi:action": "POST only (FOI desk actions; their forms are on foi:detail)",
    "commons:revert": "POST only (revert from the history page)",
    "commons:tip_file": "a tip's file (download)",
    "api_revoke_token": "POST only",
    "research:source_file": "a stored document (download)",
    "research:snapshot_file": "an archived copy (download)",
    "research:archive_now": "POST only",
    "research:cite": "POST only (its form is on the source's text page)",
    "research:accept_suggestion": "POST only",
    "research:source_text": "needs a stored document; the demo has none (tests/test_documents.py)",
    "research:suggestions": "needs a stored document; the demo has none (test_suggestions.py)",
    "account_confirm_email": "needs a key from an e-mail (tests/browser/test_first_run_browser.py)",
    "account_reset_password_from_key": "needs a key from an e-mail",
    "account_confirm_login_code": "login by code is off",
    "account_request_reauthentication_code": "re-authentication by code is off",
    "account_confirm_reauthentication_code": "re-authentication by code is off",
    "account_set_password": "redirects: every account here has a password",
    "mfa_authenticate": "the second login step (tests/browser/test_first_run_browser.py)",
    "mfa_activate_totp": "two-factor set-up (tests/browser/test_first_run_browser.py)",
    "mfa_download_recovery_codes": "a text file (download)",
}


def url_names() -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern's namespaced name, except Django's admin and the JSON API."""

    def walk(patterns, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue  # Django's own admin, staff housekeeping
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry.url_patterns, inner)
            else:
                name = namespace + (entry.name or "")
                if name.startswith("api:") and name != "api:openapi-view":
                    continue  # the JSON API (tests/test_api*.py)
                yield name, entry

    yield from walk(get_resolver().url_patterns, "")


def test_every_url_pattern_is_a_listed_page_or_not_a_page():
    unknown = sorted({name for name, _ in url_names() if name not in PAGES | NOT_PAGES})
    assert unknown == [], (
        "New URL patterns: add each to PAGES in this file (so the phone test opens it) "
        f"or to NOT_PAGES with the reason: {unknown}"
    )


def demo_records() -> dict:
    """A proposal, a tip, a kept e-mail and a reply that matched no request, so their pages
    exist."""
    from citywatch.atlas.models import Deployment
    from citywatch.commons import services, tips
    from citywatch.core import mail

    staff = staff_user()
    deployment = Deployment.objects.get(slug="belgrade-safe-city")
    proposal = services.propose_change(
        deployment,
        {"summary": deployment.summary + " The city council has not published the contract."},
        user=staff,
        reason="Council minutes of 12 May: https://council.example.org/minutes/2024-05-12/",
    )
    tip = tips.receive_tip(
        what="Facial recognition cameras at the main railway station, installed last month by "
        "Huawei according to the station staff",
        place="Novi Sad",
        vendor="Huawei",
        source_url="https://news.example.org/a/very/long/address/that/must/wrap/on/a/phone",
    )
    from django.core.mail import EmailMessage

    EmailMessage(
        "[CityWatch] A very long subject line about a freedom-of-information request reminder",
        "The request is overdue: https://citywatch.example.org/foi/1/?with=a&long=query-string"
        "-that-must-wrap-on-a-phone-screen-without-scrolling",
        to=["requester@example.org"],
    ).send()
    [message] = mail.list_messages(limit=1)
    from citywatch.foi.mail.filing import receive
    from citywatch.foi.models import InboundMail

    outcome = receive(
        b"From: Records Office <records@city-hall.example>\r\n"
        b"To: foi@citywatch.example.org\r\n"
        b"Subject: Re: your request about the traffic cameras and their very long contract\r\n"
        b"Message-ID: <unmatched-every-page@city-hall.example>\r\n\r\n"
        b"Please find the answer attached: https://city-hall.example/a/very/long/address/"
        b"that-must-wrap-on-a-phone-screen-without-scrolling\r\n"
    )
    assert outcome.state == "unmatched"
    unmatched = InboundMail.objects.get(message_id=outcome.message_id)
    return {"proposal": proposal.key, "tip": tip.key, "message": message.key, "mail": unmatched.pk}


def staff_user():
    from django.contrib.auth import get_user_model

    from tests.conftest import with_totp

    user_model = get_user_model()
    user = user_model.objects.filter(username="staff").first()
    if user is None:
        user = user_model.objects.create_superuser("staff", "staff@example.org", "x" * 16)
        with_totp(user)
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

        RecoveryCodes.activate(user)
    return user


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def urls_to_visit(records: dict) -> list[tuple[str, str, str]]:
    """(name, who, path) for every page, in PAGES order."""
    from django.urls import reverse

    visits = []
    for name, (who, fillers, queries) in PAGES.items():
        if not fillers:
            argument_sets: list[dict] = [{}]
        else:
            [(argument, filler)] = fillers.items()
            argument_sets = [{argument: value} for value in filler(records)]
        for arguments in argument_sets:
            for query in queries:
                visits.append((name, who, reverse(name, kwargs=arguments) + query))
    return visits


def wider_than_the_screen(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def shot_name(name: str, who: str, path: str) -> str:
    return (name.replace(":", "-").replace("_", "-") + "-" + who).strip("-")


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "citywatch.core.mail.OutboxBackend"
    settings.CITYWATCH_OUTBOX_DIR = tmp_path / "outbox"


def test_no_page_scrolls_sideways_on_a_phone(
    browser, live_demo, outbox, screenshot_dir, django_user_model
):
    from django.contrib.auth import get_user_model

    records = demo_records()
    member = get_user_model().objects.create_user("member", "member@example.org", "x" * 16)
    cookies = {
        "staff": session_cookie(staff_user()),
        "member": session_cookie(member),
    }
    contexts = {}
    for who in ("anonymous", "staff", "member"):
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        if who in cookies:
            context.add_cookies(
                [{"name": "sessionid", "value": cookies[who], "url": live_demo.url}]
            )
        contexts[who] = context.new_page()

    visits = urls_to_visit(records)
    visits += [(name, who, path) for name, who, path in ERROR_PAGES]
    too_wide, errors, shot = [], [], set()
    for name, who, path in visits:
        page = contexts[who]
        page.set_viewport_size(PHONE)
        response = page.goto(live_demo.url + path, wait_until="load")
        expected = {"error-404": 404, "error-403": 403}.get(name, 200)
        if response is None or response.status != expected:
            errors.append(f"{path} ({who}): HTTP {response and response.status}")
            continue
        if page.locator("#map").count():
            page.wait_for_selector("#map[data-ready=true]", timeout=15000)
        overflow = wider_than_the_screen(page)
        if overflow > 0:
            too_wide.append(f"{path} ({who}) by {overflow}px")
        if name not in shot:  # one pair of screenshots per page kind
            shot.add(name)
            label = shot_name(name, who, path)
            page.screenshot(path=screenshot_dir / f"page-{label}-390.png", full_page=True)
            page.set_viewport_size(DESKTOP)
            page.reload(wait_until="load")  # laid out afresh at desktop width
            if page.locator("#map").count():
                page.wait_for_selector("#map[data-ready=true]", timeout=15000)
            page.screenshot(path=screenshot_dir / f"page-{label}-1366.png", full_page=True)
    for page in contexts.values():
        page.context.close()
    assert errors == []
    assert too_wide == [], "pages wider than a 390 px phone:\n" + "\n".join(too_wide)
    assert len(shot) == len(PAGES) + len(ERROR_PAGES)


def test_the_api_docs_fit_a_phone_and_link_back(page, live_demo, screenshot_dir):
    page.set_viewport_size(PHONE)
    page.goto(live_demo.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert wider_than_the_screen(page) <= 0
    back = page.get_by_role("link", name="CityWatch")
    assert back.first.get_attribute("href") == "/"
    page.screenshot(path=screenshot_dir / "page-api-docs-loaded-390.png", full_page=False)


def test_the_500_page_fits_a_phone_and_has_a_way_back(browser, live_demo, settings, screenshot_dir):
    settings.ROOT_URLCONF = "tests.crash_urls"
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    context.add_cookies([{"name": "django_language", "value": "es", "url": live_demo.url}])
    page = context.new_page()
    response = page.goto(live_demo.url + "/crash-for-tests/")
    assert response.status == 500
    assert page.get_attribute("html", "lang") == "es"
    assert wider_than_the_screen(page) <= 0
    assert page.locator("a[href='/']").count() >= 1
    page.screenshot(path=screenshot_dir / "page-error-500-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=screenshot_dir / "page-error-500-1366.png", full_page=True)
    context.close()
