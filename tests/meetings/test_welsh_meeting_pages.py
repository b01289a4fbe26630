"""The maturity-matrix meeting in Welsh (README: Languages): every meeting page rendered
for a coordinator (and a leader) whose language is Welsh and for one whose language is
English shares no English text of ours, and says lang="cy"; the matrix's dimensions and
levels come from the instrument's Welsh companion file. Phones joining without an
account follow the language chosen with `?lang=cy`, and an action's owner is reminded
in their own language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings import follow_up
from meetings.models import Action, MatrixSession
from meetings.tasks import send_action_reminders
from surveys.languages import localised
from surveys.models import NetworkRole, User
from tests.factories import MemberFactory, UserFactory, add_role
from tests.meetings.helpers import FIRST, SECOND, add_action, matrix_assessment, survey_ratings
from tests.welsh import client_for, english_left

pytestmark = pytest.mark.django_db

TABLES = ("Table A", "Table B")


@pytest.fixture
def people(network, owner):
    """The owner reads English, a second coordinator Welsh; a leader in each language."""
    owner.language = "en"
    owner.save(update_fields=["language"])
    welsh = UserFactory(full_name="Bethan Jones", language="cy")
    add_role(network, welsh, NetworkRole.COORDINATOR)
    leaders = {
        language: UserFactory(full_name=f"Leader {language}", language=language)
        for language in ("en", "cy")
    }
    for user in leaders.values():
        add_role(network, user, NetworkRole.LEADER)
    return {"en": owner, "cy": welsh, "leader en": leaders["en"], "leader cy": leaders["cy"]}


@pytest.fixture
def assessment(network, instruments):
    """A round with the matrix whose members' ratings were released, and a member."""
    assessment = matrix_assessment(network, instruments, title="Spring round")
    survey_ratings(assessment, [1, 2, 2, 3, 3, 4])
    MemberFactory(network=network, name="Alun Evans")
    return assessment


def data_of(network) -> list[str]:
    """Names and titles typed by people, which no catalog translates."""
    texts = [network.name, "Spring round", "Spring matrix meeting", *TABLES]
    texts += ["Write the purpose down", "Priya", "Invite the carers", "Table A, Table B"]
    texts += [u.full_name for u in User.objects.all()] + [u.email for u in User.objects.all()]
    texts += [m.name for m in network.members.all()]
    return texts + list(MatrixSession.objects.values_list("code", flat=True))


def meeting_form(assessment) -> dict:
    return {
        "assessment": assessment.pk,
        "title": "Spring matrix meeting",
        "held_on": timezone.localdate().isoformat(),
        "tables": "\n".join(TABLES),
    }


def coordinator_pages(client, network, assessment) -> dict[str, str]:
    """Every page of a meeting's life, from planning to the actions after it."""
    MatrixSession.objects.all().delete()
    pk = network.pk
    seen = {
        "list, none": client.get(reverse("meeting_list", args=[pk])),
        "plan": client.get(reverse("meeting_create", args=[pk])),
        "plan, errors": client.post(
            reverse("meeting_create", args=[pk]), {**meeting_form(assessment), "tables": "A\na"}
        ),
    }
    client.post(reverse("meeting_create", args=[pk]), meeting_form(assessment))
    meeting = MatrixSession.objects.get()
    one = [pk, meeting.pk]
    seen["overview, planned"] = client.get(reverse("meeting_detail", args=one))
    seen["list"] = client.get(reverse("meeting_list", args=[pk]))
    seen["edit"] = client.get(reverse("meeting_edit", args=one))
    seen["edit, errors"] = client.post(reverse("meeting_edit", args=one), {"title": ""})
    seen["blank grid"] = client.get(reverse("meeting_print", args=one))
    seen["run, planned"] = client.get(reverse("meeting_run", args=one))
    client.post(reverse("meeting_close", args=one))  # refused: no action yet
    client.post(reverse("meeting_start", args=one))
    seen["run, refused closing and started"] = client.get(reverse("meeting_run", args=one))
    seen["run, no actions yet"] = client.get(reverse("meeting_run", args=one) + f"?d={SECOND}")
    table_a = meeting.tables.get(name="Table A")
    record = reverse("meeting_record", args=[*one, table_a.pk])
    level = {"dimension": FIRST, f"t{table_a.pk}-level": "4"}
    seen["run, record refused"] = client.post(record, {**level, f"t{table_a.pk}-target": "2"})
    client.post(record, {**level, f"t{table_a.pk}-override_reason": "Invite the carers"})
    add = reverse("meeting_action_add", args=one)
    seen["run, action refused"] = client.post(add, {"from": "run", "dimension": FIRST})
    action = {"what": "Write the purpose down", "who": "Priya", "dimension": FIRST}
    client.post(add, {**action, "from": "run", "due_on": "2030-06-30"})
    seen["run, recorded"] = client.get(reverse("meeting_run", args=one) + f"?d={FIRST}")
    seen["run, phones elsewhere"] = client.get(reverse("meeting_run", args=one) + f"?d={SECOND}")
    seen["action plan, refused"] = client.post(add, {"what": ""})
    client.post(add, {**action, "dimension": "", "due_on": "2030-07-30"})
    first = meeting.actions.first()
    client.post(reverse("meeting_action_status", args=[*one, first.pk]), {"status": "done"})
    seen["action plan"] = client.get(reverse("meeting_actions", args=one))
    seen["close, confirm"] = client.post(reverse("meeting_close", args=one))
    client.post(reverse("meeting_close", args=one), {"confirm": "1"})
    seen["overview, closed"] = client.get(reverse("meeting_detail", args=one))
    seen["run, closed"] = client.get(reverse("meeting_run", args=one))
    seen.update(action_pages(client, network, first))
    return {name: response.content.decode() for name, response in seen.items()}


def action_pages(client, network, action: Action) -> dict:
    edit = reverse("action_edit", args=[network.pk, action.pk])
    seen = {
        "all actions": client.get(reverse("network_actions", args=[network.pk])),
        "edit an action": client.get(edit),
        "edit an action, errors": client.post(edit, {"what": "x", "due_on": "not a date"}),
    }
    member = network.members.get(name="Alun Evans")
    owner = {"what": action.what, "owner": f"member-{member.pk}", "due_on": "2030-06-30"}
    client.post(edit, {**owner, "status": "open"})
    seen["all actions, saved"] = client.get(reverse("network_actions", args=[network.pk]))
    return seen


def assert_welsh(english: dict[str, str], welsh: dict[str, str], data: list[str]) -> None:
    assert english.keys() == welsh.keys()
    left = {name: english_left(english[name], welsh[name], data) for name in english}
    assert {name: found for name, found in left.items() if found} == {}
    for name, html in welsh.items():
        assert '<html lang="cy">' in html, name
        assert '<html lang="en-GB">' in english[name], name


def test_a_welsh_coordinator_runs_the_whole_meeting_in_welsh(network, people, assessment):
    english = coordinator_pages(client_for(people["en"]), network, assessment)
    welsh = coordinator_pages(client_for(people["cy"]), network, assessment)

    assert_welsh(english, welsh, data_of(network))
    cy = localised(assessment.matrix.definition, "cy")
    assert cy["dimensions"][0]["title"] in welsh["run, recorded"]
    assert escape(cy["dimensions"][0]["levels"][0]["descriptor"]) in welsh["blank grid"]
    assert "Cynllun gweithredu" in welsh["action plan"]
    assert "Action plan" in english["action plan"]
    assert "Mae “Write the purpose down” wedi’i wneud nawr." in welsh["action plan"]
    assert "Mae angen enw ei hun ar bob bwrdd: A, a." in welsh["plan, errors"]
    assert "Y lefel a gynigir yw 1" in welsh["run, record refused"]


def leader_pages(client, network) -> dict[str, str]:
    meeting = MatrixSession.objects.get()
    seen = {
        "action plan": client.get(reverse("meeting_actions", args=[network.pk, meeting.pk])),
        "all actions": client.get(reverse("network_actions", args=[network.pk])),
    }
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_leader_reads_the_action_plans_in_welsh(network, people, assessment):
    coordinator_pages(client_for(people["en"]), network, assessment)

    english = leader_pages(client_for(people["leader en"]), network)
    welsh = leader_pages(client_for(people["leader cy"]), network)

    assert_welsh(english, welsh, data_of(network))
    assert "Camau gweithredu o gyfarfodydd y rhwydwaith" in welsh["all actions"]


def visitor(language: str) -> Client:
    """A phone with no account; a Welsh speaker chose Welsh with `?lang=cy`."""
    client = Client()
    if language == "cy":
        client.get(reverse("meeting_code_entry") + "?lang=cy")
    return client


def join_pages(client, meeting) -> dict[str, str]:
    entry = reverse("meeting_code_entry")
    join = reverse("meeting_join", args=[meeting.code])
    MatrixSession.objects.filter(pk=meeting.pk).update(status=MatrixSession.PLANNED)
    seen = {
        "code box": client.get(entry),
        "code box, empty": client.post(entry, {"code": ""}),
        "code box, unknown": client.post(entry, {"code": "ZZZZZZ"}),
        "unknown meeting": client.get(reverse("meeting_join", args=["ZZZZZZ"])),
        "waiting": client.get(join),
    }
    MatrixSession.objects.filter(pk=meeting.pk).update(
        status=MatrixSession.RUNNING, current_dimension=FIRST
    )
    seen["rating"] = client.get(join)
    seen["rating, refused"] = client.post(join, {"dimension": FIRST})
    table_a = meeting.tables.get(name="Table A")
    client.post(join, {"dimension": FIRST, "table": table_a.pk, "level": "2"})
    seen["rating, sent"] = client.get(join)
    seen["rating, moved on"] = client.post(
        join, {"dimension": SECOND, "table": table_a.pk, "level": "2"}
    )
    MatrixSession.objects.filter(pk=meeting.pk).update(status=MatrixSession.CLOSED)
    seen["ended"] = client.get(join)
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_phone_that_chose_welsh_rates_in_welsh(network, owner, assessment):
    meeting = MatrixSession.objects.create(
        assessment=assessment,
        title="Spring matrix meeting",
        held_on=timezone.localdate(),
        code="CDEFGH",
    )
    for position, name in enumerate(TABLES):
        meeting.tables.create(name=name, position=position)

    english = join_pages(visitor("en"), meeting)
    welsh = join_pages(visitor("cy"), meeting)

    assert_welsh(english, welsh, [*data_of(network), "ZZZZZZ"])
    cy = localised(assessment.matrix.definition, "cy")
    assert escape(cy["dimensions"][0]["levels"][0]["descriptor"]) in welsh["rating"]
    assert "Mae eich sgôr wedi’i chofnodi: lefel 2." in welsh["rating, sent"]
    MatrixSession.objects.filter(pk=meeting.pk).update(status=MatrixSession.RUNNING)
    client = visitor("cy")
    state = client.get(reverse("meeting_join_state", args=[meeting.code])).json()
    assert state["dimension"]["title"] == cy["dimensions"][0]["title"]


# ---- the action reminder, in the owner's language ----------------------------------


def reminded(action, **owner) -> mail.EmailMessage:
    mail.outbox.clear()
    Action.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() + timedelta(days=follow_up.reminder_days()),
        reminded_for=None,
        owner_role=owner.get("role"),
        owner_member=owner.get("member"),
        who="",
    )
    assert send_action_reminders() == 1
    (email,) = mail.outbox
    return email


def assert_email_welsh(english, welsh, data) -> None:
    html = [english.alternatives[0][0], welsh.alternatives[0][0]]
    assert english_left(english.subject, welsh.subject, data, html=False) == []
    assert english_left(english.body, welsh.body, data, html=False) == []
    assert english_left(*html, data) == []
    assert welsh.extra_headers["Content-Language"] == "cy"
    assert english.extra_headers["Content-Language"] == "en-GB"
    assert '<html lang="cy">' in html[1]


def test_an_action_owner_is_reminded_in_their_own_language(network, people, instruments):
    meeting = MatrixSession.objects.create(
        assessment=matrix_assessment(network, instruments, title="Spring round"),
        title="Spring matrix meeting",
        held_on=timezone.localdate(),
        code="AAAAAA",
    )
    action = add_action(meeting, what="Write the purpose down", who="Priya")
    english_member = MemberFactory(network=network, name="Alun Evans", language="en")
    welsh_member = MemberFactory(network=network, name="Ceri Roberts", language="cy")

    english = reminded(action, member=english_member)
    welsh = reminded(action, member=welsh_member)

    assert_email_welsh(english, welsh, data_of(network))
    assert welsh.subject.startswith("Nodyn atgoffa:")
    assert english.subject.startswith("Reminder:")
    assert "Write the purpose down" in welsh.body and "Ceri Roberts" in welsh.body
    assert "rhowch wybod i gydlynydd y rhwydwaith" in welsh.body

    roles = network.roles
    english = reminded(action, role=roles.get(user=people["leader en"]))
    welsh = reminded(action, role=roles.get(user=people["leader cy"]))

    assert_email_welsh(english, welsh, data_of(network))
    assert "Diweddaru’r cam gweithredu" in welsh.alternatives[0][0]


def test_a_welsh_phone_loads_the_welsh_words_of_the_meeting_script(network, assessment):
    """The phone and the facilitator's page update themselves with meeting.js, which says
    its sentences through the script catalog loaded before it."""
    meeting = MatrixSession.objects.create(
        assessment=assessment,
        title="Spring matrix meeting",
        held_on=timezone.localdate(),
        code="CDEFGH",
        status=MatrixSession.RUNNING,
        current_dimension=FIRST,
    )
    page = visitor("cy").get(reverse("meeting_join", args=[meeting.code]))

    assert '<script src="/jsi18n/?lang=cy"></script>' in page.content.decode()
    catalog = Client().get(reverse("javascript_catalog") + "?lang=cy").content.decode()
    assert "%(title)s nawr, dimensiwn %(number)s o %(total)s." in catalog
