import pytest
from django.test import Client
pytestmark = pytest.mark.django_db

def test_smoke(demo, make_member):
    c = Client(); c.force_login(make_member("contributor", "A"))
    r = c.get("/deployments/new/")
    print(r.status_code)
    open("/tmp/dealform/new.html", "w").write(r.content.decode())
    r = c.get("/deployments/belgrade-safe-city/edit/")
    print(r.status_code)
    open("/tmp/dealform/edit.html", "w").write(r.content.decode())
    r = c.get("/places/search.json?country=KE&q=nair")
    print(r.json())
    r = c.get("/places/search.json?country=KE&lat=-1.29&lon=36.82")
    print(r.json())
