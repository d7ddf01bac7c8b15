"""An organisation made for hidden records stays hidden until a record the visitor may see
names it (review 3, G1): removing the last party of a private deal, or leaving a new
organisation row unlinked on a private deal's page, never publishes the organisation; one no
record names that was added in the open (seeded, public) stays public."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.test import Client
from permission_fixtures import client_for

from citywatch.actors.models import Organisation
from citywatch.api.services import create_token
from citywatch.atlas import services
from citywatch.atlas.models import Deployment, Party
from citywatch.exchange import queries
from citywatch.teams import permissions

pytestmark = pytest.mark.django_db

SECRET = "Zqdelete Secret Holdings"
UNLINKED = "Zqunlinked Org"


def deal(team, visibility: str, title: str) -> Deployment:
    deployment = Deployment(
        title=title,
        country_id="RS",
        status="announced",
        certainty="reported",
        visibility=visibility,
        owner_team=team,
    )
    services.save_record(deployment, by=permissions.INTERNAL)
    return deployment


def name_in(deployment: Deployment, organisation: Organisation) -> Party:
    party = Party(
        deployment=deployment, organisation=organisation, role="supplier", certainty="reported"
    )
    services.save_record(party, by=permissions.INTERNAL)
    return party


def assert_hidden_from_the_public(name: str) -> None:
    """Every public door answers as if the organisation did not exist."""
    organisation = Organisation.objects.get(name=name)
    assert not permissions.can_view(None, organisation)
    anonymous = Client()
    assert anonymous.get(organisation.get_absolute_url()).status_code == 404
    word = name.split()[0]
    assert name not in anonymous.get(f"/api/organisations?q={word}").content.decode()
    assert name not in anonymous.get(f"/api/search?q={word}").content.decode()
    export = anonymous.get("/exports/organisations.csv")
    assert name not in b"".join(export.streaming_content).decode()
    assert organisation not in queries.public_organisations()


def assert_seen_by_team_a_only(organisation: Organisation, make_member) -> None:
    """Team A's viewer and reviewer see the organisation (policy and page); team B's
    reviewer gets neither."""
    for role in ("viewer", "reviewer"):
        member = make_member(role, "A")
        assert permissions.can_view(member, organisation)
        assert client_for(member).get(organisation.get_absolute_url()).status_code == 200
    outsider = make_member("reviewer", "B")
    assert not permissions.can_view(outsider, organisation)
    assert client_for(outsider).get(organisation.get_absolute_url()).status_code == 404


def private_deal_values(client: Client, url: str, title: str) -> dict[str, str]:
    from test_organisation_oracle import deal_values

    values = deal_values(client, url, title, SECRET)
    values["deployment-visibility"] = "private"
    return values


def test_removing_the_last_party_of_a_private_deal_keeps_its_organisation_hidden(make_member):
    client = client_for(make_member("reviewer", "A"))
    response = client.post(
        "/deployments/new/", private_deal_values(client, "/deployments/new/", "Zqdel deal")
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get(title="Zqdel deal")
    assert deployment.visibility == "private"
    assert_hidden_from_the_public(SECRET)
    url = f"/deployments/{deployment.slug}/edit/"
    from test_deal_form import open_page

    values = open_page(client, url)
    values.update({"parties-0-DELETE": "on", "reason": "Typo.", "save": "1"})
    response = client.post(url, values)
    assert response.status_code == 302
    assert not deployment.parties.exists()
    assert_hidden_from_the_public(SECRET)
    # A public record naming it publishes it.
    organisation = Organisation.objects.get(name=SECRET)
    name_in(deal(None, "public", "Zqopen deal"), organisation)
    assert permissions.can_view(None, organisation)


def test_an_unlinked_new_organisation_row_on_a_private_deal_stays_hidden(make_member):
    client = client_for(make_member("reviewer", "A"))
    values = private_deal_values(client, "/deployments/new/", "Zqunlinked deal")
    values.update(
        {
            "organisations-TOTAL_FORMS": "2",
            "organisations-1-name": UNLINKED,
            "organisations-1-kind": "vendor",
        }
    )
    response = client.post("/deployments/new/", values)
    assert response.status_code == 302
    assert not Party.objects.filter(organisation__name=UNLINKED).exists()
    assert_hidden_from_the_public(UNLINKED)
    # Its own team still finds it (review 4, F1); another team does not.
    assert_seen_by_team_a_only(Organisation.objects.get(name=UNLINKED), make_member)


def test_an_unlinked_new_organisation_row_on_a_public_deal_is_public(make_member, teams):
    client = client_for(make_member("reviewer", "A"))
    from test_organisation_oracle import deal_values

    values = deal_values(client, "/deployments/new/", "Zqopen deal", "Zqopen Vendor")
    values.update(
        {
            "organisations-TOTAL_FORMS": "2",
            "organisations-1-name": UNLINKED,
            "organisations-1-kind": "vendor",
        }
    )
    assert client.post("/deployments/new/", values).status_code == 302
    assert permissions.can_view(None, Organisation.objects.get(name=UNLINKED))


def test_an_organisation_made_through_the_api_for_a_private_deal_stays_hidden(make_member):
    token = create_token(make_member("reviewer", "A"), "a", "write")[1]
    body = {
        "title": "Zqapi deal",
        "country": "RS",
        "status": "announced",
        "certainty": "reported",
        "visibility": "private",
        "suppliers": [SECRET],
    }
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    deployment = Deployment.objects.get(title="Zqapi deal")
    assert_hidden_from_the_public(SECRET)
    deployment.parties.get().delete()
    assert_hidden_from_the_public(SECRET)


def test_re_pointing_a_party_keeps_the_former_organisation_hidden(teams):
    secret = Organisation.objects.create(name=SECRET, slug="zqdelete-secret", kind="vendor")
    other = Organisation.objects.create(name="Zqother Vendor", slug="zqother-vendor", kind="vendor")
    party = name_in(deal(teams["A"], "private", "Zqrepoint deal"), secret)
    party.organisation = other
    services.save_record(party, by=permissions.INTERNAL)
    assert_hidden_from_the_public(SECRET)


def test_an_organisation_that_was_public_stays_public_when_its_last_name_goes(demo, teams):
    organisation = Organisation.objects.create(name="Zqpublic Vendor", slug="zqpv", kind="vendor")
    party = name_in(deal(teams["A"], "public", "Zqpublic deal"), organisation)
    party.delete()
    assert permissions.can_view(None, organisation)


def test_organisations_no_record_names_stay_public_when_added_in_the_open(demo):
    added = Organisation.objects.create(name="Zqnew Authority", slug="zqna", kind="authority")
    assert permissions.can_view(None, added)
    named = permissions.named_organisation_ids(permissions.INTERNAL)
    unnamed = Organisation.objects.exclude(pk__in=sorted(named))
    assert unnamed.exists()
    public = permissions.visible(None, Organisation)
    assert set(unnamed.values_list("pk", flat=True)) <= set(public.values_list("pk", flat=True))


def test_the_migration_unlists_organisations_named_only_by_hidden_records(demo, teams):
    migration = importlib.import_module("citywatch.actors.migrations.0003_organisation_listed")
    private = deal(teams["A"], "private", "Zqmig private")
    public = deal(None, "public", "Zqmig public")
    only_hidden = Organisation.objects.create(name="Zqmig hidden", slug="zqmh", kind="vendor")
    formerly_hidden = Organisation.objects.create(name="Zqmig former", slug="zqmf", kind="vendor")
    formerly_public = Organisation.objects.create(name="Zqmig was", slug="zqmw", kind="vendor")
    both = Organisation.objects.create(name="Zqmig both", slug="zqmb", kind="vendor")
    Organisation.objects.create(name="Zqmig never", slug="zqmn", kind="vendor")
    name_in(private, only_hidden)
    name_in(private, both)
    name_in(public, both)
    # Former parties, deleted before the field existed (no listing settled then).
    for organisation, deployment in ((formerly_hidden, private), (formerly_public, public)):
        party = name_in(deployment, organisation)
        Party.objects.filter(pk=party.pk).delete()
    Organisation.objects.update(listed=True)
    migration.unlist_hidden_organisations(apps, None)
    listed = dict(Organisation.objects.values_list("slug", "listed"))
    assert listed["zqmh"] is False
    assert listed["zqmf"] is False
    assert listed["zqmw"] is True
    assert listed["zqmb"] is True
    assert listed["zqmn"] is True
    assert not permissions.can_view(None, formerly_hidden)
    assert permissions.can_view(None, formerly_public)


# --- G5: a name several visible organisations carry -----------------------------------------


def api_deal(token: str, title: str, visibility: str, buyer: str) -> Deployment:
    body = {"title": title, "country": "RS", "status": "announced", "certainty": "reported",
            "visibility": visibility, "buyers": [buyer]}  # fmt: skip
    response = Client().post(
        "/api/deployments",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return Deployment.objects.get(title=title)


def test_a_teams_own_organisation_is_still_matched_once_a_public_one_takes_its_name(make_member):
    from test_organisation_oracle import csv_file, import_answer

    reviewer_a = make_member("reviewer", "A")
    token_a = create_token(reviewer_a, "a", "write")[1]
    token_b = create_token(make_member("reviewer", "B"), "b", "write")[1]
    ours = api_deal(token_a, "Zqown deal", "private", "Zqbuyer City").parties.get().organisation
    theirs = api_deal(token_b, "Zqpub deal", "public", "Zqbuyer City").parties.get().organisation
    assert theirs != ours and theirs.slug == "zqbuyer-city"
    again = api_deal(token_a, "Zqown deal 2", "private", "Zqbuyer City")
    assert again.parties.get().organisation == ours
    status, text = import_answer(client_for(reviewer_a), csv_file("Zqbuyer City", "Zqcsv"), "apply")
    assert status == 200
    assert Deployment.objects.get(title="Zqcsv").parties.get().organisation == ours
    assert "several organisations" not in text
    assert Organisation.objects.filter(name="Zqbuyer City").count() == 2


def test_an_ambiguous_name_links_the_oldest_and_warns(demo, make_member):
    first = Organisation.objects.create(name="Zqtwin Ltd", slug="zqtwin-one", kind="vendor")
    Organisation.objects.create(name="Zqtwin Ltd", slug="zqtwin-two", kind="vendor")
    from test_organisation_oracle import csv_file, import_answer

    client = client_for(make_member("reviewer", "B"))
    status, text = import_answer(client, csv_file("Zqtwin Ltd", "Zqtwin deal"), "apply")
    assert status == 200
    assert Deployment.objects.get(title="Zqtwin deal").parties.get().organisation == first
    assert "several organisations are called Zqtwin Ltd: linked to zqtwin-one" in text
    assert Organisation.objects.filter(name="Zqtwin Ltd").count() == 2


@pytest.mark.parametrize("how", ["party deleted", "party re-pointed", "deal deleted", "foi"])
def test_an_organisation_a_teams_hidden_record_named_last_stays_visible_to_that_team(
    demo, teams, make_member, how
):
    """Once nothing names it, an organisation only team A's hidden record named is kept for
    team A (its page, the API and the organisation list still show it to A's members), and
    stays hidden from the public and from team B."""
    secret = Organisation.objects.create(
        name=SECRET, slug="zqdelete-secret", kind="vendor", listed=False
    )
    if how == "foi":
        from citywatch.foi.models import FoiRequest

        request = FoiRequest.objects.order_by("pk").first()
        former = request.authority
        request.authority, request.owner_team, request.visibility = secret, teams["A"], "private"
        request.save()
        request.authority = former  # the team files it with another authority
        request.save()
    else:
        deployment = deal(teams["A"], "private", "Zqkept deal")
        party = name_in(deployment, secret)
        if how == "party deleted":
            services.delete_record(party, by=permissions.INTERNAL)
        elif how == "party re-pointed":
            party.organisation = Organisation.objects.exclude(pk=secret.pk).first()
            services.save_record(party, by=permissions.INTERNAL)
        else:
            services.delete_record(deployment, by=permissions.INTERNAL)
    assert not permissions.named_organisation_ids(permissions.INTERNAL) & {secret.pk}
    assert_hidden_from_the_public(SECRET)
    assert_seen_by_team_a_only(secret, make_member)
