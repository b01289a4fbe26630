"""A leader takes the results away in Welsh (README: Languages): the CSV and the
workbook fetched with `?lang=cy` have Welsh headers, sheet names and notes, the
instruments' titles in Welsh, and exactly the same numbers as in English; the
members' own words and names stay as written."""

import csv
import io

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scorecards import pdf
from scorecards.answers import labels_for
from surveys.models import Event
from tests.conftest import need
from tests.meetings.helpers import FIRST, add_action, running
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db

WELSH_HEADER = [
    "adran", "cod", "teitl", "n", "cymedr (1-5)", "sgôr (0-100)", "canolrif (1-5)",
    "gwyriad safonol (1-5)", "yn cytuno (%)", "ddim yn gwybod (%)", "band", "manylion",
]  # fmt: skip
# The numbers of a results row: n to band (section, code, title and detail are words).
NUMBERS = slice(3, 11)


@pytest.fixture
def assessment(network, instruments):
    assessment = released_round(network, instruments, members=30, ties="dense", seed=6)
    add_action(running(assessment), dimension=FIRST, what="Agree a purpose")
    return assessment


def csv_table(client, assessment, language: str = "") -> list[list[str]]:
    url = reverse("export_csv", args=[assessment.network_id, assessment.pk])
    body = client.get(url + (f"?lang={language}" if language else "")).content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def workbook(client, assessment, language: str = ""):
    url = reverse("export_xlsx", args=[assessment.network_id, assessment.pk])
    body = client.get(url + (f"?lang={language}" if language else "")).content
    return load_workbook(io.BytesIO(body))


def test_english_leader_downloads_the_csv_in_welsh_with_the_same_numbers(
    client, leader, assessment
):
    client.force_login(leader)

    english = csv_table(client, assessment)
    welsh = csv_table(client, assessment, "cy")

    assert welsh[0] == WELSH_HEADER
    assert len(welsh) == len(english) > 20
    assert [row[NUMBERS] for row in welsh][1:] == [row[NUMBERS] for row in english][1:]
    for en_row, cy_row in zip(english[1:], welsh[1:], strict=True):
        if not en_row[0].startswith("by "):  # a group's row names the group instead
            assert cy_row[1] == en_row[1]  # codes stay codes
    sections = {row[0] for row in welsh[1:]}
    assert {"parth", "is-ddimensiwn", "eitem", "matrics"} <= sections
    assert not sections & {"domain", "sub-dimension", "item", "matrix"}
    titles = set(labels_for(assessment, "cy").values())
    assert {row[2] for row in welsh[1:] if row[0] in ("parth", "is-ddimensiwn")} <= titles
    assert leader.language == "en"  # the address chose, not the leader's own language


def test_workbook_in_welsh_has_welsh_sheets_headers_and_notes(client, leader, assessment):
    client.force_login(leader)

    english = workbook(client, assessment)
    welsh = workbook(client, assessment, "cy")

    assert welsh.sheetnames == [
        "Crynodeb", "Eitemau", "Grwpiau", "Matrics", "Cysylltiadau", "Camau gweithredu",
        "Nodiadau",
    ]  # fmt: skip
    for en_sheet, cy_sheet in zip(english.worksheets, welsh.worksheets, strict=True):
        en_rows = list(en_sheet.iter_rows(values_only=True))
        cy_rows = list(cy_sheet.iter_rows(values_only=True))
        assert len(en_rows) == len(cy_rows), cy_sheet.title
        numbers = [
            [(v, w) for v, w in zip(e, c, strict=True) if isinstance(v, int | float)]
            for e, c in zip(en_rows, cy_rows, strict=True)
        ]
        assert all(v == w for row in numbers for v, w in row), cy_sheet.title
        if cy_sheet.title != "Nodiadau":
            assert set(cy_rows[0]).isdisjoint(set(en_rows[0]) - {"n", "band"}), cy_sheet.title
    notes = {row[0]: row[1] for row in welsh["Nodiadau"].iter_rows(values_only=True) if row[0]}
    assert notes["Cylch"] == english["Notes"]["B1"].value  # the round's title, as written
    assert notes["Trothwy bod yn ddienw"] == english["Notes"]["B4"].value
    assert "wrth gau" in notes["Cyhoeddiad"]
    actions = list(welsh["Camau gweithredu"].iter_rows(values_only=True))
    assert actions[0] == ("cylch", "dimensiwn y matrics", "beth", "pwy", "erbyn", "statws")
    assert actions[1][2] == "Agree a purpose"  # a member's own words stay as written


def test_welsh_leader_downloads_in_english_when_asked(client, leader, assessment):
    leader.language = "cy"
    leader.save(update_fields=["language"])
    client.force_login(leader)

    own = csv_table(client, assessment)
    asked = csv_table(client, assessment, "en")

    assert own[0] == WELSH_HEADER
    assert asked[0][:3] == ["section", "code", "title"]
    assert workbook(client, assessment, "en").sheetnames[0] == "Summary"


def test_export_in_another_language_keeps_the_access_rules_and_the_audit(
    client, outsider, leader, assessment
):
    client.force_login(outsider)
    url = reverse("export_csv", args=[assessment.network_id, assessment.pk])

    assert client.get(url + "?lang=cy").status_code == 404
    client.force_login(leader)
    client.get(url + "?lang=cy")
    assert Event.objects.filter(kind=Event.RESULTS_EXPORTED, assessment=assessment).count() == 1


def test_english_leader_downloads_the_pack_pdf_in_welsh(client, leader, assessment):
    need(pdf.chromium() is not None, "Chromium, to print the pack on the server")
    client.force_login(leader)
    url = reverse("steering_pack_pdf", args=[assessment.network_id, assessment.pk])

    response = client.get(url + "?lang=cy")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages]
    assert assessment.network.name in pages[0] and "Pwy atebodd" in pages[0]
    assert f"Tudalen 1 o {len(pages)}" in pages[0] and "pecyn y grŵp llywio" in pages[0]
    text = "\n".join(pages)
    assert "1. Ble mae'r rhwydwaith arni" in text and "Sut i ddarllen y pecyn hwn" in text
