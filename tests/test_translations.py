"""The interface is complete in Spanish, French and Serbian (Latin): no untranslated message.

The check extracts the messages from the code as it is now (Django's makemessages, which uses
GNU gettext) into a scratch copy, so a new string without a translation fails here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "citywatch"
LANGUAGES = ["es", "fr", "sr_Latn"]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The shipped catalogues merged with the messages the code contains today."""
    copy = tmp_path_factory.mktemp("messages") / "citywatch"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    command = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "--no-location",
        "--no-obsolete",
        *[f"--locale={language}" for language in LANGUAGES],
        "--settings=citywatch.settings",
    ]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(fresh_catalogues, language):
    catalogue = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"
    assert len(catalogue) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_catalogue_is_compiled_and_valid(language):
    po_file = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    mo_file = po_file.with_suffix(".mo")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "-", str(po_file)], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert mo_file.read_bytes() == result.stdout, "run msgfmt: the .mo file is out of date"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Despliegues", "Fuentes", "Anunciado"]),
        ("fr", ["Déploiements", "Sources"]),
        ("sr-latn", ["Izvori"]),
    ],
)
def test_pages_render_in_each_language(demo, language, words):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, word
