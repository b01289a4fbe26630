"""Tenant isolation (quality S9): every coordinator and leader address answers 404 to
a user without a role on the network. The test walks every URL pattern the project
has, so a new page cannot be added without being checked."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meetings import services as meeting_services
from surveys.models import NetworkRole
from tests.factories import (
    AssessmentFactory,
    CustomQuestionFactory,
    InvitationFactory,
    MemberFactory,
)

# Addresses for everyone (signing in and out) or for any signed-in user (own password).
PUBLIC = {
    "home",
    "healthz",
    # The statements every page links to.
    "accessibility",
    "privacy_notice",
    "impact_assessment",
    # Accounts, two-factor sign-in and single sign-on (django-allauth): signing in
    # and out, or a signed-in person's own account, authenticators and sessions.
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key_done",
    "account_reset_password_from_key",
    "account_reset_password_done",
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",  # the signed-in person's own passkey (allauth scopes by user)
    "mfa_edit_webauthn",
    "mfa_login_webauthn",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "socialaccount_connections",
    "openid_connect_login",
    "openid_connect_callback",
    "network_list",
    "network_create",
    # A signed-in person's own language; the strings scripts show (the same for all).
    "account_language",
    "javascript_catalog",
    # Members: scoped by their own session, not by a network role (tests/surveys/
    # test_member_survey.py covers them).
    "survey_link",
    "survey_welcome",
    "survey_review",
    "survey_submit",
    "survey_thanks",
    "survey_opt_out",
    "survey_roster_choice",
    "survey_page",
    "unsubscribe",
    "survey_my_answers",
    # A member's erasure link: signed, the signature is the key (tests/surveys/
    # test_erasure.py covers it).
    "member_erase_by_link",
    # A share link's own address: the token is the key (tests/scorecards/
    # test_dashboard_views.py covers it).
    "shared_open",
    # A members' summary: its token is the key, then the session (tests/scorecards/
    # test_member_summary.py covers them).
    "member_summary_open",
    "member_summary",
    "member_summary_for_round",
    # Participants' phones in a matrix meeting: a meeting's short code, no account, and
    # nothing readable but the dimension on screen (tests/scorecards/
    # test_meeting_views.py covers them).
    "meeting_code_entry",
    "meeting_join",
    "meeting_join_state",
    # The instruments are the same for everyone and hold no network's data.
    "instrument_list",
    "instrument_detail",
    "instrument_preview",
    "instrument_preview_page",
}


def project_patterns(patterns=None, namespace="", outer=()):
    """(name, route keyword names) for every named pattern outside the admin. Keywords of
    an include's prefix (networks/<network_id>/assessments/) count for what it includes."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = (*outer, *_keywords(entry.pattern))
            yield from project_patterns(entry.url_patterns, entry.namespace or namespace, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, sorted({*outer, *_keywords(entry.pattern)})


def _keywords(pattern) -> list[str]:
    """The keywords a pattern takes: a route's converters, or a regular expression's
    named groups (allauth's `re_path`s: `key`, `uidb36`, `provider_id`)."""
    return list(pattern.regex.groupindex)


SCOPED = sorted((name, kwargs) for name, kwargs in project_patterns() if name not in PUBLIC)


@pytest.fixture
def objects(network, leader, instruments):
    """One object of the network for every keyword a scoped URL can take."""
    member = MemberFactory(network=network)
    invitation = InvitationFactory(assessment=AssessmentFactory(network=network), member=member)
    return {
        "network_id": network.pk,
        "member_id": member.pk,
        "group_id": member.group.pk,
        "role_id": network.roles.get(role=NetworkRole.LEADER).pk,
        **_assessment_objects(invitation),
        **_meeting_objects(network, instruments),
        "link_id": _share_link(network),
    }


@pytest.fixture
def foreign_objects(outsider, instruments):
    """The same kinds of object, from a network the owner has no role on."""
    network = outsider.network_roles.get().network
    member = MemberFactory(network=network)
    invitation = InvitationFactory(assessment=AssessmentFactory(network=network), member=member)
    return {
        "network_id": network.pk,
        "member_id": member.pk,
        "group_id": member.group.pk,
        "role_id": network.roles.get().pk,
        **_assessment_objects(invitation),
        **_meeting_objects(network, instruments),
        "link_id": _share_link(network),
    }


def _assessment_objects(invitation):
    """A round with one invitation and one question of its own (added before anyone was
    invited would be the real order; the access checks do not mind)."""
    question = CustomQuestionFactory(assessment=invitation.assessment)
    return {
        "assessment_id": invitation.assessment_id,
        "invitation_id": invitation.pk,
        "question_id": question.pk,
    }


def _meeting_objects(network, instruments):
    """A matrix meeting with one table and one action, on a round with the matrix."""
    assessment = AssessmentFactory(network=network, matrix=instruments["matrix"])
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Matrix meeting", held_on=assessment.closes_on, tables=["A"]
    )
    action = meeting_services.action_add(
        session=meeting, what="Agree a purpose", who="Sam", due_on=assessment.closes_on
    )
    return {"meeting_id": meeting.pk, "table_id": meeting.tables.get().pk, "action_id": action.pk}


def _share_link(network) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from scorecards.access import new_share_token, share_token_hash
    from scorecards.models import ShareLink

    link = ShareLink.objects.create(
        network=network,
        label="Steering group",
        token_hash=share_token_hash(new_share_token()),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return link.pk


def url_for(name, kwargs, objects):
    missing = [k for k in kwargs if k not in objects]
    assert not missing, f"{name}: add a sample object for {missing} to this test"
    return reverse(name, kwargs={k: objects[k] for k in kwargs})


def test_every_scoped_pattern_is_under_a_network():
    assert SCOPED, "no scoped patterns found"
    for name, kwargs in SCOPED:
        assert "network_id" in kwargs, (
            f"{name} is not scoped by network: add it to PUBLIC or scope it"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs", SCOPED, ids=[name for name, _ in SCOPED])
def test_outsider_gets_404_on_every_scoped_address(client, outsider, objects, name, kwargs):
    client.force_login(outsider)
    url = url_for(name, kwargs, objects)

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "email": "x@example.org"}).status_code == 404


NESTED = [(name, kwargs) for name, kwargs in SCOPED if len(kwargs) > 1]


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs", NESTED, ids=[name for name, _ in NESTED])
def test_owner_gets_404_for_another_networks_objects(
    client, owner, objects, foreign_objects, name, kwargs
):
    """The owner's own network in the address, someone else's object in it."""
    foreign_kwargs = [k for k in kwargs if k != "network_id"]
    client.force_login(owner)
    mixed = {**objects, **{k: foreign_objects[k] for k in foreign_kwargs}}
    url = url_for(name, kwargs, mixed)

    # A GET on a POST-only address of one's own network is a 405 before any lookup.
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"name": "x"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name,kwargs", SCOPED, ids=[name for name, _ in SCOPED])
def test_owner_and_leader_reach_every_scoped_address(client, owner, leader, objects, name, kwargs):
    url = url_for(name, kwargs, objects)

    client.force_login(owner)
    assert client.get(url).status_code in (200, 302, 405)
    client.force_login(leader)
    assert client.get(url).status_code in (200, 302, 403, 405)


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client, objects):
    response = client.get(reverse("member_list", args=[objects["network_id"]]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# The governance pages (audit trail, a member's data and erasure, legal holds) are the
# coordinators' alone: a leader of the network gets 403, like the member list.
COORDINATOR_ONLY = [
    "network_audit",
    "network_audit_csv",
    "member_erase",
    "member_data",
    "assessment_legal_hold",
]


def test_the_governance_pages_are_scoped_patterns():
    assert set(COORDINATOR_ONLY) <= {name for name, _ in SCOPED}


@pytest.mark.django_db
@pytest.mark.parametrize("name", COORDINATOR_ONLY)
def test_leader_gets_403_on_the_governance_pages(client, leader, objects, name):
    url = url_for(name, dict(SCOPED)[name], objects)
    client.force_login(leader)

    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 403
