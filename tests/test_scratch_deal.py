import pytest
from citywatch.atlas import services
from citywatch.atlas.change_summary import describe_changes

pytestmark = pytest.mark.django_db

NAIROBI = {
    "deployment": {"title": "Nairobi: CCTV", "summary": "", "status": "operational", "certainty": "reported", "visibility": "public", "embargo_until": ""},
    "place": {"country": "KE", "name": "Nairobi"},
    "sources": [{"ref": "0", "title": "Nairobi report", "url": "https://news.example.org/nairobi", "kind": "media", "visibility": "public"}],
    "organisations": [{"ref": "0", "name": "Nairobi City Police", "kind": "authority", "country": "KE"}],
    "parties": [{"organisation": "huawei", "role": "supplier"}, {"organisation": "new:0", "role": "buyer"}],
    "components": [{"technology": "cctv", "quantity": "50", "unit": "cameras", "citations": [{"source": "new:0", "field_name": "quantity", "quote": "fifty cameras were installed", "stated_value": "50"}]}],
    "events": [{"date": "2021", "kind": "installed", "title": "Cameras installed"}],
}

def test_nairobi(demo, make_member):
    reviewer = make_member("reviewer", "A")
    from citywatch.teams.models import Team
    team = Team.objects.get(slug="share")
    print(describe_changes(NAIROBI))
    d = services.create_deployment(NAIROBI, team=team, by=reviewer, reason="test")
    print(d.slug, d.locality, d.components.all(), d.parties.all())
    from citywatch.evidence.models import Citation
    print(Citation.objects.filter(component__deployment=d).values())

def test_errors(demo, make_member):
    reviewer = make_member("reviewer", "A")
    from citywatch.teams.models import Team
    team = Team.objects.get(slug="share")
    bad = {**NAIROBI, "components": [{"technology": "nope", "quantity": "x", "citations": [{"source": "", "field_name": "bogus"}]}], "place": {"country": "KE"}}
    with pytest.raises(Exception) as e:
        services.create_deployment(bad, team=team, by=reviewer)
    print(e.value.message_dict)
