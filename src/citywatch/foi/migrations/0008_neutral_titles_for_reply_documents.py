# Documents of replies filed before they had neutral titles were called by their file name
# ("odgovor-Ana-Petrovic.pdf (Ministry of Interior)", the names redacted when published; a
# surname in lower case or glued, "petrovic.a-resenje.pdf", survived), and so were their
# stored files. File names often name people. Each such document now gets the neutral title
# new ones get (citywatch.foi.naming: "Reply of June 19, 2024 from <authority>, document 2
# of 3", in the site's language), in its history too, and its stored files
# (as received, and the cleaned public copy) a name made from that title. A title someone
# typed is kept. The attachment keeps its file name for the request's team.
#
# The search index held the old titles, and FOI requests' letters as stored (indexed before
# the index took their public view): those entries are deleted here, and rebuilt with the
# current code right after the last migration (citywatch.research.search.index_missing,
# run by `citywatch migrate` and `citywatch init`). Not reversed: the old titles named people.

import re

from django.conf import settings
from django.db import migrations
from django.utils import formats, translation
from django.utils.translation import gettext as _

from citywatch.core.slugs import slug_text

EXTENSIONS = {
    "application/pdf": "pdf",
    "text/html": "html",
    "text/plain": "txt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "application/zip": "zip",
    "application/xml": "xml",
}


def document_title(authority, on, position, count):
    """As citywatch.foi.naming.document_title wrote it when this migration was made."""
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


def made_from_file_name(title, filename):
    """As citywatch.foi.naming.made_from_file_name."""
    if not filename:
        return False
    if title == filename or title.startswith(f"{filename} ("):
        return True
    extension = re.search(r"\.[A-Za-z0-9]{1,5}$", filename)
    if extension is None:
        return False
    suffix = re.escape(extension.group(0))
    return re.search(rf"{suffix}(?: \(|$)", title, flags=re.IGNORECASE) is not None


def file_name_for(title, media_type):
    """As citywatch.evidence.documents.file_name_for."""
    stem = slug_text(title, max_length=120) or "document"
    return f"{stem}.{EXTENSIONS.get(media_type, 'bin')}"


def neutral_titles(apps, schema_editor):
    FoiAttachment = apps.get_model("foi", "FoiAttachment")
    Source = apps.get_model("evidence", "Source")
    HistoricalSource = apps.get_model("evidence", "HistoricalSource")
    StoredFile = apps.get_model("evidence", "StoredFile")
    SearchEntry = apps.get_model("evidence", "SearchEntry")
    siblings = {}
    for message_id, pk in FoiAttachment.objects.order_by("message_id", "pk").values_list(
        "message_id", "pk"
    ):
        siblings.setdefault(message_id, []).append(pk)
    retitled = []
    attachments = FoiAttachment.objects.select_related(
        "message__request__authority", "source__document", "received_file"
    ).order_by("pk")
    for attachment in attachments:
        source = attachment.source
        if not made_from_file_name(source.title, attachment.filename):
            continue
        message = attachment.message
        letter = siblings[message.pk]
        title = document_title(
            message.request.authority.name,
            message.on,
            letter.index(attachment.pk) + 1,
            len(letter),
        )
        Source.objects.filter(pk=source.pk).update(title=title)
        for past in HistoricalSource.objects.filter(id=source.pk).exclude(title=title):
            if made_from_file_name(past.title, attachment.filename):
                HistoricalSource.objects.filter(pk=past.pk).update(title=title)
        for stored in (source.document, attachment.received_file):
            if stored is not None:
                name = file_name_for(title, stored.media_type)
                StoredFile.objects.filter(pk=stored.pk).exclude(original_name=name).update(
                    original_name=name
                )
        retitled.append(source.pk)
    SearchEntry.objects.filter(kind="foi_request").delete()
    for start in range(0, len(retitled), 500):
        SearchEntry.objects.filter(
            kind__in=("source", "document"), object_id__in=retitled[start : start + 500]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("foi", "0007_request_keys_required_and_unique"),
        ("evidence", "0008_source_legacy_number"),
    ]

    operations = [migrations.RunPython(neutral_titles, migrations.RunPython.noop)]
