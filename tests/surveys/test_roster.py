"""The roster question from the member's side: choosing people from the member list,
saved as they go, and each person's choice to be on the roster (docs/relationships.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from surveys import services
from surveys.models import Member, Response, Tie
from tests.factories import GroupFactory, MemberFactory
from tests.surveys.survey_helpers import answer_everything, invite_all, open_assessment, start

pytestmark = pytest.mark.django_db

ROSTER_PAGE = "/survey/page/who-you-work-with/"


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments, members=6, asks_roster=True)


@pytest.fixture
def invitation(assessment):
    return invite_all(assessment)[0]


@pytest.fixture
def member_client(client, invitation):
    start(client, invitation)
    return client


def others(invitation):
    return list(
        Member.objects.filter(network=invitation.member.network).exclude(pk=invitation.member_id)
    )


def test_member_finds_a_colleague_by_name_and_adds_them(member_client, invitation):
    colleague = others(invitation)[0]
    page = member_client.get(ROSTER_PAGE, {"q": colleague.name[:5]})
    assert page.status_code == 200
    assert escape(colleague.name) in page.content.decode()
    added = member_client.post(ROSTER_PAGE, {"add": colleague.pk, "q": colleague.name[:5]})
    assert added.status_code == 302
    assert added["Location"].endswith(f"#c-{colleague.pk}")
    assert Tie.objects.filter(response__invitation=invitation, member=colleague).exists()


def test_member_is_never_offered_themself_nor_can_add_themself(member_client, invitation):
    me = invitation.member
    page = member_client.get(ROSTER_PAGE, {"q": me.name})
    assert f'name="add" value="{me.pk}"' not in page.content.decode()
    member_client.post(ROSTER_PAGE, {"add": me.pk})
    assert not Tie.objects.filter(member=me).exists()


def test_member_cannot_add_someone_from_another_network(member_client, invitation):
    stranger = MemberFactory()
    member_client.post(ROSTER_PAGE, {"add": stranger.pk})
    assert not Tie.objects.filter(member=stranger).exists()


def test_member_must_say_how_closely_before_moving_on(member_client, invitation):
    colleague = others(invitation)[0]
    member_client.post(ROSTER_PAGE, {"add": colleague.pk})
    refused = member_client.post(ROSTER_PAGE, {"nav": "next"})
    assert refused.status_code == 400
    assert f"Say how closely you work with {escape(colleague.name)}" in refused.content.decode()
    moved_on = member_client.post(ROSTER_PAGE, {f"c-{colleague.pk}": "3", "nav": "next"})
    assert moved_on.status_code == 302
    response = Response.objects.get(invitation=invitation)
    assert response.roster_answered_at is not None
    assert Tie.objects.get(response=response).closeness == 3


def test_a_closeness_not_offered_is_refused_and_nothing_else_is_lost(member_client, invitation):
    a, b = others(invitation)[:2]
    member_client.post(ROSTER_PAGE, {"add": [a.pk, b.pk]})
    refused = member_client.post(ROSTER_PAGE, {f"c-{a.pk}": "2", f"c-{b.pk}": "9", "nav": "next"})
    assert refused.status_code == 400
    assert "Choose how closely you work together" in refused.content.decode()
    assert Tie.objects.get(member=a).closeness == 2
    assert Tie.objects.get(member=b).closeness is None


def test_background_save_keeps_closeness_and_consent_as_the_member_goes(member_client, invitation):
    colleague = others(invitation)[0]
    member_client.post(ROSTER_PAGE, {"add": colleague.pk})
    saved = member_client.post(
        ROSTER_PAGE,
        {f"c-{colleague.pk}": "4", "named_on_map": "yes"},
        headers={"X-Background-Save": "1"},
    )
    assert saved.json() == {"saved": True, "errors": {}}
    response = Response.objects.get(invitation=invitation)
    assert response.named_on_map is True
    assert Tie.objects.get(response=response).closeness == 4


def test_working_with_nobody_is_an_answer(member_client, invitation):
    assert member_client.post(ROSTER_PAGE, {"nav": "next"}).status_code == 302
    assert Response.objects.get(invitation=invitation).roster_answered_at is not None


def test_removing_a_person_takes_their_tie_away(member_client, invitation):
    colleague = others(invitation)[0]
    member_client.post(ROSTER_PAGE, {"add": colleague.pk})
    member_client.post(ROSTER_PAGE, {"remove": colleague.pk})
    assert not Tie.objects.exists()


def test_member_who_leaves_the_roster_is_not_offered_to_others(client, assessment, invitation):
    leaver = invitation.member.network.members.exclude(pk=invitation.member_id).first()
    services.member_roster_choose(member=leaver, on_roster=False)
    start(client, invitation)
    page = client.get(ROSTER_PAGE, {"q": leaver.name})
    assert f'name="add" value="{leaver.pk}"' not in page.content.decode()
    client.post(ROSTER_PAGE, {"add": leaver.pk})
    assert not Tie.objects.filter(member=leaver).exists()


def test_member_leaves_the_roster_from_the_welcome_page_and_still_answers(
    member_client, invitation, assessment
):
    welcome = member_client.get("/survey/")
    assert "Take my name off the roster" in welcome.content.decode()
    member_client.post("/survey/roster/", {"roster": "leave"})
    invitation.member.refresh_from_db()
    assert invitation.member.left_roster_at is not None
    page = member_client.get(ROSTER_PAGE)
    assert "You chose not to be on the roster" in page.content.decode()
    answer_everything(member_client, assessment)  # the rest of the survey is untouched
    member_client.post("/survey/roster/", {"roster": "join"})
    invitation.member.refresh_from_db()
    assert invitation.member.left_roster_at is None


def test_coordinator_leaves_someone_off_the_roster(member_client, invitation):
    colleague = others(invitation)[0]
    Member.objects.filter(pk=colleague.pk).update(off_roster=True)
    page = member_client.get(ROSTER_PAGE, {"q": colleague.name})
    assert f'name="add" value="{colleague.pk}"' not in page.content.decode()


def test_search_by_organisation_and_filter_by_group(member_client, invitation):
    network = invitation.member.network
    carers = GroupFactory(network=network, name="Carers")
    carer = MemberFactory(network=network, group=carers, organisation="Carers Trust Wales")
    page = member_client.get(ROSTER_PAGE, {"q": "trust wales", "g": carers.pk})
    body = page.content.decode()
    assert escape(carer.name) in body
    assert "1 matching person" in body


def test_roster_page_queries_do_not_grow_with_the_member_list(member_client, invitation):
    network = invitation.member.network
    with CaptureQueriesContext(connection) as small:
        member_client.get(ROSTER_PAGE)
    MemberFactory.create_batch(60, network=network)
    with CaptureQueriesContext(connection) as large:
        page = member_client.get(ROSTER_PAGE)
    assert page.status_code == 200
    assert len(large) == len(small)
    assert "showing 1 to 25" in page.content.decode()


def test_review_page_says_how_many_people_were_chosen(member_client, invitation):
    a, b = others(invitation)[:2]
    member_client.post(ROSTER_PAGE, {"add": [a.pk, b.pk]})
    member_client.post(ROSTER_PAGE, {f"c-{a.pk}": "2", f"c-{b.pk}": "3", "nav": "next"})
    review = member_client.get("/survey/review/")
    assert "2 people chosen" in review.content.decode()


def test_invitation_says_how_the_roster_is_used(assessment):
    invitation = invite_all(assessment)[0]
    message = services.invitation_email(invitation)
    assert "who in the network you have worked with" in message.body


def test_roster_cannot_be_switched_on_after_invitations(assessment, invitation):
    from django.core.exceptions import ValidationError

    fields = {"asks_roster": False}
    with pytest.raises(ValidationError):
        services.assessment_save(
            network=assessment.network,
            user=None,
            assessment=assessment,
            health_scorecard=assessment.health_scorecard,
            matrix=assessment.matrix,
            **fields,
        )
