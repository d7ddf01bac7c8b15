"""The public name of a document that came with a reply: a neutral title, never its file name.

File names often name people ("petrovic.a-resenje.pdf", "APetrovic.pdf", "одговор Ана.pdf"),
and no redaction finds every way a name is written in one. So a document of a reply is
called by what it is — "Reply of June 19, 2024 from Ayuntamiento de Rivas-Vaciamadrid,
document 2 of 3" — from the moment it is filed, and its stored file by the same
words (``evidence.documents.file_name_for``). The name it arrived with stays on the
attachment (``FoiAttachment.filename``), shown only to the request's team.

The title is written in the site's language (``settings.LANGUAGE_CODE``): it is stored, like
every title, and read by the pages, the API, the exports and the search index alike.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _


def document_title(*, authority: str, on: dt.date | None, position: int = 1, count: int = 1) -> str:
    """The neutral title of document ``position`` of ``count`` of a reply from
    ``authority``, received on ``on`` (a day; None when not known), in the site's language.
    One document alone is not numbered. The request is not named: its number runs in sequence
    over hidden requests too, and a public document may come from a request that is not public.

    >>> document_title(authority="Rivas", on=dt.date(2024, 6, 19), position=2, count=3)
    'Reply of June 19, 2024 from Rivas, document 2 of 3'
    """
    values = {"authority": authority, "position": position, "count": count}
    with translation.override(settings.LANGUAGE_CODE):
        if on is not None:
            values["day"] = formats.date_format(on, "DATE_FORMAT")
            if count > 1:
                text = _("Reply of %(day)s from %(authority)s, document %(position)d of %(count)d")
            else:
                text = _("Reply of %(day)s from %(authority)s")
        elif count > 1:
            text = _("Reply from %(authority)s, document %(position)d of %(count)d")
        else:
            text = _("Reply from %(authority)s")
        return (text % values)[:500]


def title_of(attachment) -> str:
    """The neutral title of an attachment (``FoiAttachment``): its place among the documents
    of its letter, in the order they were filed."""
    message = attachment.message
    documents = list(message.attachments.order_by("pk").values_list("pk", flat=True))
    position = documents.index(attachment.pk) + 1 if attachment.pk in documents else 1
    return document_title(
        authority=message.request.authority.name,
        on=message.on,
        position=position,
        count=max(len(documents), 1),
    )


def made_from_file_name(title: str, filename: str) -> bool:
    """Whether a document's title was made from its file name (as CityWatch titled reply
    documents before they had neutral titles: "<file name> (<authority>)", with names
    redacted when published), rather than typed by someone: it is the file name, or holds
    the file name's extension followed by the authority in brackets, or ends with it."""
    if not filename:
        return False
    if title == filename or title.startswith(f"{filename} ("):
        return True
    extension = re.search(r"\.[A-Za-z0-9]{1,5}$", filename)
    if extension is None:
        return False
    suffix = re.escape(extension.group(0))
    return re.search(rf"{suffix}(?: \(|$)", title, flags=re.IGNORECASE) is not None
