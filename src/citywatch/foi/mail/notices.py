"""Telling a request's team that mail arrived for it.

Each campaigner of the owning team (members whose role handles FOI requests) with an e-mail
address gets a short notice, sent one by one so nobody sees the others' addresses; the same
replies are listed on their account page. A notice that cannot be sent is logged and dropped:
the reply is filed whatever happens to the notice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citywatch.foi.models import Automated, FoiMessage
from citywatch.teams import permissions

logger = logging.getLogger(__name__)


def notice_text(message: FoiMessage) -> tuple[str, str]:
    """Subject and body of the notice about ``message`` (in the active language)."""
    request = message.request
    values = {"title": request.title, "authority": request.authority.name}
    if message.automated == Automated.BOUNCE:
        subject = _("[CityWatch] Delivery failed: %(title)s") % values
        lead = _("A letter of the FOI request “%(title)s” to %(authority)s did not arrive.")
    else:
        subject = _("[CityWatch] New reply: %(title)s") % values
        lead = _("%(authority)s answered the FOI request “%(title)s”.")
    count = message.attachments.count()
    lines = [lead % values, ""]
    if message.subject:
        lines.append(_("Subject: %(subject)s") % {"subject": message.subject})
    if count:
        lines.append(
            ngettext(
                "%(count)d document came with it; it stays private to your team until "
                "someone publishes it.",
                "%(count)d documents came with it; they stay private to your team until "
                "someone publishes them.",
                count,
            )
            % {"count": count}
        )
    lines += ["", settings.CITYWATCH_SITE_URL + request.get_absolute_url()]
    return subject, "\n".join(lines) + "\n"


def tell_team(message_pk: int) -> int:
    """E-mail the campaigners of the request's team about a received letter; returns how
    many notices were sent."""
    message = (
        FoiMessage.objects.select_related("request__authority", "request__owner_team")
        .filter(pk=message_pk)
        .first()
    )
    if message is None or message.request.owner_team_id is None:
        return 0
    subject, body = notice_text(message)
    people = permissions.members_with(
        message.request.owner_team_id, permissions.Capability.CAMPAIGN
    )
    notices = [
        EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
        )
        for user in people.exclude(email="").order_by("pk")
    ]
    if not notices:
        return 0
    try:
        return get_connection(fail_silently=False).send_messages(notices) or 0
    except (OSError, ValueError) as error:
        logger.warning("Notice about FOI message %s not sent: %s", message_pk, error)
        return 0
