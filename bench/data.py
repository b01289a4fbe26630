"""Benchmark data, made once and reused between runs."""

from datetime import timedelta

from django.utils import timezone

from surveys import services as survey_services
from surveys.demo import demo_people
from surveys.member_import import MemberRow
from surveys.models import Assessment, Instrument, Network, User


def open_round(name: str, members: int, *, seed: int) -> Assessment:
    """An open round of the scorecard and the matrix in network `name`, with at least
    `members` members, every one invited. Kept open however long ago it was made."""
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
