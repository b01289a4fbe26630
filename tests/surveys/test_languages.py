"""Each person's language: a member's recorded language (from the member list, the
member form or their own choice on a survey page) sets their emails and pages; a
signed-in coordinator or leader chooses theirs in their account."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scorecards import summaries
from surveys import services
from surveys.member_import import check_member_csv
from surveys.models import Answer, Invitation, Member
from tests.factories import InvitationFactory, MemberFactory
from tests.surveys.survey_helpers import (
    full_answers,
    invite_all,
    link_path,
    open_assessment,
    pages_of,
)
from tests.welsh import english_left

pytestmark = pytest.mark.django_db

HEADER = "name,email,stakeholder group,organisation,language\n"


# ---- the member list -----------------------------------------------------------------


def test_coordinator_imports_each_members_language_in_any_usual_spelling():
    text = HEADER + (
        "Asha Patel,asha@example.org,Clinician,,en\n"
        "Bethan Jones,bethan@example.org,Clinician,,Cymraeg\n"
        "Carys Lloyd,carys@example.org,Clinician,,WELSH\n"
        "Dai Rees,dai@example.org,Clinician,,cy\n"
        "Eve Smith,eve@example.org,Clinician,,English\n"
        "Fred Bloggs,fred@example.org,Clinician,,\n"
    )

    check = check_member_csv(text, group_names=["Clinician"], max_rows=10)

    assert check.is_clean
    assert [row.language for row in check.rows] == ["en", "cy", "cy", "cy", "en", ""]


def test_coordinator_is_told_which_row_names_a_language_the_site_does_not_offer():
    text = HEADER + "Asha Patel,asha@example.org,Clinician,,Klingon\n"

    check = check_member_csv(text, group_names=["Clinician"], max_rows=10)

    assert not check.rows
    assert check.errors == [
        (2, "'Klingon' is not a language this site offers (en or cy: English, Cymraeg or Welsh).")
    ]


def test_importing_sets_the_language_and_a_file_without_it_keeps_each_members(network):
    clinician = network.groups.get(name="Clinician")
    kept = MemberFactory(network=network, group=clinician, email="kept@example.org", language="cy")
    rows = check_member_csv(
        HEADER + "New Person,new@example.org,Clinician,,cy\n", group_names=["Clinician"], max_rows=9
    ).rows
    without = check_member_csv(
        "name,email,stakeholder group\n" + f"{kept.name},kept@example.org,Clinician\n",
        group_names=["Clinician"],
        max_rows=9,
    ).rows

    services.members_import(network=network, rows=rows + without)

    assert Member.objects.get(email="new@example.org").language == "cy"
    kept.refresh_from_db()
    assert kept.language == "cy"


def test_coordinator_sets_a_members_language_on_the_member_form(client, owner, network):
    member = MemberFactory(network=network)
    client.force_login(owner)
    url = reverse("member_edit", args=[network.pk, member.pk])
    data = {"name": member.name, "email": member.email, "group": member.group_id}

    client.post(url, {**data, "organisation": "", "language": "cy"})

    member.refresh_from_db()
    assert member.language == "cy"
    assert 'name="language"' in client.get(url).content.decode()


# ---- emails ---------------------------------------------------------------------------


@pytest.fixture
def two_members(network, instruments):
    assessment = open_assessment(network, instruments, members=0)
    welsh = MemberFactory(network=network, name="Bethan Jones", language="cy")
    english = MemberFactory(network=network, name="Alun Evans", language="en")
    invitations = {i.member_id: i for i in invite_all(assessment)}
    return assessment, invitations[welsh.pk], invitations[english.pk]


def data_for(assessment) -> list[str]:
    network = assessment.network
    return [network.name, assessment.title, *(m.name for m in network.members.all())]


def test_welsh_member_gets_a_welsh_invitation_with_a_link_to_the_english(two_members):
    assessment, welsh, _ = two_members

    message = services.invitation_email(welsh)

    html = message.alternatives[0][0]
    assert message.subject == f"Eich barn am {assessment.network.name}: arolwg iechyd y rhwydwaith"
    assert "Helo Bethan," in message.body and "Mae'r arolwg yn cau ar" in message.body
    assert '<html lang="cy">' in html and "Dechrau'r arolwg" in html
    personal = services.invitation_url(welsh)
    assert f"{personal}?lang=en" in message.body and f'href="{personal}?lang=en"' in html
    assert "Open the survey in English" in html  # said in English, for who wants English
    assert message.extra_headers["Content-Language"] == "cy"


def test_coordinator_can_write_the_welsh_invitation_and_an_english_member_never_sees_it(
    two_members,
):
    assessment, welsh, english = two_members
    assessment.invitation_subject_cy = "Eich barn, os gwelwch yn dda"
    assessment.invitation_message_cy = "Annwyl {name}, diolch."

    assert services.invitation_email(welsh).subject == "Eich barn, os gwelwch yn dda"
    assert "Annwyl Bethan, diolch." in services.invitation_email(welsh).body
    assert services.invitation_email(english).subject == assessment.invitation_subject


def emails_for(invitation) -> dict:
    """Every email a member can get, built for this member."""
    member = invitation.member
    sent = {}
    services.invitation_email(invitation).send()
    sent["invitation"] = mail.outbox[-1]
    invitation.status = Invitation.SENT
    services.reminder_send(invitation=invitation, slot=7)
    sent["reminder"] = mail.outbox[-1]
    invitation.status = Invitation.STARTED
    services.reminder_send(invitation=invitation, slot=2)
    sent["reminder, started"] = mail.outbox[-1]
    Invitation.objects.filter(pk=invitation.pk).update(copied_link_used_at=timezone.now())
    services.own_link_send(invitation_id=invitation.pk)
    sent["own link"] = mail.outbox[-1]
    services.address_change_notice(member_id=member.pk, old_address="old@example.org")
    sent["address changed"] = mail.outbox[-1]
    return sent


def test_welsh_member_gets_every_email_in_welsh(two_members):
    assessment, welsh, english = two_members
    english_emails, welsh_emails = emails_for(english), emails_for(welsh)
    data = data_for(assessment) + [assessment.invitation_message.splitlines()[0]]

    left = {}
    for name, message in english_emails.items():
        other = welsh_emails[name]
        left[name] = (
            english_left(message.subject, other.subject, data, html=False)
            + english_left(message.body, other.body, data, html=False)
            + english_left(message.alternatives[0][0], other.alternatives[0][0], data)
        )

    # The one English line is the link offering English, said in English.
    allowed = {"Open the survey in English", "Read the summary in English"}
    assert {
        name: set(found) - allowed for name, found in left.items() if set(found) - allowed
    } == {}
    assert all('<html lang="cy">' in m.alternatives[0][0] for m in welsh_emails.values())


def test_welsh_member_is_told_of_the_members_summary_in_welsh(two_members):
    from scorecards.models import MemberSummary, SummaryEmail

    assessment, welsh, english = two_members
    summary = MemberSummary.objects.create(assessment=assessment)
    summary.token_salt = "s" * 32
    messages = {}
    for invitation in (english, welsh):
        row = SummaryEmail.objects.create(summary=summary, member=invitation.member)
        messages[invitation.member.language] = summaries._email(row)

    data = data_for(assessment)
    left = english_left(
        messages["en"].alternatives[0][0], messages["cy"].alternatives[0][0], data
    ) + english_left(messages["en"].body, messages["cy"].body, data, html=False)
    assert set(left) <= {"Read the summary in English"}
    assert messages["cy"].subject.endswith("beth ddywedodd yr aelodau, a beth sy'n digwydd nesaf")
    assert f"{summaries.summary_url(summary)}?lang=cy" in messages["cy"].body


# ---- the survey ------------------------------------------------------------------------


def test_member_switches_language_on_a_page_and_keeps_the_answers_given(client, two_members):
    assessment, _, english = two_members
    client.get(link_path(english))
    client.post(reverse("survey_welcome"))
    page = next(p for p in pages_of(assessment) if p.questions[0].kind == "agreement")
    url = reverse("survey_page", args=[page.key])
    answers = full_answers(page, "2")

    response = client.post(url, {**answers, "language": "cy"})

    assert response.status_code == 302 and response["Location"] == url
    saved = dict(Answer.objects.values_list("item", "value"))
    assert saved == dict.fromkeys(answers, 2)
    shown = client.get(url).content.decode()
    assert '<html lang="cy">' in shown and "Cadw a pharhau" in shown
    first = page.questions[0].code
    assert f'id="f-{first}-2" value="2" checked' in shown
    english.member.refresh_from_db()
    assert english.member.language == "cy"  # their recorded choice now: emails follow
    assert client.get(reverse("survey_review")).headers["Content-Language"] == "cy"


def test_the_emails_link_to_the_other_language_chooses_it_for_this_browser(client, two_members):
    _, welsh, _ = two_members

    client.get(link_path(welsh) + "?lang=en")

    assert '<html lang="en-GB">' in client.get(reverse("survey_welcome")).content.decode()
    welsh.member.refresh_from_db()
    assert welsh.member.language == "cy"  # a link chooses for the browser, not the record


def test_a_welsh_members_survey_pages_are_welsh_without_choosing(client, two_members):
    _, welsh, _ = two_members
    client.get(link_path(welsh))

    body = client.get(reverse("survey_welcome")).content.decode()

    assert '<html lang="cy">' in body and "Cyn i chi ddechrau" in body


def test_the_scripts_strings_come_in_the_pages_language(client):
    welsh = client.get(reverse("javascript_catalog") + "?lang=cy")
    english = client.get(reverse("javascript_catalog") + "?lang=en")

    assert welsh.status_code == 200 and welsh["Content-Type"].startswith("text/javascript")
    assert "Yn cadw" in welsh.content.decode()
    assert "Yn cadw" not in english.content.decode()


def test_a_welsh_survey_page_loads_the_welsh_strings_for_its_scripts(client, two_members):
    assessment, welsh, _ = two_members
    client.get(link_path(welsh))
    client.post(reverse("survey_welcome"))
    page = pages_of(assessment)[1]

    body = client.get(reverse("survey_page", args=[page.key])).content.decode()

    script = re.search(r'<script src="([^"]*jsi18n[^"]*)"', body).group(1)
    assert script == reverse("javascript_catalog") + "?lang=cy"
    assert body.index("jsi18n") < body.index("autosave.js")


# ---- coordinators and leaders ------------------------------------------------------------


def test_coordinator_chooses_their_own_language_and_it_is_used_when_signed_in(client, owner):
    client.force_login(owner)

    response = client.post(reverse("account_language"), {"language": "cy"})

    owner.refresh_from_db()
    assert response.status_code == 302 and owner.language == "cy"
    page = client.get(reverse("account_language"))
    assert '<html lang="cy">' in page.content.decode() and page["Content-Language"] == "cy"
    # A `?lang=` link does not override a signed-in person's own choice.
    assert client.get(reverse("network_list") + "?lang=en")["Content-Language"] == "cy"


def test_a_member_invitation_built_by_a_welsh_speaking_coordinator_follows_the_member(
    client, owner, network
):
    owner.language = "cy"
    owner.save()
    invitation = InvitationFactory(assessment__network=network, member__network=network)

    from django.utils import translation

    with translation.override("cy"):
        message = services.invitation_email(invitation)

    assert '<html lang="en-GB">' in message.alternatives[0][0]
    assert "Start the survey" in message.alternatives[0][0]
