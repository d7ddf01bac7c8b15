from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """The map lands here later; until then the list of deployments is the front page."""
    return redirect("atlas:deployment_list")
