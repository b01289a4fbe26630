"""Results exports (quality S7, T1, T2): readable tables read from the release only,
CSV with a BOM for Excel, a workbook with a sheet per table and notes on what was
withheld and why."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scorecards.answers import labels_for
from scorecards.scoring.publication import SCORE_NUMBERS, WITHHELD, _withhold
from tests.meetings.helpers import FIRST, add_action, running
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db

RAW_GROUP_CODES = {"lt_6m", "6_12m", "1_2y", "gt_2y", "core", "active", "occasional"}


@pytest.fixture
def assessment(network, instruments):
    return released_round(network, instruments, members=30)


def csv_rows(client, assessment) -> tuple[bytes, list[dict]]:
    url = reverse("export_csv", args=[assessment.network_id, assessment.pk])
    body = client.get(url).content
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def workbook(client, assessment):
    url = reverse("export_xlsx", args=[assessment.network_id, assessment.pk])
    return load_workbook(io.BytesIO(client.get(url).content))


def sheet_rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_csv_starts_with_a_bom_so_excel_reads_utf8(client, owner, assessment):
    client.force_login(owner)

    body, rows = csv_rows(client, assessment)

    assert body.startswith(b"\xef\xbb\xbf")
    assert not body[3:].startswith(b"\xef\xbb\xbf")
    assert list(rows[0])[0] == "section"


def test_items_carry_their_statement_and_rounded_figures(client, owner, assessment):
    client.force_login(owner)
    data = assessment.releases.get().data
    statements = labels_for(assessment)

    _, rows = csv_rows(client, assessment)

    items = {r["code"]: r for r in rows if r["section"] == "item"}
    assert set(items) == set(data["items"])
    for code, row in items.items():
        published = data["items"][code]
        assert row["title"] == statements[code] != code
        assert row["score (0-100)"] == str(round(published["mean_pct"]))
        assert row["mean (1-5)"] == str(round(published["mean"], 1))
        assert row["agreeing (%)"] == str(round(published["agree_share"] * 100))
        if published.get("dont_know_share") is not None:
            assert row["don't know (%)"] == str(round(published["dont_know_share"] * 100))
    domain = next(r for r in rows if r["section"] == "domain")
    assert domain["score (0-100)"].isdigit()


def test_group_rows_use_the_instruments_words_not_codes(client, owner, assessment):
    client.force_login(owner)
    data = assessment.releases.get().data

    _, rows = csv_rows(client, assessment)

    tenure = [r for r in rows if r["section"] == "by time in the network"]
    assert {r["code"] for r in tenure} == {
        {"lt_6m": "Less than 6 months", "6_12m": "6 to 12 months", "1_2y": "1 to 2 years",
         "gt_2y": "More than 2 years"}.get(name, name)
        for name in data["breakdowns"]["tenure"]
    }  # fmt: skip
    assert any(r["section"] == "by part in the network" for r in rows)
    assert not RAW_GROUP_CODES & {cell for r in rows for cell in r.values()}
    for row in rows:
        if row["section"].startswith("by ") and row["detail"] == WITHHELD:
            assert row["n"] == row["mean (1-5)"] == row["score (0-100)"] == ""


def test_a_withheld_item_has_no_number_anywhere_and_the_notes_say_so(client, owner, assessment):
    release = assessment.releases.get()
    code = next(iter(release.data["items"]))
    _withhold(release.data["items"][code], SCORE_NUMBERS)  # as the audit does
    release.audit = {"cells": 146, "too_few": 0, "held_back": 1}
    release.save(update_fields=["data", "audit"])
    client.force_login(owner)

    _, rows = csv_rows(client, assessment)
    book = workbook(client, assessment)

    row = next(r for r in rows if r["section"] == "item" and r["code"] == code)
    numbers = [v for k, v in row.items() if k not in ("section", "code", "title", "detail")]
    assert numbers == [""] * len(numbers) and row["detail"] == WITHHELD
    notes = {r[0]: r[1:] for r in book["Notes"].iter_rows(values_only=True) if r and r[0]}
    assert notes["Anonymity threshold"][0] == assessment.anonymity_threshold
    assert notes["Withheld by the audit"][0] == 1
    assert notes["Items"][:2] == ("item", code)
    assert "worked out" in notes["Why figures are withheld"][0]


def test_workbook_has_a_sheet_per_table_and_the_notes(client, owner, assessment):
    meeting = running(assessment)
    add_action(meeting, what='=HYPERLINK("http://x")', who="Priya", dimension=FIRST)
    client.force_login(owner)

    book = workbook(client, assessment)
    _, csv_lines = csv_rows(client, assessment)

    assert book.sheetnames == ["Summary", "Items", "Groups", "Matrix", "Actions", "Notes"]
    items = sheet_rows(book["Items"])
    assert len(items) == len(assessment.releases.get().data["items"])
    assert all(isinstance(r["score (0-100)"], int) for r in items if r["detail"] != WITHHELD)
    assert {r["section"] for r in sheet_rows(book["Summary"])} >= {"domain", "sub-dimension"}
    assert {r["section"] for r in sheet_rows(book["Matrix"])} == {"matrix"}
    # the CSV holds the same results tables, one after another
    assert len(csv_lines) == sum(len(sheet_rows(book[s])) for s in book.sheetnames[:4])
    action = sheet_rows(book["Actions"])[0]
    assert action["what"] == '\'=HYPERLINK("http://x")'
    assert action["matrix dimension"] == labels_for(assessment)[FIRST]
    assert action["round"] == assessment.title


def test_outsider_gets_404_on_both_exports(client, outsider, assessment):
    client.force_login(outsider)
    for name in ("export_csv", "export_xlsx"):
        url = reverse(name, args=[assessment.network_id, assessment.pk])
        assert client.get(url).status_code == 404


def test_workbook_has_the_connections_sheet_without_who_named_whom(
    client, owner, network, instruments
):
    from scorecards.selectors import latest_release
    from surveys.models import Member

    assessment = released_round(network, instruments, members=30, ties="dense", seed=6)
    client.force_login(owner)
    book = workbook(client, assessment)
    assert "Connections" in book.sheetnames
    rows = sheet_rows(book["Connections"])
    rel = latest_release(assessment).data["relationships"]
    figures = {r["code"]: r["value"] for r in rows if r["section"] == "figure"}
    assert figures["ties"] == rel["ties"] and figures["n_answered"] == rel["n_answered"]
    assert figures["density"] == round(rel["density"] * 100)
    text = " ".join(str(v) for r in rows for v in r.values())
    assert not [m.name for m in Member.objects.filter(network=network) if m.name in text]
    # the CSV keeps one header for the score tables
    _, csv_lines = csv_rows(client, assessment)
    assert not [line for line in csv_lines if line["section"] == "figure"]
