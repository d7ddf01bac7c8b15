# Reply documents recorded before sources had a visibility of their own were created public,
# with notes naming their request ("Released in answer to the FOI request “…” (CityWatch
# #12)."). Each now belongs to its request's team, private unless the request is public, and
# its notes no longer name the request (a public source page must never name a hidden one).

import re

from django.db import migrations

OLD_NOTE = re.compile(r"Released in answer to the FOI request “.*?” \(CityWatch #\d+\)\.")


def make_private(apps, schema_editor):
    FoiAttachment = apps.get_model("foi", "FoiAttachment")
    Source = apps.get_model("evidence", "Source")
    for attachment in FoiAttachment.objects.select_related("message__request", "source"):
        request = attachment.message.request
        source = attachment.source
        changed = {}
        if source.owner_team_id is None and request.owner_team_id is not None:
            changed["owner_team_id"] = request.owner_team_id
        public_request = request.visibility == "public" and request.embargo_until is None
        if not public_request and source.visibility != "private":
            changed["visibility"] = "private"
        notes = OLD_NOTE.sub("Released in answer to an FOI request.", source.notes)
        if notes != source.notes:
            changed["notes"] = notes
        if changed:
            Source.objects.filter(pk=source.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ("foi", "0003_mail_in_and_out_refusal_grounds"),
        ("evidence", "0007_citation_quote_language"),
    ]

    operations = [migrations.RunPython(make_private, migrations.RunPython.noop)]
