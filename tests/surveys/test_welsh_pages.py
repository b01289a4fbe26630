"""A Welsh-speaking member sees every survey page in Welsh (the Welsh Language
Standards): each page rendered for an English and a Welsh member of the same round
shares no English sentence of ours, and says lang="cy"."""

import pytest
from django.test import Client
from django.urls import reverse

from surveys import services
from surveys.models import Instrument, Invitation, Member
from tests.factories import CustomQuestionFactory, MemberFactory
from tests.surveys.survey_helpers import answer_everything, link_path, pages_of
from tests.welsh import english_left, strings_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(network, instruments):
    """A round asking everything: both instruments, the roster, a question of the
    network's own and the follow-up of an earlier action."""
    from tests.surveys.survey_helpers import open_assessment

    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    CustomQuestionFactory(assessment=assessment, kind="agreement", text="Our meetings matter.")
    assessment.follow_up_questions = [{"code": "ACT1", "text": "Agree a shared purpose."}]
    assessment.save(update_fields=["follow_up_questions"])
    MemberFactory(network=network, name="Bethan Jones", language="cy")
    MemberFactory(network=network, name="Alun Evans", language="en")
    MemberFactory(network=network, name="Ceri Roberts")
    services.invitations_create(assessment=assessment, members=network.members.all())
    return assessment


def data_of(assessment) -> list[str]:
    network = assessment.network
    texts = [network.name, assessment.title, "Our meetings matter.", "Agree a shared purpose."]
    texts += [m.name for m in network.members.all()]
    texts += [m.organisation for m in Member.objects.all()]
    texts += [g.name for g in network.groups.all()]
    texts += [f"Comment for {code}" for code in ("C_works", "C_change", "C_other")]  # typed
    for instrument in Instrument.objects.all():
        texts += strings_in(instrument.definition)
    return texts


def invitation_of(assessment, language) -> Invitation:
    name = {"cy": "Bethan Jones", "en": "Alun Evans"}[language]
    return Invitation.objects.get(assessment=assessment, member__name=name)


def member_client(assessment, language) -> Client:
    client = Client()
    client.get(link_path(invitation_of(assessment, language)))
    return client


def pages(client, assessment) -> dict[str, str]:
    """Every page a member meets on the way, by name."""
    seen = {"welcome": client.get(reverse("survey_welcome")).content.decode()}
    client.post(reverse("survey_welcome"))
    for page in pages_of(assessment):
        seen[page.key] = client.get(reverse("survey_page", args=[page.key])).content.decode()
    first_statements = next(p for p in pages_of(assessment) if p.questions[0].kind == "agreement")
    errors = client.post(
        reverse("survey_page", args=[first_statements.key]), {"nav": "next"}
    ).content.decode()
    seen["page with errors"] = errors
    seen["review, incomplete"] = client.get(reverse("survey_review") + "?incomplete=1").content
    seen["opt out"] = client.get(reverse("survey_opt_out")).content.decode()
    answer_everything(client, assessment)
    seen["review"] = client.get(reverse("survey_review")).content.decode()
    client.post(reverse("survey_submit"))
    seen["thanks"] = client.get(reverse("survey_thanks")).content.decode()
    seen["my answers"] = client.get(reverse("survey_my_answers")).content.decode()
    return {name: html if isinstance(html, str) else html.decode() for name, html in seen.items()}


def test_welsh_member_sees_every_survey_page_in_welsh(round_):
    english = pages(member_client(round_, "en"), round_)
    welsh = pages(member_client(round_, "cy"), round_)
    data = data_of(round_)

    assert english.keys() == welsh.keys()
    left = {
        name: english_left(english[name], welsh[name], data, html=name != "my answers")
        for name in english
    }
    assert {name: found for name, found in left.items() if found} == {}
    for name, html in welsh.items():
        if name != "my answers":
            assert '<html lang="cy">' in html, name
            assert '<html lang="en-GB">' in english[name], name
    assert "Cadw a pharhau" in welsh["about-you"]
    assert "Adran,Cwestiwn,Eich ateb" in welsh["my answers"]


def test_welsh_member_sees_the_pages_around_the_survey_in_welsh(round_):
    """Not taking part, a dead link, unsubscribing and erasure, each in Welsh."""
    english, welsh = {}, {}
    for language, seen in (("en", english), ("cy", welsh)):
        invitation = invitation_of(round_, language)
        client = member_client(round_, language)
        seen["opted out"] = client.post(reverse("survey_opt_out")).content.decode()
        seen["link not active"] = client.get("/s/not-a-real-token/").content.decode()
        member = invitation.member
        unsubscribe = services.member_links(member)["unsubscribe_url"].split("testserver")[-1]
        erase = services.member_links(member)["erase_url"].split("testserver")[-1]
        fresh = Client()  # the email's links, opened anywhere: in the member's language
        seen["unsubscribe"] = fresh.get(unsubscribe).content.decode()
        seen["erase"] = Client().get(erase.split("?")[0]).content.decode()  # no ?lang: theirs
        seen["unsubscribed"] = fresh.post(unsubscribe).content.decode()
        seen["erased"] = Client().post(erase).content.decode()
    data = data_of(round_)

    left = {name: english_left(english[name], welsh[name], data) for name in english}

    assert {name: found for name, found in left.items() if found} == {}
    assert all('<html lang="cy">' in html for html in welsh.values())
    assert "Dydy'r ddolen hon ddim yn weithredol" in welsh["link not active"]


def test_a_page_at_a_token_address_links_to_the_other_language_without_the_token(client):
    body = client.get("/s/not-a-real-token/").content.decode()

    assert "not-a-real-token" not in body
    assert f'href="{reverse("survey_welcome")}?lang=cy"' in body


def test_every_survey_page_answers_with_its_language_in_content_language(round_):
    client = member_client(round_, "cy")
    response = client.get(reverse("survey_welcome"))

    assert response["Content-Language"] == "cy"
    assert member_client(round_, "en").get(reverse("survey_welcome"))["Content-Language"] == "en-GB"
