"""Myanmar: no freedom-of-information law.

No deadline binds an authority and there is no appeal; CityWatch suggests a follow-up after
30 days, as advice. Checked in November 2026.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws.schema import (
    Basis,
    ClockStart,
    FoiLaw,
    HolidayCalendar,
    Rollover,
    SilenceEffect,
    Source,
)

FREE_EXPRESSION_MYANMAR = Source(
    "https://freeexpressionmyanmar.org/right-to-information-bill/",
    _("Free Expression Myanmar: the right-to-information bill that never became law"),
)
IRRAWADDY_2016 = Source(
    "https://www.irrawaddy.com/news/politics/media-experts-push-for-right-to-know-law.html",
    _("The Irrawaddy (2016): no right-to-information law for citizens"),
)

_NOT_APPLICABLE = Basis()

MYANMAR = FoiLaw(
    id="mm-none",
    country="MM",
    subdivision=None,
    name=_("No freedom-of-information law"),
    short_name=_("No FOI law (Myanmar)"),
    official_name="",
    citation="",
    url="",
    time_zone="Asia/Yangon",
    period=None,
    period_basis=Basis(
        sources=(FREE_EXPRESSION_MYANMAR, IRRAWADDY_2016),
        note=_(
            "Myanmar has no right-to-information law: no deadline binds an authority and there "
            "is no appeal. CityWatch suggests a follow-up after 30 days; that date is advisory "
            "only."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    rollover_basis=_NOT_APPLICABLE,
    calendar=HolidayCalendar("MM", language="en_US"),
    calendar_basis=_NOT_APPLICABLE,
    extension=None,
    extension_basis=_NOT_APPLICABLE,
    silence=SilenceEffect.NOTHING,
    silence_basis=_NOT_APPLICABLE,
    advisory_follow_up_days=30,
)

LAWS = (MYANMAR,)
