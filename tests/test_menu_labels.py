"""Menu labels are short in every language (issue 12): the header must fit in a fifth of a
phone screen (tests/browser/test_language_browser.py measures it). The menu has its own
messages (context "menu"), so a page text such as "FOI requests" can be translated in full
while the menu says "Zahtevi"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MAX_LABEL = 14
MAX_MENU = 64


@pytest.mark.parametrize("language", ["en", "es", "fr", "sr-latn", "sr"])
def test_menu_labels_are_short(language):
    html = Client(HTTP_ACCEPT_LANGUAGE=language).get("/").content.decode()
    assert f'<html lang="{language}">' in html
    menu = re.search(r'<ul class="nav">(.*?)</ul>', html, re.DOTALL).group(1)
    labels = [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", menu)]
    assert len(labels) == 6, labels
    for label in labels:
        assert len(label) <= MAX_LABEL, (language, label)
    assert sum(len(label) for label in labels) <= MAX_MENU, (language, labels)
