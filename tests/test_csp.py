"""The Content-Security-Policy (docs/security.md): every page tells the browser to run
only script files served by this site, and no template holds script the policy would
refuse. The browser tests (tests/e2e/) fail on anything the policy refused while the
journeys ran."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.models import MatrixSession
from surveys.background_save import HEADER
from surveys.survey_pages import survey_pages
from tests.test_access import objects, project_patterns  # noqa: F401 (objects: a fixture)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
ALL_PATTERNS = sorted(project_patterns())


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.fixture
def sample(objects, instruments):  # noqa: F811 (objects is the fixture imported above)
    """A value for every keyword any pattern takes: the network's own objects, and
    made-up tokens for links (a dead link's page must carry the policy too)."""
    matrix = instruments["matrix"]
    return {
        **objects,
        "code": MatrixSession.objects.get(pk=objects["meeting_id"]).code,
        "version": matrix.version,
        "page_key": survey_pages(None, matrix.definition)[0].key,
        "token": "not-a-real-token",
        "signed": "not-signed",
        # allauth's: an address confirmation, a password reset, a passkey, a provider
        "key": "not-a-real-key",
        "uidb36": "1",
        "pk": 1,
        "provider_id": "organisation",
        "summary_id": 1,  # a members' summary this session was never given
    }


def address(name: str, kwargs: list[str], sample: dict) -> str:
    if "code" in kwargs and "version" in kwargs:  # an instrument, not a meeting
        sample = {**sample, "code": "maturity-matrix"}
    return reverse(name, kwargs={k: sample[k] for k in kwargs})


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs", ALL_PATTERNS, ids=[name for name, _ in ALL_PATTERNS])
def test_coordinator_gets_the_policy_on_every_address(client, owner, sample, name, kwargs):
    client.force_login(owner)

    response = client.get(address(name, kwargs, sample))

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src-elem"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_member_opening_a_dead_link_gets_the_policy_too(client):
    response = client.get(reverse("survey_link", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# An event handler attribute inside a tag: onclick=, onload=, onerror= ...
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_holds_script_the_policy_would_refuse():
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        for attributes in SCRIPT_TAG.findall(text):
            if "src=" not in attributes and "application/json" not in attributes:
                found.append(f"{name}: inline <script{attributes}>")
        found += [f"{name}: {m.group(0)}" for m in HANDLER.finditer(text)]
        if "javascript:" in text:
            found.append(f"{name}: a javascript: address")
    assert not found, "\n".join(found)


def test_no_template_holds_a_style_element_the_policy_would_refuse():
    found = [str(p.relative_to(ROOT)) for p in TEMPLATES if re.search(r"<style\b", p.read_text())]
    assert not found, "move these styles into a file under static/css/: " + ", ".join(found)


def test_the_checks_above_do_catch_inline_script_and_handlers():
    """The patterns are what the two tests rely on: they must see what they look for."""
    assert SCRIPT_TAG.findall("<script>alert(1)</script>") == [""]
    assert HANDLER.search('<button type="button" onclick="window.print()">')
    assert not HANDLER.search('<a href="/" data-onclick="x">')


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_style_hashes_in_the_policy_are_those_of_the_vendored_plotly():
    """plotly.js adds two <style> elements of its own: an empty one it fills through the
    CSSOM, and maplibre's stylesheet. A new plotly.js build changes the second."""
    bundle = (ROOT / "static/vendor/plotly/plotly.min.js").read_text(encoding="utf-8")
    added = re.findall(r'createElement\("style"\);?[^;]{0,200}?textContent=\'([^\']*)\'', bundle)

    assert len(added) == 1
    assert [sha256_source(""), sha256_source(added[0])] == settings.PLOTLY_STYLE_HASHES


def test_the_page_script_sends_the_header_the_server_recognises():
    script = (ROOT / "static/js/autosave.js").read_text(encoding="utf-8")

    assert f'var HEADER = "{HEADER}";' in script
