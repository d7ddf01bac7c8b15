"""Writes through the API and the token page: one function per use case, transactional."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from citywatch.api.models import ApiToken, TokenScope, hash_token, new_token_text
from citywatch.api.schemas import DeploymentIn, DeploymentPatch, SourceIn
from citywatch.atlas.models import Deployment
from citywatch.commons import permissions
from citywatch.evidence.models import Source
from citywatch.exchange.imports.base import describe_error
from citywatch.exchange.imports.report import ImportReport
from citywatch.exchange.imports.rows import DeploymentRow, RowImporter, SourceLink


class WriteRejected(Exception):
    def __init__(self, messages: list[str], status: int = 422) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.status = status


def create_token(user, name: str, scope: str) -> tuple[ApiToken, str]:  # type: ignore[no-untyped-def]
    """A new token; the text is returned once and only its hash is kept."""
    if scope == TokenScope.WRITE and not permissions.can_review(user):
        scope = TokenScope.READ
    text = new_token_text()
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, token_hash=hash_token(text), hint=text[:8]
    )
    return token, text


def revoke_token(user, token_id: int) -> bool:  # type: ignore[no-untyped-def]
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        return False
    token.revoke()
    return True


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


def refuse_nul(value: object) -> None:
    """PostgreSQL cannot store NUL characters in text: say so instead of failing."""
    if isinstance(value, str) and "\x00" in value:
        raise WriteRejected(["NUL characters are not allowed."])
    if isinstance(value, dict):
        for item in value.values():
            refuse_nul(item)
    if isinstance(value, list):
        for item in value:
            refuse_nul(item)


@transaction.atomic
def create_deployment(payload: DeploymentIn, username: str) -> Deployment:
    refuse_nul(payload.model_dump())
    if payload.slug and Deployment.objects.filter(slug=payload.slug).exists():
        raise WriteRejected([f"The slug {payload.slug} is taken."], status=409)
    report = ImportReport(filename="api")
    importer = RowImporter(report, change_reason=f"API ({username})")
    locality = payload.locality
    row = DeploymentRow(
        line=0,
        title=payload.title,
        slug=payload.slug,
        summary=payload.summary,
        country=payload.country,
        locality=locality.name if locality else "",
        subdivision=locality.subdivision if locality else "",
        latitude=as_decimal(locality.latitude) if locality else None,
        longitude=as_decimal(locality.longitude) if locality else None,
        status=payload.status.value,
        certainty=payload.certainty.value,
        technologies=payload.technologies,
        buyers=payload.buyers,
        suppliers=payload.suppliers,
        sources=[SourceLink(url=url) for url in payload.source_urls],
    )
    deployment = importer.row(None, "", lambda: importer.import_row(row))
    if report.problems or deployment is None:
        transaction.set_rollback(True)
        raise WriteRejected([problem.message for problem in report.problems])
    deployment.visibility = payload.visibility.value
    deployment.embargo_until = payload.embargo_until
    deployment._change_reason = f"API ({username})"  # type: ignore[attr-defined]
    save_valid(deployment)
    return deployment


@transaction.atomic
def update_deployment(deployment: Deployment, payload: DeploymentPatch, username: str) -> None:
    changes = payload.model_dump(exclude_unset=True)
    refuse_nul(changes)
    for name, value in changes.items():
        if value is None and name != "embargo_until":
            continue
        setattr(deployment, name, getattr(value, "value", value))
    deployment._change_reason = f"API ({username})"  # type: ignore[attr-defined]
    save_valid(deployment)


@transaction.atomic
def create_source(payload: SourceIn, username: str) -> Source:
    refuse_nul(payload.model_dump())
    source = Source(**{name: getattr(value, "value", value) for name, value in payload})
    source._change_reason = f"API ({username})"  # type: ignore[attr-defined]
    save_valid(source)
    return source


def save_valid(record) -> None:  # type: ignore[no-untyped-def]
    try:
        record.full_clean()
    except ValidationError as error:
        raise WriteRejected([describe_error(error)]) from error
    record.save()
