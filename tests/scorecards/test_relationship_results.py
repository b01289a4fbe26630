"""How the network is connected, from the worker to the leader's pages: the roster's
answers become released figures, audited like every other number (docs/relationships.md)."""

import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scorecards.demo import demo_round_answers, demo_submissions
from scorecards.models import Release
from scorecards.selectors import charts_in, latest_release
from surveys.models import Invitation, Member, Response, Tie
from tests.factories import GroupFactory, MemberFactory
from tests.scorecards.helpers import release, released_round
from tests.surveys.survey_helpers import open_assessment

pytestmark = pytest.mark.django_db


def dashboard(client, assessment):
    return client.get(f"/networks/{assessment.network_id}/results/{assessment.pk}/")


def test_leader_reads_how_the_network_is_connected_with_a_sentence_per_figure(
    client, owner, network, instruments
):
    assessment = released_round(network, instruments, members=30, ties="dense")
    rel = latest_release(assessment).data["relationships"]
    assert not rel.get("withheld")
    assert rel["n_answered"] == 30 and rel["n_people"] == 30
    assert 0 < rel["density"] < 1 and rel["ties"] > 30
    assert any("possible working relationships exist" in s for s in rel["sentences"])
    client.force_login(owner)
    page = dashboard(client, assessment).content.decode()
    assert "How the network is connected" in page
    assert "Working ties between groups" in page
    assert f"{rel['n_answered']} of {rel['n_people']} members" in page


def test_a_round_without_the_roster_shows_no_relationship_section(
    client, owner, network, instruments
):
    assessment = released_round(network, instruments, members=10)
    assert latest_release(assessment).data.get("relationships") is None
    client.force_login(owner)
    assert "How the network is connected" not in dashboard(client, assessment).content.decode()


def test_too_few_roster_answers_withhold_every_relationship_figure(network, instruments):
    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    for _ in range(12):
        MemberFactory(network=network)
    from scorecards.demo import demo_round_answers

    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=5, ties="dense")
    keep = list(Response.objects.filter(assessment=assessment).values_list("pk", flat=True)[:4])
    Response.objects.filter(assessment=assessment).exclude(pk__in=keep).update(
        roster_answered_at=None
    )
    release(assessment)
    data = latest_release(assessment).data
    assert data["relationships"] == {"withheld": True, "reason": "too few to show"}
    assert not any(
        c["figure"] for c in charts_in(latest_release(assessment)) if c["key"].startswith("rel")
    )


def test_named_map_carries_the_names_of_those_who_agreed_and_nobody_else(network, instruments):
    # Names none of which is part of another, so finding one anywhere is a leak.
    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    for number in range(30):
        MemberFactory(network=network, name=f"Person {number:02d}x")
    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=8, ties="dense")
    release(assessment)
    agreed = set(
        Response.objects.filter(assessment=assessment, named_on_map=True).values_list(
            "invitation__member__name", flat=True
        )
    )
    others = set(Member.objects.filter(network=network).values_list("name", flat=True)) - agreed
    stored = latest_release(assessment)
    named = stored.data["relationships"]["named_map"]
    assert {n["name"] for n in named["nodes"]} == agreed
    everything = json.dumps(stored.data) + json.dumps(stored.charts)
    assert not [name for name in others if name in everything]


def test_a_small_group_is_merged_on_the_group_map(network, instruments):
    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    clinicians, carers = (
        GroupFactory(network=network, name="Clinicians"),
        GroupFactory(network=network, name="Carers"),
    )
    MemberFactory.create_batch(12, network=network, group=clinicians)
    MemberFactory.create_batch(2, network=network, group=carers)
    from scorecards.demo import demo_round_answers

    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=2, ties="dense")
    release(assessment)
    stored = latest_release(assessment)
    table = stored.data["relationships"]["group_ties"]
    assert "Carers" not in [g["name"] for g in table["groups"]]
    assert "Carers" in table["merged"]
    group_map = next(c for c in charts_in(stored) if c["key"] == "relationships-groups")
    assert "Carers" not in json.dumps(group_map["figure"])


def test_final_release_holds_back_what_one_more_roster_answer_would_tell(network, instruments):
    """The coordinator reads an interim release; five more members answer, only one of
    them the roster question; the round closes: the relationship figures of the final
    release must not differ by that member's ties."""
    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    MemberFactory.create_batch(16, network=network)
    invitations = list(
        Invitation.objects.bulk_create(
            [
                Invitation(assessment=assessment, member=m, status=Invitation.SENT)
                for m in network.members.all()
            ]
        )
    )
    demo_submissions(assessment, invitations[:10], seed=4)
    _roster(assessment, invitations[:10], invitations)
    first = release(assessment, Release.INTERIM)
    assert first is not None and not first.data["relationships"].get("withheld")
    demo_submissions(assessment, invitations[10:15], seed=5)
    _roster(assessment, invitations[10:11], invitations)
    release(assessment)
    final = latest_release(assessment)
    assert final.number == first.number + 1
    rel = final.data["relationships"]
    assert rel == {"withheld": True, "reason": "too few to show"}


def _roster(assessment, answering, invitations):
    """Each answering member names the next three members on the list."""
    members = [i.member_id for i in invitations]
    for invitation in answering:
        response = Response.objects.get(invitation=invitation)
        at = members.index(invitation.member_id)
        Tie.objects.bulk_create(
            [
                Tie(response=response, member_id=members[(at + k) % len(members)], closeness=3)
                for k in (1, 2, 3)
            ]
        )
        response.roster_answered_at = timezone.now() - timedelta(minutes=1)
        response.save(update_fields=["roster_answered_at"])


def test_dashboard_queries_do_not_grow_with_the_relationship_section(
    client, owner, network, instruments
):
    plain = released_round(network, instruments, members=12, seed=1)
    connected = released_round(network, instruments, members=12, seed=2, ties="hub")
    client.force_login(owner)
    dashboard(client, plain)
    with CaptureQueriesContext(connection) as without:
        dashboard(client, plain)
    with CaptureQueriesContext(connection) as with_section:
        page = dashboard(client, connected)
    assert "How the network is connected" in page.content.decode()
    assert len(with_section) == len(without)


def test_demo_networks_show_four_different_shapes_in_every_round(instruments):
    """The demo's networks answer the roster question in the shapes of their stories,
    and every round shows its network's figures (groups too few to show cost their
    own cells, never the whole network's)."""
    from django.core.management import call_command

    from surveys.models import Network

    call_command("seed_demo", members=40, stdout=io.StringIO())
    latest = {}
    for network in Network.objects.all():
        for assessment in network.assessments.order_by("closes_on"):
            rel = latest_release(assessment).data["relationships"]
            assert not rel.get("withheld"), assessment.title
            latest[network.name.split()[0]] = rel
    dense, hub, sparse, fragmented = (
        latest[name] for name in ("North", "Paediatric", "Frailty", "Valley")
    )
    assert dense["density"] > hub["density"] > fragmented["density"]
    assert dense["components"] == 1 and dense["isolates"] == 0
    assert hub["centralisation"] > 2 * dense["centralisation"]
    assert fragmented["cross_group_share"] == 0 and fragmented["components"] > 1
    assert sparse["isolates"] > dense["isolates"]


def test_a_group_with_few_roster_answers_costs_its_cells_not_the_whole_network(
    network, instruments
):
    """Two carers of six answer the roster question: their group's cells go (and any
    that would give them away by subtraction), the network's own figures stay."""
    from scorecards.demo import demo_round_answers

    assessment = open_assessment(network, instruments, members=0, asks_roster=True)
    for name, size in (("Clinicians", 12), ("Managers", 12), ("Carers", 6)):
        MemberFactory.create_batch(
            size, network=network, group=GroupFactory(network=network, name=name)
        )
    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=9, ties="dense")
    quiet = Response.objects.filter(assessment=assessment, stakeholder_group="Carers")[2:]
    Response.objects.filter(pk__in=[r.pk for r in quiet]).update(roster_answered_at=None)
    release(assessment)
    rel = latest_release(assessment).data["relationships"]
    assert not rel.get("withheld")
    assert rel["n_answered"] == 26
    carers = next(g for g in rel["group_ties"]["groups"] if g["name"] == "Carers")
    assert carers["internal"] is None  # two answers behind it
    shown = [e for e in rel["group_ties"]["between"] if e["ties"] is not None]
    # ties inside the carers would follow from the network's total minus the rest
    assert len(shown) < len(rel["group_ties"]["between"]) or any(
        g["internal"] is None for g in rel["group_ties"]["groups"] if g["name"] != "Carers"
    )
