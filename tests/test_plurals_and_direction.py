"""Counted text goes through ngettext, and user text carries its direction and language
(issue 12). English plural forms are checked now; the Serbian (both scripts), Spanish and
French forms need the translation pass (tests marked ``needs_translations`` below)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment, Party
from citywatch.evidence.models import Citation, Source

pytestmark = pytest.mark.django_db


def count_phrase(name: str, count: int) -> str:
    """The deployments count as the pages show it (the map's script counts with the same
    plural rule, from Django's JavaScript catalogue)."""
    assert name == "deployments"
    template = translation.ngettext("%(counter)s deployment", "%(counter)s deployments", count)
    return template % {"counter": count}


# ---------------------------------------------------------------- plural forms


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 deployments"), (1, "1 deployment"), (2, "2 deployments"), (21, "21 deployments")],
)
def test_english_plural_forms(count, text):
    with translation.override("en"):
        assert count_phrase("deployments", count) == text


def test_the_map_counts_with_the_catalogues_plural_formula(client, demo):
    """The map script takes its plural forms from Django's JavaScript catalogue (its formula
    is generated code, so the strict CSP needs no eval)."""
    html = client.get("/").content.decode()
    assert "/jsi18n/" in html
    with translation.override("sr-latn"):
        script = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
    assert "pluralidx" in script


SERBIAN = {1: "1 primena", 2: "2 primene", 5: "5 primena", 21: "21 primena", 22: "22 primene",
           111: "111 primena", 1001: "1001 primena", 1002: "1002 primene"}  # fmt: skip


@pytest.mark.needs_translations
@pytest.mark.parametrize("language", ["sr-latn", "sr"])
def test_serbian_has_three_forms_in_both_scripts(language):
    """Serbian: one form for 1, 21, 101…; one for 2–4, 22–24…; one for the rest."""
    from citywatch.web.cyrillic import to_cyrillic

    with translation.override(language):
        for count, text in SERBIAN.items():
            expected = text if language == "sr-latn" else to_cyrillic(text)
            assert count_phrase("deployments", count) == expected


@pytest.mark.needs_translations
@pytest.mark.parametrize(
    ("language", "one", "many"),
    [("es", "1 despliegue", "2 despliegues"), ("fr", "1 déploiement", "2 déploiements")],
)
def test_spanish_and_french_forms(language, one, many):
    with translation.override(language):
        assert count_phrase("deployments", 1) == one
        assert count_phrase("deployments", 2) == many
        zero = "0 déploiement" if language == "fr" else "0 despliegues"
        assert count_phrase("deployments", 0) == zero


def test_counted_text_on_pages_in_english(client, demo):
    organisation = client.get("/organisations/huawei/").content.decode()
    assert re.search(r"CityWatch documents \d+ deployments in \d+ countries\.", organisation)
    assert "1 deployment of" in client.get("/deployments/?q=eLTE").content.decode()
    results = client.get("/search/", {"q": "eLTE"}).content.decode()
    assert "1 result" in results and "1 results" not in results


def test_commands_count_in_words(capsys, demo):
    call_command("reindex")
    out = capsys.readouterr().out
    assert re.search(r"Indexed \d+ deployments, \d+ organisations, 250 countries", out)
    assert "(s)" not in out


# ---------------------------------------------------------------- direction and language


ARABIC_TITLE = "مدينة آمنة في القاهرة (Huawei)"


@pytest.fixture
def arabic(demo):
    deployment = Deployment.objects.create(
        title=ARABIC_TITLE,
        slug="cairo-safe-city",
        country_id="EG",
        status="announced",
        certainty="reported",
        summary="كاميرات مراقبة في الشوارع (Huawei).",
    )
    Party.objects.create(
        deployment=deployment,
        organisation=Organisation.objects.get(slug="huawei"),
        role="supplier",
    )
    source = Source.objects.create(title="تقرير عن الكاميرات", kind="media", language="ar")
    Citation.objects.create(source=source, target=deployment, quote="كاميرات ذكية (Huawei)")
    return deployment


def enclosing_tags(html: str, text: str) -> list[str]:
    """For each place ``text`` appears in the page body, the opening tag just before it."""
    body = html[html.index("<body") :]
    tags, start = [], 0
    while (found := body.find(text, start)) != -1:
        before = body[:found]
        tags.append(before[before.rindex("<") :])
        start = found + len(text)
    return tags


def test_user_text_is_marked_dir_auto_on_every_page(client, arabic):
    for url in [
        "/deployments/cairo-safe-city/",
        "/deployments/?q=القاهرة",
        "/countries/eg/",
        "/organisations/huawei/",
    ]:
        html = client.get(url).content.decode()
        tags = enclosing_tags(html, ARABIC_TITLE)
        assert tags, url
        for tag in tags:
            if tag.startswith('<pre class="reference" tabindex="0">@misc'):
                continue  # BibTeX is code: it stays left to right
            assert 'dir="auto"' in tag or tag.startswith("<bdi"), (url, tag)


def test_search_hits_and_snippets_carry_direction(client, arabic):
    html = client.get("/search/", {"q": "القاهرة"}).content.decode()
    assert 'href="/deployments/cairo-safe-city/" dir="auto"' in html
    snippet = client.get("/search/", {"q": "كاميرات"}).content.decode()
    assert re.search(r'<p class="snippet" dir="auto"[^>]*>[^<]*<mark>', snippet)


def test_quotes_in_another_language_carry_lang(client, arabic):
    html = client.get("/deployments/cairo-safe-city/").content.decode()
    assert '<blockquote dir="auto" lang="ar">كاميرات ذكية (Huawei)</blockquote>' in html
    source = Source.objects.get(title="تقرير عن الكاميرات")
    page = client.get(f"/sources/{source.key}/").content.decode()
    assert '<h1 dir="auto" lang="ar">' in page
    # A quote in the page's own language needs no lang attribute.
    source.language = "en"
    source.save()
    html = client.get("/deployments/cairo-safe-city/").content.decode()
    assert '<blockquote dir="auto">كاميرات ذكية (Huawei)</blockquote>' in html


def test_malformed_language_codes_give_no_attribute(client, arabic):
    Source.objects.filter(language="ar").update(language='x"><b>')
    html = client.get("/deployments/cairo-safe-city/").content.decode()
    assert "<b>" not in html
    assert '<blockquote dir="auto">كاميرات ذكية (Huawei)</blockquote>' in html


def test_map_popup_script_isolates_user_text():
    from pathlib import Path

    import citywatch

    script = (Path(citywatch.__file__).parent / "web/static/citywatch/js/map.js").read_text()
    assert 'title.dir = "auto"' in script
    assert 'document.createElement("bdi")' in script
