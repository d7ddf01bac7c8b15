"""Forms of the FOI desk. Every error names the field and says what to fix."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas.models import Deployment
from citywatch.core.choices import Visibility
from citywatch.core.public_keys import KEY_REGEX
from citywatch.foi.models import (
    REFUSALS,
    Channel,
    FoiAttachment,
    FoiLaw,
    FoiRequest,
    LetterLanguage,
    RefusalGround,
    RequestStatus,
    Resolution,
    StopReason,
)
from citywatch.teams import permissions
from citywatch.teams.models import Team
from citywatch.teams.permissions import Capability


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2024-04-26.")},
        **kwargs,
    )


class LawChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FoiLaw) -> str:
        flag = "" if obj.verified else " — " + str(_("some figures not verified"))
        return f"{gettext(obj.short_name)} ({obj.jurisdiction}){flag}"


class DeadlineForm(forms.Form):
    """The public calculator. The authority, or the region and municipality of its seat,
    decide the regional and local holidays where the law counts them; both are optional."""

    law = forms.ChoiceField(label=_("Law"))
    sent = date_field(
        _("Received by the authority on"),
        help_text=_("For e-mail and portals, the day you sent it; for post, the day delivered."),
    )
    extended = forms.BooleanField(label=_("The authority notified an extension"), required=False)
    decision = date_field(
        _("Decision notified on (optional)"),
        required=False,
        help_text=_("To date the appeals against a decision."),
    )
    authority = forms.ChoiceField(
        label=_("Authority (optional)"),
        required=False,
        help_text=_("Its recorded seat decides the regional and local holidays."),
    )
    subdivision = forms.CharField(
        label=_("Or the region where it sits (optional)"),
        required=False,
        max_length=10,
        help_text=_("ISO 3166-2 code, e.g. ES-MD (Madrid) or DE-BE (Berlin)."),
    )
    municipality = forms.CharField(
        label=_("Municipality where it sits (optional)"),
        required=False,
        max_length=200,
        help_text=_("Its local holidays count where staff entered them, e.g. Madrid."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [
            (law.law_id, f"{gettext(law.short_name)} ({law.jurisdiction})")
            for law in FoiLaw.objects.order_by("law_id")
        ]
        from citywatch.foi.queries import authorities

        self.fields["authority"].choices = [("", "—")] + [
            (organisation.slug, organisation.name) for organisation in authorities()
        ]

    def clean(self):
        cleaned = super().clean()
        sent, decision = cleaned.get("sent"), cleaned.get("decision")
        if sent and decision and decision < sent:
            self.add_error("decision", _("The decision cannot come before the request."))
        if cleaned.get("authority") and (cleaned.get("subdivision") or cleaned.get("municipality")):
            self.add_error("subdivision", _("Give the authority or its seat, not both."))
        return cleaned


class NewRequestForm(forms.Form):
    # Every choice's value is a slug, never a database number: numbers are sequential and
    # would count the hidden deployments and organisations made between two visible ones.
    owner_team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        to_field_name="slug",
        help_text=_("The team whose campaigners handle the request and see it while private."),
    )
    requester = forms.ModelChoiceField(
        label=_("Requesting organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        help_text=_("Requests are made by organisations, not by people."),
    )
    authority = forms.ModelChoiceField(
        label=_("Authority"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    law = LawChoiceField(label=_("Law"), queryset=FoiLaw.objects.order_by("law_id"))
    deployments = forms.ModelMultipleChoiceField(
        label=_("About these deployments"),
        queryset=Deployment.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.SelectMultiple(
            attrs={
                "size": 8,
                "data-filter": "deployments",
                "data-filter-label": _("Type to find a deployment"),
                "data-filter-count": _("%(count)s shown"),
            }
        ),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LetterLanguage.choices)
    use_template = forms.BooleanField(
        label=_("Use the four-question template"),
        required=False,
        help_text=_(
            "Contracts; brochures, presentations and handbooks; risk, human-rights and "
            "data-protection impact assessments; specific capabilities such as smart video "
            "analysis. Used when the questions below are left empty."
        ),
    )
    vendor = forms.CharField(
        label=_("Vendor named in the template"), max_length=200, required=False
    )
    since = forms.IntegerField(
        label=_("From year (template)"), min_value=1950, max_value=2100, initial=2015
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("One question per paragraph (separate questions with an empty line)."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )
    embargo_until = date_field(_("Embargoed until"), required=False)

    def __init__(self, *args, user, **kwargs):
        """Every choice comes from the permission module: the teams the user campaigns for,
        their organisations, and the authorities and deployments the user may see."""
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(pk__in=permissions.teams_with(user, Capability.CAMPAIGN))
        if permissions.is_superuser(user):
            teams = Team.objects.all()
        self.fields["owner_team"].queryset = teams
        # A requester is an organisation of kind "other" (``FoiRequest.requester``): a team
        # linked to a vendor or an authority by mistake offers nothing rather than failing.
        requesters = Organisation.objects.filter(kind=OrganisationKind.OTHER)
        if not permissions.is_superuser(user):
            requesters = requesters.filter(teams__in=teams).distinct()
        self.fields["requester"].queryset = requesters
        self.fields["authority"].queryset = permissions.visible(user, Organisation).filter(
            kind=OrganisationKind.AUTHORITY
        )
        self.fields["deployments"].queryset = permissions.visible(user, Deployment).order_by(
            "title"
        )
        self.only_team = teams[0] if len(teams) == 1 else None
        if self.only_team is not None:
            self.fields["owner_team"].required = False
            self.initial.setdefault("owner_team", self.only_team.slug)
            organisation = self.only_team.organisation
            if organisation is not None and organisation.kind == OrganisationKind.OTHER:
                self.initial.setdefault("requester", organisation.slug)

    def clean_owner_team(self):
        """The user's only campaigning team when they have one and chose none."""
        return self.cleaned_data.get("owner_team") or self.only_team

    def clean(self):
        cleaned = super().clean()
        team, requester = cleaned.get("owner_team"), cleaned.get("requester")
        if team and requester and team.organisation_id not in (None, requester.pk):
            self.add_error(
                "requester",
                _("%(team)s files requests as %(organisation)s.")
                % {"team": team.name, "organisation": team.organisation},
            )
        questions = split_questions(cleaned.get("questions", ""))
        if not questions and not cleaned.get("use_template"):
            self.add_error(
                "questions",
                _("Write at least one question, or tick “Use the four-question template”."),
            )
        if not questions and cleaned.get("use_template") and not cleaned.get("vendor"):
            self.add_error("vendor", _("Name the vendor the template asks about."))
        cleaned["question_list"] = questions
        return cleaned


def split_questions(text: str) -> list[str]:
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return [part for part in paragraphs if part]


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Letter"), widget=forms.Textarea(attrs={"rows": 18}))


class SendForm(LetterForm):
    channel = forms.ChoiceField(label=_("Send by"), choices=Channel.choices, initial=Channel.EMAIL)
    on = date_field(
        _("Received by the authority on"),
        required=False,
        help_text=_("Leave empty for e-mail sent now; for post, the day it was delivered."),
    )

    def __init__(self, *args, request: FoiRequest, **kwargs):
        self.foi_request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        channel, on = cleaned.get("channel"), cleaned.get("on")
        if channel == Channel.EMAIL and not self.foi_request.authority.email:
            self.add_error(
                "channel",
                _(
                    "%(authority)s has no e-mail address: add one to the organisation, or "
                    "send by post or portal and record it here."
                )
                % {"authority": self.foi_request.authority.name},
            )
        if channel != Channel.EMAIL and on is None:
            self.add_error("on", _("Enter the day the authority received the request."))
        if on and on > dt.date.today() + dt.timedelta(days=1):
            self.add_error("on", _("This date is in the future."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def ground_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Ground of the refusal"),
        choices=[("", "—"), *RefusalGround.choices],
        required=False,
        help_text=_("For a refusal or a partial answer: the reason the authority gave."),
    )


def section_field() -> forms.CharField:
    return forms.CharField(
        label=_("Section cited"),
        max_length=200,
        required=False,
        help_text=_("The statute's section the refusal relies on, e.g. art. 14.1.d."),
    )


class ReplyForm(forms.Form):
    on = date_field(_("Received on"))
    channel = forms.ChoiceField(label=_("Received by"), choices=Channel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text of the reply"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    files = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("Each document becomes a source of the atlas (kind: FOI response)."),
    )
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[("", _("(unchanged)")), *RequestStatus.choices],
        required=False,
    )
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=[("", "—"), *Resolution.choices], required=False
    )
    refusal_ground = ground_field()
    refusal_section = section_field()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not cleaned.get("files") and "body" not in self.errors:
            self.add_error("body", _("Paste the reply or upload at least one document."))
        check_status_resolution(self, cleaned)
        return cleaned


def check_status_resolution(form: forms.Form, cleaned: dict) -> None:
    status, resolution = cleaned.get("status"), cleaned.get("resolution")
    if status == RequestStatus.RESOLVED and not resolution:
        form.add_error("resolution", _("A resolved request needs a resolution."))
    if resolution and status != RequestStatus.RESOLVED:
        form.add_error("status", _("Choose “Resolved” to record a resolution."))
    ground = cleaned.get("refusal_ground")
    if resolution in REFUSALS - {Resolution.NOT_HELD} and not ground:
        form.add_error(
            "refusal_ground", _("Say on which ground the authority refused (or choose “Other”).")
        )
    if ground and resolution not in REFUSALS:
        form.add_error(
            "refusal_ground", _("A ground is recorded only for a refusal or a partial answer.")
        )


class FollowUpForm(LetterForm):
    channel = forms.ChoiceField(label=_("Send by"), choices=Channel.choices, initial=Channel.EMAIL)
    on = date_field(_("Sent on"), required=False, help_text=_("Leave empty for today."))

    def __init__(self, *args, request: FoiRequest, **kwargs):
        self.foi_request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EMAIL and not self.foi_request.authority.email:
            self.add_error("channel", _("The authority has no e-mail address."))
        return cleaned


class EscalateForm(LetterForm):
    stage = forms.ChoiceField(label=_("Appeal stage"))
    channel = forms.ChoiceField(label=_("Sent by"), choices=Channel.choices)
    recipient = forms.EmailField(
        label=_("E-mail address of the appeal body"),
        required=False,
        help_text=_("Needed only to send by e-mail from here."),
    )
    on = date_field(_("Sent on"))

    def __init__(self, *args, request: FoiRequest, **kwargs):
        super().__init__(*args, **kwargs)
        from citywatch.foi.queries import appeal_overview  # reads of the same app

        self.fields["stage"].choices = [
            (info.stage.id, f"{info.stage.name} — {info.stage.body}")
            for info in appeal_overview(request)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EMAIL and not cleaned.get("recipient"):
            self.add_error("recipient", _("Enter the address to send the appeal to."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=[("", "—"), *Resolution.choices], required=False
    )
    refusal_ground = ground_field()
    refusal_section = section_field()
    on = date_field(_("Since"), required=False, help_text=_("Leave empty for today."))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        check_status_resolution(self, cleaned)
        return cleaned


class ClockForm(forms.Form):
    action = forms.ChoiceField(
        label=_("The clock"),
        choices=[("stop", _("stopped (the authority is waiting)")), ("resume", _("runs again"))],
    )
    kind = forms.ChoiceField(label=_("Waiting for"), choices=StopReason.choices, required=False)
    on = date_field(_("On"))

    def __init__(self, *args, request: FoiRequest, **kwargs):
        self.foi_request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        request, on = self.foi_request, cleaned.get("on")
        if cleaned.get("action") == "stop":
            if not cleaned.get("kind"):
                self.add_error("kind", _("Say what the authority is waiting for."))
            if request.sent_on is None:
                self.add_error("action", _("The request has not been sent yet."))
            elif on and on < request.sent_on:
                self.add_error("on", _("The clock cannot stop before the request arrived."))
        elif cleaned.get("action") == "resume":
            stop = request.clock_stops.filter(ended_on__isnull=True).first()
            if stop is None:
                self.add_error("action", _("The clock is not stopped."))
            elif on and on < stop.started_on:
                self.add_error("on", _("The reply cannot arrive before the clock stopped."))
        return cleaned


class ExtensionForm(forms.Form):
    on = date_field(_("Extension notified on"))


class AttachmentBySourceKey(forms.ModelChoiceField):
    """A reply's document named by its source's key (a UUID), never by a database number."""

    def prepare_value(self, value):
        if isinstance(value, FoiAttachment):
            return str(value.source.key)
        return super().prepare_value(value)

    def to_python(self, value):
        """The reply document whose source has the key ``value`` (a UUID as text), among
        this field's queryset; None when empty.

        Raises:
            ValidationError: ("invalid_choice") the text is not a UUID, or no document of the
                queryset has a source with that key (a database number is never accepted).
        """
        if value in self.empty_values:
            return None
        try:
            key = uuid.UUID(str(value))
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None
        found = self.queryset.filter(source__key=key).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class PublishForm(forms.Form):
    """Publish one document of a reply (its identifying metadata is removed first); the
    document is given by its source's key."""

    attachment = AttachmentBySourceKey(
        label=_("Document"), queryset=FoiAttachment.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, request: FoiRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].queryset = FoiAttachment.objects.filter(message__request=request)


# A request's key alone, or inside its page's address (…/foi/<key>/…).
REQUEST_KEY_IN_TEXT = re.compile(rf"(?:^|/foi/)(?P<key>{KEY_REGEX})(?:$|/)")


class AssignForm(forms.Form):
    """File a mail of the unmatched queue on a request, or delete it."""

    request = forms.CharField(
        label=_("Key of the request"),
        max_length=300,
        required=False,
        help_text=_(
            "The letters at the end of the request's address, /foi/<key>/, or the address itself."
        ),
    )
    delete = forms.BooleanField(label=_("Delete this mail instead"), required=False)

    def clean_request(self) -> str:
        """The request's key, from the key itself or from its page's address."""
        given = (self.cleaned_data.get("request") or "").strip().lower()
        if not given:
            return ""
        found = REQUEST_KEY_IN_TEXT.search(given)
        if found is None:
            raise forms.ValidationError(_("This is not the key or address of a request."))
        return found["key"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("delete") and not cleaned.get("request") and not self.errors:
            self.add_error("request", _("Give the request's key, or tick “Delete”."))
        return cleaned
