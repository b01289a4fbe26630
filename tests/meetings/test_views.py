"""The meeting's pages: a coordinator plans, prints and facilitates; phones rate live
without an account; leaders read the action plan. (Outsiders get a 404 on every
meeting address: tests/test_access.py walks them all.)"""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Action, AgreedLevel, LiveRating, MatrixSession
from tests.factories import AssessmentFactory
from tests.meetings.helpers import (
    FIRST,
    SECOND,
    add_action,
    matrix_assessment,
    plan,
    rate_live,
    running,
    survey_ratings,
    table,
)

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_BACKGROUND_SAVE": "1"}  # what autosave.js sends


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def assessment(network, instruments):
    return matrix_assessment(network, instruments, title="Spring round")


def url(name, meeting, *args):
    return reverse(name, args=[meeting.assessment.network_id, meeting.pk, *args])


def record_data(meeting, level, *, table_name="Table A", dimension=FIRST, **fields):
    prefix = f"t{table(meeting, table_name).pk}-"
    data = {"dimension": dimension, f"{prefix}level": str(level)}
    data.update({f"{prefix}{name}": str(value) for name, value in fields.items()})
    return data


def record_url(meeting, table_name="Table A"):
    return url("meeting_record", meeting, table(meeting, table_name).pk)


# ---- planning ----------------------------------------------------------------------


def test_coordinator_plans_a_meeting_with_two_tables(signed_in, network, assessment):
    response = signed_in.post(
        reverse("meeting_create", args=[network.pk]),
        {
            "assessment": assessment.pk,
            "title": "Matrix meeting",
            "held_on": "2030-03-04",
            "tables": "Table A\n\nTable B\n",
            "facilitator_notes": "Start with coffee.",
        },
    )

    meeting = MatrixSession.objects.get()
    assert response.url == url("meeting_detail", meeting)
    assert [t.name for t in meeting.tables.all()] == ["Table A", "Table B"]
    page = signed_in.get(response.url).content.decode()
    assert "Matrix meeting planned" in page and "Start with coffee." in page
    assert meeting.code in page and 'class="qr" role="img"' in page
    assert f"/m/{meeting.code}/" in page


def test_the_plan_form_offers_only_rounds_with_the_matrix(signed_in, network, instruments):
    AssessmentFactory(
        network=network, title="Scorecard only", health_scorecard=instruments["scorecard"]
    )
    with_matrix = matrix_assessment(network, instruments, title="With the matrix")

    page = signed_in.get(
        reverse("meeting_create", args=[network.pk]) + f"?assessment={with_matrix.pk}"
    ).content.decode()

    assert "With the matrix" in page and "Scorecard only" not in page
    assert f'value="{with_matrix.pk}" selected' in page
    assert "Table A</textarea>" in page


def test_two_tables_with_the_same_name_are_refused(signed_in, network, assessment):
    response = signed_in.post(
        reverse("meeting_create", args=[network.pk]),
        {
            "assessment": assessment.pk,
            "title": "M",
            "held_on": "2030-03-04",
            "tables": "Table A\ntable a",
        },
    )

    assert response.status_code == 200
    assert "Each table needs its own name" in response.content.decode()
    assert not MatrixSession.objects.exists()


def test_the_blank_grid_has_every_dimension_and_empty_now_and_target_columns(signed_in, assessment):
    meeting = plan(assessment)

    page = signed_in.get(url("meeting_print", meeting)).content.decode()

    for dimension in assessment.matrix.definition["dimensions"]:
        assert dimension["title"] in page
    assert page.count('class="matrix-blank"') == 16
    assert "Print the grid" in page


def test_the_assessment_offers_a_matrix_meeting_and_the_network_a_meetings_tab(
    signed_in, network, assessment, instruments
):
    page = signed_in.get(reverse("assessment_detail", args=[network.pk, assessment.pk]))
    body = page.content.decode()

    assert "Plan a matrix meeting" in body
    assert reverse("meeting_list", args=[network.pk]) in body
    scorecard_only = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])
    other = signed_in.get(reverse("assessment_detail", args=[network.pk, scorecard_only.pk]))
    assert "Plan a matrix meeting" not in other.content.decode()


def test_meeting_list_has_an_empty_state_that_says_what_to_do(signed_in, network):
    page = signed_in.get(reverse("meeting_list", args=[network.pk])).content.decode()

    assert "No matrix meetings yet" in page and "create an assessment" in page


def test_leader_reads_the_action_plan_but_cannot_run_the_meeting(client, leader, assessment):
    meeting = running(assessment)
    add_action(meeting, what="Share the notes")
    client.force_login(leader)

    plan_page = client.get(url("meeting_actions", meeting)).content.decode()

    assert "Share the notes" in plan_page and "Change the status" not in plan_page
    assert client.get(url("meeting_actions_csv", meeting)).status_code == 200
    assert client.get(url("meeting_run", meeting)).status_code == 403
    assert client.post(record_url(meeting), record_data(meeting, 2)).status_code == 403


# ---- the facilitator's screen ------------------------------------------------------


def test_the_facilitator_sees_the_five_levels_and_members_survey_ratings(signed_in, assessment):
    survey_ratings(assessment, [2, 3, 3, 4, 4, 4])
    meeting = running(assessment)

    page = signed_in.get(url("meeting_run", meeting) + f"?d={FIRST}").content.decode()

    dimension = assessment.matrix.definition["dimensions"][0]
    for level in dimension["levels"]:
        assert level["descriptor"] in page
    assert "6 members rated this dimension" in page
    assert "--n: 3; --of: 6" in page  # three members chose level 4
    assert "Proposed: <strong>level 2</strong>" in page


def test_the_survey_distribution_is_hidden_under_the_anonymity_threshold(signed_in, assessment):
    survey_ratings(assessment, [1, 4, 4, 4])  # 4 members, threshold 5
    meeting = running(assessment)

    page = signed_in.get(url("meeting_run", meeting)).content.decode()

    assert "not shown: the round" in page and "too few ratings of it" in page
    assert "bar-survey" not in page
    assert "No views yet at this table" in page  # nor is its lowest level proposed


def test_pressing_next_moves_the_phones_on(signed_in, assessment):
    meeting = running(assessment)

    response = signed_in.post(url("meeting_run", meeting), {"d": SECOND})

    meeting.refresh_from_db()
    assert meeting.current_dimension == SECOND
    assert response.url == url("meeting_run", meeting) + f"?d={SECOND}#dimension"


def test_facilitator_opening_a_dimensions_address_looks_without_moving_the_room(
    signed_in, assessment
):
    """A GET has no side effect: a prefetch, a crawler or a second screen opening
    ?d=<dimension> must not move every phone in the room."""
    meeting = running(assessment)
    assert meeting.current_dimension == FIRST

    page = signed_in.get(url("meeting_run", meeting) + f"?d={SECOND}")

    meeting.refresh_from_db()
    assert meeting.current_dimension == FIRST
    body = page.content.decode()
    assert 'id="dimension" tabindex="-1" class="dimension-title">Distributed leadership' in body
    assert "Phones are rating Common purpose, not this dimension." in body
    assert 'method="post"' in body and f'name="d" value="{SECOND}"' in body


def test_previous_next_and_go_are_forms_that_post_with_a_csrf_token(signed_in, assessment):
    meeting = running(assessment)

    body = signed_in.get(url("meeting_run", meeting) + f"?d={SECOND}").content.decode()

    nav = body.split('aria-label="Dimensions"')[1].split("</nav>")[0]
    assert "href=" not in nav
    assert nav.count('method="post"') == 3 and nav.count("csrfmiddlewaretoken") == 3
    assert "Previous" in nav and "Next" in nav and ">Go</button>" in nav


def test_a_live_rating_from_a_phone_shows_in_the_facilitators_json(signed_in, assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    live_url = url("meeting_live", meeting) + f"?d={FIRST}"
    before = signed_in.get(live_url).json()
    phone = Client()
    phone.get(f"/m/{meeting.code}/")

    sent = phone.post(
        f"/m/{meeting.code}/",
        {"table": table(meeting, "Table B").pk, "dimension": FIRST, "level": "3"},
        **FETCH,
    )
    after = signed_in.get(live_url).json()

    assert before["total"] == 0
    assert sent.status_code == 200 and sent.json()["saved"] is True
    assert after["total"] == 1 and after["counts"] == [0, 0, 1, 0, 0]
    table_b = next(t for t in after["tables"] if t["name"] == "Table B")
    assert (table_b["n"], table_b["proposal"], table_b["low"], table_b["high"]) == (1, 3, 3, 3)


def test_a_phone_changes_its_rating_rather_than_adding_one(assessment):
    meeting = running(assessment)
    phone = Client()
    for level in ("2", "4"):
        phone.post(
            f"/m/{meeting.code}/",
            {"table": table(meeting).pk, "dimension": FIRST, "level": level},
        )

    assert list(LiveRating.objects.values_list("level", flat=True)) == [4]
    page = phone.get(f"/m/{meeting.code}/").content.decode()
    assert "Your rating: level 4" in page


def test_a_phone_rating_is_refused_when_the_meeting_is_not_running(assessment):
    meeting = plan(assessment)
    meeting.current_dimension = FIRST
    meeting.save()
    phone = Client()

    sent = phone.post(
        f"/m/{meeting.code}/",
        {"table": table(meeting).pk, "dimension": FIRST, "level": "3"},
        **FETCH,
    )

    assert sent.status_code == 409
    assert "not started" in sent.json()["errors"][0]
    assert not LiveRating.objects.exists()


def test_the_phone_page_follows_the_dimension_on_screen(signed_in, assessment):
    meeting = running(assessment)
    phone = Client()
    assert phone.get(f"/m/{meeting.code}/state/").json()["dimension"]["code"] == FIRST

    signed_in.post(url("meeting_run", meeting), {"d": SECOND})
    state = phone.get(f"/m/{meeting.code}/state/")

    assert state.json()["dimension"]["code"] == SECOND
    assert state.json()["dimension"]["number"] == 2
    assert "no-store" in state["Cache-Control"]


def test_a_phone_page_is_never_cached_and_names_nobody(assessment):
    meeting = running(assessment)

    page = Client().get(f"/m/{meeting.code}/")

    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Which level best describes the network now?" in page.content.decode()


def test_a_code_typed_in_lower_case_with_a_dash_finds_the_meeting(assessment):
    meeting = running(assessment)
    typed = f"{meeting.code[:3].lower()}-{meeting.code[3:].lower()}"

    response = Client().get(f"/m/{typed}/")

    assert response.status_code == 302 and response.url == f"/m/{meeting.code}/"


def test_unknown_codes_get_a_404_and_guessing_is_rate_limited(db):
    guesser = Client()
    statuses = [guesser.get(f"/m/ZZZZZ{i}/").status_code for i in range(11)]

    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429


# ---- recording what was agreed -----------------------------------------------------


def test_recording_through_fetch_answers_json_with_the_merged_level(signed_in, assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [3], table_name="Table A")
    rate_live(meeting, [2], table_name="Table B")

    first = signed_in.post(record_url(meeting, "Table A"), record_data(meeting, 3), **FETCH)
    second = signed_in.post(
        record_url(meeting, "Table B"),
        record_data(meeting, 2, table_name="Table B", target=3),
        **FETCH,
    )

    assert first.json()["saved"] is True and "Table A: level 3 recorded" in first.json()["message"]
    assert second.json()["merged"]["level"] == 2
    assert second.json()["merged"]["range"] == [2, 3]


def test_an_override_without_a_reason_is_refused_with_a_clear_message(signed_in, assessment):
    meeting = running(assessment)
    rate_live(meeting, [2, 4])

    plain = signed_in.post(record_url(meeting), record_data(meeting, 4))
    fetched = signed_in.post(record_url(meeting), record_data(meeting, 4), **FETCH)

    assert plain.status_code == 400
    page = plain.content.decode()
    assert "There is a problem" in page and "The proposed level is 2" in page
    assert fetched.status_code == 400
    error = fetched.json()["errors"][0]
    assert error["field"] == f"id_t{table(meeting).pk}-override_reason"
    assert "say why the group agreed it" in error["message"]
    assert not AgreedLevel.objects.exists()


def test_an_override_with_a_reason_is_recorded_and_shown_side_by_side(signed_in, assessment):
    meeting = running(assessment, tables=("Table A", "Table B"))
    rate_live(meeting, [2, 4], table_name="Table A")

    response = signed_in.post(
        record_url(meeting), record_data(meeting, 3, override_reason="The 2 was a misreading.")
    )
    signed_in.post(record_url(meeting, "Table B"), record_data(meeting, 4, table_name="Table B"))

    assert response.status_code == 302 and response.url.endswith(f"#table-{table(meeting).pk}")
    detail = signed_in.get(url("meeting_detail", meeting)).content.decode()
    assert "Whole meeting" in detail and "The 2 was a misreading." in detail
    merged = AgreedLevel.objects.get(table=None)
    assert merged.level == 3 and merged.range == (2, 4)


# ---- actions and closing -----------------------------------------------------------


def test_closing_without_an_action_is_refused_with_a_prompt(signed_in, assessment):
    meeting = running(assessment)

    response = signed_in.post(url("meeting_close", meeting), {"confirm": "1"}, follow=True)

    meeting.refresh_from_db()
    assert meeting.status == MatrixSession.RUNNING
    assert "add at least one take-home action" in response.content.decode()


def test_closing_asks_first_then_closes(signed_in, assessment):
    meeting = running(assessment)
    add_action(meeting)

    asked = signed_in.post(url("meeting_close", meeting))
    assert "Close the meeting now?" in asked.content.decode()
    assert "8 dimensions have no agreed level yet" in asked.content.decode()
    signed_in.post(url("meeting_close", meeting), {"confirm": "1"})

    meeting.refresh_from_db()
    assert meeting.status == MatrixSession.CLOSED


def test_an_action_added_twice_after_a_dropped_connection_is_stored_once(signed_in, assessment):
    meeting = running(assessment)
    data = {
        "what": "Agree the purpose with members",
        "who": "Priya",
        "due_on": "2030-05-01",
        "dimension": FIRST,
        "client_ref": "9b2c",
        "from": "run",
    }

    sent = [signed_in.post(url("meeting_action_add", meeting), data, **FETCH) for _ in range(2)]
    plain = signed_in.post(url("meeting_action_add", meeting), {**data, "client_ref": ""})

    assert [r.json()["saved"] for r in sent] == [True, True]
    assert plain.status_code == 302 and plain.url.endswith("#actions")
    assert Action.objects.count() == 2


def test_an_action_without_who_or_when_is_refused(signed_in, assessment):
    meeting = running(assessment)

    response = signed_in.post(url("meeting_action_add", meeting), {"what": "Something"})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Action.objects.exists()


def test_coordinator_updates_an_actions_status(signed_in, assessment):
    meeting = running(assessment)
    action = add_action(meeting, what="Send the summary")

    response = signed_in.post(
        url("meeting_action_status", meeting, action.pk), {"status": "done"}, follow=True
    )

    assert Action.objects.get().status == Action.DONE
    assert "“Send the summary” is now done." in response.content.decode()


def test_the_action_plan_groups_actions_by_dimension(signed_in, assessment):
    meeting = running(assessment)
    add_action(meeting, what="Write the purpose down", dimension=FIRST)
    add_action(meeting, what="Find a sponsor")

    page = signed_in.get(url("meeting_actions", meeting)).content.decode()

    assert page.index("Common purpose") < page.index("Write the purpose down")
    assert page.index("The network as a whole") < page.index("Find a sponsor")


def test_the_csv_export_neutralises_formula_cells(signed_in, assessment):
    meeting = running(assessment)
    add_action(meeting, what="=cmd|' /C calc'!A0", who="@evil", dimension=FIRST)

    response = signed_in.get(url("meeting_actions_csv", meeting))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "'=cmd|' /C calc'!A0" and rows[1][2] == "'@evil"


def test_hostile_text_is_shown_as_text(signed_in, assessment):
    meeting = running(assessment)
    add_action(meeting, what="</script><script>alert(1)</script>", who="<img onerror=x>")

    page = signed_in.get(url("meeting_actions", meeting)).content.decode()

    assert "<script>alert(1)" not in page and "<img onerror" not in page
    assert json.dumps("&lt;/script&gt;")[1:-1] in page


def test_the_facilitators_json_costs_the_same_whatever_the_number_of_ratings(
    signed_in, assessment, django_assert_max_num_queries
):
    meeting = running(assessment, tables=("Table A", "Table B", "Table C"))
    survey_ratings(assessment, [3, 3, 4, 4, 5, 5])
    rate_live(meeting, [1, 2, 3, 4, 5])
    rate_live(meeting, [2, 2], table_name="Table B")

    with django_assert_max_num_queries(8):
        data = signed_in.get(url("meeting_live", meeting)).json()

    assert data["total"] == 7 and [t["n"] for t in data["tables"]] == [5, 2, 0]
    assert [t["proposal"] for t in data["tables"]] == [1, 2, 3]  # Table C: the survey's lowest
