"""The Serbian Cyrillic interface (``sr``): made from the Serbian Latin catalogue by
scripts/make_cyrillic_catalogue.py, it must match a fresh transliteration and compile."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.test import Client

from citywatch.web.cyrillic import to_cyrillic

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_cyrillic_catalogue.py"
CYRILLIC_PO = ROOT / "src" / "citywatch" / "locale" / "sr" / "LC_MESSAGES" / "django.po"
LATIN_PO = ROOT / "src" / "citywatch" / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"


def load_script():
    spec = importlib.util.spec_from_file_location("make_cyrillic_catalogue", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_catalogue_is_a_fresh_transliteration():
    fresh = load_script().cyrillic_catalogue(LATIN_PO)
    assert CYRILLIC_PO.read_text(encoding="utf-8") == fresh, (
        "the sr catalogue is out of date: run scripts/make_cyrillic_catalogue.py"
    )


def test_catalogue_compiles_and_the_mo_file_is_current():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "-", str(CYRILLIC_PO)], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert CYRILLIC_PO.with_suffix(".mo").read_bytes() == result.stdout


def test_the_script_reports_a_stale_catalogue(tmp_path, monkeypatch):
    module = load_script()
    stale = tmp_path / "sr" / "LC_MESSAGES" / "django.po"
    stale.parent.mkdir(parents=True)
    stale.write_text("", encoding="utf-8")
    monkeypatch.setattr(module, "CYRILLIC", stale)
    monkeypatch.setattr("sys.argv", ["make_cyrillic_catalogue.py", "--check"])
    assert module.main() == 1
    monkeypatch.setattr("sys.argv", ["make_cyrillic_catalogue.py"])
    assert module.main() == 0
    monkeypatch.setattr("sys.argv", ["make_cyrillic_catalogue.py", "--check"])
    assert module.main() == 0
    assert "Извори" in stale.read_text(encoding="utf-8")


PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[sd]|\{\w*\}|<[^>]+>|https?://\S+")


def test_placeholders_tags_and_addresses_survive_in_every_message():
    latin = polib.pofile(str(LATIN_PO))
    cyrillic = {entry.msgid: entry for entry in polib.pofile(str(CYRILLIC_PO))}
    checked = 0
    for entry in latin:
        other = cyrillic[entry.msgid]
        pairs = [(entry.msgstr, other.msgstr)]
        pairs += [(entry.msgstr_plural[k], other.msgstr_plural[k]) for k in entry.msgstr_plural]
        for before, after in pairs:
            assert sorted(PLACEHOLDER.findall(before)) == sorted(PLACEHOLDER.findall(after))
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Izvori", "Извори"),
        ("Ljubljana, Njegoš, džep, Đorđe", "Љубљана, Његош, џеп, Ђорђе"),
        ("%(count)s primena u %(country)s", "%(count)s примена у %(country)s"),
        ("{count} dana, {day}", "{count} дана, {day}"),
        ('<a href="/api/docs">dokumentacija</a>', '<a href="/api/docs">документација</a>'),
        ("Vidi https://x.org/a i ana@x.org", "Види https://x.org/a и ana@x.org"),
        ("Preuzmi citywatch.json ili /feeds/rs.atom", "Преузми citywatch.json или /feeds/rs.atom"),
        ("Huawei, CityWatch, eLTE, CSV i PDF", "Huawei, CityWatch, eLTE, CSV и PDF"),
        ("Pokreni <code>citywatch import</code>", "Покрени <code>citywatch import</code>"),
        ("Datum u obliku GGGG-MM-DD", "Датум у облику ГГГГ-ММ-ДД"),
        ("100%% sigurno, %s i %d", "100%% сигурно, %s и %d"),
        ("Licenca AGPL-3.0-or-later", "Лиценца AGPL-3.0-or-later"),
    ],
)  # fmt: skip
def test_transliteration_keeps_what_is_not_serbian_text(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.django_db
def test_pages_in_cyrillic(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="sr")
    html = client.get("/deployments/belgrade-safe-city/").content.decode()
    assert '<html lang="sr">' in html
    assert "Извори" in html
    latin = Client(HTTP_ACCEPT_LANGUAGE="sr-Latn").get("/deployments/belgrade-safe-city/")
    assert '<html lang="sr-latn">' in latin.content.decode()
    assert "Izvori" in latin.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_offers_both_scripts(client):
    html = client.get("/").content.decode()
    assert '<option value="sr">српски</option>' in html
    assert '<option value="sr-latn">srpski (latinica)</option>' in html
    response = client.post("/i18n/setlang/", {"language": "sr", "next": "/deployments/"})
    assert response.status_code == 302
    assert '<html lang="sr">' in client.get("/deployments/").content.decode()
