"""The outbox pages: outgoing mail kept on this machine, for site staff to read.

Bodies are shown as text with their links made clickable; nothing in a message is ever
rendered as HTML (a letter may quote what anyone typed).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from citywatch.core import mail
from citywatch.teams.permissions import outbox_reader_required

PAGE_SIZE = 100


@outbox_reader_required
def outbox_list(request: HttpRequest) -> HttpResponse:
    names = mail.message_names()
    return render(
        request,
        "web/outbox.html",
        {
            "messages_kept": mail.list_messages(limit=PAGE_SIZE),
            "total": len(names),
            "in_use": settings.EMAIL_BACKEND == mail.OUTBOX_BACKEND,
            "delivery": mail.delivery_summary(),
        },
    )


@outbox_reader_required
def outbox_message(request: HttpRequest, key: str) -> HttpResponse:
    message = mail.read_message(f"{key}.eml")
    if message is None:
        raise Http404("No such message")
    return render(request, "web/outbox_message.html", {"message": message})
