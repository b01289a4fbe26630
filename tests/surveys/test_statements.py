"""The statements every page links to: the accessibility statement's required
sections and the checks it claims, the privacy notice and impact assessment outline
from docs/ with the organisation's details; all three in Welsh for a Welsh reader
(README: Languages), each Welsh document kept in step with its English."""

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from surveys.statements import CHECKS
from surveys.views import statements
from tests.factories import UserFactory
from tests.welsh import english_left

pytestmark = pytest.mark.django_db

E2E = Path(__file__).resolve().parents[1] / "e2e"
DOCS = Path(settings.BASE_DIR) / "docs"
PAGES = ("/accessibility/", "/privacy/", "/privacy/impact-assessment/")
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


# The same sections, as a Welsh reader finds them.
REQUIRED_SECTIONS_IN_WELSH = (
    "Pa mor hygyrch yw'r wefan hon",
    "Adborth a gwybodaeth gyswllt",
    "Rhoi gwybod am broblemau hygyrchedd gyda'r wefan hon",
    "Y drefn orfodi",
    "Gwybodaeth dechnegol am hygyrchedd y wefan hon",
    "Statws cydymffurfio",
    "Cynnwys nad yw'n hygyrch",
    "Paratoi'r datganiad hygyrchedd hwn",
)
ORGANISATION = {"ORGANISATION_NAME": "Bwrdd Iechyd y Cwm", "CONTACT_EMAIL": "lg@cwm.example"}


@pytest.fixture
def documents_filled_afresh():
    """The documents are rendered once per process; these tests fill in their own
    organisation, so the cache is emptied before and after."""
    statements._rendered.cache_clear()
    yield
    statements._rendered.cache_clear()


def visitor_reading(language: str) -> Client:
    client = Client()
    client.get(f"/?lang={language}")  # the visitor's choice, kept for this browser
    return client


def user_reading(language: str) -> Client:
    client = Client()
    client.force_login(UserFactory(language=language))
    return client


def statement_pages(client: Client) -> dict[str, str]:
    return {path: client.get(path).content.decode() for path in PAGES}


def data_of_statements() -> list[str]:
    """What stays the same in both languages: the organisation's details, the product,
    the tools and standards named, and the browser tests' own names."""
    names = [*ORGANISATION.values(), "netassess", "Plotly", "Chromium", "axe-core"]
    names += [*ORGANISATION, "DEFAULT_RETENTION_MONTHS"]  # the settings the notices name
    return names + [check.test for check in CHECKS]


@pytest.mark.parametrize("reader", [visitor_reading, user_reading], ids=["visitor", "user"])
@override_settings(**ORGANISATION)
def test_a_welsh_reader_reads_all_three_statements_in_welsh(reader, documents_filled_afresh):
    english = statement_pages(reader("en"))
    welsh = statement_pages(reader("cy"))

    for path in PAGES:
        assert english_left(english[path], welsh[path], data_of_statements()) == [], path
        assert '<html lang="cy">' in welsh[path], path
        assert '<div lang="en">' not in welsh[path], path  # no English fallback left
        assert "yn Saesneg yn unig" not in welsh[path], path
        assert "Bwrdd Iechyd y Cwm" in welsh[path] and "[[" not in welsh[path], path
    accessibility = welsh["/accessibility/"]
    for section in REQUIRED_SECTIONS_IN_WELSH:
        assert section.replace("'", "&#x27;") in accessibility or section in accessibility
    assert "mailto:lg@cwm.example" in accessibility
    assert "bysellfwrdd yn unig ar ffôn" in accessibility  # the first check's promise
    assert CHECKS[0].test in accessibility
    assert "Asesiad o&#x27;r effaith ar ddiogelu data" in welsh["/privacy/impact-assessment/"]
    assert "<table>" in welsh["/privacy/impact-assessment/"]


def outline(text: str) -> dict:
    """What a translation must keep: its headings, table rows, list items and the
    organisation's details to be filled in."""
    lines = text.splitlines()
    return {
        "headings": [line.split(" ")[0] for line in lines if line.startswith("#")],
        "table rows": sum(line.startswith("|") for line in lines),
        "list items": sum(line.startswith("- ") for line in lines),
        "placeholders": Counter(re.findall(r"\[\[\w+\]\]", text)),
    }


def test_every_welsh_document_keeps_the_headings_and_placeholders_of_its_english():
    welsh_documents = sorted(DOCS.glob("*.cy.md"))
    assert {path.name for path in welsh_documents} >= {"privacy-notice.cy.md", "dpia.cy.md"}
    for welsh in welsh_documents:
        english = welsh.with_name(welsh.name.replace(".cy.md", ".md"))
        assert outline(welsh.read_text()) == outline(english.read_text()), welsh.name
