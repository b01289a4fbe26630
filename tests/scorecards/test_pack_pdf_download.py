"""A leader downloads the steering-group pack as a PDF made on the server, by headless
Chromium from the same page they print: a real PDF whose text holds the cover, the
sections and page numbers."""

import io

import pypdf
import pytest
from django.urls import reverse

from scorecards import pdf
from tests.conftest import need
from tests.scorecards.helpers import released_round


@pytest.fixture
def assessment(network, instruments):
    return released_round(network, instruments)


def download_url(assessment):
    return reverse("steering_pack_pdf", args=[assessment.network_id, assessment.pk])


@pytest.mark.django_db
def test_leader_downloads_the_pack_as_a_pdf_made_on_the_server(client, leader, assessment):
    need(pdf.chromium() is not None, "Chromium, to print the pack on the server")
    client.force_login(leader)

    response = client.get(download_url(assessment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-pack.pdf"')
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages]
    assert assessment.network.name in pages[0] and "Who answered" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    text = "\n".join(pages)
    for section in ("1. Where the network sits", "4. The maturity matrix", "How to read"):
        assert section in text


@pytest.mark.django_db
def test_outsider_gets_404_on_the_pack_pdf(client, outsider, assessment):
    client.force_login(outsider)

    assert client.get(download_url(assessment)).status_code == 404


@pytest.mark.django_db
def test_a_failed_print_keeps_the_leader_on_a_page_that_offers_the_browsers(
    client, leader, assessment, settings, tmp_path
):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    settings.PDF_CHROMIUM = str(broken)
    client.force_login(leader)

    response = client.get(download_url(assessment))

    assert response.status_code == 503
    assert "Print or save as PDF" in response.content.decode()


@pytest.mark.django_db
def test_before_any_release_the_download_leads_back_to_the_pack(
    client, leader, network, instruments
):
    from tests.surveys.survey_helpers import open_assessment

    assessment = open_assessment(network, instruments)
    client.force_login(leader)

    response = client.get(download_url(assessment))

    assert response.status_code == 302
    assert response.url == reverse("steering_pack", args=[network.pk, assessment.pk])
