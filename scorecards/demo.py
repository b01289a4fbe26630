"""Demo rounds written in bulk: plausible answers for seed_demo and the benchmarks."""

import random
from datetime import timedelta

from django.utils import timezone

from surveys.demo import demo_answers, demo_ties
from surveys.models import Answer, Invitation, MatrixRating, Response, TextAnswer, Tie

BATCH = 5000


def demo_round_answers(
    assessment, pct, level, rate, frequency, *, seed: int, ties: str | None = None
) -> None:
    """A closed round's invitations, submitted responses and answers, written in bulk;
    with ``ties`` (a structure of ``surveys.demo.TIE_STRUCTURES``) roster answers too,
    about two in five respondents agreeing to be shown by name."""
    members = list(assessment.network.members.current().select_related("group"))
    random.Random(seed).shuffle(members)
    answering = round(len(members) * rate)
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                assessment=assessment,
                member=member,
                status=Invitation.COMPLETED if i < answering else Invitation.SENT,
                sent_at=now,
                completed_at=now if i < answering else None,
            )
            for i, member in enumerate(members)
        ],
        batch_size=BATCH,
    )
    if invitations and invitations[0].pk is None:
        invitations = list(assessment.invitations.order_by("pk"))
    people = demo_answers(
        definition=assessment.health_scorecard.definition,
        matrix=assessment.matrix.definition,
        respondents=answering,
        domain_pct=pct[:3],
        matrix_level=level,
        frequency=frequency,
        seed=seed,
        subdimension_pct={"purpose_impact": pct[3]} if len(pct) > 3 else None,
    )
    submitted_at = timezone.make_aware(
        timezone.datetime.combine(assessment.closes_on, timezone.datetime.min.time())
    ) - timedelta(days=2)
    by_member = {i.member_id: i for i in invitations}
    responses = Response.objects.bulk_create(
        [
            Response(
                invitation=by_member[member.pk],
                assessment=assessment,
                stakeholder_group=member.group.name,
                profile=person["profile"],
                current_page="review",
                submitted_at=submitted_at,
            )
            for member, person in zip(members[:answering], people, strict=True)
        ],
        batch_size=BATCH,
    )
    if responses and responses[0].pk is None:
        lookup = dict(assessment.responses.values_list("invitation_id", "pk"))
        for response in responses:
            response.pk = lookup[response.invitation_id]
    _bulk(responses, people)
    if ties and assessment.asks_roster:
        _roster(assessment, members, responses, ties, seed=seed)


def _roster(assessment, members, responses, structure: str, *, seed: int) -> None:
    respondent = {r.invitation.member_id: r for r in responses}
    named = demo_ties(
        [(m.pk, m.group.name) for m in members], list(respondent), structure, seed=seed
    )
    Tie.objects.bulk_create(
        [Tie(response=respondent[s], member_id=t, closeness=c) for s, t, c in named],
        batch_size=BATCH,
    )
    rng = random.Random(seed)
    for response in responses:
        response.roster_answered_at = response.submitted_at
        response.named_on_map = rng.random() < 0.4
    Response.objects.bulk_update(responses, ["roster_answered_at", "named_on_map"], BATCH)


def _bulk(responses, people) -> None:
    answers, texts, ratings = [], [], []
    for response, person in zip(responses, people, strict=True):
        answers += [Answer(response=response, item=c, value=v) for c, v in person["values"].items()]
        texts += [
            TextAnswer(response=response, question=c, text=t) for c, t in person["texts"].items()
        ]
        ratings += [
            MatrixRating(response=response, dimension=d, current=c, target=t)
            for d, (c, t) in person["ratings"].items()
        ]
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    TextAnswer.objects.bulk_create(texts, batch_size=BATCH)
    MatrixRating.objects.bulk_create(ratings, batch_size=BATCH)


def demo_submissions(assessment, invitations, *, seed: int, pct=(60, 60, 60), level=3.0) -> None:
    """More members of an open round submit now: plausible answers for `invitations`."""
    invitations = list(invitations)
    people = demo_answers(
        definition=assessment.health_scorecard.definition,
        matrix=assessment.matrix.definition,
        respondents=len(invitations),
        domain_pct=pct,
        matrix_level=level,
        frequency="monthly",
        seed=seed,
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(
                invitation=invitation,
                assessment=assessment,
                stakeholder_group=invitation.member.group.name,
                profile=person["profile"],
                current_page="review",
                submitted_at=now,
            )
            for invitation, person in zip(invitations, people, strict=True)
        ]
    )
    if responses and responses[0].pk is None:
        lookup = dict(assessment.responses.values_list("invitation_id", "pk"))
        for response in responses:
            response.pk = lookup[response.invitation_id]
    _bulk(responses, people)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        status=Invitation.COMPLETED, completed_at=now
    )
