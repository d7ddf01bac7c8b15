"""A newcomer's first minutes, in Chromium: the demo, an administrator made as the README
says, logging in, two-factor set-up, the review queue; and signing up with the outbox."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import snap, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "a long test passphrase"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "citywatch.core.mail.OutboxBackend"
    settings.CITYWATCH_OUTBOX_DIR = tmp_path / "outbox"
    return tmp_path / "outbox"


def readme_admin_command() -> list[str]:
    """The command the README's first lines give, e.g. ["demo", "--admin"]."""
    first_lines = README.read_text().split("## ", 1)[0]
    match = re.search(r"^    scripts/demo (.+)$", first_lines, re.MULTILINE)
    assert match, "the README's first lines must say how to get an administrator"
    return ["demo", *match.group(1).split()]


def test_fresh_demo_admin_logs_in_sets_up_two_factor_and_reviews(
    page, live_demo, screenshot_dir, outbox
):
    output = io.StringIO()
    command, *flags = readme_admin_command()
    assert flags == ["--admin"]
    call_command(command, admin=True, no_serve=True, stdout=output)
    printed = output.getvalue()
    password = re.search(r"Password \(shown only now\): (\S+)", printed).group(1)
    email = re.search(r"as (\S+@\S+) with the password above", printed).group(1)
    assert "Ctrl+C" not in printed  # --no-serve: nothing to stop

    page.goto(live_demo.url + "/accounts/login/")
    snap(page, screenshot_dir, "flow-admin-1-login")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()

    # Straight to two-factor set-up: no second password prompt, and the page explains itself.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.inner_text("h1") == "Set up two-factor authentication"
    text = page.inner_text("main")
    for words in ("What it is:", "Why:", "Which app:", "Aegis", "FreeOTP", "six-digit code"):
        assert words in text
    assert page.locator("img.totp-qr").is_visible()
    snap(page, screenshot_dir, "flow-admin-2-two-factor-setup")

    secret = page.inner_text("#authenticator_secret")
    page.fill("input[name=code]", "000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Activate").click()
    assert "Incorrect code" in page.inner_text("main")
    snap(page, screenshot_dir, "flow-admin-3-wrong-code")

    page.fill("input[name=code]", totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert "Two-factor authentication is on" in page.inner_text("main")
    snap(page, screenshot_dir, "flow-admin-4-recovery-codes")

    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/review/")
    assert page.inner_text("h1") == "Review queue"
    snap(page, screenshot_dir, "flow-admin-5-review-queue")
    assert page.console_errors == []


def test_sign_up_sends_the_verification_mail_to_the_outbox(
    browser, page, live_demo, screenshot_dir, outbox, django_user_model
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    page.goto(live_demo.url + "/accounts/signup/")
    snap(page, screenshot_dir, "flow-signup-1-form")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    snap(page, screenshot_dir, "flow-signup-2-check-your-mail")
    assert len(list(outbox.iterdir())) == 1

    # An administrator (with an authenticator app) reads the outbox.
    admin = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    staff = browser.new_context(viewport=page.viewport_size, locale="en-GB")
    staff_page = staff.new_page()
    staff_page.goto(live_demo.url + "/accounts/login/?next=/outbox/")
    staff_page.fill("input[name=login]", admin.email)
    staff_page.fill("input[name=password]", PASSWORD)
    staff_page.locator("main form button[type=submit]").click()
    staff_page.wait_for_url("**/accounts/2fa/authenticate/")
    staff_page.fill("input[name=code]", totp_code(secret))
    staff_page.get_by_role("button", name="Sign In").click()
    staff_page.wait_for_url("**/outbox/")
    snap(staff_page, screenshot_dir, "flow-signup-3-outbox")
    staff_page.get_by_role("link", name=re.compile("Please Confirm Your Email Address")).click()
    body = staff_page.inner_text("pre.mail-body")
    assert "Hello from CityWatch!" in body
    snap(staff_page, screenshot_dir, "flow-signup-4-outbox-message")
    link = staff_page.locator("pre.mail-body a[href*='/accounts/confirm-email/']")
    href = link.get_attribute("href")
    staff.close()

    # The newcomer follows the link from the message and confirms the address.
    page.goto(href)
    snap(page, screenshot_dir, "flow-signup-5-confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))
    assert EmailAddress.objects.get(email="newcomer@example.org").verified
    assert page.console_errors == []
