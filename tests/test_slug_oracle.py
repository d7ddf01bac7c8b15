"""No door that creates a deployment tells whether a hidden deal with a given title or slug
exists (review F3/F4): a hidden deployment's slug is its title's slug plus random letters, so
the slug a user gets never depends on records they cannot see."""

from __future__ import annotations

import importlib
import json
import re
import uuid

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from permission_fixtures import client_for

from citywatch.api.services import create_token
from citywatch.atlas import services
from citywatch.atlas.models import Deployment
from citywatch.core.slugs import slug_text
from citywatch.exchange import exports
from citywatch.teams.models import Team

pytestmark = pytest.mark.django_db

HIDDEN_TITLE = "Zqsecret deal"
UNKNOWN_TITLE = "Zqother deal"
HIDDEN_SUFFIX = re.compile(r"^(?P<base>.+)--[a-z2-7]{6}$")
OLD_HIDDEN_SUFFIX = re.compile(r"^(?P<base>.+)-[a-z2-7]{6}$")  # atlas 0009


@pytest.fixture
def hidden(demo, teams):
    """Team A's private deal, made as every door makes one."""
    deployment = Deployment(
        title=HIDDEN_TITLE,
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )
    services.save_record(deployment, by=services.permissions.INTERNAL)
    return deployment


def shape(text: str, title: str) -> str:
    """An answer with the title's own slug, a hidden slug's random suffix and the title
    written as placeholders."""
    text = text.replace(slug_text(title), "<slug>").replace(title, "<title>")
    return re.sub(r"<slug>--[a-z2-7]{6}\b", "<slug>--<random>", text)


# --- the slug itself -------------------------------------------------------------------------


def test_a_hidden_deals_slug_is_not_derivable_from_its_title(hidden):
    assert hidden.slug != slug_text(HIDDEN_TITLE)
    assert HIDDEN_SUFFIX.match(hidden.slug).group("base") == slug_text(HIDDEN_TITLE)
    other = services.free_deployment_slug(HIDDEN_TITLE, hidden=True)
    assert other != hidden.slug  # random, not a function of the title
    assert services.free_deployment_slug(HIDDEN_TITLE) == slug_text(HIDDEN_TITLE)


@pytest.mark.parametrize(
    "fields",
    [{"visibility": "partners"}, {"visibility": "public", "embargo_until": "2999-01-01"}],
)
def test_partners_only_and_embargoed_deals_are_hidden_too(demo, teams, fields):
    import datetime as dt

    if "embargo_until" in fields:
        fields = {**fields, "embargo_until": dt.date.fromisoformat(fields["embargo_until"])}
    deployment = Deployment(
        title=HIDDEN_TITLE, country_id="RS", status="announced", certainty="reported", **fields
    )
    services.save_record(deployment, by=services.permissions.INTERNAL)
    assert HIDDEN_SUFFIX.match(deployment.slug)


def test_hiding_a_public_deal_changes_its_slug_and_publishing_keeps_it(demo, teams):
    deployment = Deployment(
        title=HIDDEN_TITLE, country_id="RS", status="announced", certainty="reported"
    )
    services.save_record(deployment, by=services.permissions.INTERNAL)
    assert deployment.slug == slug_text(HIDDEN_TITLE)
    deployment.visibility = "private"
    deployment.owner_team = teams["A"]
    services.save_record(deployment, by=services.permissions.INTERNAL)
    hidden_slug = deployment.slug
    assert HIDDEN_SUFFIX.match(hidden_slug)
    deployment.visibility = "public"
    services.save_record(deployment, by=services.permissions.INTERNAL)
    assert deployment.slug == hidden_slug


def test_a_former_slug_redirects_only_those_who_may_see_the_deal(demo, teams, make_member):
    deployment = Deployment(
        title=HIDDEN_TITLE, country_id="RS", status="announced", certainty="reported"
    )
    services.save_record(deployment, by=services.permissions.INTERNAL)
    former = deployment.get_absolute_url()
    deployment.visibility = "private"
    deployment.owner_team = teams["A"]
    services.save_record(deployment, by=services.permissions.INTERNAL)
    member = client_for(make_member("viewer", "A"))
    response = member.get(former)
    assert (response.status_code, response["Location"]) == (302, deployment.get_absolute_url())
    outsider = client_for(make_member("reviewer", "B"))
    assert outsider.get(former).status_code == 404
    assert Client().get(former).status_code == 404
    assert Client().get("/deployments/zqnever-seen/").status_code == 404


# --- every door ------------------------------------------------------------------------------


def api_post(client: Client, token: str, body: dict) -> tuple[int, str]:
    response = client.post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code != 403, response.content
    return response.status_code, response.json().get("slug", "")


@pytest.mark.parametrize("field", ["title", "slug"])
def test_api_post_answers_alike_for_a_hidden_and_an_unknown_title(hidden, make_member, field):
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    client = Client()
    answers = []
    for title in (HIDDEN_TITLE, UNKNOWN_TITLE):
        body = {"title": title, "country": "RS", "status": "announced", "certainty": "reported"}
        if field == "slug":
            body = {**body, "title": "Other title entirely", "slug": slug_text(title)}
        status, slug = api_post(client, token, body)
        answers.append((status, slug.replace(slug_text(title), "<slug>")))
    assert answers[0] == answers[1] == (201, "<slug>")


def test_api_post_of_a_private_deal_gets_an_unguessable_slug(demo, make_member):
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    body = {
        "title": HIDDEN_TITLE,
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
        "visibility": "private",
    }
    status, slug = api_post(Client(), token, body)
    assert status == 201
    assert HIDDEN_SUFFIX.match(slug).group("base") == slug_text(HIDDEN_TITLE)
    assert Deployment.objects.get(slug=slug).visibility == "private"


def csv_file(title: str) -> SimpleUploadedFile:
    text = f"title,country,status,certainty\n{title},RS,announced,reported\n"
    return SimpleUploadedFile("deals.csv", text.encode(), "text/csv")


def json_file(title: str) -> SimpleUploadedFile:
    data = json.loads(exports.export("citywatch.json").content)
    item = dict(data["deployments"][0])
    item.update({"id": str(uuid.uuid4()), "slug": slug_text(title), "title": title})
    item.pop("visibility", None)
    item.pop("embargo_until", None)
    for part in ("parties", "components", "money", "events", "claims"):
        item[part] = []
    item.pop("citations", None)
    item.pop("locality", None)
    kept = {key: [] for key, value in data.items() if isinstance(value, list)}
    kept.update({key: value for key, value in data.items() if not isinstance(value, list)})
    kept["deployments"] = [item]
    return SimpleUploadedFile("deals.json", json.dumps(kept).encode(), "application/json")


def import_answer(client: Client, upload: SimpleUploadedFile, action: str, title: str) -> str:
    response = client.post("/imports/", {"file": upload, "scheme": "share", action: "1"})
    assert response.status_code == 200
    html = response.content.decode()
    lines = re.findall(r"(?:would create|created|create)[^<]*deployment[^<]*", html)
    assert lines, html
    return shape(" ".join(lines), title)


@pytest.mark.parametrize("action", ["check", "apply"])
@pytest.mark.parametrize("make_file", [csv_file, json_file], ids=["csv", "citywatch.json"])
def test_imports_answer_alike_for_a_hidden_and_an_unknown_title(
    hidden, make_member, action, make_file
):
    client = client_for(make_member("reviewer", "B"))
    answers = [
        import_answer(client, make_file(title), action, title)
        for title in (HIDDEN_TITLE, UNKNOWN_TITLE)
    ]
    assert answers[0] == answers[1]
    assert "<slug>" in answers[0]
    hidden.refresh_from_db()
    assert hidden.title == HIDDEN_TITLE and hidden.visibility == "private"


def deal_page_values(client: Client, title: str) -> dict[str, str]:
    from test_deal_form import open_page

    values = open_page(client, "/deployments/new/")
    values.update(
        {
            "deployment-title": title,
            "deployment-status": "announced",
            "deployment-certainty": "reported",
            "deployment-visibility": "public",
            "place-country": "RS",
            "place-nationwide": "on",
            "reason": "Probe.",
        }
    )
    return values


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_the_deal_page_answers_alike_for_a_hidden_and_an_unknown_title(hidden, make_member, role):
    client = client_for(make_member(role, "B"))
    answers = []
    for title in (HIDDEN_TITLE, UNKNOWN_TITLE):
        response = client.post("/deployments/new/", deal_page_values(client, title))
        assert response.status_code == 302, response.content.decode()[:3000]
        answers.append(shape(response["Location"], title))
    assert answers[0] == answers[1]
    if role == "reviewer":
        assert answers[0] == "/deployments/<slug>/"
    assert Team.objects.filter(slug="unwanted-witness").exists()


def migration_module(name: str):
    return importlib.import_module(f"citywatch.atlas.migrations.{name}")


def run_slug_migration(name: str, slug: str, teams) -> Deployment:
    """Team A's private deal stored with ``slug`` as an older release stored it, after the
    migration ``name`` ran; public deployments' slugs are checked unchanged."""
    old = Deployment.objects.create(
        title=HIDDEN_TITLE,
        slug=slug,
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility="private",
        owner_team=teams["A"],
    )
    public = Deployment.objects.filter(visibility="public")
    public_slugs = set(public.values_list("slug", flat=True))
    migration_module(name).forwards(apps, None)
    old.refresh_from_db()
    assert set(public.values_list("slug", flat=True)) == public_slugs
    return old


def test_the_migration_gives_existing_hidden_deals_unguessable_slugs(demo, teams):
    """atlas 0009: hidden deployments recorded before hold title slugs; the migration gives
    each an unguessable one, keeps public ones as they are, and the former slug still leads a
    team member to the record (through its history)."""
    old = run_slug_migration(
        "0009_unguessable_slugs_for_hidden_deployments", "zqsecret-deal", teams
    )
    assert OLD_HIDDEN_SUFFIX.match(old.slug).group("base") == "zqsecret-deal"
    assert old.history.filter(slug=old.slug).exists()
    assert Client().get("/deployments/zqsecret-deal/").status_code == 404


# --- a hidden deal's exact slug (review 3, G3) ---------------------------------------------------
# Someone who once knew a hidden deal's random slug (a former member or partner) asks for it
# exactly. Hidden slugs hold a double hyphen, which no normalised slug has: the new record gets
# the normalised slug, as it would for an unknown slug of the same shape, and the hidden deal
# (another team's record) is not touched.


@pytest.mark.parametrize(
    "text",
    ["foo--abcdef", "a - - b", "--x--", "Beograd -- Niš", "x" * 98 + "--y", "snake__case--x"],
)
def test_no_normalised_slug_holds_the_hidden_separator(text):
    assert services.HIDDEN_SEPARATOR not in slug_text(text)
    assert services.HIDDEN_SEPARATOR not in services.free_deployment_slug(text)


def unknown_like(slug: str) -> str:
    """A slug of the same shape as a hidden deal's, held by nobody."""
    base = HIDDEN_SUFFIX.match(slug).group("base")
    return f"{base}--{'yyyyyy' if slug.endswith('zzzzzz') else 'zzzzzz'}"


def same_shape(slug: str, asked: str) -> str:
    return slug.replace(slug_text(asked), "<asked>")


def assert_untouched(hidden: Deployment) -> None:
    before = (hidden.slug, hidden.title, hidden.visibility, hidden.owner_team_id)
    versions = hidden.history.count()
    hidden.refresh_from_db()
    assert (hidden.slug, hidden.title, hidden.visibility, hidden.owner_team_id) == before
    assert hidden.history.count() == versions


def test_api_post_of_a_hidden_deals_exact_slug_answers_as_an_unknown_one(hidden, make_member):
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    answers = []
    for asked in (hidden.slug, unknown_like(hidden.slug)):
        body = {"title": "Other title", "slug": asked, "country": "RS", "status": "announced"}
        status, given = api_post(Client(), token, {**body, "certainty": "reported"})
        answers.append((status, same_shape(given, asked)))
    assert answers == [(201, "<asked>"), (201, "<asked>")]
    assert_untouched(hidden)


def test_api_post_of_a_visible_deals_slug_is_refused(demo, make_member):
    token = create_token(make_member("reviewer", "B"), "b", "write")[1]
    taken = Deployment.objects.filter(visibility="public", embargo_until__isnull=True).first()
    body = {"title": "Other", "slug": taken.slug, "country": "RS", "status": "announced"}
    assert api_post(Client(), token, {**body, "certainty": "reported"})[0] == 409


def json_file_with_slug(slug: str) -> SimpleUploadedFile:
    upload = json_file("Other title")
    data = json.loads(upload.read())
    data["deployments"][0]["slug"] = slug
    return SimpleUploadedFile("deals.json", json.dumps(data).encode(), "application/json")


def csv_file_with_slug(slug: str) -> SimpleUploadedFile:
    text = f"title,slug,country,status,certainty\nOther title,{slug},RS,announced,reported\n"
    return SimpleUploadedFile("deals.csv", text.encode(), "text/csv")


@pytest.mark.parametrize("action", ["check", "apply"])
@pytest.mark.parametrize(
    "make_file", [csv_file_with_slug, json_file_with_slug], ids=["csv", "citywatch.json"]
)
def test_imports_answer_alike_for_a_hidden_deals_exact_slug(hidden, make_member, action, make_file):
    client = client_for(make_member("reviewer", "B"))
    answers = []
    for asked in (hidden.slug, unknown_like(hidden.slug)):
        upload = make_file(asked)
        response = client.post("/imports/", {"file": upload, "scheme": "share", action: "1"})
        assert response.status_code == 200
        html = response.content.decode()
        lines = re.findall(r"(?:would create|created|create)[^<]*deployment[^<]*", html)
        assert lines, html
        answers.append(same_shape(" ".join(lines), asked))
    assert answers[0] == answers[1]
    assert "<asked>" in answers[0]
    assert_untouched(hidden)


def test_the_migration_moves_hidden_slugs_into_their_own_namespace(demo, teams, make_member):
    """atlas 0010: hidden deployments holding a slug with no double hyphen (0009's shape, or a
    title slug) get one; public ones keep theirs; the former slug still leads a team member
    to the record and anyone else to a 404; a new record may now take the former slug."""
    name = "0010_hidden_slugs_in_their_own_namespace"
    old = run_slug_migration(name, "zqsecret-deal-abc234", teams)
    assert HIDDEN_SUFFIX.match(old.slug).group("base") == "zqsecret-deal"
    member = client_for(make_member("viewer", "A"))
    response = member.get("/deployments/zqsecret-deal-abc234/")
    assert (response.status_code, response["Location"]) == (302, old.get_absolute_url())
    assert Client().get("/deployments/zqsecret-deal-abc234/").status_code == 404
    assert services.free_deployment_slug("zqsecret-deal-abc234") == "zqsecret-deal-abc234"
    moved = old.slug
    migration_module(name).forwards(apps, None)  # a second run changes nothing
    old.refresh_from_db()
    assert old.slug == moved
