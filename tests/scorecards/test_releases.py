"""Releases (quality T2, T3, T4): readers see audited releases, made at closing or, for
an interim look, only once enough new responses are in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scorecards import selectors, tasks
from scorecards.demo import demo_round_answers, demo_submissions
from scorecards.models import Release
from scorecards.releases import new_responses_needed, release_make, release_refusal
from surveys import services as survey_services
from surveys.models import Event, Invitation
from tests.factories import MemberFactory
from tests.scorecards.helpers import release, released_round
from tests.surveys.survey_helpers import open_assessment

pytestmark = pytest.mark.django_db


def answered_round(network, instruments, *, members=12, rate=0.5, seed=4):
    assessment = open_assessment(network, instruments, members=members)
    demo_round_answers(assessment, (60, 60, 60), 3.0, rate, "monthly", seed=seed)
    return assessment


def submit_more(assessment, n: int) -> None:
    """`n` more members of the round submit (demo answers for the ones still waiting)."""
    waiting = list(
        assessment.invitations.filter(response__isnull=True).select_related("member__group")[:n]
    )
    assert len(waiting) == n
    demo_submissions(assessment, waiting, seed=n)


def dashboard(client, assessment) -> str:
    url = reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk])
    return client.get(url).content.decode()


def test_nothing_is_released_while_the_round_is_open(client, leader, network, instruments):
    assessment = answered_round(network, instruments)
    client.force_login(leader)

    body = dashboard(client, assessment)

    assert "No results released yet" in body
    assert not assessment.releases.exists()


def test_closing_releases_every_submitted_response(network, instruments):
    assessment = answered_round(network, instruments)

    made = release(assessment)

    assert made.kind == Release.FINAL and made.number == 1
    assert made.n_respondents == assessment.responses.filter(submitted_at__isnull=False).count()
    assert "distributions" not in made.data  # internal to the snapshot


def test_closing_in_the_embedded_mode_releases_a_burst_of_submissions_too(
    network, instruments, django_capture_on_commit_callbacks
):
    # Tasks run in-process at commit: the release at closing reads every response
    # committed by then, however quickly they came.
    assessment = answered_round(network, instruments, members=20, rate=0.3)
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.assessment_close(assessment=assessment)

    made = selectors.latest_release(assessment)

    assert made is not None
    assert made.n_respondents == assessment.responses.filter(submitted_at__isnull=False).count()


def test_an_interim_release_needs_the_threshold_of_new_responses(
    client, owner, network, instruments
):
    assessment = answered_round(network, instruments, members=12, rate=0.25)  # 3 answered
    client.force_login(owner)

    assert new_responses_needed(assessment) == 2
    refusal = release_refusal(assessment, Release.INTERIM)
    assert refusal.startswith("2 more responses are needed")
    url = reverse("release_interim", args=[network.pk, assessment.pk])
    response = client.post(url, follow=True)

    assert "2 more responses are needed" in response.content.decode()
    assert not assessment.releases.exists()  # refused, and nothing was lost


def test_a_second_release_a_few_responses_later_is_refused_and_the_last_stands(
    network, instruments
):
    assessment = answered_round(network, instruments, members=20, rate=0.5)  # 10 answered
    first = release_make(assessment_id=assessment.pk, kind=Release.INTERIM)
    assert first is not None and first.n_respondents == 10
    submit_more(assessment, 4)

    assert release_make(assessment_id=assessment.pk, kind=Release.INTERIM) is None
    assert new_responses_needed(assessment) == 1
    assessment.closed_at = timezone.now()
    assessment.save()
    assert release_make(assessment_id=assessment.pk, kind=Release.FINAL) is None
    assert selectors.latest_release(assessment) == first

    submit_more(assessment, 1)
    assert release_make(assessment_id=assessment.pk, kind=Release.FINAL).n_respondents == 15


def test_releasing_the_same_answers_twice_makes_one_release(network, instruments):
    assessment = answered_round(network, instruments)
    release(assessment)

    assert release_make(assessment_id=assessment.pk, kind=Release.FINAL) is None
    assert assessment.releases.count() == 1


def test_the_sweeper_releases_a_round_that_closed_by_date(network, instruments):
    assessment = answered_round(network, instruments)
    assessment.opens_on = timezone.localdate() - timedelta(days=20)
    assessment.closes_on = timezone.localdate() - timedelta(days=1)
    assessment.save()

    tasks.sweep_snapshots()

    assert selectors.latest_release(assessment) is not None
    assert selectors.assessments_to_release() == []


def test_comments_are_shuffled_afresh_for_each_release(network, instruments):
    orders = set()
    for seed in range(4):
        assessment = released_round(network, instruments, members=30, seed=3, title=f"Round {seed}")
        comments = assessment.releases.get().comments["C_works"]["answers"]
        orders.add(tuple(comments))
        assert sorted(comments) == sorted(set(comments)) or len(comments) >= 5
    assert len(orders) > 1  # not the order they were written in, nor any fixed order


# ---- the doors (quality T4) --------------------------------------------------------


def test_copying_a_link_issues_a_new_one_that_works_once(
    client, network, instruments, django_capture_on_commit_callbacks
):
    assessment = open_assessment(network, instruments, members=1)
    (invitation,) = survey_services.invitations_create(
        assessment=assessment, members=network.members.all()
    )
    emailed = survey_services.invitation_url(invitation)
    copied = survey_services.invitation_copy_link(invitation=invitation)
    path = copied.replace("http://127.0.0.1:8000", "")

    assert copied != emailed
    assert client.get(emailed.replace("http://127.0.0.1:8000", "")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(path).status_code == 302  # first use: into this browser's session
    assert client.get("/survey/").status_code == 200
    assert client.get(path).status_code == 404  # used up
    invitation.refresh_from_db()
    assert invitation.copied_link_used_at is not None
    assert [m.subject for m in mail.outbox if "Your own link" in m.subject]


def test_changing_an_address_ends_the_open_invitation_and_tells_the_old_one(
    client, owner, network, instruments, django_capture_on_commit_callbacks
):
    assessment = open_assessment(network, instruments, members=1)
    member = network.members.get()
    (invitation,) = survey_services.invitations_create(
        assessment=assessment, members=network.members.all()
    )
    survey_services.invitation_open(invitation=invitation)
    old = member.email

    with django_capture_on_commit_callbacks(execute=True):
        survey_services.member_save(
            network=network, member=member, user=owner, name=member.name,
            email="someone.else@example.org", group=member.group,
            organisation=member.organisation,
        )  # fmt: skip

    invitation.refresh_from_db()
    assert invitation.status == Invitation.REVOKED and invitation.token_hash is None
    assert Event.objects.filter(kind=Event.MEMBER_EMAIL_CHANGED, member=member).exists()
    assert [m.to for m in mail.outbox if "address was changed" in m.subject] == [[old]]


def test_the_release_counts_the_doors_used_while_the_round_was_open(network, instruments):
    assessment = answered_round(network, instruments, members=20, rate=0.6)
    late = MemberFactory(network=network)
    survey_services.invitations_create(assessment=assessment, members=network.members.all())
    survey_services.member_save(
        network=network, member=late, name=late.name, email=late.email,
        group=late.group, organisation="",
    )  # fmt: skip
    MemberFactory.create_batch(2, network=network)
    Event.objects.create(network=network, kind=Event.MEMBER_ADDED, member=late)

    made = release(assessment)

    assert made.integrity["members_added"] >= 1
    assert set(made.integrity) == {
        "members_added", "addresses_changed", "links_copied", "answers_through_doors"
    }  # fmt: skip


# ---- every published cell (quality T2) ---------------------------------------------


def published_counts(data: dict):
    """Every n the release shows next to a figure, with where it is."""
    for section in ("domains", "subdimensions", "items"):
        for code, entry in data[section].items():
            if not entry.get("withheld"):
                yield f"{section}:{code}", entry["n"]
    for code, dim in data["matrix"].get("dimensions", {}).items():
        if not dim.get("withheld"):
            yield f"matrix:{code}", dim["n"]
    for code, mix in data["function_mix"].items():
        if mix.get("importance") is not None:
            yield f"importance:{code}", mix["n_importance"]
    for by, groups in data["breakdowns"].items():
        for name, group in groups.items():
            if not group.get("hidden"):
                yield f"{by}:{name}", group["n"]
    for question in data["custom"]:
        if question.get("shown") and question["kind"] == "agreement":
            yield f"custom:{question['code']}", question["n"]


def test_every_published_cell_has_at_least_the_threshold_behind_it(network, instruments):
    assessment = answered_round(network, instruments, members=14, rate=0.5)  # 7 answered
    # Most say "don't know" to two statements: those cells fall under the threshold.
    from surveys.models import Answer

    Answer.objects.filter(response__assessment=assessment, item__in=["P02", "F04"]).exclude(
        pk__in=Answer.objects.filter(item="P02").values("pk")[:2]
    ).update(value=None)

    data = release(assessment).data

    counts = dict(published_counts(data))
    assert counts and all(n >= assessment.anonymity_threshold for n in counts.values())
    assert data["items"]["P02"]["withheld"] and data["items"]["P02"]["mean"] is None
