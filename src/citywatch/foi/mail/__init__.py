"""FOI mail: a reply address per request, letters out with a Message-ID, replies in.

- :mod:`.config` reads the settings (``CITYWATCH_MAIL_DOMAIN``, ``CITYWATCH_IMAP_URL``,
  ``CITYWATCH_REDACT_ADDRESSES``);
- :mod:`.addresses` makes and checks reply addresses (``request-<id>-<hash>@<domain>``);
- :mod:`.outgoing` builds every e-mail the FOI desk sends (letters and notices to teams);
- :mod:`.parsing` reads one RFC 5322 message (standard library ``email``, ``default`` policy):
  text, attachments, bounces, automatic replies;
- :mod:`.filing` files a parsed message on its request, once (``citywatch receive-mail``);
- :mod:`.imap` polls a mailbox and files what it finds (``citywatch fetch-mail``);
- :mod:`.redaction` hides the requester's people and addresses in the public view.

See docs/foi-mail.md.
"""
