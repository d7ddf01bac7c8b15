"""Why a record changed, as stored in its history and shown on public history pages.

A change reason says what happened ("imported", "changed through the API"), never who did it
or which file it came from: public pages name a person only if they chose to be credited, and
file names often name people. The stored text is a stable English phrase; pages translate it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

IMPORTED = "imported"
API_CHANGE = "changed through the API"
API_CREATED = "created through the API"
FROM_TIP = "created from a public tip"
REVERTED = "reverted to an earlier version"
# A hidden organisation's slug went to a new organisation (atlas.services.move_organisation).
ADDRESS_GIVEN_UP = "address given to another organisation"
# A reviewed proposal's reason is stored as PROPOSAL_PREFIX + the proposer's words. Versions
# saved before kept the proposal's number ("Proposal #17: ..."): numbers run in sequence
# across every team's proposals, hidden records' included, so pages never show one.
PROPOSAL_PREFIX = "Proposal: "
NUMBERED_PROPOSAL = re.compile(r"^Proposal #\d+: ")

LABELS = {
    IMPORTED: _("imported"),
    API_CHANGE: _("changed through the API"),
    API_CREATED: _("created through the API"),
    FROM_TIP: _("created from a public tip"),
    REVERTED: _("reverted to an earlier version"),
    ADDRESS_GIVEN_UP: _("address given to another organisation"),
}


def shown(reason: str) -> str:
    """The reason as a page shows it: translated when it is one of ours, else as written (a
    reviewer's or proposer's own words), without a proposal's number."""
    reason = NUMBERED_PROPOSAL.sub(PROPOSAL_PREFIX, reason)
    return str(LABELS.get(reason, reason))
