"""The audit trail (quality G2, docs/security.md): every kind of event is recorded by
the real action, with who, when and from which address; the network's coordinators
read it and export it, leaders and outsiders cannot; it holds no token, answer or text
a member typed, and nothing in the app can change or delete it."""

import csv
import io
import re
from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from surveys import services, tasks
from surveys.models import Event, Member, NetworkRole
from surveys.models.events import AppendOnly
from surveys.selectors import audit_events
from tests.factories import AssessmentFactory, NetworkFactory, UserFactory
from tests.surveys.survey_helpers import answer_everything, open_assessment
from tests.test_security import member_csv

pytestmark = pytest.mark.django_db

ADDRESS = "127.0.0.1"
COMMENT = "Only-the-member-wrote-this comment"


def kinds_of(network) -> set[str]:
    return set(audit_events(network).values_list("kind", flat=True))


def last(kind: str) -> Event:
    return Event.objects.filter(kind=kind).order_by("-pk").first()


def member_client(path: str) -> Client:
    member = Client()
    member.get(path)
    return member


def link_to(email_message) -> str:
    return re.search(r"/s/[\w-]+/", email_message.body).group(0)


@pytest.fixture
def journey(
    client, owner, password, network, instruments, settings, django_capture_on_commit_callbacks
):
    """A coordinator does everything the trail records, through the pages; members
    answer, one unsubscribes, one opens a copied link; the worker releases and, the
    clock moved on, warns and deletes."""
    run = django_capture_on_commit_callbacks
    group = network.groups.first()
    N = network.pk

    def post(name, *args, data=None, **kwargs):
        with run(execute=True):
            return client.post(reverse(name, args=[N, *args]), data or {}, **kwargs)

    # signing in
    client.post(reverse("account_login"), {"login": owner.email, "password": "wrong"})
    client.post(reverse("account_login"), {"login": owner.email, "password": password})
    # the team and the network
    post("team", data={"email": "new.leader@example.org", "role": NetworkRole.LEADER})
    role = network.roles.get(email="new.leader@example.org")
    post("role_remove", role.pk)
    post("network_edit", data={"name": network.name, "retention_months": 36})
    # members
    person = {"name": "Ada Member", "email": "ada@example.org", "group": group.pk}
    post("member_add", data={**person, "organisation": "Old Org"})
    ada = Member.objects.get(email="ada@example.org")
    post("member_edit", ada.pk, data={**person, "organisation": "New Org"})
    post("member_edit", ada.pk, data={**person, "email": "ada.b@example.org"})
    post(
        "member_import",
        data={"file": member_csv([("Bo Import", "bo@example.org", group.name, "")])},
    )
    post("member_import_confirm")
    client.get(reverse("member_export", args=[N]))
    # a round: invited, answered by five, a resend, a revoke, a copied link, an opt-out
    assessment = open_assessment(network, instruments, members=9)
    A = assessment.pk
    post("assessment_invite", A, data={"who": "everyone"})
    from django.core import mail

    outbox = {m.to[0]: m for m in mail.outbox}
    invitations = list(assessment.invitations.select_related("member").order_by("pk"))
    answering, spare = invitations[:5], invitations[5:]
    for invitation in answering:
        member = member_client(link_to(outbox[invitation.member.email]))
        member.post("/survey/")
        answer_everything(member, assessment)
        with run(execute=True):
            assert member.post("/survey/submit/").url == "/survey/thanks/"
    post("invitation_resend", A, spare[0].pk)
    post("invitation_revoke", A, spare[1].pk, data={"confirm": "1"})
    copied = post("invitation_copy_link", A, spare[2].pk)
    copied_url = re.search(r'value="(http[^"]+/s/[^"]+)"', copied.content.decode()).group(1)
    member_client(copied_url.removeprefix(settings.SITE_URL))
    unsubscribe = re.search(r"/unsubscribe/[^\s]+/", outbox[spare[3].member.email].body).group(0)
    Client().post(unsubscribe)
    # results: released at closing, exported, printed, shared, summarised
    post("assessment_close", A, data={"confirm": "1"})
    client.get(reverse("export_csv", args=[N, A]))
    client.get(reverse("export_xlsx", args=[N, A]))
    with (
        mock.patch("scorecards.pdf.chromium", return_value="/usr/bin/chromium"),
        mock.patch("scorecards.pdf.html_to_pdf", return_value=b"%PDF-1.4"),
    ):
        client.get(reverse("steering_pack_pdf", args=[N, A]))
    made = post("share_links", data={"label": "Steering group", "days": 7})
    shared = re.search(r'value="(http[^"]+/shared/[^"]+)"', made.content.decode()).group(1)
    Client().get(shared.removeprefix(settings.SITE_URL))
    post("share_link_revoke", network.share_links.get().pk)
    post("summary_publish", A, data={"audience": "everyone"})
    post("summary_revoke", A)
    # the meeting
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Spring meeting", held_on=assessment.closes_on, tables=["A"]
    )
    due = assessment.closes_on.isoformat()
    post(
        "meeting_action_add",
        meeting.pk,
        data={"what": "Agree a charter", "who": "Sam", "due_on": due},
    )
    action = meeting.actions.get()
    post("meeting_action_status", meeting.pk, action.pk, data={"status": "done"})
    client.get(reverse("meeting_actions_csv", args=[N, meeting.pk]))
    # retention and the member's rights
    post("assessment_legal_hold", A, data={"reason": "Complaint C-7"})
    post("assessment_legal_hold", A, data={"reason": "Complaint closed"})
    client.get(reverse("member_data", args=[N, ada.pk]))
    post("member_remove", ada.pk)
    post("member_erase", Member.objects.get(email="bo@example.org").pk, data={"confirm": "1"})
    assessment.refresh_from_db()
    deletion = services.raw_data_due_on(assessment)
    for day in (deletion - timedelta(days=7), deletion):
        moment = timezone.make_aware(datetime.combine(day, time(3)))
        with mock.patch("django.utils.timezone.now", return_value=moment):
            tasks.apply_retention()
    client.get(reverse("network_audit_csv", args=[N]))
    links = [link_to(message) for message in outbox.values() if "/s/" in message.body]
    return {"assessment": assessment, "tokens": [copied_url, shared, unsubscribe, *links]}


def test_every_kind_of_event_is_recorded_by_the_real_action_with_who_and_from_where(
    owner, network, journey
):
    assert kinds_of(network) == {kind for kind, _ in Event.KIND_CHOICES}

    signed_in = last(Event.SIGNED_IN)
    assert (signed_in.actor, signed_in.account, signed_in.address) == (owner, owner, ADDRESS)
    failed = last(Event.SIGN_IN_FAILED)
    assert (failed.actor, failed.account, failed.address) == (None, owner, ADDRESS)
    for kind in (Event.MEMBER_EDITED, Event.INVITATIONS_SENT, Event.LEGAL_HOLD_PLACED):
        event = last(kind)
        assert (event.actor, event.address) == (owner, ADDRESS), kind
    assert last(Event.MEMBER_EDITED).detail == "Changed: organisation"
    assert last(Event.INVITATIONS_SENT).detail == "11 members invited"
    assert last(Event.ROLE_INVITED).detail == "new.leader@example.org as leader"
    exports = Event.objects.filter(kind=Event.RESULTS_EXPORTED).order_by("pk")
    assert [e.detail for e in exports] == [
        "CSV, release 1",
        "Excel workbook, release 1",
        "The actions of Spring meeting (CSV)",
    ]
    assert last(Event.PACK_DOWNLOADED).detail == "Release 1"
    # Done by a link, not a signed-in person: from an address, by nobody known.
    for kind in (Event.COPIED_LINK_USED, Event.SHARE_LINK_USED, Event.MEMBER_UNSUBSCRIBED):
        event = last(kind)
        assert (event.actor, event.address) == (None, ADDRESS), kind
    # Done by the worker: no address.
    for kind in (Event.RELEASE_MADE, Event.RETENTION_WARNING_SENT, Event.RAW_DATA_DELETED):
        event = last(kind)
        assert (event.actor, event.address) == (None, None), kind


def test_coordinator_reads_the_trail_newest_first_by_kind_and_by_page(
    client, owner, network, journey
):
    client.force_login(owner)
    url = reverse("network_audit", args=[network.pk])
    for _ in range(15):  # more than a page
        client.get(reverse("member_export", args=[network.pk]))

    page = client.get(url).content.decode()
    invited = client.get(url, {"kind": Event.INVITATIONS_SENT}).content.decode()

    times = re.findall(r'<time datetime="([^"]+)"', page)
    assert len(times) == 50
    assert times == sorted(times, reverse=True)  # newest first
    assert "11 members invited" in invited
    assert "Member added" not in invited.split("<tbody>")[1]
    pages = -(-audit_events(network).count() // 50)
    assert pages > 1
    assert f"Page 1 of {pages}" in page
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of" in second
    assert client.get(url, {"kind": "'; DROP TABLE surveys_event; --"}).status_code == 200


def test_leader_gets_403_and_outsider_404_on_the_trail_and_its_export(
    client, leader, outsider, network
):
    for name in ("network_audit", "network_audit_csv"):
        url = reverse(name, args=[network.pk])
        client.force_login(leader)
        assert client.get(url).status_code == 403, name
        client.force_login(outsider)
        assert client.get(url).status_code == 404, name


def test_the_export_neutralises_formulas_and_holds_no_token_comment_or_answer(
    client, owner, network, journey
):
    services.member_save(
        network=network,
        user=owner,
        name='=HYPERLINK("http://evil.example","x")',
        email="formula@example.org",
        group=network.groups.first(),
    )
    another = AssessmentFactory(network=network)
    services.legal_hold_place(assessment=another, user=owner, reason="+SUM(1,2)")
    client.force_login(owner)

    response = client.get(reverse("network_audit_csv", args=[network.pk]))

    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["When", "What", "Detail", "Who", "About", "From address"]
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'+SUM(1,2)" in cells
    for url in journey["tokens"]:
        assert url.rstrip("/").rsplit("/", 1)[-1] not in text
    assert "Comment for" not in text  # what members typed in the survey


def test_sign_ins_of_people_without_a_role_here_are_not_in_this_networks_trail(
    owner, outsider, network, password
):
    for username, typed in (
        (outsider.email, password),
        ("nobody@example.org", "x"),
        ("hunter2-is-my-password", "x"),
        (owner.email, password),
    ):
        Client().post(reverse("account_login"), {"login": username, "password": typed})

    events = list(Event.objects.filter(kind__in=Event.ACCOUNT_KINDS).order_by("pk"))
    # a password typed into the address box is refused as no address by the sign-in
    # form itself, before any attempt is made: nothing of it is recorded
    assert [e.account for e in events] == [outsider, None, owner]
    assert events[1].detail == "An address with no account: nobody@example.org"
    assert not [e for e in Event.objects.all() if "hunter2" in e.detail]
    assert kinds_of(network) == {Event.SIGNED_IN}
    other = outsider.network_roles.get().network
    assert kinds_of(other) == {Event.SIGNED_IN}


def test_nothing_in_the_app_changes_or_deletes_an_event(rf, owner, network):
    event = services.event_record(Event.MEMBERS_EXPORTED, network=network, actor=owner)
    event.detail = "rewritten"

    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.detail == ""
    admin = site._registry[Event]
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)


def test_deleting_a_whole_network_still_takes_its_trail(owner):
    """The one way events go: their network is deleted (by staff, in the admin)."""
    network = NetworkFactory(coordinator=owner)
    services.event_record(Event.MEMBERS_EXPORTED, network=network, actor=owner)

    network.delete()

    assert not Event.objects.filter(kind=Event.MEMBERS_EXPORTED).exists()


def test_the_trail_records_the_real_client_address_behind_the_trusted_proxy(
    owner, password, settings
):
    """The same address the rate limits key on (surveys.client_address, quality G4)."""
    settings.TRUSTED_PROXIES = 1
    behind = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.7")

    behind.post(reverse("account_login"), {"login": owner.email, "password": password})

    assert last(Event.SIGNED_IN).address == "203.0.113.7"
    settings.TRUSTED_PROXIES = 0
    forged = Client(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.99")
    forged.post(reverse("account_login"), {"login": owner.email, "password": "wrong"})
    assert last(Event.SIGN_IN_FAILED).address == "10.0.0.3"
