"""What every export says about itself: the licence, who publishes it and how to cite it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

FORMAT_NAME = "citywatch-dataset"
FORMAT_VERSION = "1.1"
LICENCE_ID = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "CityWatch"
DATASET_TITLE = "CityWatch: smart-city and safe-city surveillance deployments"


def site_url(path: str = "") -> str:
    """An absolute address on this site (CITYWATCH_SITE_URL), e.g. for permalinks in files."""
    return settings.CITYWATCH_SITE_URL + path


def cite_as(retrieved: dt.date, release: str = "") -> str:
    """How to cite the dataset, in one line."""
    edition = f", release {release}" if release else ""
    return (
        f"CityWatch contributors, “{DATASET_TITLE}”{edition}, {site_url('/exports/')}, "
        f"retrieved {retrieved.isoformat()}. Licensed under CC BY 4.0 ({LICENCE_URL})."
    )


def licence() -> dict[str, str]:
    return {"id": LICENCE_ID, "title": LICENCE_TITLE, "url": LICENCE_URL}


def about(exported_at: dt.datetime, release: str = "") -> dict[str, object]:
    """The header every JSON export starts with."""
    return {
        "title": DATASET_TITLE,
        "publisher": PUBLISHER,
        "site": site_url("/"),
        "licence": licence(),
        "cite_as": cite_as(exported_at.date(), release),
        "exported_at": exported_at.isoformat().replace("+00:00", "Z"),
        **({"release": release} if release else {}),
    }
