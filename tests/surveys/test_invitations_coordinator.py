"""A coordinator invites members and looks after their invitations: who is invited,
who is skipped and why, resending, revoking, passing a link on by hand."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys import services, tokens
from surveys.models import Event, Invitation
from tests.factories import AssessmentFactory, InvitationFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def assessment(network, instruments):
    return AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])


def group(network, name):
    return network.groups.get(name=name)


def invite_url(assessment) -> str:
    return reverse("assessment_invite", args=[assessment.network_id, assessment.pk])


def list_url(assessment) -> str:
    return reverse("invitation_list", args=[assessment.network_id, assessment.pk])


def action_url(name, invitation) -> str:
    return reverse(
        name, args=[invitation.assessment.network_id, invitation.assessment_id, invitation.pk]
    )


def invited_names(assessment) -> set[str]:
    return set(assessment.invitations.values_list("member__name", flat=True))


# ---- inviting ----------------------------------------------------------------------


def test_coordinator_invites_everyone_and_the_emails_go_after_commit(
    signed_in, network, assessment, django_capture_on_commit_callbacks
):
    for name in ("Asha Patel", "Tom Reid", "Grace Okafor"):
        MemberFactory(network=network, name=name)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = signed_in.post(invite_url(assessment), {"who": "everyone"})

    assert response.url == list_url(assessment)
    assert len(callbacks) == 1  # one batch, enqueued once the invitations were committed
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        network.members.values_list("email", flat=True)
    )
    assert set(assessment.invitations.values_list("status", flat=True)) == {Invitation.SENT}
    page = signed_in.get(response.url).content.decode()
    assert "3 members invited" in page


def test_nothing_is_sent_before_commit(
    signed_in, network, assessment, django_capture_on_commit_callbacks
):
    MemberFactory(network=network)

    with django_capture_on_commit_callbacks(execute=False):
        signed_in.post(invite_url(assessment), {"who": "everyone"})

    assert not mail.outbox
    assert assessment.invitations.get().status == Invitation.QUEUED


def test_coordinator_invites_only_chosen_groups(signed_in, network, assessment):
    MemberFactory(network=network, name="Clare Clinician", group=group(network, "Clinician"))
    MemberFactory(network=network, name="Manny Manager", group=group(network, "Manager"))
    MemberFactory(network=network, name="Pat Patient", group=group(network, "Patient or carer"))

    signed_in.post(
        invite_url(assessment),
        {
            "who": "groups",
            "groups": [group(network, "Clinician").pk, group(network, "Patient or carer").pk],
        },
    )

    assert invited_names(assessment) == {"Clare Clinician", "Pat Patient"}


def test_coordinator_invites_only_chosen_members(signed_in, network, assessment):
    chosen = MemberFactory(network=network, name="Chosen One")
    MemberFactory(network=network, name="Not Chosen")

    signed_in.post(invite_url(assessment), {"who": "members", "members": [chosen.pk]})

    assert invited_names(assessment) == {"Chosen One"}


def test_choosing_groups_without_ticking_one_is_explained(signed_in, network, assessment):
    MemberFactory(network=network)

    response = signed_in.post(invite_url(assessment), {"who": "groups"})

    assert "Choose at least one stakeholder group" in response.content.decode()
    assert not assessment.invitations.exists()


def test_a_member_of_another_network_cannot_be_chosen(signed_in, network, assessment, outsider):
    stranger = MemberFactory(network=outsider.network_roles.get().network)

    response = signed_in.post(invite_url(assessment), {"who": "members", "members": [stranger.pk]})

    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_skips_the_invited_unsubscribed_and_removed_and_says_so(
    signed_in, network, assessment
):
    MemberFactory(network=network, name="New Person")
    InvitationFactory(assessment=assessment, member=MemberFactory(network=network))
    MemberFactory(network=network, unsubscribed_at=timezone.now())
    MemberFactory(network=network, removed_at=timezone.now())

    page = signed_in.get(invite_url(assessment)).content.decode()
    response = signed_in.post(invite_url(assessment), {"who": "everyone"}, follow=True)

    assert 'Will be invited</dt><dd class="col-4 text-end">1<' in page
    body = response.content.decode()
    assert "1 member invited" in body
    assert "Skipped: 1 already invited, 1 unsubscribed, 1 removed from the member list." in body
    assert "New Person" in invited_names(assessment)
    assert assessment.invitations.count() == 2


def test_late_joiners_are_invited_from_the_same_page(signed_in, network, assessment):
    MemberFactory(network=network, name="Early Bird")
    signed_in.post(invite_url(assessment), {"who": "everyone"})
    MemberFactory(network=network, name="Late Joiner")

    signed_in.post(invite_url(assessment), {"who": "everyone"})

    assert invited_names(assessment) == {"Early Bird", "Late Joiner"}
    assert assessment.invitations.count() == 2


def test_invite_page_marks_members_already_invited(signed_in, network, assessment):
    invited = MemberFactory(network=network, name="Already Here")
    InvitationFactory(assessment=assessment, member=invited)

    body = signed_in.get(invite_url(assessment)).content.decode()

    assert f'value="{invited.pk}" id="member-{invited.pk}" disabled' in body
    assert "Already invited" in body


def test_invite_is_refused_for_a_closed_round(signed_in, network, assessment):
    MemberFactory(network=network)
    services.assessment_close(assessment=assessment)

    page = signed_in.get(invite_url(assessment)).content.decode()
    response = signed_in.post(invite_url(assessment), {"who": "everyone"}, follow=True)

    assert "This round has closed" in page and "Send invitations" not in page
    assert "This round has closed" in response.content.decode()
    assert not assessment.invitations.exists()


def test_invite_waits_until_the_round_opens(signed_in, network):
    MemberFactory(network=network)
    later = AssessmentFactory(network=network, opens_on=timezone.localdate() + timedelta(days=3))

    page = signed_in.get(invite_url(later)).content.decode()
    signed_in.post(invite_url(later), {"who": "everyone"})

    assert "links only work from then" in page and "Send invitations" not in page
    assert not later.invitations.exists()


# ---- the list ----------------------------------------------------------------------


def test_invitation_list_shows_each_status_in_words_with_the_failure_reason(
    signed_in, network, assessment
):
    InvitationFactory(
        assessment=assessment, status=Invitation.FAILED, failure_reason="SMTPRecipientsRefused"
    )
    InvitationFactory(assessment=assessment, status=Invitation.OPTED_OUT)
    InvitationFactory(assessment=assessment, status=Invitation.COMPLETED)

    body = signed_in.get(list_url(assessment)).content.decode()

    assert ">Failed<" in body and "SMTPRecipientsRefused" in body
    assert ">Opted out<" in body and ">Completed<" in body


def test_invitation_list_filters_by_status(signed_in, network, assessment):
    InvitationFactory(assessment=assessment, member__name="Done Dora", status="completed")
    InvitationFactory(assessment=assessment, member__name="Waiting Walt", status="sent")

    body = signed_in.get(list_url(assessment), {"status": "completed"}).content.decode()

    assert "Done Dora" in body and "Waiting Walt" not in body
    assert "1 invitation matches your filter" in body


def test_invitation_list_is_paginated_by_50(signed_in, network, assessment):
    for _ in range(51):
        InvitationFactory(assessment=assessment)

    first = signed_in.get(list_url(assessment)).content.decode()
    second = signed_in.get(list_url(assessment), {"page": 2}).content.decode()

    assert "Page 1 of 2" in first and first.count('scope="row"') == 50
    assert second.count('scope="row"') == 1


@pytest.mark.parametrize("count", [5, 60])
def test_invitation_list_query_count_does_not_grow(
    signed_in, network, assessment, django_assert_num_queries, count
):
    for _ in range(count):
        InvitationFactory(assessment=assessment)

    # session, user, role, round, status counts, page count, one page of rows
    with django_assert_num_queries(6):
        signed_in.get(list_url(assessment))


def test_invitation_of_another_round_is_404(signed_in, network, assessment):
    other = InvitationFactory(assessment=AssessmentFactory(network=network))

    url = reverse("invitation_resend", args=[network.pk, assessment.pk, other.pk])

    assert signed_in.post(url).status_code == 404


# ---- resend, revoke, copy a link ---------------------------------------------------


def test_resend_emails_a_new_link_and_the_old_one_dies(
    signed_in, assessment, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(assessment=assessment, status=Invitation.FAILED)
    old_hash = invitation.token_hash

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            action_url("invitation_resend", invitation), {"back": "status=failed&evil=1"}
        )

    assert response.url == list_url(assessment) + "?status=failed"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT and invitation.token_hash != old_hash
    assert [m.to[0] for m in mail.outbox] == [invitation.member.email]


def test_resend_is_refused_once_the_member_has_answered(signed_in, assessment):
    invitation = InvitationFactory(assessment=assessment, status=Invitation.COMPLETED)

    response = signed_in.post(action_url("invitation_resend", invitation), follow=True)

    assert "already answered" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.COMPLETED
    assert not mail.outbox


def test_revoke_asks_for_confirmation_first(signed_in, assessment):
    invitation = InvitationFactory(assessment=assessment)

    response = signed_in.post(action_url("invitation_revoke", invitation))

    assert response.status_code == 200
    assert "Revoke the link" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT


def test_revoke_kills_the_link(signed_in, assessment):
    invitation = InvitationFactory(assessment=assessment)

    response = signed_in.post(action_url("invitation_revoke", invitation), {"confirm": "1"})

    assert response.url == list_url(assessment)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.REVOKED and invitation.token_hash is None


def test_copy_link_shows_a_new_working_link_once_with_a_warning(signed_in, assessment):
    invitation = InvitationFactory(assessment=assessment)
    emailed = tokens.token_for(invitation.pk, invitation.token_salt)

    response = signed_in.post(action_url("invitation_copy_link", invitation))

    body = response.content.decode()
    invitation.refresh_from_db()
    token = tokens.token_for(invitation.pk, invitation.token_salt)
    assert f'value="{services.invitation_url(invitation)}" readonly' in body
    assert tokens.token_hash(token) == invitation.token_hash  # the new link really works
    assert services.invitation_for_token(emailed) is None  # the emailed one no longer does
    assert "Anyone with this link can answer as" in body
    assert response["Cache-Control"] == "no-store"
    # Its sign-out form must post with a real Origin: no-referrer makes Chrome send null.
    assert response["Referrer-Policy"] == "same-origin"
    assert token not in signed_in.get(list_url(assessment)).content.decode()
    assert invitation.link_copied_at is not None and invitation.link_is_copy
    assert Event.objects.filter(kind=Event.LINK_COPIED, member=invitation.member).count() == 1


def test_copy_link_is_refused_once_the_member_has_started(signed_in, assessment):
    invitation = InvitationFactory(assessment=assessment, status=Invitation.STARTED)

    response = signed_in.post(action_url("invitation_copy_link", invitation), follow=True)

    body = response.content.decode()
    assert "their link is private to them" in body
    assert tokens.token_for(invitation.pk, invitation.token_salt) not in body


def test_copy_link_and_resend_are_refused_for_a_closed_round(signed_in, network):
    today = timezone.localdate()
    closed = AssessmentFactory(
        network=network, opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=1)
    )
    invitation = InvitationFactory(assessment=closed)

    copied = signed_in.post(action_url("invitation_copy_link", invitation), follow=True)
    resent = signed_in.post(action_url("invitation_resend", invitation), follow=True)

    assert "This round has closed" in copied.content.decode()
    assert "This round has closed" in resent.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT and invitation.link_copied_at is None


# ---- one rule for what is offered and what is allowed --------------------------------

ACTIONS = ("invitation_resend", "invitation_copy_link", "invitation_revoke")
# What a coordinator may do with an invitation in each state while the round is open.
MAY = {
    "queued": {"invitation_resend", "invitation_copy_link", "invitation_revoke"},
    "sending": {"invitation_revoke"},
    "sent": {"invitation_resend", "invitation_copy_link", "invitation_revoke"},
    "failed": {"invitation_resend", "invitation_copy_link", "invitation_revoke"},
    "opened": {"invitation_resend", "invitation_copy_link", "invitation_revoke"},
    "started": {"invitation_resend", "invitation_revoke"},
    "completed": set(),
    "opted_out": {"invitation_revoke"},
    "revoked": {"invitation_resend"},
    # Resent after the member had started: their link stays theirs alone (T1).
    "queued, started before": {"invitation_resend", "invitation_revoke"},
}


def took_effect(action, before, after) -> bool:
    if action == "invitation_resend":
        return after.token_hash not in (None, before.token_hash)
    if action == "invitation_copy_link":
        return after.link_copied_at is not None
    return after.revoked_at is not None


@pytest.mark.parametrize("closed", [False, True], ids=["open round", "closed round"])
@pytest.mark.parametrize("state", list(MAY))
def test_coordinator_is_offered_exactly_the_actions_they_may_take(
    signed_in, network, state, closed
):
    today = timezone.localdate()
    assessment = AssessmentFactory(
        network=network,
        opens_on=today - timedelta(days=20),
        closes_on=today + (timedelta(days=-1) if closed else timedelta(days=5)),
    )
    status, _, started_before = state.partition(", ")
    invitations = {
        action: InvitationFactory(
            assessment=assessment,
            status=status,
            started_at=timezone.now() if started_before else None,
        )
        for action in ACTIONS
    }

    page = signed_in.get(list_url(assessment)).content.decode()
    offered = {a for a, invitation in invitations.items() if action_url(a, invitation) in page}
    allowed = set()
    for action, invitation in invitations.items():
        signed_in.post(action_url(action, invitation), {"confirm": "1"})
        if took_effect(action, invitation, Invitation.objects.get(pk=invitation.pk)):
            allowed.add(action)

    # A closed round's links would not work: revoking is all that is left.
    expected = MAY[state] & {"invitation_revoke"} if closed else MAY[state]
    assert offered == allowed == expected
