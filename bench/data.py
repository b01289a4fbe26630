"""Benchmark data, made once and reused between runs."""

from datetime import timedelta

from django.utils import timezone

from surveys import services as survey_services
from surveys import tokens
from surveys.demo import demo_people
from surveys.member_import import MemberRow
from surveys.models import Assessment, Instrument, Invitation, Network, User


def open_round(name: str, members: int, *, seed: int, asks_roster: bool = False) -> Assessment:
    """An open round of the scorecard and the matrix in network `name`, with at least
    `members` members, every one invited. Kept open however long ago it was made.
    `asks_roster` is chosen when the round is first made (it cannot change later)."""
    today = timezone.localdate()
    owner, _ = User.objects.get_or_create(email="bench@netassess.local")
    network = Network.objects.filter(name=name).first()
    if network is None:
        network = survey_services.network_create(
            user=owner, name=name, founded_on=today - timedelta(days=400)
        )
    if network.members.count() < members:
        people = demo_people(members, seed=seed)
        rows = [MemberRow(line=i, **person) for i, person in enumerate(people)]
        survey_services.members_import(network=network, rows=rows)
    assessment = network.assessments.order_by("pk").first()
    if assessment is None:
        survey_services.instruments_load()
        assessment = survey_services.assessment_save(
            network=network,
            user=None,
            **{
                **survey_services.assessment_defaults(network),
                "health_scorecard": Instrument.objects.filter(kind="scorecard").latest("version"),
                "matrix": Instrument.objects.filter(kind="matrix").latest("version"),
                "opens_on": today - timedelta(days=1),
                "closes_on": today + timedelta(days=30),
                "asks_roster": asks_roster,
            },
        )
    Assessment.objects.filter(pk=assessment.pk).update(
        closed_at=None,
        opens_on=min(assessment.opens_on, today - timedelta(days=1)),
        closes_on=max(assessment.closes_on, today + timedelta(days=30)),
    )
    assessment.refresh_from_db()
    survey_services.invitations_create(assessment=assessment, members=network.members.all())
    return assessment


def link_tokens(assessment: Assessment) -> list[str]:
    """The members' link tokens in invitation order, computed here as the server would.
    A link depends on SECRET_KEY, so links made under another key are renewed first."""
    invitations = list(assessment.invitations.order_by("pk"))
    stale = [
        i
        for i in invitations
        if tokens.token_hash(tokens.token_for(i.pk, i.token_salt)) != i.token_hash
    ]
    for invitation in stale:
        invitation.token_salt = tokens.new_salt()
        invitation.token_hash = tokens.token_hash(
            tokens.token_for(invitation.pk, invitation.token_salt)
        )
    Invitation.objects.bulk_update(stale, ["token_salt", "token_hash"], batch_size=1000)
    return [tokens.token_for(i.pk, i.token_salt) for i in invitations]
