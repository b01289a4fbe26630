"""A member's whole experience through the personal link (quality S2 to S6, R5, T1)."""

import logging
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Invitation, MatrixRating, Response, TextAnswer
from surveys.signals import response_submitted
from tests.surveys.survey_helpers import (
    answer_everything,
    full_answers,
    invite_all,
    link_path,
    open_assessment,
    pages_of,
    start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments)


@pytest.fixture
def invitation(assessment):
    return invite_all(assessment)[0]


# ---- the link ---------------------------------------------------------------------


def test_member_link_swaps_the_token_for_a_session_and_a_clean_address(client, invitation):
    response = client.get(link_path(invitation))

    assert response.status_code == 302
    assert response.url == "/survey/"
    assert "no-store" in response["Cache-Control"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.OPENED and invitation.opened_at is not None
    welcome = client.get("/survey/")
    assert welcome.status_code == 200
    assert "no-store" in welcome["Cache-Control"]
    assert welcome["Referrer-Policy"] == "same-origin"


def test_raw_token_is_nowhere_in_the_database(invitation):
    token = link_path(invitation).split("/")[2]
    assert len(token) >= 22  # at least 128 bits in base64
    assert len(invitation.token_salt) == 32  # 128 random bits, hex
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                assert not any(token in str(value) for value in row), f"token found in {table}"


def test_welcome_says_how_long_who_sees_what_and_when_it_closes(client, invitation, assessment):
    client.get(link_path(invitation))

    body = client.get("/survey/").content.decode()

    assert "minutes" in body
    assert "never what you answered" in body
    assert f"{assessment.closes_on.day} " in body
    assert "Start" in body


@pytest.mark.parametrize(
    "case", ["unknown", "revoked", "used", "closed", "removed", "opted_out", "garbage"]
)
def test_dead_links_all_get_the_same_page_and_status(client, assessment, invitation, case):
    path = link_path(invitation)
    if case == "unknown":
        path = "/s/" + "A" * 43 + "/"
    elif case == "garbage":
        path = "/s/%3Cscript%3E/"
    elif case == "revoked":
        services.invitation_revoke(invitation=invitation)
    elif case == "used":
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.COMPLETED)
    elif case == "closed":
        services.assessment_close(assessment=assessment)
    elif case == "removed":
        services.member_remove(member=invitation.member)
    elif case == "opted_out":
        services.invitation_opt_out(invitation=invitation)

    response = client.get(path)

    assert response.status_code == 404
    body = response.content.decode()
    assert "This link is not active" in body
    assert "thank you" in body
    assert "<script>" not in body


def dead_link_page(response) -> tuple[int, str]:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body


def submitted(browser, invitation, assessment) -> None:
    start(browser, invitation)
    answer_everything(browser, assessment)
    assert browser.post("/survey/submit/").url == "/survey/thanks/"


def test_unknown_revoked_used_and_expired_links_give_a_fresh_browser_the_same_page(
    network, instruments
):
    assessment = open_assessment(network, instruments, members=3)
    used, revoked, _ = invite_all(assessment)
    submitted(Client(), used, assessment)
    services.invitation_revoke(invitation=revoked)
    past = open_assessment(
        network,
        instruments,
        members=0,
        opens_on=timezone.localdate() - timedelta(days=30),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    expired = invite_all(past)[0]  # the same members, asked in a round now past
    links = {
        "unknown": "/s/" + "A" * 43 + "/",
        "revoked": link_path(revoked),
        "used": link_path(used),
        "expired": link_path(expired),
    }

    pages = {case: dead_link_page(Client().get(path)) for case, path in links.items()}

    assert pages["unknown"][0] == 404
    assert "This link is not active" in pages["unknown"][1]
    for case, page in pages.items():
        assert page == pages["unknown"], f"a {case} link looks different from an unknown one"


def test_a_second_browser_that_opened_the_link_before_she_submitted_is_turned_away_after(
    network, instruments
):
    """Her other device, or anyone who opened her link just as she submitted: from then
    on it gets the unknown link's page, not her thank-you page (S3, S5)."""
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    other = Client()
    assert other.get(link_path(invitation)).url == "/survey/"

    submitted(Client(), invitation, assessment)

    unknown = dead_link_page(Client().get("/s/" + "A" * 43 + "/"))
    for path in ("/survey/", "/survey/thanks/", "/survey/review/"):
        assert dead_link_page(other.get(path)) == unknown, path
    assert dead_link_page(other.get(link_path(invitation))) == unknown


def test_the_member_who_just_submitted_reloads_and_clicks_twice_and_sees_her_thanks(
    client, invitation, assessment
):
    submitted(client, invitation, assessment)

    again = client.post("/survey/submit/")  # a double click, or a replayed request
    thanks = client.get("/survey/thanks/")

    assert again.url == "/survey/thanks/"
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    assert client.get("/survey/").url == "/survey/thanks/"
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1


def test_resend_kills_the_old_link(client, invitation):
    old = link_path(invitation)
    services.invitation_resend(invitation=invitation)

    assert client.get(old).status_code == 404
    assert client.get(link_path(invitation)).status_code == 302


def test_guessing_links_is_throttled_but_real_links_from_elsewhere_still_work(invitation):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [guesser.get(f"/s/{'B' * 42}{i % 10}/").status_code for i in range(12)]

    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]
    assert guesser.get(link_path(invitation)).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.7").get(link_path(invitation)).status_code == 302


PROXY = "10.0.0.5"  # the TLS proxy the README puts in front: every request comes from it


def test_member_link_still_works_while_another_address_guesses_behind_proxy(settings, invitation):
    settings.TRUSTED_PROXIES = 1
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    member = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    statuses = [guesser.get(f"/s/{'B' * 42}{i % 10}/").status_code for i in range(11)]

    assert statuses == [404] * 10 + [429]
    assert member.get(link_path(invitation)).status_code == 302
    # An unknown link from the member's address is a miss of hers, not a 429.
    assert member.get("/s/" + "C" * 43 + "/").status_code == 404
    # The guesser is stopped whatever they open, their own address's links included.
    assert guesser.get(link_path(invitation)).status_code == 429


def test_guesser_forging_forwarded_addresses_is_stopped_when_no_proxy_is_trusted(
    settings, invitation
):
    settings.TRUSTED_PROXIES = 0
    statuses = [
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        .get(f"/s/{'B' * 42}{i % 10}/")
        .status_code
        for i in range(11)
    ]

    assert statuses == [404] * 10 + [429]


def test_no_log_line_holds_a_token(client, invitation, caplog):
    caplog.set_level(logging.DEBUG)
    token = link_path(invitation).split("/")[2]

    client.get(link_path(invitation))
    client.get("/s/" + "C" * 43 + "/")
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', link_path(invitation))

    from surveys.log_filters import RedactTokens

    redactor = RedactTokens()
    for record in caplog.records:
        redactor.filter(record)
        assert token not in record.getMessage()


# ---- answering --------------------------------------------------------------------


def test_member_answers_a_page_and_dont_know_is_stored_as_no_value(client, invitation, assessment):
    start(client, invitation)
    page = pages_of(assessment)[1]  # the first page of statements
    data = full_answers(page)
    first, second = page.questions[0].code, page.questions[1].code
    data[first] = "dk"
    data[second] = "2"

    response = client.post(f"/survey/page/{page.key}/", {**data, "nav": "next"})

    assert response.status_code == 302
    stored = dict(Answer.objects.values_list("item", "value"))
    assert stored[first] is None
    assert stored[second] == 2
    assert len(stored) == len(page.questions)


def test_tampered_values_and_unknown_codes_are_not_stored(client, invitation, assessment):
    start(client, invitation)
    page = pages_of(assessment)[1]
    code = page.questions[0].code

    response = client.post(
        f"/survey/page/{page.key}/", {code: "7", "ZZ99": "5", "P99": "1", "nav": "next"}
    )

    assert response.status_code == 400
    assert "choose one of the options" in response.content.decode()
    assert not Answer.objects.exists()


def test_missing_answers_are_summarised_and_linked_to_the_question(client, invitation, assessment):
    start(client, invitation)
    page = pages_of(assessment)[1]
    data = full_answers(page)
    missing = page.questions[-1].code
    del data[missing]

    response = client.post(f"/survey/page/{page.key}/", {**data, "nav": "next"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert f'href="#q-{missing}"' in body
    assert Answer.objects.count() == len(page.questions) - 1  # nothing typed is lost
    assert "checked" in body


def test_back_saves_without_asking_for_missing_answers(client, invitation, assessment):
    start(client, invitation)
    pages = pages_of(assessment)
    code = pages[2].questions[0].code

    response = client.post(f"/survey/page/{pages[2].key}/", {code: "5", "nav": "back"})

    assert response.url == f"/survey/page/{pages[1].key}/"
    assert Answer.objects.get(item=code).value == 5


def test_autosave_stores_each_answer_as_the_member_goes(client, invitation, assessment):
    start(client, invitation)
    page = pages_of(assessment)[1]
    code = page.questions[0].code

    response = client.post(f"/survey/page/{page.key}/", {code: "3"}, HTTP_X_BACKGROUND_SAVE="1")

    assert response.status_code == 200
    assert response.json() == {"saved": True, "errors": {}}
    assert Answer.objects.get(item=code).value == 3


def test_member_resumes_on_another_device_where_they_left_off(client, invitation, assessment):
    start(client, invitation)
    pages = pages_of(assessment)
    client.post(f"/survey/page/{pages[0].key}/", {**full_answers(pages[0]), "nav": "next"})
    client.post(
        f"/survey/page/{pages[1].key}/",
        {pages[1].questions[0].code: "2"},
        HTTP_X_BACKGROUND_SAVE="1",
    )

    phone = Client()
    phone.get(link_path(invitation))
    welcome = phone.get("/survey/").content.decode()
    assert "Carry on where you left off" in welcome
    resumed = phone.post("/survey/")

    assert resumed.url == f"/survey/page/{pages[1].key}/"
    body = phone.get(resumed.url).content.decode()
    assert f'id="f-{pages[1].questions[0].code}-2" value="2" checked' in body


def test_profile_comments_and_matrix_are_saved(client, invitation, assessment):
    start(client, invitation)
    answer_everything(client, assessment)

    response = Response.objects.get()
    assert set(response.profile) == {"tenure", "frequency", "network_role"}
    assert TextAnswer.objects.count() == 3
    assert MatrixRating.objects.count() == 8
    assert set(MatrixRating.objects.values_list("current", "target")) == {(3, 4)}
    assert response.stakeholder_group == invitation.member.group.name


def test_matrix_level_out_of_range_is_refused(client, invitation, assessment):
    start(client, invitation)
    page = next(p for p in pages_of(assessment) if p.key.startswith("matrix-"))
    code = page.questions[0].code

    response = client.post(f"/survey/page/{page.key}/", {f"{code}.current": "9", "nav": "next"})

    assert response.status_code == 400
    assert not MatrixRating.objects.exists()


def test_post_without_csrf_token_is_refused(invitation):
    browser = Client(enforce_csrf_checks=True)
    browser.get(link_path(invitation))

    assert browser.post("/survey/").status_code == 403


# ---- submitting -------------------------------------------------------------------


def test_incomplete_survey_cannot_be_submitted(client, invitation, assessment):
    start(client, invitation)

    response = client.post("/survey/submit/", follow=True)

    assert "Some questions still need an answer" in response.content.decode()
    assert Response.objects.get().submitted_at is None


def test_replayed_submit_stores_exactly_one_response(
    client, invitation, assessment, django_capture_on_commit_callbacks
):
    received = []

    def receiver(**kwargs):
        received.append(kwargs["response_id"])

    response_submitted.connect(receiver)
    try:
        start(client, invitation)
        answer_everything(client, assessment)
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post("/survey/submit/")
            submitted_at = Response.objects.get().submitted_at
            second = client.post("/survey/submit/")
    finally:
        response_submitted.disconnect(receiver)

    assert first.url == second.url == "/survey/thanks/"
    assert Response.objects.count() == 1
    assert Response.objects.get().submitted_at == submitted_at
    assert len(received) == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.COMPLETED


def test_after_submit_the_session_shows_thanks_and_the_link_is_spent(
    client, invitation, assessment
):
    start(client, invitation)
    answer_everything(client, assessment)
    client.post("/survey/submit/")

    page = pages_of(assessment)[1]
    assert client.get(f"/survey/page/{page.key}/").url == "/survey/thanks/"
    thanks = client.get("/survey/thanks/").content.decode()
    assert "Thank you" in thanks and "share a summary of the results with members" in thanks
    late_edit = client.post(f"/survey/page/{page.key}/", {page.questions[0].code: "1"})
    assert late_edit.url == "/survey/thanks/"
    assert Answer.objects.get(item=page.questions[0].code).value == 4
    assert Client().get(link_path(invitation)).status_code == 404


def test_closing_the_assessment_stops_a_member_midway(client, invitation, assessment):
    start(client, invitation)
    page = pages_of(assessment)[1]
    services.assessment_close(assessment=assessment)

    response = client.post(f"/survey/page/{page.key}/", {page.questions[0].code: "5"})

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_member_opts_out_of_the_round(client, invitation):
    client.get(link_path(invitation))

    client.post("/survey/opt-out/")

    invitation.refresh_from_db()
    assert invitation.status == Invitation.OPTED_OUT
    assert client.get("/survey/").status_code == 404


def test_expired_round_link_is_dead_even_before_closing_is_recorded(client, assessment, invitation):
    assessment.opens_on = timezone.localdate() - timedelta(days=30)
    assessment.closes_on = timezone.localdate() - timedelta(days=1)
    assessment.save()

    assert client.get(link_path(invitation)).status_code == 404


def test_survey_page_queries_do_not_grow_with_the_page(
    client, invitation, assessment, django_assert_max_num_queries
):
    start(client, invitation)
    pages = pages_of(assessment)
    short, long = pages[0], max(pages, key=lambda p: len(p.questions))
    for page in (short, long):
        with django_assert_max_num_queries(6):
            client.get(f"/survey/page/{page.key}/")
        with django_assert_max_num_queries(6):
            client.post(f"/survey/page/{page.key}/", {**full_answers(page), "nav": "next"})


def test_saving_a_page_of_twelve_answers_writes_them_in_one_statement(
    client, network, v1_instruments, django_assert_num_queries
):
    """A member's page save (quality P2): the invitation and the round's own questions
    are read, the answers written in one upsert and the member's place kept, in one
    transaction (BEGIN and COMMIT in production, a savepoint inside a test's own).
    Version 1's first statements page is the longest page any shipped version has."""
    assessment = open_assessment(network, v1_instruments)
    invitation = invite_all(assessment)[0]
    start(client, invitation)
    page = pages_of(assessment)[1]
    url = f"/survey/page/{page.key}/"
    assert len(page.questions) == 12

    with django_assert_num_queries(6) as autosave:
        saved = client.post(url, full_answers(page), HTTP_X_BACKGROUND_SAVE="1")
    with django_assert_num_queries(6):
        moved_on = client.post(url, {**full_answers(page, "dk"), "nav": "next"})

    assert saved.json() == {"saved": True, "errors": {}} and moved_on.status_code == 302
    writes = [q["sql"] for q in autosave.captured_queries if q["sql"].startswith(("INSERT", "UP"))]
    assert [sql.split('"')[1] for sql in writes] == ["surveys_answer", "surveys_response"]
    assert dict(Answer.objects.values_list("item", "value")) == dict.fromkeys(
        (q.code for q in page.questions), None
    )
    assert Response.objects.get().current_page == page.key


def test_a_page_saved_again_without_an_answer_keeps_the_one_saved_before(
    client, invitation, assessment
):
    start(client, invitation)
    statements = pages_of(assessment)[1]
    comments = next(p for p in pages_of(assessment) if p.key == "comments")
    first = statements.questions[0].code
    client.post(f"/survey/page/{statements.key}/", full_answers(statements, "2"))
    client.post(f"/survey/page/{comments.key}/", full_answers(comments))
    without_first = {k: v for k, v in full_answers(statements, "dk").items() if k != first}

    client.post(f"/survey/page/{statements.key}/", without_first, HTTP_X_BACKGROUND_SAVE="1")
    client.post(
        f"/survey/page/{comments.key}/",
        dict.fromkeys(full_answers(comments), ""),
        HTTP_X_BACKGROUND_SAVE="1",
    )

    stored = dict(Answer.objects.values_list("item", "value"))
    assert stored[first] == 2
    assert [stored[q.code] for q in statements.questions[1:]] == [None] * (
        len(statements.questions) - 1
    )
    assert TextAnswer.objects.count() == len(comments.questions)


def test_hostile_comment_is_stored_as_text_and_shown_escaped(client, invitation, assessment):
    start(client, invitation)
    page = next(p for p in pages_of(assessment) if p.key == "comments")
    hostile = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>"

    client.post(
        f"/survey/page/{page.key}/", {page.questions[0].code: hostile}, HTTP_X_BACKGROUND_SAVE="1"
    )
    body = client.get(f"/survey/page/{page.key}/").content.decode()

    assert TextAnswer.objects.get().text == hostile
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
