"""A Welsh-speaking coordinator sees the network's pages in Welsh (README: Languages):
each page rendered for a coordinator whose language is Welsh and for one whose
language is English shares no English text of ours, and says lang="cy"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import NetworkRole, User
from tests.factories import MemberFactory, UserFactory, add_role
from tests.surveys.survey_helpers import open_assessment
from tests.welsh import client_for, english_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinators(network, owner):
    """The owner reads English; a second coordinator of the same network reads Welsh."""
    owner.language = "en"
    owner.save(update_fields=["language"])
    welsh = UserFactory(full_name="Bethan Jones", language="cy")
    add_role(network, welsh, NetworkRole.COORDINATOR)
    NetworkRole.objects.create(network=network, email="invited@example.org", role="leader")
    return {"en": owner, "cy": welsh}


@pytest.fixture
def round_(network, instruments):
    assessment = open_assessment(network, instruments, members=0)
    MemberFactory(network=network, name="Alun Evans")
    MemberFactory(network=network, name="Ceri Roberts", language="cy")
    return assessment


def data_of(network) -> list[str]:
    texts = [network.name, network.purpose, network.scope, network.sponsor]
    texts += [u.full_name for u in User.objects.all()] + [str(u) for u in User.objects.all()]
    texts += [g.name for g in network.groups.all()]
    texts += [a.title for a in network.assessments.all()]
    texts += [m.name for m in network.members.all()] + [
        m.organisation for m in network.members.all()
    ]
    return texts


def network_pages(client, network) -> dict[str, str]:
    pk = network.pk
    seen = {
        "network list": client.get(reverse("network_list")),
        "network detail": client.get(reverse("network_detail", args=[pk])),
        "network create": client.get(reverse("network_create")),
        "network create, errors": client.post(reverse("network_create"), {}),
        "network edit": client.get(reverse("network_edit", args=[pk])),
        "team": client.get(reverse("team", args=[pk])),
        "team, errors": client.post(reverse("team", args=[pk]), {"email": "not an address"}),
        "groups": client.get(reverse("group_list", args=[pk])),
        "groups, errors": client.post(reverse("group_list", args=[pk]), {"name": ""}),
    }
    group = network.groups.first()
    client.post(reverse("group_edit", args=[pk, group.pk]), {"delete": "1"})  # has members
    seen["groups, a message"] = client.get(reverse("group_list", args=[pk]))
    client.post(reverse("network_edit", args=[pk]), {"name": network.name})
    seen["network detail, a message"] = client.get(reverse("network_detail", args=[pk]))
    return {name: response.content.decode() for name, response in seen.items()}


def assert_welsh(english: dict[str, str], welsh: dict[str, str], data: list[str]) -> None:
    assert english.keys() == welsh.keys()
    left = {name: english_left(english[name], welsh[name], data) for name in english}
    assert {name: found for name, found in left.items() if found} == {}
    for name, html in welsh.items():
        assert '<html lang="cy">' in html, name
        assert '<html lang="en-GB">' in english[name], name


def test_a_welsh_coordinator_sees_the_network_pages_in_welsh(network, coordinators, round_):
    english = network_pages(client_for(coordinators["en"]), network)
    welsh = network_pages(client_for(coordinators["cy"]), network)

    assert_welsh(english, welsh, data_of(network))
    assert "Fy rhwydweithiau" in welsh["network list"]
    assert "My networks" in english["network list"]


BAD_FILE = (
    "name,email,stakeholder group,organisation,language\n"
    ",not-an-address,Nobody,,xx\n"
    "Tom Reid,tom@example.org,,,\n"
)
CLEAN_FILE = (
    "name,email,stakeholder group,organisation,language\n"
    "=Asha Patel,asha@example.org,Clinician,+City Hospital,cy\n"
    "Tom Reid,tom@example.org,Manager,,en\n"
)


def upload(client, network, text: str, name: str = "members.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("member_import", args=[network.pk]), {"file": file})


def member_pages(client, network) -> dict[str, str]:
    pk = network.pk
    member = network.members.get(name="Alun Evans")
    seen = {
        "member list": client.get(reverse("member_list", args=[pk])),
        "member list, filtered": client.get(reverse("member_list", args=[pk]) + "?q=Alun"),
        "member list, none match": client.get(reverse("member_list", args=[pk]) + "?q=zzz"),
        "member add": client.get(reverse("member_add", args=[pk])),
        "member add, errors": client.post(reverse("member_add", args=[pk]), {}),
        "member edit": client.get(reverse("member_edit", args=[pk, member.pk])),
        "member import": client.get(reverse("member_import", args=[pk])),
        "member import, no file": client.post(reverse("member_import", args=[pk]), {}),
        "member import, empty file": upload(client, network, " "),
        "member import, bad rows": upload(client, network, BAD_FILE),
        "member import, no header": upload(client, network, "who,where\nA,B\n"),
    }
    upload(client, network, CLEAN_FILE)
    seen["member import confirm"] = client.get(reverse("member_import_confirm", args=[pk]))
    client.post(reverse("member_import_confirm", args=[pk]))
    seen["member list, a message"] = client.get(reverse("member_list", args=[pk]))
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_coordinator_sees_the_member_pages_in_welsh(network, coordinators, round_):
    english = member_pages(client_for(coordinators["en"]), network)
    network.members.filter(email__in=["asha@example.org", "tom@example.org"]).delete()
    welsh = member_pages(client_for(coordinators["cy"]), network)

    data = [*data_of(network), "=Asha Patel", "+City Hospital", "Tom Reid", "Nobody"]
    assert_welsh(english, welsh, data)
    assert "Mewnforio aelodau o ffeil CSV" in welsh["member import"]
    assert "Import members from a CSV file" in english["member import"]


def round_pages(client, network, assessment) -> dict[str, str]:
    from surveys import services
    from surveys.models import Invitation

    pk, apk = network.pk, assessment.pk
    seen = {"assessment list, none": client.get(reverse("assessment_list", args=[pk]))}
    seen["round, nobody invited"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    seen["progress, nobody invited"] = client.get(reverse("assessment_progress", args=[pk, apk]))
    seen["invitations, none"] = client.get(reverse("invitation_list", args=[pk, apk]))
    services.invitations_create(assessment=assessment, members=network.members.all())
    invitation = Invitation.objects.filter(assessment=assessment).first()
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.COMPLETED)
    invitation.refresh_from_db()
    seen["assessment list"] = client.get(reverse("assessment_list", args=[pk]))
    seen["round"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    seen["progress"] = client.get(reverse("assessment_progress", args=[pk, apk]))
    seen["invitations"] = client.get(reverse("invitation_list", args=[pk, apk]))
    seen["invitations, filtered"] = client.get(
        reverse("invitation_list", args=[pk, apk]) + "?status=completed"
    )
    seen["invitations, none match"] = client.get(
        reverse("invitation_list", args=[pk, apk]) + "?q=zzz"
    )
    other = Invitation.objects.filter(assessment=assessment).exclude(pk=invitation.pk).first()
    client.post(
        reverse("invitation_revoke", args=[pk, apk, other.pk]), {"confirm": "1", "back": ""}
    )
    seen["invitations, revoked"] = client.get(reverse("invitation_list", args=[pk, apk]))
    client.post(reverse("invitation_resend", args=[pk, apk, invitation.pk]), {"back": ""})
    seen["invitations, refused"] = client.get(reverse("invitation_list", args=[pk, apk]))
    client.post(reverse("assessment_close", args=[pk, apk]), {"confirm": "1"})
    seen["progress, closed"] = client.get(reverse("assessment_progress", args=[pk, apk]))
    seen["invitations, closed"] = client.get(reverse("invitation_list", args=[pk, apk]))
    seen["extend, errors"] = client.post(
        reverse("assessment_extend", args=[pk, apk]), {"closes_on": "not a date"}
    )
    client.post(
        reverse("assessment_extend", args=[pk, apk]),
        {"closes_on": (timezone.localdate() + timedelta(days=20)).isoformat()},
    )
    seen["progress, reopened"] = client.get(reverse("assessment_progress", args=[pk, apk]))
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_coordinator_sees_the_round_pages_in_welsh(network, coordinators, instruments):
    from surveys.models import Assessment, Instrument

    english, welsh = {}, {}
    for language, seen in (("en", english), ("cy", welsh)):
        Assessment.objects.all().delete()
        network.members.all().delete()
        assessment = open_assessment(network, instruments, members=0, title="Spring round")
        assessment.reminder_days = [7, 2]
        assessment.meeting_on = assessment.closes_on + timedelta(days=7)
        assessment.save(update_fields=["reminder_days", "meeting_on"])
        MemberFactory(network=network, name="Alun Evans")
        MemberFactory(network=network, name="Ceri Roberts")
        seen.update(round_pages(client_for(coordinators[language]), network, assessment))

    data = [*data_of(network), "Spring round"]
    data += [i.title for i in Instrument.objects.all()]
    assert_welsh(english, welsh, data)
    assert "Gwahoddiadau fesul statws" in welsh["progress"]
    assert "Invitations by status" in english["progress"]


def round_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Autumn round",
        "instruments": ["scorecard", "matrix"],
        "opens_on": today.isoformat(),
        "meeting_on": "",
        "closes_on": (today + timedelta(days=21)).isoformat(),
        "anonymity_threshold": "5",
        "invitation_subject": "Your views on the network",
        "invitation_message": "Hello {name},\n\nPlease tell us how we are doing.",
        "reminder_days": "7, 2",
    }
    return {**data, **overrides}


def round_form_pages(client, network) -> tuple[dict[str, str], list[str]]:
    """The pages, and the English texts they show as typed data (the email preview, in
    the member's language)."""
    from surveys.models import Assessment

    pk = network.pk
    today = timezone.localdate()
    create = reverse("assessment_create", args=[pk])
    far = (today + timedelta(days=3 * 365)).isoformat()
    preview = client.post(create, {**round_form(), "preview": "1"})
    seen = {
        "create": client.get(create),
        "create, errors": client.post(create, {"reminder_days": "x"}),
        "create, dates too far": client.post(
            create, round_form(opens_on=far, closes_on=far, meeting_on=far)
        ),
        "create, meeting too early": client.post(
            create,
            round_form(meeting_on=(today - timedelta(days=2)).isoformat(), closes_on=""),
        ),
        "create, closing before opening": client.post(
            create,
            round_form(
                opens_on=(today + timedelta(days=10)).isoformat(),
                closes_on=(today + timedelta(days=5)).isoformat(),
            ),
        ),
        "create, preview": preview,
    }
    typed = [
        preview.context["preview"]["subject"],
        *preview.context["preview"]["text"].splitlines(),
    ]
    client.post(
        create,
        round_form(closes_on="", meeting_on=(today + timedelta(days=30)).isoformat()),
    )
    assessment = Assessment.objects.get(network=network, title="Autumn round")
    apk = assessment.pk
    seen["round, created"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    seen["edit"] = client.get(reverse("assessment_edit", args=[pk, apk]))
    client.post(reverse("assessment_edit", args=[pk, apk]), round_form())
    seen["round, saved"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    questions = reverse("assessment_questions", args=[pk, apk])
    seen["questions, none"] = client.get(questions)
    seen["questions, errors"] = client.post(questions, {"kind": "agreement", "text": ""})
    client.post(questions, {"kind": "agreement", "text": "Our meetings lead to action."})
    client.post(questions, {"kind": "text", "text": "What should change?"})
    seen["questions, added"] = client.get(questions)
    question = assessment.custom_questions.get(kind="text")
    client.post(reverse("custom_question_remove", args=[pk, apk, question.pk]))
    seen["questions, removed"] = client.get(questions)
    from surveys import services

    services.invitations_create(assessment=assessment, members=network.members.all())
    seen["questions, locked"] = client.get(questions)
    seen["edit, locked"] = client.get(reverse("assessment_edit", args=[pk, apk]))
    pages = {name: response.content.decode() for name, response in seen.items()}
    return pages, typed


def test_a_welsh_coordinator_creates_a_round_in_welsh(network, coordinators, instruments):
    from surveys import services
    from surveys.models import Assessment, Instrument

    english, welsh, typed = {}, {}, []
    for language, seen in (("en", english), ("cy", welsh)):
        Assessment.objects.all().delete()
        network.members.all().delete()
        MemberFactory(network=network, name="Alun Evans")
        pages, shown = round_form_pages(client_for(coordinators[language]), network)
        seen.update(pages)
        typed += shown

    defaults = services.assessment_defaults(network)
    data = [*data_of(network), "Autumn round", *typed]
    data += [i.title for i in Instrument.objects.all()]
    data += ["Your views on the network", "Hello {name},", "Please tell us how we are doing."]
    data += ["Our meetings lead to action.", "What should change?"]
    for name in ("subject", "message", "subject_cy", "message_cy"):  # prefilled, typed
        text = str(defaults[f"invitation_{name}"])
        data += [" ".join(text.split()), *(line.strip() for line in text.splitlines())]
    assert_welsh(english, welsh, data)
    assert "Gofyn hefyd pwy sy’n gweithio gyda phwy" in welsh["create"]
    assert "Also ask who works with whom" in english["create"]
    assert "Mae cwestiwn X2 wedi’i dynnu." in welsh["questions, removed"]
    assert "o fewn dwy flynedd i heddiw" in welsh["create, dates too far"]
    assert "cyn y cyfarfod" in welsh["round, created"]
    assert "within two years from today" in english["create, dates too far"]


def invite_pages(client, network, assessment) -> dict[str, str]:
    from surveys.models import Assessment, Invitation

    pk, apk = network.pk, assessment.pk
    invite = reverse("assessment_invite", args=[pk, apk])
    seen = {
        "invite": client.get(invite),
        "invite, no group": client.post(invite, {"who": "groups"}),
        "invite, no member": client.post(invite, {"who": "members"}),
    }
    first = network.members.get(name="Alun Evans")
    client.post(invite, {"who": "members", "members": [first.pk]})
    seen["invitations, a message"] = client.get(reverse("invitation_list", args=[pk, apk]))
    seen["invite, some invited"] = client.get(invite)
    client.post(invite, {"who": "everyone"})
    seen["invitations, everyone"] = client.get(reverse("invitation_list", args=[pk, apk]))
    invitation = Invitation.objects.get(assessment=assessment, member=first)
    seen["copied link"] = client.post(
        reverse("invitation_copy_link", args=[pk, apk, invitation.pk]), {"back": ""}
    )
    seen["revoke, confirm"] = client.post(
        reverse("invitation_revoke", args=[pk, apk, invitation.pk]), {"back": ""}
    )
    seen["close, confirm"] = client.post(reverse("assessment_close", args=[pk, apk]))
    hold = reverse("assessment_legal_hold", args=[pk, apk])
    seen["legal hold"] = client.get(hold)
    seen["legal hold, errors"] = client.post(hold, {"reason": ""})
    client.post(hold, {"reason": "Complaint 12"})
    seen["round, on hold"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    seen["legal hold, lift"] = client.get(hold)
    client.post(hold, {"reason": "Complaint closed"})
    seen["round, hold lifted"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    client.post(reverse("assessment_close", args=[pk, apk]), {"confirm": "1"})
    seen["invite, closed"] = client.get(invite)
    client.post(invite, {"who": "everyone"})
    seen["round, refused"] = client.get(reverse("assessment_detail", args=[pk, apk]))
    later = timezone.localdate() + timedelta(days=5)
    Assessment.objects.filter(pk=apk).update(
        closed_at=None, opens_on=later, closes_on=later + timedelta(days=10)
    )
    seen["invite, scheduled"] = client.get(invite)
    Assessment.objects.filter(pk=apk).update(raw_deleted_at=timezone.now())
    seen["legal hold, nothing left"] = client.get(hold)
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_coordinator_invites_in_welsh(network, coordinators, instruments):
    from surveys.models import Assessment, Instrument

    english, welsh = {}, {}
    for language, seen in (("en", english), ("cy", welsh)):
        Assessment.objects.all().delete()
        network.members.all().delete()
        assessment = open_assessment(network, instruments, members=0, title="Spring round")
        MemberFactory(network=network, name="Alun Evans")
        MemberFactory(network=network, name="Ceri Roberts")
        seen.update(invite_pages(client_for(coordinators[language]), network, assessment))

    data = [*data_of(network), "Spring round", "Complaint 12", "Complaint closed"]
    data += [i.title for i in Instrument.objects.all()]
    assert_welsh(english, welsh, data)
    assert "Anfon gwahoddiadau" in welsh["invite"]
    assert "Send invitations" in english["invite"]
    assert "Gall unrhyw un sydd â’r ddolen hon ateb fel Alun Evans." in welsh["copied link"]
    assert "Dirymu dolen Alun Evans?" in welsh["revoke, confirm"]
    assert "Gosod ataliad cyfreithiol" in welsh["legal hold"]
    assert "Dewiswch o leiaf un grŵp rhanddeiliaid." in welsh["invite, no group"]
    assert "Mae’r cylch hwn yn agor ar" in welsh["invite, scheduled"]
    assert "Does dim ar ôl i’w atal" in welsh["legal hold, nothing left"]
