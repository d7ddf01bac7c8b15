"""User Markdown is rendered, and sanitised: no script can come from user text."""

import re

import pytest

from citywatch.core.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Cameras **donated**; see [the report](https://example.org/r).")
    assert "<strong>donated</strong>" in html
    assert 'href="https://example.org/r"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<a href="javascript:alert(1)">x</a>',
        "![x](https://tracker.example/pixel.png)",
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_dangerous_markup_never_survives(payload):
    html = render_markdown(payload).lower()
    tags = re.findall(r"<[^>]+>", html)  # real tags only: escaped text reads &lt;...
    allowed = {"p", "/p", "a", "/a", "em", "/em", "strong", "/strong"}
    assert {tag.strip("<>").split()[0] for tag in tags} <= allowed, tags
    for tag in tags:
        assert "javascript:" not in tag
        assert not re.search(r"\bon[a-z]+\s*=", tag)


@pytest.mark.django_db
def test_deployment_summary_renders_markdown(client, demo):
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.get(slug="valenciennes-cameras")
    deployment.summary = "Cameras *offered* free. <script>alert('x')</script>"
    deployment.save()
    html = client.get("/deployments/valenciennes-cameras/").content.decode()
    assert "<em>offered</em>" in html
    assert "<script>alert" not in html
