"""Hostile input and a curious coordinator (quality S4, S9, T1).

Every URL pattern is tried with SQL-ish and hostile strings in every query parameter the
views read; a coordinator and a leader walk every address of their own network looking
for one member's answers; and the member's link and session are checked for the ways a
token could leak or outlive a resend."""

import csv
import io
import logging
import re
from datetime import timedelta

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, StringConverter
from django.utils import timezone
from openpyxl import load_workbook

from meetings import services as meeting_services
from meetings.models import MatrixSession
from scorecards import services as scorecard_services
from scorecards.access import new_share_token, share_token_hash
from scorecards.models import MemberSummary, ShareLink, Snapshot
from scorecards.summaries import summary_token
from surveys import services, tokens
from surveys.log_filters import RedactTokens, redact
from surveys.models import Answer, Invitation, MatrixRating, Member, Response, TextAnswer
from surveys.services.erasure import erasure_url
from surveys.services.invitations import unsubscribe_url
from tests.factories import InvitationFactory, MemberFactory, UserFactory
from tests.meetings.helpers import matrix_assessment, running
from tests.surveys.survey_helpers import (
    answer_everything,
    full_answers,
    invite_all,
    link_path,
    open_assessment,
    pages_of,
    start,
)
from tests.test_access import (
    PUBLIC,
    SCOPED,
    _assessment_objects,
    _meeting_objects,
    _share_link,
    project_patterns,
    url_for,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    "' OR 1=1 --",
    "1; DROP TABLE surveys_member;--",
    "%27%22",
    "../../etc/passwd",
    SCRIPT,
    "A" * 5000,
    "ÿ😀",
    "²",  # str.isdigit() says yes, int() says no
    "9" * 30,  # digits, but far past any integer column
]
PARAMETERS = ("q", "group", "page", "by", "question", "status", "d", "assessment")
# 401: allauth's page for a single sign-on that failed
SAFE_STATUSES = {200, 302, 400, 401, 403, 404, 405}


def hostile_query(value: str) -> dict:
    return dict.fromkeys(PARAMETERS, value)


def body_text(response) -> str:
    return response.content.decode("utf-8", errors="replace")


# ---- 1. hostile strings in every parameter -----------------------------------------


@pytest.fixture
def sample_objects(network, leader, instruments):
    """One object of the owner's network for every keyword a scoped address takes, and
    members enough that a dropped table would show."""
    for _ in range(3):
        MemberFactory(network=network)
    member = MemberFactory(network=network)
    invitation = InvitationFactory(
        assessment=open_assessment(network, instruments, members=0), member=member
    )
    return {
        "network_id": network.pk,
        "member_id": member.pk,
        "group_id": member.group.pk,
        "role_id": network.roles.get(role="leader").pk,
        **_assessment_objects(invitation),
        **_meeting_objects(network, instruments),
        "link_id": _share_link(network),
    }


PUBLIC_PATTERNS = sorted((n, k) for n, k in project_patterns() if n in PUBLIC)
# Path keywords of the public addresses: hostile where the converter takes any text.
PUBLIC_KWARGS = {
    "token": "' OR 1=1 --",
    "code": "health-scorecard",  # an instrument's, and a (wrong) meeting code
    "key": "1-OR-1--",
    "uidb36": "1",
    "provider_id": "' OR 1=1 --",
    "pk": 1,
    "signed": "1; DROP TABLE surveys_member;--",
    "page_key": "profile",
    "version": 1,
    "summary_id": 1,  # a members' summary this session was never given
}


def assert_survives(response, url: str) -> None:
    assert response.status_code in SAFE_STATUSES, (url, response.status_code)
    if not response.streaming:
        assert SCRIPT not in body_text(response), f"{url} reflects the script unescaped"


@pytest.mark.parametrize("name,kwargs", SCOPED, ids=[name for name, _ in SCOPED])
def test_coordinator_sending_sql_and_script_in_every_parameter_gets_no_error_and_no_script(
    client, owner, sample_objects, name, kwargs
):
    client.force_login(owner)
    url = url_for(name, kwargs, sample_objects)
    members = Member.objects.count()

    for value in HOSTILE:
        assert_survives(client.get(url, hostile_query(value)), url)

    assert Member.objects.count() == members


@pytest.mark.parametrize("name,kwargs", PUBLIC_PATTERNS, ids=[n for n, _ in PUBLIC_PATTERNS])
def test_public_addresses_with_hostile_parameters_answer_without_an_error(
    client, owner, instruments, name, kwargs
):
    MemberFactory.create_batch(2)
    client.force_login(owner)
    url = reverse(name, kwargs={k: PUBLIC_KWARGS[k] for k in kwargs})
    members = Member.objects.count()

    for value in HOSTILE:
        assert_survives(client.get(url, hostile_query(value)), url)

    assert Member.objects.count() == members


NUL = "before\x00after"


@pytest.mark.parametrize("name,kwargs", SCOPED, ids=[name for name, _ in SCOPED])
def test_coordinator_sending_a_nul_byte_in_a_parameter_gets_no_server_error(
    client, owner, sample_objects, name, kwargs
):
    """PostgreSQL refuses NUL in text: a search box must not turn that into a 500."""
    client.force_login(owner)
    url = url_for(name, kwargs, sample_objects)

    assert_survives(client.get(url, hostile_query(NUL)), url)


# ---- hostile strings posted to forms -----------------------------------------------


def test_member_posting_hostile_strings_in_every_survey_field_gets_text_stored_or_refused(
    client, network, instruments
):
    assessment = open_assessment(network, instruments, members=2)
    invitation = invite_all(assessment)[0]
    start(client, invitation)
    members = Member.objects.count()

    for page in pages_of(assessment):
        for value in [*HOSTILE, NUL]:
            data = {"nav": "next"}
            for question in page.questions:
                if question.kind == "matrix":
                    data[f"{question.code}.current"] = value
                    data[f"{question.code}.target"] = value
                else:
                    data[question.code] = value
            response = client.post(f"/survey/page/{page.key}/", data)
            assert_survives(response, page.key)
            shown = client.get(f"/survey/page/{page.key}/")
            assert_survives(shown, page.key)

    # Nothing but text was stored from strings that are not options...
    assert not Answer.objects.exists()
    assert not MatrixRating.objects.exists()
    assert Response.objects.get().profile == {}
    # ...and text is kept as typed, whatever it looks like (the last short value wins).
    texts = set(TextAnswer.objects.values_list("text", flat=True))
    assert texts and texts <= {v for v in HOSTILE if len(v) <= 2000} | {"beforeafter"}
    assert Member.objects.count() == members


def member_csv(rows: list[tuple[str, str, str, str]]) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email", "stakeholder group", "organisation"])
    writer.writerows(rows)
    upload = io.BytesIO(buffer.getvalue().encode())
    upload.name = "members.csv"
    return upload


def test_coordinator_importing_a_csv_full_of_hostile_cells_sees_errors_and_nothing_imported(
    client, owner, network
):
    client.force_login(owner)
    url = reverse("member_import", args=[network.pk])
    group = network.groups.first().name
    rows = [(value, value, value, value) for value in HOSTILE]
    rows.append(("Fine Name", "fine@example.org", group, "Fine Org"))
    members = Member.objects.count()

    response = client.post(url, {"file": member_csv(rows)})

    assert_survives(response, url)
    assert response.status_code == 200
    body = body_text(response)
    assert "Nothing was imported" in body
    for line in range(2, 2 + len(HOSTILE)):
        assert f"<tr><td>{line}</td>" in body
    assert Member.objects.count() == members


def test_coordinator_importing_hostile_names_stores_them_as_text_and_shows_them_escaped(
    client, owner, network
):
    client.force_login(owner)
    group = network.groups.first().name
    names = [v[:200] for v in HOSTILE if v.strip()]
    rows = [(name, f"hostile{i}@example.org", group, name) for i, name in enumerate(names)]

    response = client.post(reverse("member_import", args=[network.pk]), {"file": member_csv(rows)})
    assert response.status_code == 302, body_text(response)[:3000]
    confirm = client.get(response.url)
    assert_survives(confirm, response.url)
    assert client.post(response.url).status_code == 302

    stored = set(network.members.values_list("name", flat=True))
    assert set(names) <= stored
    listing = client.get(reverse("member_list", args=[network.pk]))
    assert_survives(listing, "member_list")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body_text(listing)


def test_coordinator_importing_a_csv_with_a_nul_byte_gets_an_error_not_a_crash(
    client, owner, network
):
    client.force_login(owner)
    group = network.groups.first().name
    url = reverse("member_import", args=[network.pk])

    members = Member.objects.count()

    response = client.post(url, {"file": member_csv([(NUL, "nul@example.org", group, NUL)])})

    assert response.status_code == 200
    assert "not UTF-8 text" in body_text(response)
    assert Member.objects.count() == members


def test_coordinator_inviting_a_hostile_address_to_the_team_is_refused_with_a_message(
    client, owner, network
):
    client.force_login(owner)
    url = reverse("team", args=[network.pk])
    roles = network.roles.count()

    for value in [*HOSTILE, NUL]:
        for data in (
            {"email": value, "role": "leader"},
            {"email": "ok@example.org", "role": value},
        ):
            response = client.post(url, data)
            assert_survives(response, url)
            assert response.status_code == 200

    assert network.roles.count() == roles


# ---- 2. a coordinator trying every way to see one member's answers (T1) -------------

MARKER = "QZX-marker-5521"
# What each results page reads from its address, so every view a reader can ask for is
# tried, not only the default one.
VARIANTS = {
    "assessment_dashboard": [{"by": by} for by in ("group", "tenure", "network_role")],
    "steering_pack": [{}],
    "invitation_list": [{"status": s} for s, _ in Invitation.STATUS_CHOICES],
}


def answer_as(client, assessment, *, value: str, text: str, level: str, choice: int):
    """Every page answered: statements with `value`, every free-text box with `text`,
    the matrix at `level`, and the `choice`-th option of each profile question."""
    for page in pages_of(assessment):
        data = full_answers(page, value)
        for question in page.questions:
            if question.kind == "text":
                data[question.code] = f"{text} {question.code}"
            elif question.kind == "choice":
                data[question.code] = question.options[choice][0]
            elif question.kind == "matrix":
                data[f"{question.code}.current"] = data[f"{question.code}.target"] = level
        response = client.post(f"/survey/page/{page.key}/", {**data, "nav": "next"})
        assert response.status_code == 302, (page.key, body_text(response)[:2000])


@pytest.fixture
def small_round(network, leader, instruments):
    """Four of six members have answered (threshold five): one of them, alone in their
    group, wrote the marker in every free-text box and gave unusual numbers."""
    assessment = open_assessment(network, instruments, members=5, anonymity_threshold=5)
    services.custom_question_add(assessment=assessment, kind="text", text="One wish?")
    services.custom_question_add(assessment=assessment, kind="agreement", text="We meet.")
    lonely = network.groups.create(name="Commissioners", position=90)
    marked = MemberFactory(network=network, group=lonely, name="Mara Marked")
    invitations = {i.member_id: i for i in invite_all(assessment)}
    others = [i for m, i in invitations.items() if m != marked.pk]
    for invitation in others[:3]:
        client = Client()
        start(client, invitation)
        answer_everything(client, assessment, value="4")
        assert client.post("/survey/submit/").url == "/survey/thanks/"
    member = Client()
    start(member, invitations[marked.pk])
    answer_as(member, assessment, value="1", text=MARKER, level="1", choice=-1)
    assert member.post("/survey/submit/").url == "/survey/thanks/"
    scorecard_services.snapshot_compute(assessment_id=assessment.pk)
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Matrix meeting", held_on=assessment.closes_on, tables=["A"]
    )
    meeting_services.matrix_session_start(session=meeting)
    action = meeting_services.action_add(
        session=meeting, what="Agree a purpose", who="Sam", due_on=assessment.closes_on
    )
    invitation = invitations[marked.pk]
    return {
        "assessment": assessment,
        "marked": marked,
        "ids": {
            "network_id": network.pk,
            "member_id": marked.pk,
            "group_id": lonely.pk,
            "role_id": network.roles.get(role="leader").pk,
            "assessment_id": assessment.pk,
            "invitation_id": invitation.pk,
            "question_id": assessment.custom_questions.get(kind="text").pk,
            "meeting_id": meeting.pk,
            "table_id": meeting.tables.get().pk,
            "action_id": action.pk,
            "link_id": _share_link(network),
        },
    }


def readable(response) -> str:
    """What a reader gets from a response: the text of a page or CSV, the cells of a
    spreadsheet."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            "\t".join("" if c is None else str(c) for c in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body_text(response)


def everything_a_reader_can_get(client, ids, assessment) -> dict[str, str]:
    """GET every scoped address of the network, with every variant its view reads, and
    the comments page for every question that has free text."""
    # Opening a dimension on the facilitator's screen moves the room on: start each walk
    # from the same dimension.
    MatrixSession.objects.filter(pk=ids["meeting_id"]).update(
        current_dimension=_dimensions(assessment)[0]
    )
    seen = {}
    comment_codes = [q.code for p in pages_of(assessment) for q in p.questions if q.kind == "text"]
    variants = {
        **VARIANTS,
        "assessment_comments": [{}, *({"question": c} for c in comment_codes)],
        "meeting_run": [{}, *({"d": d} for d in _dimensions(assessment))],
        "meeting_live": [{}, *({"d": d} for d in _dimensions(assessment))],
    }
    for name, kwargs in SCOPED:
        url = url_for(name, kwargs, ids)
        for query in variants.get(name, [{}]):
            response = client.get(url, query)
            assert response.status_code in (200, 302, 403, 404, 405), (url, query)
            seen[f"{url}?{query}"] = readable(response)
    return seen


def _dimensions(assessment) -> list[str]:
    return [d["code"] for d in assessment.matrix.definition["dimensions"]]


@pytest.mark.parametrize("person", ["coordinator", "leader"])
def test_coordinator_and_leader_walking_every_address_never_see_one_members_answers(
    client, owner, leader, small_round, person
):
    client.force_login(owner if person == "coordinator" else leader)
    assessment, ids = small_round["assessment"], small_round["ids"]

    before = everything_a_reader_can_get(client, ids, assessment)

    assert len(before) > len(SCOPED)
    leaks = [address for address, text in before.items() if MARKER in text]
    assert not leaks, f"the marker shows at {leaks}"

    # The same walk after the member's numbers and choices change: no page may differ,
    # or it told the reader something about what this one member answered.
    response = Response.objects.get(invitation__member=small_round["marked"])
    Answer.objects.filter(response=response).update(value=5)
    MatrixRating.objects.filter(response=response).update(current=5, target=5)
    profile = dict.fromkeys(response.profile, "__changed__")
    Response.objects.filter(pk=response.pk).update(profile=profile)
    Snapshot.objects.filter(assessment=assessment).delete()
    scorecard_services.snapshot_compute(assessment_id=assessment.pk)

    after = everything_a_reader_can_get(client, ids, assessment)

    changed = [
        a
        for a in before
        if normalised(before[a]) != normalised(after[a]) and not records_the_walk(a, ids)
    ]
    assert not changed, f"pages that depend on one member's answers: {changed}"


# The audit trail and a member's subject access export list what the walk itself did
# (its downloads are recorded), so they grow from one walk to the next; the marker check
# above shows they never hold an answer.
RECORDS_THE_WALK = ("network_audit", "network_audit_csv", "member_data")


def records_the_walk(address: str, ids: dict) -> bool:
    return any(
        address.startswith(url_for(name, kwargs, ids) + "?")
        for name, kwargs in SCOPED
        if name in RECORDS_THE_WALK
    )


def normalised(text: str) -> str:
    """Drop what changes on every request: CSRF tokens and the snapshot's times."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"\d{1,2}:\d{2}(:\d{2})?", "hh:mm", text)


def test_coordinator_who_is_not_staff_cannot_open_the_admin(client, owner, small_round):
    client.force_login(owner)
    scorecard = Snapshot.objects.get(assessment=small_round["assessment"])

    assert not owner.is_staff and not owner.is_superuser
    for path in (
        "/admin/",
        "/admin/surveys/member/",
        "/admin/surveys/network/",
        "/admin/scorecards/scorecard/",
        f"/admin/scorecards/scorecard/{scorecard.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/admin/login/"), path
        assert MARKER not in body_text(client.get(path, follow=True))


def test_someone_guessing_passwords_at_the_admins_sign_in_gets_429_after_the_limit(client, owner):
    """The admin's sign-in is the app's (allauth's), so it has the app's limit."""
    sign_in = client.get("/admin/login/?next=/admin/")
    assert sign_in.status_code == 302
    assert sign_in.url == reverse("account_login") + "?next=%2Fadmin%2F"
    statuses = [
        client.post(sign_in.url, {"login": owner.email, "password": f"guess{i}"}) for i in range(11)
    ]

    assert [r.status_code for r in statuses] == [200] * 10 + [429]
    assert statuses[-1]["Retry-After"] == "60"
    assert client.get(sign_in.url).status_code == 200  # only attempts count


def test_the_admins_sign_in_and_the_apps_share_one_budget_per_address(client, owner):
    for i in range(5):
        client.post(reverse("account_login"), {"login": owner.email, "password": f"guess{i}"})
    admin = [
        client.post(
            client.get("/admin/login/").url, {"login": owner.email, "password": f"again{i}"}
        )
        for i in range(6)
    ]

    assert [r.status_code for r in admin] == [200] * 5 + [429]
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(reverse("account_login") + "?next=/admin/", {}).status_code == 200


@pytest.fixture
def started(network, instruments):
    """A member halfway through, with the marker in a comment they have typed."""
    assessment = open_assessment(network, instruments, members=2)
    invitation = invite_all(assessment)[0]
    member = Client()
    start(member, invitation)
    comments = next(p for p in pages_of(assessment) if p.key == "comments")
    member.post(
        f"/survey/page/{comments.key}/",
        {comments.questions[0].code: MARKER},
        HTTP_X_BACKGROUND_SAVE="1",
    )
    assert TextAnswer.objects.get().text == MARKER
    return {"assessment": assessment, "invitation": invitation, "member": member}


def invitation_url(name, invitation) -> str:
    assessment = invitation.assessment
    return reverse(name, args=[assessment.network_id, assessment.pk, invitation.pk])


def test_coordinator_cannot_copy_the_link_of_a_member_who_has_started(client, owner, started):
    invitation = started["invitation"]
    client.force_login(owner)

    response = client.post(invitation_url("invitation_copy_link", invitation), follow=True)

    body = body_text(response)
    assert "link is private to them" in body
    assert "/s/" not in body and MARKER not in body
    invitation.refresh_from_db()
    assert invitation.link_copied_at is None


def test_coordinator_cannot_copy_a_started_members_link_after_resending_it(client, owner, started):
    """Resend emails the member a new link; it must not make their link copyable, or
    the coordinator could open it and read the answers typed so far."""
    invitation = started["invitation"]
    client.force_login(owner)
    client.post(invitation_url("invitation_resend", invitation))
    invitation.refresh_from_db()
    assert invitation.status in (Invitation.SENT, Invitation.QUEUED)  # the new email went

    response = client.post(invitation_url("invitation_copy_link", invitation), follow=True)

    body = body_text(response)
    assert "/s/" not in body
    assert "link is private to them" in body
    invitation.refresh_from_db()
    assert invitation.link_copied_at is None


def test_resend_kills_the_old_link_and_the_browsers_that_opened_it(client, owner, started):
    """A leaked link (a forwarded email, a shared screen) is what resend is for: after
    it, neither the old link nor a session opened with it reads the answers."""
    invitation, member = started["invitation"], started["member"]
    old = link_path(invitation)
    client.force_login(owner)

    client.post(invitation_url("invitation_resend", invitation))

    assert Client().get(old).status_code == 404
    comments = next(p for p in pages_of(started["assessment"]) if p.key == "comments")
    for path in ("/survey/", f"/survey/page/{comments.key}/", "/survey/review/"):
        response = member.get(path)
        assert response.status_code == 404, path
        assert MARKER not in body_text(response)
    invitation.refresh_from_db()
    fresh = Client()
    assert fresh.get(link_path(invitation)).url == "/survey/"
    assert "Carry on where you left off" in body_text(fresh.get("/survey/"))
    assert MARKER in body_text(fresh.get(f"/survey/page/{comments.key}/"))


# ---- 3. the token and the session --------------------------------------------------


def test_member_session_cookie_is_httponly_and_the_token_appears_nowhere_after_opening(
    client, network, instruments
):
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    token = link_path(invitation).split("/")[2]

    opened = client.get(link_path(invitation))

    assert opened["Location"] == "/survey/"
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"].lower() in ("lax", "strict")
    assert token not in cookie.value and token not in str(opened.cookies)
    welcome = client.get("/survey/")
    assert token not in body_text(welcome)
    assert all(token not in value for _, value in welcome.items())
    begun = client.post("/survey/")
    assert token not in begun["Location"]
    for page in pages_of(assessment):
        assert token not in body_text(client.get(f"/survey/page/{page.key}/"))
    answer_everything(client, assessment)
    assert token not in body_text(client.get("/survey/review/"))
    assert token not in client.post("/survey/submit/")["Location"]
    assert token not in body_text(client.get("/survey/thanks/"))


def test_link_opened_in_one_browser_then_resent_is_dead_in_a_second_browser(
    client, owner, network, instruments
):
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    old = link_path(invitation)
    assert Client().get(old).url == "/survey/"  # the first browser
    client.force_login(owner)

    client.post(invitation_url("invitation_resend", invitation))

    second = Client()
    response = second.get(old)
    assert response.status_code == 404
    assert "This link is not active" in body_text(response)
    assert second.get("/survey/").status_code == 404


# ---- no token in any log line (quality S4, G4) ----------------------------------------


class RegexGroup(StringConverter):
    """A named group of a regular-expression pattern (allauth's): text, like `<str:>`."""


def _patterns_with_converters(patterns=None, outer=None):
    """(name, {keyword: converter}) for every named pattern outside the admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        groups = dict.fromkeys(entry.pattern.regex.groupindex, RegexGroup())
        converters = {**(outer or {}), **groups, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _patterns_with_converters(entry.url_patterns, converters)
        elif entry.name:
            yield entry.name, converters


# Text in an address that is no secret: the name of the configured identity provider.
NOT_SECRET = {"provider_id"}


def _sample(keyword: str, converter) -> str:
    if keyword in NOT_SECRET:
        return "organisation"
    if isinstance(converter, RegexGroup):
        return f"SECRET{keyword}0123456789abcdef"  # letters and digits fit every group
    if type(converter) is StringConverter:
        return f"SECRET-{keyword}-0123456789abcdef"  # what a token-carrying part holds
    if isinstance(converter, IntConverter):
        return "7"
    return "page-1"


def test_every_address_with_a_secret_in_its_path_is_redacted_from_logs():
    """Every `<str:...>` part of an address is a token, a code or a signed value; a new
    one fails here until surveys/log_filters.py knows it."""
    carrying = []
    for name, converters in _patterns_with_converters():
        secrets_ = {k: _sample(k, c) for k, c in converters.items()}
        if not any(
            isinstance(c, StringConverter) and k not in NOT_SECRET for k, c in converters.items()
        ):
            continue
        path = reverse(name, kwargs=secrets_)
        carrying.append(name)
        for line in (path, f'"GET {path} HTTP/1.1" 404 179', f"Not Found: {path}"):
            redacted = redact(line)
            leaked = [v for v in secrets_.values() if v.startswith("SECRET") and v in redacted]
            assert not leaked, f"{name}: {redacted}"
    assert {"survey_link", "shared_open", "member_summary_open", "meeting_join"} <= set(carrying)
    assert {"unsubscribe", "account_confirm_email", "account_reset_password_from_key"} <= set(
        carrying
    )
    assert "member_erase_by_link" in carrying


def _configured_handlers():
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            # pytest's own capture, the run-wide log scan's sinks (tests/log_scan.py)
            # and NullHandlers write nothing anywhere
            if not type(handler).__module__.startswith(("_pytest", "tests.")) and not isinstance(
                handler, logging.NullHandler
            ):
                yield logger, handler


def test_every_log_handler_redacts_tokens():
    handlers = list(_configured_handlers())
    names = {logger.name for logger, _ in handlers}

    assert {"root", "django", "django.server"} <= names
    for logger, handler in handlers:
        assert any(isinstance(f, RedactTokens) for f in handler.filters), (
            f"{handler} on {logger.name} does not redact tokens"
        )


@pytest.fixture
def written_lines(caplog):
    """Every line the configured handlers would write, after their own filters, with
    every logger (and the capture) at DEBUG."""
    caplog.set_level(logging.DEBUG)
    lines: list[str] = []
    levels = {}
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            levels[logger] = logger.level
            logger.setLevel(logging.DEBUG)
    emits = {}
    for _, handler in _configured_handlers():
        emits[handler] = handler.emit
        handler.emit = lambda record, handler=handler: lines.append(handler.format(record))
    yield lines
    for handler, emit in emits.items():
        handler.emit = emit
    for logger, level in levels.items():
        logger.setLevel(level)


@pytest.fixture
def token_addresses(network, owner, instruments):
    """Each kind of token-carrying address: (what it is, its path, the secret in it),
    live ones and unknown ones."""
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    share_token = new_share_token()
    ShareLink.objects.create(
        network=network,
        label="Steering group",
        token_hash=share_token_hash(share_token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    summary = MemberSummary.objects.create(assessment=assessment, token_salt=tokens.new_salt())
    summary.token_hash = tokens.token_hash(summary_token(summary))
    summary.save(update_fields=["token_hash"])
    meeting = running(matrix_assessment(network, instruments, title="Spring round"))
    signed = unsubscribe_url(invitation.member).split("/")[-2]
    erase = erasure_url(invitation.member).split("/")[-2]
    newcomer = UserFactory(confirmed=False)
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True)
    confirm = EmailConfirmationHMAC(address).key
    uid = user_pk_to_url_str(owner)
    reset = EmailAwarePasswordResetTokenGenerator().make_token(owner)
    unknown = "Z" * 43
    member = link_path(invitation).split("/")[2]
    return [
        ("member link", f"/s/{member}/", member),
        ("unknown member link", f"/s/{unknown}/", unknown),
        ("share link", f"/shared/{share_token}/", share_token),
        ("unknown share link", "/shared/Q" + "q" * 31 + "/", "Q" + "q" * 31),
        ("summary link", f"/summary/{summary_token(summary)}/", summary_token(summary)),
        ("unknown summary link", "/summary/" + "Y" * 43 + "/", "Y" * 43),
        ("meeting code", f"/m/{meeting.code}/", meeting.code),
        ("meeting state", f"/m/{meeting.code}/state/", meeting.code),
        ("unknown meeting code", "/m/QQ7QQ7/", "QQ7QQ7"),
        ("unsubscribe link", f"/unsubscribe/{signed}/", signed),
        ("unknown unsubscribe link", "/unsubscribe/MQ:forged:signature/", "forged:signature"),
        ("erasure link", f"/erase/{erase}/", erase),
        ("unknown erasure link", "/erase/MQ:forged:erasure/", "forged:erasure"),
        ("address confirmation", f"/accounts/confirm-email/{confirm}/", confirm),
        ("unknown address confirmation", f"/accounts/confirm-email/x{confirm}/", confirm),
        ("password reset", f"/accounts/password/reset/key/{uid}-{reset}/", reset),
        ("unknown password reset", f"/accounts/password/reset/key/{uid}-bad{reset}/", reset),
        (
            "the identity provider's answer",
            f"/accounts/oidc/organisation/login/callback/?code=SECRETCODE{unknown}&state=st",
            f"SECRETCODE{unknown}",
        ),
    ]


def test_no_log_line_holds_a_token_whether_the_address_works_fails_or_is_rate_limited(
    token_addresses, written_lines
):
    statuses = set()
    server = logging.getLogger("django.server")
    for _, path, _secret in token_addresses:
        cache.clear()  # each address from a fresh budget, so each is seen working and failing
        for _ in range(31):  # past every limit: 10 misses, or 30 opens a minute
            response = Client().get(path)
            statuses.add(response.status_code)
            # what runserver writes for each request (Django's test client runs none)
            server.info('"%s" %s %s', f"GET {path} HTTP/1.1", response.status_code, 0)
            if response.status_code == 429:
                break
        if path.startswith("/unsubscribe/"):
            statuses.add(Client().post(path).status_code)
        try:
            raise ValueError(f"a view failed on {path}")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: %s", path)

    assert {200, 302, 404, 429} <= statuses, statuses
    assert any("Not Found: /shared/[redacted]/" in line for line in written_lines)
    assert any("Too Many Requests: /s/[redacted]/" in line for line in written_lines)
    for what, _, secret in token_addresses:
        leaks = [line for line in written_lines if secret in line]
        assert not leaks, f"the {what} is in the log: {leaks[0]}"


def test_the_run_wide_log_scan_sees_what_the_handlers_write_and_catches_a_token():
    """The scan at the end of every run (tests/log_scan.py) sits beside each configured
    handler; a handler without the redacting filter would be caught."""
    from tests import log_scan

    assert log_scan.SINKS, "no sink beside the configured handlers"
    logging.getLogger("netassess.test").warning("GET /shared/abcdefghijklmnop/ 404")
    assert not log_scan.leaks()
    bare = log_scan.Sink(logging.StreamHandler())
    bare.handle(logging.makeLogRecord({"msg": "GET /s/abcdefghijklmnop/ 302"}))
    assert log_scan.leaks([bare]) == ["GET /s/abcdefghijklmnop/ 302"]
