"""Leaders' dashboards, the pack, exports and share links (quality S7, S8, S9, P3, T1)."""

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import plotly.graph_objects as go
import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, json_script
from openpyxl import load_workbook

from scorecards import selectors
from scorecards.access import share_token_hash
from scorecards.models import ShareLink
from scorecards.templatetags.chart_tables import chart_table, figure_script
from tests.factories import MemberFactory
from tests.scorecards.helpers import released_round
from tests.surveys.survey_helpers import open_assessment

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


scored_round = released_round


def dashboard_url(assessment):
    return reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk])


@pytest.fixture
def assessment(network, instruments):
    return scored_round(network, instruments)


def test_leader_reads_the_stage_its_certainty_and_reasons(client, leader, assessment):
    client.force_login(leader)

    body = client.get(dashboard_url(assessment)).content.decode()

    stage = assessment.releases.get().data["stage"]
    assert stage["summary"].replace("'", "&#x27;") in body
    assert f'badge text-bg-success">{stage["certainty"]}' in body
    assert "resamples" not in body
    for condition in stage["conditions"]:
        assert condition["text"].replace("'", "&#x27;")[1:] in body  # shown with a capital
    assert "Purpose, function and form" in body


def test_dashboard_before_any_answers_explains_itself(client, owner, network, instruments):
    assessment = open_assessment(network, instruments)
    client.force_login(owner)

    body = client.get(dashboard_url(assessment)).content.decode()

    assert "No results released yet" in body
    assert "5 more responses are needed before interim results can be released" in body


def test_dashboard_under_the_threshold_shows_no_scores(client, owner, network, instruments):
    assessment = scored_round(network, instruments, members=4)
    client.force_login(owner)

    body = client.get(dashboard_url(assessment)).content.decode()

    assert "Not enough answers to show results" in body
    assert "Where the network sits" not in body


def test_small_groups_say_too_few_to_show(client, owner, network, instruments):
    lonely = network.groups.create(name="Commissioner only", position=99)
    MemberFactory(network=network, group=lonely)
    assessment = scored_round(network, instruments)
    client.force_login(owner)

    body = client.get(dashboard_url(assessment)).content.decode()

    assert "too few to show" in body.lower()


def test_hostile_text_is_shown_as_text(client, owner, network, instruments):
    group = network.groups.create(name=HOSTILE[:90], position=50)
    for _ in range(6):
        MemberFactory(network=network, group=group)
    assessment = scored_round(network, instruments, members=10)
    scorecard = assessment.releases.get()
    scorecard.data["comments"]["C_works"]["answers"].append(HOSTILE)
    scorecard.save()
    client.force_login(owner)

    body = client.get(dashboard_url(assessment)).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "<img src=x onerror" not in body
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in body or "\\u003C/script\\u003E" in body


# One of them is the coordinator's members' summary, with how many were told, at once.
DASHBOARD_QUERIES = 8


def test_stored_figures_and_tables_are_escaped_as_django_escapes_them():
    chart = {
        "key": "gaps-group",
        "title": HOSTILE,
        "figure": {"data": [{"name": f"{HOSTILE} & more"}], "layout": {}},
        "table": {"columns": ["Group", HOSTILE], "rows": [[HOSTILE, "'quoted' \"text\""]]},
    }

    table = chart_table(chart)

    assert figure_script(chart) == json_script(chart["figure"], "figure-gaps-group")
    assert "<script" not in table and "<img" not in table
    assert table.count(escape(HOSTILE)) == 3  # caption, heading and row heading
    assert f"<td>{escape(chart['table']['rows'][0][1])}</td>" in table


def test_dashboard_costs_the_same_queries_for_10_or_1000_responses(
    client, owner, network, instruments, django_assert_num_queries
):
    small = scored_round(network, instruments, members=10)
    large = scored_round(network, instruments, members=1000)
    client.force_login(owner)
    client.get(dashboard_url(small))  # the session and the user, as any page

    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(dashboard_url(small)).status_code == 200
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(dashboard_url(large)).status_code == 200


def figures_in(body: str) -> dict[str, dict]:
    """The figure JSON a page embeds for plotly.js, by chart key."""
    pattern = r'<script id="figure-([\w-]+)" type="application/json">(.*?)</script>'
    blocks = re.findall(pattern, body)
    return {key: json.loads(text) for key, text in blocks}


def plotly_forbidden():
    """Any figure or trace built now fails loudly: pages must only read stored charts."""

    def refuse(*args, **kwargs):
        raise AssertionError("plotly ran during a request")

    return mock.patch.multiple(go, Figure=refuse, Bar=refuse, Scatter=refuse, Heatmap=refuse)


def test_leader_reads_the_charts_the_worker_drew_and_plotly_never_runs(
    client, leader, network, instruments
):
    earlier = scored_round(
        network,
        instruments,
        opens_on=timezone.localdate() - timedelta(days=200),
        closes_on=timezone.localdate() - timedelta(days=180),
    )
    later = scored_round(network, instruments)
    client.force_login(leader)

    with plotly_forbidden():
        dashboard = client.get(dashboard_url(later)).content.decode()
        pack = client.get(reverse("steering_pack", args=[network.pk, later.pk])).content.decode()
        overview = client.get(reverse("results_overview", args=[network.pk])).content.decode()

    stored = {chart["key"]: chart for chart in selectors.charts_in(later.releases.get())}
    shown = figures_in(dashboard)
    assert set(shown) == {
        "domains", "subdimensions", "function-mix", "matrix", "gaps-group", "trend",
        "response-rate",
    }  # fmt: skip
    assert all(shown[key] == stored[key]["figure"] for key in shown)
    assert stored["trend"]["table"]["rows"][0][0] == earlier.title
    assert stored["trend"]["summary"] in dashboard.replace("&#x27;", "'")
    in_pack = ("domains", "function-mix", "matrix", "gaps-group")
    assert figures_in(pack) == {key: stored[key]["figure"] for key in in_pack}
    assert figures_in(overview) == {"trend": stored["trend"]["figure"]}


def test_leader_choosing_a_comparison_sees_that_stored_chart_only(client, leader, assessment):
    client.force_login(leader)

    body = client.get(dashboard_url(assessment), {"by": "network_role"}).content.decode()

    assert [key for key in figures_in(body) if key.startswith("gaps")] == ["gaps-network-role"]
    assert "by part in the network" in body


OVERVIEW_QUERIES = 5


def test_results_overview_costs_the_same_queries_for_two_rounds_or_four(
    client, owner, network, instruments, django_assert_num_queries
):
    def past_round(days_ago):
        today = timezone.localdate()
        closes = today - timedelta(days=days_ago)
        return scored_round(
            network, instruments, members=10, opens_on=closes - timedelta(days=20), closes_on=closes
        )

    url = reverse("results_overview", args=[network.pk])
    for days_ago in (400, 300):
        past_round(days_ago)
    client.force_login(owner)
    client.get(url)  # the session and the user, as any page
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(url).status_code == 200

    for days_ago in (200, 100):
        past_round(days_ago)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        body = client.get(url).content.decode()
    assert list(figures_in(body)) == ["trend"]


def test_pack_has_the_sections_a_meeting_needs(client, leader, assessment):
    client.force_login(leader)

    body = client.get(
        reverse("steering_pack", args=[assessment.network_id, assessment.pk])
    ).content.decode()

    for heading in (
        "Summary",
        "Where the network sits",
        "Purpose, function and form",
        "The function mix",
        "How groups compare",
        "What members wrote",
        "How to read this pack",
        "Questions for the steering group",
        "The maturity matrix",
        "Actions",
        "css/print-pack",  # the stylesheet that lays it out on A4
    ):
        assert heading in body
    assert "@page { size: A4;" in Path(finders.find("css/print-pack.css")).read_text()


def test_csv_export_holds_aggregates_only_and_neutralises_formulas(
    client, owner, network, instruments
):
    group = network.groups.create(name='=HYPERLINK("http://x")', position=60)
    for _ in range(6):
        MemberFactory(network=network, group=group)
    assessment = scored_round(network, instruments)
    client.force_login(owner)

    response = client.get(reverse("export_csv", args=[network.pk, assessment.pk]))

    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "section"
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    comments = assessment.releases.get().data["comments"]["C_works"]["answers"]
    assert not any(text in cells for text in comments)


def test_xlsx_export_opens_and_never_holds_a_formula(client, owner, network, instruments):
    group = network.groups.create(name="@SUM(1+1)", position=60)
    for _ in range(6):
        MemberFactory(network=network, group=group)
    assessment = scored_round(network, instruments)
    client.force_login(owner)

    response = client.get(reverse("export_xlsx", args=[network.pk, assessment.pk]))

    book = load_workbook(io.BytesIO(response.content))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert "'@SUM(1+1)" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)
    assert book["Summary"]["A1"].value == "section"


def test_comments_page_paginates(client, leader, network, instruments):
    assessment = scored_round(network, instruments, members=130)
    client.force_login(leader)
    url = reverse("assessment_comments", args=[network.pk, assessment.pk])

    body = client.get(url, {"question": "C_works"}).content.decode()

    assert "Page 1 of" in body


# ---- share links ------------------------------------------------------------------


def make_link(network, **overrides) -> str:
    token = "share-token-for-tests-0123456789"
    fields = {
        "label": "Steering group",
        "expires_at": timezone.now() + timedelta(days=7),
        **overrides,
    }
    ShareLink.objects.create(network=network, token_hash=share_token_hash(token), **fields)
    return token


def test_coordinator_makes_a_share_link_shown_once(client, owner, network):
    client.force_login(owner)

    response = client.post(
        reverse("share_links", args=[network.pk]), {"label": "March meeting", "days": 14}
    )

    body = response.content.decode()
    link = ShareLink.objects.get()
    assert "shown only now" in body
    token = body.split("/shared/")[1].split("/")[0]
    assert link.token_hash == share_token_hash(token)
    assert token not in str(ShareLink.objects.values_list().get())


def test_share_link_holder_reads_results_without_an_account(network, assessment):
    visitor = Client()
    response = visitor.get(f"/shared/{make_link(network)}/")

    assert response.url == reverse("results_overview", args=[network.pk])
    assert visitor.get(response.url).status_code == 200
    assert visitor.get(dashboard_url(assessment)).status_code == 200
    assert visitor.get(reverse("member_list", args=[network.pk])).status_code == 302  # sign in


def test_share_link_opens_nothing_of_another_network(network, assessment, outsider):
    other = outsider.network_roles.get().network
    visitor = Client()
    visitor.get(f"/shared/{make_link(network)}/")

    assert visitor.get(reverse("results_overview", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_dead_share_links_stop_working_even_mid_session(network, assessment, state):
    visitor = Client()
    token = make_link(network)
    visitor.get(f"/shared/{token}/")
    change = {
        "expired": {"expires_at": timezone.now() - timedelta(seconds=1)},
        "revoked": {"revoked_at": timezone.now()},
    }[state]
    ShareLink.objects.update(**change)

    assert visitor.get(dashboard_url(assessment)).status_code == 404
    assert Client().get(f"/shared/{token}/").status_code == 404


def test_coordinator_revokes_a_share_link(client, owner, network):
    client.force_login(owner)
    make_link(network)
    link = ShareLink.objects.get()

    client.post(reverse("share_link_revoke", args=[network.pk, link.pk]))

    link.refresh_from_db()
    assert link.revoked_at is not None


def test_dashboard_shows_progress_against_last_rounds_targets(client, leader, network, instruments):
    from meetings import room as meeting_room
    from meetings import services as meeting_services

    before = scored_round(
        network,
        instruments,
        opens_on=timezone.localdate() - timedelta(days=400),
        closes_on=timezone.localdate() - timedelta(days=380),
    )
    meeting = meeting_services.matrix_session_create(
        assessment=before, title="Last year's meeting", held_on=before.closes_on, tables=["All"]
    )
    meeting_services.matrix_session_start(session=meeting)
    table = meeting.tables.get()
    proposal = meeting_room.table_proposal(meeting, table, "common_purpose")
    meeting_services.agreed_level_record(
        session=meeting, table=table, dimension="common_purpose", level=proposal.level, target=5
    )
    meeting_services.action_add(
        session=meeting, what="Write the purpose down", who="Sam", due_on=before.closes_on
    )
    meeting_services.matrix_session_close(session=meeting)
    now = scored_round(network, instruments, members=1)
    client.force_login(leader)

    body = client.get(dashboard_url(now)).content.decode()

    assert "Progress against last round" in body
    assert "Common purpose" in body and "Not yet" in body
    assert "Write the purpose down" in body


def test_leader_reads_the_story_first_before_the_evidence(client, leader, assessment):
    client.force_login(leader)

    body = client.get(dashboard_url(assessment)).content.decode()

    data = assessment.releases.get().data
    story, stage = body.index('id="story-title"'), body.index('id="stage-title"')
    assert story < stage
    told = body[story:stage]
    for title in ("Where the network sits", "Strongest", "Weakest", "Since last time"):
        assert f'<dt class="col-sm-3">{title}</dt>' in told
    assert data["stage"]["summary"].replace("'", "&#x27;") in told
