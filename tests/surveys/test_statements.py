"""The statements every page links to: the accessibility statement's required
sections and the checks it claims, the privacy notice and impact assessment outline
from docs/ with the organisation's details."""

import ast
from pathlib import Path

import pytest
from django.test import override_settings

from surveys.statements import CHECKS

pytestmark = pytest.mark.django_db

E2E = Path(__file__).resolve().parents[1] / "e2e"
REQUIRED_SECTIONS = (
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
)


def test_every_check_the_statement_claims_is_a_browser_test_that_exists():
    for check in CHECKS:
        file_name, test_name = check.test.split("::")
        tree = ast.parse((E2E / file_name).read_text())
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert test_name in names, check.test


@override_settings(ORGANISATION_NAME="Valley Health Board", CONTACT_EMAIL="ig@valley.example")
def test_anyone_reads_the_accessibility_statement_with_its_required_sections(client):
    page = client.get("/accessibility/").content.decode()
    for section in REQUIRED_SECTIONS:
        assert section.replace("'", "&#x27;") in page or section in page, section
    assert "Valley Health Board" in page and "mailto:ig@valley.example" in page
    assert CHECKS[0].test in page


@override_settings(ORGANISATION_NAME="Valley <Health> Board", CONTACT_EMAIL="ig@valley.example")
def test_privacy_notice_and_impact_assessment_are_filled_in_and_escaped(client):
    from surveys.views import statements

    statements._rendered.cache_clear()
    notice = client.get("/privacy/").content.decode()
    assessment = client.get("/privacy/impact-assessment/").content.decode()
    statements._rendered.cache_clear()
    assert "<h1>Privacy notice</h1>" in notice
    assert "Valley &lt;Health&gt; Board" in notice and "[[" not in notice
    assert "<table>" in notice  # the table of what is held
    assert "Data protection impact assessment" in assessment and "[[" not in assessment


def test_every_page_links_the_three_statements(client):
    page = client.get("/").content.decode()
    for path in ("/accessibility/", "/privacy/", "/privacy/impact-assessment/"):
        assert f'href="{path}"' in page
