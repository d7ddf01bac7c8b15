"""'Cite this record': a deployment as a plain-text reference and as a BibTeX entry."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext as _

from citywatch.atlas.models import Deployment

SITE_NAME = "CityWatch"
BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda match: "\\" + match.group(1), text)


def plain_reference(deployment: Deployment, permalink: str, accessed: dt.date) -> str:
    changed = formats.date_format(deployment.updated_at, "DATE_FORMAT")
    seen = formats.date_format(accessed, "DATE_FORMAT")
    return _("%(site)s. “%(title)s”. Last changed %(changed)s. %(link)s (%(seen)s).") % {
        "site": SITE_NAME,
        "title": deployment.title,
        "changed": changed,
        "link": permalink,
        "seen": seen,
    }


def bibtex_entry(deployment: Deployment, permalink: str, accessed: dt.date) -> str:
    key = "citywatch-" + re.sub(r"[^a-z0-9-]", "", deployment.slug.lower())
    fields = [
        ("author", "{CityWatch}"),
        ("title", "{" + bibtex_escape(deployment.title) + "}"),
        ("year", str(deployment.updated_at.year)),
        ("howpublished", "{CityWatch}"),
        ("url", "{" + permalink + "}"),
        ("urldate", "{" + accessed.isoformat() + "}"),
        ("note", "{Last changed " + deployment.updated_at.date().isoformat() + "}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
