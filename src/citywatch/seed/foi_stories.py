"""The report's three FOI stories as requests with their timelines.

Every request, message and timeline entry cites the report ("Mapping Huawei’s Smart Cities
creep") with the sentence it comes from. The report gives no dates for the requests, so none
is invented: the dates stay empty and each request says why in ``date_note``. Without a date
of receipt there is no due date; the pages show the law's rule and its appeal periods instead.

Loading is idempotent: records are found by natural keys and only created or updated when
something differs; timeline entries (append-only) are only ever added.
"""

from __future__ import annotations

from collections import Counter

from django.db import models, transaction

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Deployment
from citywatch.core.choices import Visibility
from citywatch.evidence.models import Source, SourceKind
from citywatch.foi.models import (
    Direction,
    FoiAttachment,
    FoiEvent,
    FoiLaw,
    FoiMessage,
    FoiQuestion,
    FoiRequest,
    MessageKind,
    RefusalGround,
    RequestStatus,
    Resolution,
    TimelineKind,
)
from citywatch.seed.upsert import upsert
from citywatch.teams.models import Team

REPORT_TITLE = "Mapping Huawei’s Smart Cities creep"

NO_LANGUAGE = (
    " The report quotes the questions in English; it does not say in which language the "
    "letter was written."
)

# Sentences of the report, word for word.
RIVAS_FILED = (
    "In order to go beyond the public narrative pushed by Huawei and better understand how "
    "these partnerships develop, we decided to file a Freedom of Information (“FOI”) request "
    "to Rivas Vaciamadrid."
)
RIVAS_SILENCE = (
    "Despite our multiple follow-ups, we never received a response from Rivas Vaciamadrid."
)
RIVAS_QUESTIONS = [
    "To disclose a copy of all available contracts between the Ayuntamiento "
    "Rivas-Vaciamadrid and Huawei from 2015 until now.",
    "To share with us all brochures, promotional documents, presentations and handbooks "
    "provided by Huawei to the Ayuntamiento of Rivas-Vaciamadrid from 2015 until now.",
    "If the city of Rivas-Vaciamadrid conducted any risk or human rights impact assessments, "
    "including any privacy or data protection impact assessments, prior to signing any "
    "contract with Huawei. If so, to share a copy of them.",
    "Based on slide 10/20 of the presentation available here:\n"
    "a. If they could confirm if any Huawei software and/or hardware is involved in the "
    "process of smart video analysis.\n"
    "b. To clarify how this smart video analysis is conducted.\n"
    "c. To clarify what the purposes that smart video analysis is used for are.",
]
BARCELONA_ASKED = (
    "We decided to ask the city of Barcelona to provide us with this letter of intention via "
    "a FOI request and they did comply with the request."
)
BARCELONA_SIGNED = (
    "In November 2019, an announcement from Huawei revealed that the city of Barcelona had "
    "signed a letter of intention during an event called the Smart City Expo World Congress."
)
BARCELONA_LETTER = (
    "The letter of Intention between Barcelona and Huawei is a promise to “explore "
    "opportunities of collaborations in the application of new technologies in urban areas "
    "and the quality of life."
)
SERBIA_ASKED = (
    "SHARE Foundation sent freedom of information requests to the Serbian Ministry of "
    "Interior, asking for information on locations of the cameras and details on the public "
    "procurement and relevant procedures."
)
SERBIA_REFUSED = (
    "The official response of the Ministry stated that all the documents regarding the public "
    "procurement of the video equipment are protected as “confidential”, while the decision "
    "to install these cameras was made with no public debate or transparency."
)

STORIES = [
    {
        "title": "Huawei contracts, brochures, impact assessments and smart video analysis in "
        "Rivas-Vaciamadrid",
        "requester": "privacy-international",
        "authority": "ayuntamiento-rivas-vaciamadrid",
        "law": "es-md-10-2019",
        "deployments": ["rivas-vaciamadrid-elte"],
        "status": RequestStatus.RESOLVED,
        "resolution": Resolution.DEEMED_REFUSED,
        "appeal_stage": "madrid-council-claim-silence",
        "quote": RIVAS_FILED,
        "date_note": "The report, published in 2021, gives no dates: not when the request "
        "reached the authority, nor when or how often it was followed up. So no due date or "
        "claim deadline is computed; the law's periods are shown instead." + NO_LANGUAGE,
        "questions": RIVAS_QUESTIONS,
        "messages": [
            {
                "direction": Direction.OUT,
                "kind": MessageKind.REQUEST,
                "subject": "Freedom of information request",
                "body": "\n\n".join(
                    f"{number}) {text}" for number, text in enumerate(RIVAS_QUESTIONS, 1)
                ),
                "quote": RIVAS_FILED,
            },
            {
                "direction": Direction.OUT,
                "kind": MessageKind.FOLLOW_UP,
                "subject": "Follow-ups",
                "body": "Several follow-ups were sent; the report gives neither their number, "
                "their dates nor their text.",
                "quote": RIVAS_SILENCE,
            },
        ],
        "events": [
            {"kind": TimelineKind.SENT, "quote": RIVAS_FILED},
            {
                "kind": TimelineKind.FOLLOW_UP_SENT,
                "quote": RIVAS_SILENCE,
                "note": "Several follow-ups (number and dates not given in the report).",
            },
            {
                "kind": TimelineKind.RESOLVED,
                "quote": RIVAS_SILENCE,
                "note": "No answer ever came. Under Ley 10/2019 silence counts as a refusal, "
                "which can be challenged with a claim to the Consejo de Transparencia y "
                "Protección de Datos de la Comunidad de Madrid.",
                "data": {"to": "resolved", "resolution": "deemed_refused"},
            },
        ],
    },
    {
        "title": "The letter of intention between Barcelona City Council and Huawei",
        "requester": "privacy-international",
        "authority": "barcelona-city-council",
        "law": "es-ct-19-2014",
        "deployments": ["barcelona-letter-of-intention"],
        "status": RequestStatus.RESOLVED,
        "resolution": Resolution.SUCCESSFUL,
        "appeal_stage": "",
        "quote": BARCELONA_ASKED,
        "date_note": "The report gives no dates. The request came after the letter was "
        "signed (November 2019) and before the report was published (2021). The report does "
        "not say which law the request cited; Llei 19/2014 is the Catalan law that applies "
        "to Barcelona City Council." + NO_LANGUAGE,
        "questions": [
            "A copy of the letter of intention that Barcelona City Council signed with Huawei "
            "at the Smart City Expo World Congress in November 2019."
        ],
        "messages": [
            {
                "direction": Direction.OUT,
                "kind": MessageKind.REQUEST,
                "subject": "Freedom of information request: letter of intention",
                "body": "The request asked for the letter of intention; the report does not "
                "give its text.",
                "quote": BARCELONA_ASKED,
            },
            {
                "direction": Direction.IN,
                "kind": MessageKind.REPLY,
                "subject": "Letter of intention released",
                "body": "Barcelona City Council complied with the request and released the "
                "letter of intention.",
                "quote": BARCELONA_ASKED,
                "attachment": {
                    "title": "Letter of intention between Barcelona City Council and Huawei",
                    "publisher": "Barcelona City Council",
                    "published_on": "2019-11",
                    "kind": SourceKind.FOI_RESPONSE,
                    "notes": "Released by Barcelona City Council in answer to Privacy "
                    "International's freedom-of-information request, as told in the report "
                    "“Mapping Huawei’s Smart Cities creep”, which published it alongside. "
                    "CityWatch does not ship the file. Quoted in the report: “"
                    + BARCELONA_LETTER
                    + "”",
                },
            },
        ],
        "events": [
            {"kind": TimelineKind.SENT, "quote": BARCELONA_ASKED},
            {"kind": TimelineKind.REPLY_RECEIVED, "quote": BARCELONA_ASKED},
            {
                "kind": TimelineKind.RESOLVED,
                "quote": BARCELONA_ASKED,
                "note": "The letter of intention was released.",
                "data": {"to": "resolved", "resolution": "successful"},
            },
        ],
    },
    {
        "title": "Locations of Belgrade’s smart cameras and the procurement documents",
        "requester": "share-foundation",
        "authority": "ministry-of-interior-serbia",
        "law": "rs-2004",
        "deployments": ["belgrade-safe-city"],
        "status": RequestStatus.RESOLVED,
        "resolution": Resolution.REFUSED,
        # "protected as confidential" (the report gives no article of the law).
        "refusal_ground": RefusalGround.CONFIDENTIALITY,
        "appeal_stage": "commissioner-complaint",
        "quote": SERBIA_ASKED,
        "date_note": "The report gives no dates; the requests came after the announcement "
        "in early 2019. The report speaks of requests (plural); they are recorded here as "
        "one." + NO_LANGUAGE,
        "questions": [
            "Information on the locations of the cameras.",
            "Details on the public procurement and the relevant procedures.",
        ],
        "messages": [
            {
                "direction": Direction.OUT,
                "kind": MessageKind.REQUEST,
                "subject": "Request for information of public importance",
                "body": "SHARE Foundation asked for the locations of the cameras and details "
                "on the public procurement and relevant procedures.",
                "quote": SERBIA_ASKED,
            },
            {
                "direction": Direction.IN,
                "kind": MessageKind.REPLY,
                "subject": "Official response of the Ministry",
                "body": "All documents regarding the public procurement of the video "
                "equipment are protected as “confidential”.",
                "quote": SERBIA_REFUSED,
            },
        ],
        "events": [
            {"kind": TimelineKind.SENT, "quote": SERBIA_ASKED},
            {"kind": TimelineKind.REPLY_RECEIVED, "quote": SERBIA_REFUSED},
            {
                "kind": TimelineKind.RESOLVED,
                "quote": SERBIA_REFUSED,
                "note": "Refused as confidential. A complaint to the Commissioner for "
                "Information of Public Importance and Personal Data Protection is open "
                "against such a decision.",
                "data": {"to": "resolved", "resolution": "refused", "ground": "confidentiality"},
            },
        ],
    },
]


class FoiDemoLoader:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.report = Source.objects.get(title=REPORT_TITLE)

    def save(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        return upsert(model, lookup, values, self.counts, validate=False)

    def load(self) -> Counter[str]:
        for story in STORIES:
            self.load_story(story)
        return self.counts

    def load_story(self, story: dict) -> None:
        requester = Organisation.objects.get(slug=story["requester"])
        authority = Organisation.objects.get(slug=story["authority"])
        request = self.save(
            FoiRequest,
            {"requester": requester, "authority": authority, "title": story["title"]},
            {
                "law": FoiLaw.objects.get(law_id=story["law"]),
                "language": "en",
                "status": story["status"],
                "resolution": story["resolution"],
                "refusal_ground": story.get("refusal_ground", ""),
                "appeal_stage": story["appeal_stage"],
                "visibility": Visibility.PUBLIC,
                "owner_team": Team.objects.filter(organisation=requester).first(),
                "date_note": story["date_note"],
                "source": self.report,
                "quote": story["quote"],
            },
        )
        deployments = set(Deployment.objects.filter(slug__in=story["deployments"]))
        if set(request.deployments.all()) != deployments:
            request.deployments.set(deployments)
            self.counts["foirequest_deployments_set"] += 1
        for number, text in enumerate(story["questions"], start=1):
            self.save(FoiQuestion, {"request": request, "number": number}, {"text": text})
        for entry in story["messages"]:
            self.load_message(request, entry)
        for entry in story["events"]:
            lookup = {"request": request, "kind": entry["kind"], "quote": entry["quote"]}
            if not FoiEvent.objects.filter(**lookup).exists():
                FoiEvent.objects.create(
                    **lookup,
                    note=entry.get("note", ""),
                    data=entry.get("data", {}),
                    source=self.report,
                )
                self.counts["foievent_created"] += 1

    def load_message(self, request: FoiRequest, entry: dict) -> None:
        message = self.save(
            FoiMessage,
            {"request": request, "direction": entry["direction"], "kind": entry["kind"]},
            {
                "subject": entry["subject"],
                "body": entry["body"],
                "quote": entry["quote"],
                "source": self.report,
            },
        )
        attachment = entry.get("attachment")
        if attachment:
            values = {k: v for k, v in attachment.items() if k != "title"}
            source = self.save(Source, {"title": attachment["title"]}, values)
            self.save(FoiAttachment, {"message": message, "source": source}, {})


@transaction.atomic
def load_foi_demo() -> Counter[str]:
    """Load (or refresh) the FOI demo requests; returns counts of what changed."""
    return FoiDemoLoader().load()
