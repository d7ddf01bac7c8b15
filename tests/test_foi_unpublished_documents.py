"""The public page of an FOI request lists only the reply documents the visitor may see (those
published), never the others, and gives the digest of the file the visitor can download (the
cleaned copy), not of the file as received with its metadata (review 3, G7). The request's team
sees every document, with the digest of the file as received."""

from __future__ import annotations

import pytest
from django.test import Client
from test_foi_inbound import desk, pipe, sent_request, team_client  # noqa: F401
from test_foi_published_titles import reply_with_documents

from citywatch.evidence.models import Source
from citywatch.foi.models import FoiAttachment

pytestmark = pytest.mark.django_db
pytest_plugins = ["mail_fixtures"]


def test_only_published_documents_are_listed_with_the_digest_of_the_served_file(desk):  # noqa: F811
    request = sent_request(desk)
    assert pipe(reply_with_documents(request)).startswith("Filed as a reply")
    attachments = list(FoiAttachment.objects.filter(message__request=request).order_by("pk"))
    assert len(attachments) == 4
    published = attachments[1]
    response = team_client(desk).post(
        f"/foi/{request.key}/publish/", {"attachment": str(published.source.key)}
    )
    assert response.status_code == 302
    sources = {a.pk: Source.objects.get(pk=a.source_id) for a in attachments}
    served = sources[published.pk].document
    assert served.sha256 != published.sha256  # the cleaned copy is another file

    page = Client().get(f"/foi/{request.key}/").content.decode()
    assert sources[published.pk].get_absolute_url() in page
    assert served.sha256[:14] in page
    for attachment in attachments:
        assert attachment.sha256[:14] not in page  # no digest of a file as received
        if attachment.pk != published.pk:
            assert sources[attachment.pk].get_absolute_url() not in page
            assert sources[attachment.pk].title not in page

    own = team_client(desk).get(f"/foi/{request.key}/").content.decode()
    for attachment in attachments:
        assert sources[attachment.pk].get_absolute_url() in own
        assert attachment.sha256[:14] in own
