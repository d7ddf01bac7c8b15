"""The API's request and response shapes; they make the OpenAPI document."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from citywatch.atlas.models import DeploymentStatus
from citywatch.core.choices import Certainty, Visibility
from citywatch.evidence.models import SourceKind

PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Error(Schema):
    detail: str | list[str] | list[dict] = Field(description="What went wrong.")


class CountryRef(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2 code (XK for Kosovo).")
    name: str


class OrganisationRef(Schema):
    slug: str
    name: str
    kind: str


class LocalityOut(Schema):
    name: str
    subdivision: str = Field(description="ISO 3166-2 code, may be empty.")
    latitude: float | None
    longitude: float | None
    geonames_id: int | None


class PartyOut(Schema):
    organisation: OrganisationRef
    role: str
    started_on: str
    ended_on: str
    certainty: str
    note: str


class ComponentOut(Schema):
    technology: str = Field(description="Technology slug (see /api/technologies).")
    technology_name: str
    quantity: int | None
    quantity_qualifier: str
    unit: str
    description: str
    product_models: str
    supplier: OrganisationRef | None
    facial_recognition: str
    plate_recognition: str
    certainty: str


class MoneyOut(Schema):
    amount: str | None = Field(description="Decimal amount as text, e.g. '2000000.00'.")
    currency: str
    dated: str
    financing: str
    lender: OrganisationRef | None
    note: str
    certainty: str


class EventOut(Schema):
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD; empty when undated.")
    kind: str
    title: str
    description: str
    certainty: str


class ClaimOut(Schema):
    vendor: OrganisationRef
    statement: str
    claimed_on: str


class CitationOut(Schema):
    source: str = Field(description="The source's key, a UUID (see /api/sources/{id}).")
    source_title: str
    record: str = Field(description="Which record the source backs, e.g. 'component'.")
    field: str = Field(description="The field backed; empty for the whole record.")
    stated_value: str
    quote: str
    locator: str


class DeploymentSummary(Schema):
    id: str = Field(description="Stable id, the same in every export.")
    slug: str
    title: str
    country: CountryRef
    locality: LocalityOut | None
    nationwide: bool
    status: str
    certainty: str
    vendors: list[OrganisationRef]
    technologies: list[str]
    url: str = Field(description="The deployment's public page.")
    last_changed: dt.datetime


class DeploymentDetail(DeploymentSummary):
    summary: str
    parties: list[PartyOut]
    components: list[ComponentOut]
    money: list[MoneyOut]
    events: list[EventOut]
    claims: list[ClaimOut]
    citations: list[CitationOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str | None
    parent: str | None = Field(description="Slug of the parent organisation.")
    aliases: list[str]
    website: str
    wikidata_id: str
    email: str
    postal_address: str
    phone: str
    description: str
    url: str


class LegalEntryOut(Schema):
    topic: str
    status: str
    name: str
    in_force_since: str
    as_of: str
    summary: str
    url: str


class CountryOut(Schema):
    code: str
    alpha3: str
    name: str
    deployments: int = Field(description="Number of public deployments.")
    url: str


class CountryDetail(CountryOut):
    legal_card: list[LegalEntryOut]


class SourceOut(Schema):
    id: str = Field(description="The source's key (a UUID), as in its page's address.")
    title: str
    url: str
    publisher: str
    published_on: str
    language: str
    kind: str
    notes: str
    page: str = Field(description="The source's public page.")


class TechnologyOut(Schema):
    slug: str
    name: str
    description: str


class Page(Schema):
    count: int = Field(description="How many records match, on all pages.")
    page: int
    page_size: int
    next: str | None
    previous: str | None


class DeploymentPage(Page):
    results: list[DeploymentSummary]


class OrganisationPage(Page):
    results: list[OrganisationOut]


class CountryPage(Page):
    results: list[CountryOut]


class SourcePage(Page):
    results: list[SourceOut]


class TokenOut(Schema):
    name: str
    scope: str
    user: str
    created_at: dt.datetime


class LocalityIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    subdivision: str = Field("", max_length=10)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class DeploymentIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    slug: str = Field("", max_length=120, pattern=r"^[-a-zA-Z0-9_]*$")
    summary: str = ""
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")
    locality: LocalityIn | None = Field(None, description="Leave out for country-wide.")
    status: DeploymentStatus
    certainty: Certainty
    visibility: Visibility = Visibility.PUBLIC
    embargo_until: dt.date | None = None
    team: str = Field(
        "",
        max_length=100,
        description="Slug of the owning team; may be left out when you belong to one team.",
    )
    technologies: list[str] = Field([], description="Technology slugs.")
    buyers: list[str] = Field([], description="Organisation names or slugs.")
    suppliers: list[str] = Field([], description="Organisation names or slugs.")
    source_urls: list[str] = []


class ProposalOut(Schema):
    proposal: str = Field(
        description="Key of the proposal waiting for review (10 letters and digits, as in "
        "/review/proposals/{key}/), never its number."
    )
    detail: str


class DeploymentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = None
    status: DeploymentStatus | None = None
    certainty: Certainty | None = None
    visibility: Visibility | None = None
    embargo_until: dt.date | None = None


class SourceIn(Schema):
    title: str = Field(min_length=1, max_length=500)
    url: str = Field("", max_length=1000)
    publisher: str = Field("", max_length=300)
    published_on: str = Field("", pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")
    language: str = Field("", max_length=10)
    kind: SourceKind
    notes: str = ""
    visibility: Visibility = Visibility.PUBLIC
    team: str = Field(
        "",
        max_length=100,
        description="Slug of the owning team; may be left out when you belong to one team.",
    )
