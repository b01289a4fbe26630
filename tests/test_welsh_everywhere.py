"""Every page in Welsh (README: Languages): the test walks every URL pattern a
coordinator can open, as tests/test_access.py does, and renders each for a coordinator
who reads English and for one who reads Welsh; the Welsh page must say `lang="cy"` and
share no English text of ours with the English one. A new page cannot be added in
English only."""

import pytest
from django.urls import reverse

from meetings.models import MatrixSession
from surveys.languages import localised
from surveys.models import Event, Instrument, NetworkRole, User
from surveys.services import assessment_defaults
from tests.factories import UserFactory, add_role
from tests.test_access import SCOPED, objects  # noqa: F401 - the same objects
from tests.welsh import client_for, english_left, strings_in

pytestmark = pytest.mark.django_db

# What is not a page: files and data for scripts, each checked where it is built.
NOT_PAGES = ("text/csv", "application/json", "application/vnd", "application/pdf", "image/")


def data_of(network) -> list[str]:
    """What a page shows that is data, not our words: names, titles, what people typed,
    and the instruments' own texts in both languages."""
    texts = [network.name, network.purpose, network.scope, network.sponsor]
    texts += [str(u) for u in User.objects.all()] + [u.full_name for u in User.objects.all()]
    texts += [g.name for g in network.groups.all()]
    texts += [m.name for m in network.members.all()] + [
        m.organisation for m in network.members.all()
    ]
    for assessment in network.assessments.all():
        texts += [assessment.title, assessment.invitation_subject, assessment.invitation_message]
        texts += [q.text for q in assessment.custom_questions.all()]
    texts += ["Matrix meeting", "Agree a purpose", "Sam", "Steering group", "A"]
    texts += list(MatrixSession.objects.values_list("code", flat=True))
    # A new round's prefilled texts, and the English invitation as the round's preview
    # shows it to English members (the Welsh one beside it is the Welsh members').
    texts += [str(value) for value in assessment_defaults(network).values()]
    texts += ["Hello {name},", "Helo {name},"]
    for instrument in Instrument.objects.all():
        welsh = localised(instrument.definition, "cy")
        texts += [str(instrument), *strings_in(instrument.definition), *strings_in(welsh)]
    return [" ".join(text.split()) for text in texts if text]


def records() -> list[str]:
    """The audit trail's records keep what happened as it was written at the time
    (reading an export writes one)."""
    return list(Event.objects.values_list("detail", flat=True))


@pytest.fixture
def readers(network, owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    welsh = UserFactory(full_name="Bethan Jones", language="cy")
    add_role(network, welsh, NetworkRole.COORDINATOR)
    return client_for(owner), client_for(welsh)


def test_welsh_coordinator_reads_every_page_in_welsh(readers, objects, network):  # noqa: F811
    english, welsh = readers
    data = data_of(network)
    read, english_found = [], {}
    for name, kwargs in SCOPED:
        url = reverse(name, kwargs={key: objects[key] for key in kwargs})
        en, cy = english.get(url), welsh.get(url)
        if en.status_code != 200 or en.get("Content-Type", "").startswith(NOT_PAGES):
            continue  # a form's POST address, a redirect, a file: checked where built
        read.append(name)
        page = cy.content.decode()
        left = english_left(en.content.decode(), page, data + records())
        if cy.status_code != 200 or '<html lang="cy"' not in page or left:
            english_found[name] = (cy.status_code, left[:5])
    assert english_found == {}
    assert len(read) >= 30, read  # 34 pages when written; the rest are POSTs and files
