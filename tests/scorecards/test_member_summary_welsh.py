"""The members' summary in Welsh: the page (chosen by `?lang=cy`, as the email's link
does) shares no English sentence of ours with the English page, the stage included."""

import pytest
from django.test import Client

from meetings import services as meeting_services
from scorecards import summaries
from surveys.models import Instrument
from tests.scorecards.helpers import released_round
from tests.welsh import english_left, strings_in

pytestmark = pytest.mark.django_db


def test_member_reads_the_summary_in_welsh(owner, network, instruments):
    assessment = released_round(network, instruments, rate=0.8)
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Meeting", held_on=assessment.closes_on, tables=["A"]
    )
    meeting_services.action_add(
        session=meeting, what="Agree a purpose", who="Sam", due_on=assessment.closes_on
    )
    summary = summaries.member_summary_publish(assessment=assessment, user=owner)
    link = summaries.summary_url(summary).removeprefix("http://testserver")

    english = Client()
    english.get(link)
    welsh = Client()
    welsh.get(link + "?lang=cy")
    en = english.get(f"/members-summary/{summary.pk}/").content.decode()
    cy = welsh.get(f"/members-summary/{summary.pk}/").content.decode()

    data = [network.name, assessment.title, "Agree a purpose"]
    for instrument in Instrument.objects.all():
        data += strings_in(instrument.definition)
    assert english_left(en, cy, data) == []
    assert '<html lang="cy">' in cy and "Ble mae'r rhwydwaith arni" in cy
