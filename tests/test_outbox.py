"""The outbox: with no mail server, every e-mail is kept for staff to read at /outbox/."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives

from citywatch.core import mail
from citywatch.core.mail import EmailURLError, email_settings_from_url

pytestmark = pytest.mark.django_db
PASSWORD = "a long test passphrase"


@pytest.fixture
def outbox(settings, tmp_path):
    """The outbox backend (the embedded default), in a folder of its own."""
    settings.EMAIL_BACKEND = mail.OUTBOX_BACKEND
    settings.CITYWATCH_OUTBOX_DIR = tmp_path / "outbox"
    return tmp_path / "outbox"


def test_the_default_settings_keep_mail_in_the_outbox(monkeypatch):
    # pytest-django swaps EMAIL_BACKEND for the test run; the settings module's own choice:
    import importlib

    for name in ("CITYWATCH_EMAIL_URL", "CITYWATCH_EMAIL_HOST", "CITYWATCH_EMAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)

    import citywatch.settings as project_settings

    importlib.reload(project_settings)
    assert project_settings.EMAIL_BACKEND == mail.OUTBOX_BACKEND
    assert project_settings.CITYWATCH_OUTBOX_DIR == project_settings.DATA_DIR / "outbox"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("outbox:", {"EMAIL_BACKEND": mail.OUTBOX_BACKEND}),
        (
            "smtp://ana%40example.org:s3cr%2Ft@mail.example.org:587?tls=1",
            {
                "EMAIL_BACKEND": mail.SMTP_BACKEND,
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "ana@example.org",
                "EMAIL_HOST_PASSWORD": "s3cr/t",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtps://relay.example.org",
            {
                "EMAIL_BACKEND": mail.SMTP_BACKEND,
                "EMAIL_HOST": "relay.example.org",
                "EMAIL_PORT": 465,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": True,
            },
        ),
        (
            "smtp://localhost",
            {
                "EMAIL_BACKEND": mail.SMTP_BACKEND,
                "EMAIL_HOST": "localhost",
                "EMAIL_PORT": 25,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            },
        ),
    ],
)
def test_email_url(url, expected):
    assert email_settings_from_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://mail.example.org", "smtp://", "mail.example.org"])
def test_bad_email_url_is_refused_with_a_message(url):
    with pytest.raises(EmailURLError, match="CITYWATCH_EMAIL_URL"):
        email_settings_from_url(url)


def test_a_message_is_kept_as_a_file_and_read_back(outbox):
    message = EmailMultiAlternatives(
        "Solicitud de información",
        "Plain body with a link https://example.org/letter?a=1&b=2",
        "desk@example.org",
        ["transparencia@example.es"],
    )
    message.attach_alternative("<p>HTML <script>alert(1)</script></p>", "text/html")
    assert message.send() == 1
    files = sorted(outbox.iterdir())
    assert len(files) == 1
    assert files[0].suffix == ".eml"
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    [kept] = mail.list_messages()
    assert kept.subject == "Solicitud de información"
    assert kept.recipients == "transparencia@example.es"
    assert kept.body.strip() == "Plain body with a link https://example.org/letter?a=1&b=2"


def test_names_outside_the_outbox_are_refused(outbox):
    assert mail.read_message("../secret_key") is None
    assert mail.read_message("20240101T000000000000Z-0000000g.eml") is None


def staff_client(client, django_user_model):
    from tests.conftest import with_totp

    user = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    with_totp(user)
    client.force_login(user)
    return client


def test_signup_verification_mail_lands_in_the_outbox_and_names_the_site(
    client, django_user_model, outbox, settings
):
    settings.CITYWATCH_SITE_NAME = "Atlas of Smart Cities"
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    [kept] = mail.list_messages()
    assert kept.recipients == "new@example.org"
    assert kept.subject.startswith("[Atlas of Smart Cities] ")
    assert "Hello from Atlas of Smart Cities!" in kept.body
    assert "register an account on Atlas of Smart Cities." in kept.body
    # The test server's host appears only inside links, never as the site's name.
    without_links = " ".join(w for w in kept.body.split() if not w.startswith("http"))
    assert "testserver" not in without_links

    client.logout()
    page = staff_client(client, django_user_model).get("/outbox/").content.decode()
    assert "new@example.org" in page
    detail = client.get(f"/outbox/{kept.key}/").content.decode()
    link = next(w for w in kept.body.split() if "/accounts/confirm-email/" in w)
    assert f'<a href="{link}"' in detail  # clickable


def test_mail_bodies_are_never_rendered_as_html(client, django_user_model, outbox):
    EmailMultiAlternatives(
        "Tip", "<img src=x onerror=alert(1)> see https://example.org", to=["a@example.org"]
    ).send()
    [kept] = mail.list_messages()
    detail = staff_client(client, django_user_model).get(f"/outbox/{kept.key}/").content.decode()
    assert "<img src=x" not in detail
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail
    assert '<a href="https://example.org"' in detail


@pytest.mark.parametrize("role", ["anonymous", "user", "reviewer"])
def test_only_staff_read_the_outbox(client, django_user_model, make_member, outbox, role):
    EmailMultiAlternatives("Reset", "https://example.org/reset/KEY", to=["a@example.org"]).send()
    [kept] = mail.list_messages()
    if role == "user":
        user = django_user_model.objects.create_user("u", "u@example.org", PASSWORD)
        client.force_login(user)
    elif role == "reviewer":
        client.force_login(make_member("reviewer", "A"))
    for url in ("/outbox/", f"/outbox/{kept.key}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"reset/KEY" not in response.content
        if role == "anonymous":
            assert response.headers["Location"].startswith("/accounts/login/")


def test_django_test_mail_still_works_in_tests():
    """pytest-django's locmem backend is untouched where a test does not ask for the outbox."""
    EmailMultiAlternatives("x", "y", to=["a@example.org"]).send()
    assert len(django_mail.outbox) == 1


def test_createadmin_makes_an_administrator_who_can_log_in(client):
    from django.core.management import call_command

    call_command("createadmin", email="ana@example.org", generate_password=True, stdout=None)
    address = EmailAddress.objects.get(email="ana@example.org")
    assert address.verified and address.primary
    assert address.user.is_superuser and address.user.is_staff
