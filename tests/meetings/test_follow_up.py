"""Actions followed up after the meeting: the coordinator gives each action an owner
from the team or the member list (or keeps a typed name), a due date and a status,
from the network's action list; owners with an address get one reminder before the
due date. (Outsiders get a 404 on these addresses: tests/test_access.py walks them.)"""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import follow_up
from meetings.models import Action
from meetings.tasks import send_action_reminders
from surveys.models import NetworkRole
from tests.factories import MemberFactory
from tests.meetings.helpers import add_action, matrix_assessment, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(network, instruments):
    return plan(matrix_assessment(network, instruments, title="Spring round"))


@pytest.fixture
def action(meeting):
    return add_action(meeting, what="Write the purpose down", who="Priya")


@pytest.fixture
def member(network):
    return MemberFactory(network=network, name="Mo Member", email="mo@example.org")


def edit_url(network, action):
    return reverse("action_edit", args=[network.pk, action.pk])


def form_data(**fields):
    data = {
        "what": "Write the purpose down",
        "owner": "",
        "who": "",
        "due_on": "2030-06-01",
        "status": Action.OPEN,
    }
    return {**data, **fields}


# ---- step 1: owner, due date, status, edited from the network's list ---------------


def test_coordinator_sees_every_action_of_the_network_with_an_edit_link(
    client, owner, network, action
):
    client.force_login(owner)
    page = client.get(reverse("network_actions", args=[network.pk]))

    assert page.status_code == 200
    assert "Write the purpose down" in page.content.decode()
    assert edit_url(network, action) in page.content.decode()


def test_coordinator_reaches_the_edit_page_from_the_meetings_action_plan(
    client, owner, network, meeting, action
):
    client.force_login(owner)
    page = client.get(reverse("meeting_actions", args=[network.pk, meeting.pk]))

    assert edit_url(network, action) in page.content.decode()


def test_leader_reads_the_action_list_but_cannot_edit(client, leader, network, action):
    client.force_login(leader)

    page = client.get(reverse("network_actions", args=[network.pk]))
    assert page.status_code == 200
    assert edit_url(network, action) not in page.content.decode()
    assert client.get(edit_url(network, action)).status_code == 403


def test_outsider_gets_404_on_the_action_list_and_the_edit_page(client, outsider, network, action):
    client.force_login(outsider)

    assert client.get(reverse("network_actions", args=[network.pk])).status_code == 404
    assert client.post(edit_url(network, action), form_data(who="X")).status_code == 404
    action.refresh_from_db()
    assert action.who == "Priya"


def test_coordinator_makes_a_member_the_owner_and_their_name_is_shown(
    client, owner, network, action, member
):
    client.force_login(owner)
    response = client.post(
        edit_url(network, action),
        form_data(owner=f"member-{member.pk}", due_on="2030-07-01", status=Action.DONE),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner_member == member
    assert action.owner_name == "Mo Member"
    assert action.due_on.isoformat() == "2030-07-01"
    assert action.status == Action.DONE


def test_coordinator_makes_a_leader_the_owner(client, owner, leader, network, action):
    role = network.roles.get(user=leader)
    client.force_login(owner)
    client.post(edit_url(network, action), form_data(owner=f"team-{role.pk}"))

    action.refresh_from_db()
    assert action.owner_role == role
    assert action.owner_member is None
    assert action.owner_name == "Leo Leader"


def test_coordinator_keeps_a_typed_name_for_someone_on_neither_list(
    client, owner, network, action, member
):
    action.owner_member = member
    action.save()
    client.force_login(owner)
    client.post(edit_url(network, action), form_data(who="  Dr Singh (hospital) "))

    action.refresh_from_db()
    assert action.owner_member is None
    assert action.who == "Dr Singh (hospital)"


def test_owner_name_is_read_from_the_owner_so_it_goes_when_they_do(
    client, owner, network, action, member
):
    client.force_login(owner)
    client.post(edit_url(network, action), form_data(owner=f"member-{member.pk}"))
    member.name = "Mo Renamed"
    member.save()
    page = client.get(reverse("network_actions", args=[network.pk])).content.decode()
    assert "Mo Renamed" in page

    member.delete()
    action.refresh_from_db()
    assert action.owner_member is None
    assert "Mo" not in action.who and "Mo" not in action.owner_name


def test_edit_page_offers_the_team_and_the_members_and_shows_the_current_owner(
    client, owner, network, action, member
):
    action.owner_member = member
    action.save()
    client.force_login(owner)
    page = client.get(edit_url(network, action)).content.decode()

    assert "Olivia Owner" in page
    assert f'value="member-{member.pk}" selected' in page


def test_no_owner_and_no_name_is_refused_with_nothing_lost(client, owner, network, action):
    client.force_login(owner)
    response = client.post(
        edit_url(network, action), form_data(what="A new wording", due_on="2031-01-31")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose who will do it, or type a name." in page
    assert "A new wording" in page and "2031-01-31" in page
    action.refresh_from_db()
    assert action.what == "Write the purpose down"


def test_a_bad_due_date_is_refused_beside_the_field(client, owner, network, action):
    client.force_login(owner)
    response = client.post(edit_url(network, action), form_data(who="Sam", due_on="next week"))

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_another_networks_member_cannot_be_made_the_owner(client, owner, outsider, network, action):
    stranger = MemberFactory(network=outsider.network_roles.get().network)
    client.force_login(owner)
    response = client.post(edit_url(network, action), form_data(owner=f"member-{stranger.pk}"))

    assert response.status_code == 400
    action.refresh_from_db()
    assert action.owner_member is None


def test_an_owner_removed_from_the_member_list_is_chosen_again(
    client, owner, network, action, member
):
    action.owner_member = member
    action.save()
    member.removed_at = timezone.now()
    member.save()
    client.force_login(owner)

    assert client.get(edit_url(network, action)).status_code == 200
    response = client.post(edit_url(network, action), form_data())
    assert "Choose who will do it, or type a name." in response.content.decode()


def test_a_removed_member_is_not_offered_as_an_owner(network, member):
    member.removed_at = timezone.now()
    member.save()
    offered = [value for _, group in follow_up.owner_choices(network) for value, _ in group]

    assert f"member-{member.pk}" not in offered


# ---- step 2: one reminder before the due date --------------------------------------


def owned_by(action, *, member=None, role=None, due_in=7):
    action.owner_member = member
    action.owner_role = role
    action.due_on = timezone.localdate() + timedelta(days=due_in)
    action.save()
    return action


def test_member_owner_gets_one_reminder_a_week_before_the_due_date(action, member):
    owned_by(action, member=member)

    assert send_action_reminders() == 1
    assert send_action_reminders() == 0  # a second run (or a second worker) sends nothing

    (email,) = mail.outbox
    assert email.to == ["mo@example.org"]
    assert "Write the purpose down" in email.subject
    assert "Write the purpose down" in email.body
    html = email.alternatives[0][0]
    assert "Write the purpose down" in html and "Unsubscribe" in html


def test_team_owner_is_reminded_with_a_link_to_the_action_list(action, leader, network):
    owned_by(action, role=network.roles.get(user=leader))

    send_action_reminders()

    (email,) = mail.outbox
    assert email.to == [leader.email]
    assert reverse("network_actions", args=[network.pk]) in email.body


def test_changing_the_due_date_allows_one_new_reminder(action, member):
    owned_by(action, member=member, due_in=7)
    send_action_reminders()
    owned_by(action, member=member, due_in=5)

    send_action_reminders()
    send_action_reminders()

    assert len(mail.outbox) == 2


def test_nobody_is_reminded_too_early_after_the_due_date_or_when_done(action, member, meeting):
    owned_by(action, member=member, due_in=8)
    late = owned_by(add_action(meeting, what="Late"), member=member, due_in=-1)
    done = owned_by(add_action(meeting, what="Done"), member=member, due_in=3)
    done.status = Action.DONE
    done.save()

    assert send_action_reminders() == 0
    assert late.pk and mail.outbox == []


def test_unsubscribed_member_and_typed_name_get_no_reminder(action, member, meeting):
    member.unsubscribed_at = timezone.now()
    member.save()
    owned_by(action, member=member)
    owned_by(add_action(meeting, what="Typed", who="Dr Singh"))

    assert send_action_reminders() == 0
    assert mail.outbox == []


def test_invited_team_member_without_an_account_is_reminded_at_the_invited_address(action, network):
    role = NetworkRole.objects.create(
        network=network, email="new.leader@example.org", role=NetworkRole.LEADER
    )
    owned_by(action, role=role)

    send_action_reminders()

    assert mail.outbox[0].to == ["new.leader@example.org"]


def test_action_reminders_run_from_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.send_action_reminders" in tasks


def test_a_mail_server_failure_is_logged_and_never_sends_the_reminder_twice(action, member, caplog):
    owned_by(action, member=member)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=smtplib.SMTPServerDisconnected
    ):
        assert send_action_reminders() == 0
    assert send_action_reminders() == 0  # claimed before sending: at most once

    assert mail.outbox == []
    assert f"Reminder for action {action.pk} not sent" in caplog.text
