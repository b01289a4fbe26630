"""A Welsh-speaking coordinator's audit trail, instruments and statements pages, and the
emails sent to coordinators and leaders, are in Welsh (README: Languages). Pages: each
rendered for a coordinator whose language is English and one whose language is Welsh
shares no English text of ours. Emails: in the recipient's own language; an invitation
to an address with no account yet, in the inviting coordinator's."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Instrument, NetworkRole, User
from surveys.services.retention import retention_warning_send
from surveys.statements import CHECKS
from tests.factories import UserFactory, add_role
from tests.surveys.survey_helpers import open_assessment
from tests.welsh import client_for, english_left, strings_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinators(network, owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    welsh = UserFactory(full_name="Bethan Jones", language="cy")
    add_role(network, welsh, NetworkRole.COORDINATOR)
    return {"en": owner, "cy": welsh}


def assert_welsh(english: dict[str, str], welsh: dict[str, str], data) -> None:
    left = {name: english_left(english[name], welsh[name], data) for name in english}
    assert {name: found for name, found in left.items() if found} == {}
    for name, html in welsh.items():
        assert '<html lang="cy">' in html, name


def instrument_texts() -> list[str]:
    texts = []
    for instrument in Instrument.objects.all():
        texts += [instrument.title, *strings_in(instrument.definition)]
    return texts


def tool_pages(client: Client, network, assessment) -> dict[str, str]:
    pk = network.pk
    audit = reverse("network_audit", args=[pk])
    scorecard, matrix = assessment.health_scorecard, assessment.matrix
    seen = {
        "audit trail": client.get(audit),
        "audit trail, one kind": client.get(audit + "?kind=signed_in"),
        "audit trail, none of a kind": client.get(audit + "?kind=legal_hold_lifted"),
        "instruments": client.get(reverse("instrument_list")),
        "scorecard": client.get(
            reverse("instrument_detail", args=[scorecard.code, scorecard.version])
        ),
        "matrix grid": client.get(reverse("instrument_detail", args=[matrix.code, matrix.version])),
        "preview": client.get(
            reverse("instrument_preview", args=[scorecard.code, scorecard.version])
        ),
        "round": client.get(reverse("assessment_detail", args=[pk, assessment.pk])),
        "privacy notice": client.get(reverse("privacy_notice")),
        "impact assessment": client.get(reverse("impact_assessment")),
        "accessibility statement": client.get(reverse("accessibility")),
    }
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_coordinator_reads_the_audit_trail_instruments_and_statements_in_welsh(
    network, coordinators, instruments
):
    assessment = open_assessment(network, instruments, members=2, title="Spring round")
    services.member_erase(member=network.members.first(), user=coordinators["en"])
    for user in coordinators.values():
        services.event_record("signed_in", network=network, account=user, actor=user)

    english = tool_pages(client_for(coordinators["en"]), network, assessment)
    welsh = tool_pages(client_for(coordinators["cy"]), network, assessment)

    events = [e.detail for e in network.events.all()]
    # The statements are all in Welsh (tests/surveys/test_statements.py); the settings
    # the privacy notice names and the browser tests the accessibility statement cites
    # are the same in both.
    checks = [check.test for check in CHECKS]
    checks += ["ORGANISATION_NAME", "CONTACT_EMAIL", "DEFAULT_RETENTION_MONTHS"]
    data = [network.name, "Spring round", *events, *instrument_texts(), *checks]
    data += [str(u) for u in User.objects.all()] + [u.email for u in User.objects.all()]
    data += [m.name for m in network.members.all()]
    assert_welsh(english, welsh, data)
    assert "Trywydd archwilio" in welsh["audit trail"]
    assert "Wedi mewngofnodi" in welsh["audit trail"]  # the kind of each event
    assert "Matrics aeddfedrwydd y rhwydwaith" in welsh["round"]  # the instrument's title
    # The privacy notice and the impact assessment have Welsh companions (docs/*.cy.md).
    assert "Hysbysiad preifatrwydd" in welsh["privacy notice"]
    assert "yn Saesneg yn unig" not in welsh["privacy notice"]
    assert "yn Saesneg yn unig" not in welsh["impact assessment"]
    assert "Datganiad hygyrchedd" in welsh["accessibility statement"]


def test_the_audit_trail_csv_has_its_headers_in_the_coordinators_language(network, coordinators):
    headers = {}
    for language, user in coordinators.items():
        response = client_for(user).get(reverse("network_audit_csv", args=[network.pk]))
        headers[language] = response.content.decode("utf-8-sig").splitlines()[0]

    assert headers["en"] == "When,What,Detail,Who,About,From address"
    assert headers["cy"] == "Pryd,Beth,Manylion,Pwy,Am beth,O'r cyfeiriad"
    # the trail itself records the export in one language, whoever asked
    assert set(network.events.filter(kind="audit_exported").values_list("detail", flat=True)) == {
        "All kinds"
    }


def email_texts(message) -> dict[str, str]:
    return {"subject": message.subject, "text": message.body, "html": message.alternatives[0][0]}


def assert_welsh_email(english, welsh, data) -> None:
    for part in ("text", "subject"):
        assert english_left(english[part], welsh[part], data, html=False) == [], part
    assert english_left(english["html"], welsh["html"], data) == []
    assert english["subject"] != welsh["subject"]


def test_an_invitation_to_the_team_is_in_the_invitees_language_or_else_the_inviters(
    network, coordinators, django_capture_on_commit_callbacks
):
    welsh_leader = UserFactory(full_name="Gareth Price", language="cy")
    with django_capture_on_commit_callbacks(execute=True):
        services.role_invite(
            network=network, email="new@example.org", role="leader", invited_by=coordinators["en"]
        )
        services.role_invite(
            network=network,
            email="newydd@example.org",
            role="leader",
            invited_by=coordinators["cy"],
        )
        services.role_invite(
            network=network,
            email=welsh_leader.email,
            role="coordinator",
            invited_by=coordinators["en"],
        )
    english, welsh, existing = (email_texts(m) for m in mail.outbox)

    data = [network.name, *(str(u) for u in User.objects.all())]
    assert_welsh_email(english, welsh, data)
    assert "fel arweinydd" in welsh["text"]
    assert "fel cydlynydd" in existing["text"]  # Gareth's own language, not Olivia's
    assert mail.outbox[1].extra_headers["Content-Language"] == "cy"


def test_a_retention_warning_reaches_each_coordinator_in_their_own_language(
    network, coordinators, instruments
):
    today = timezone.localdate()
    assessment = open_assessment(network, instruments, members=0, title="Spring round")
    sent = retention_warning_send(
        assessment=assessment, due_on=today + timedelta(days=30), days_before=30, today=today
    )

    assert sent
    by_reader = {m.to[0]: email_texts(m) for m in mail.outbox}
    english, welsh = by_reader[coordinators["en"].email], by_reader[coordinators["cy"].email]
    data = [network.name, "Spring round"]
    assert_welsh_email(english, welsh, data)
    assert "ataliad cyfreithiol" in welsh["text"]


def account_emails(language: str, someone: User) -> list[dict[str, str]]:
    """What a visitor reading `language` is sent: a password reset, a sign-up's
    confirmation, and the note to an address that already has an account."""
    client = Client()
    client.get(reverse("home") + f"?lang={language}")
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": someone.email})
    password = "a-long-test-password-42"
    for email in (f"new.{language}@example.org", someone.email):
        client.post(
            reverse("account_signup"),
            {"full_name": "Nia", "email": email, "password1": password, "password2": password},
        )
    return [email_texts(m) for m in mail.outbox]


def test_account_emails_follow_the_language_the_visitor_chose(db):
    # Two people, as allauth limits how often one address is written to.
    english_reader, welsh_reader = UserFactory(), UserFactory()
    english = account_emails("en", english_reader)
    welsh = account_emails("cy", welsh_reader)

    assert [e["subject"] for e in english] and len(english) == len(welsh) == 3
    for en, cy in zip(english, welsh, strict=True):
        assert_welsh_email(en, cy, [english_reader.email, welsh_reader.email])
    assert "Ailosod eich cyfrinair" in welsh[0]["subject"]


def test_the_coordinators_scripts_speak_welsh_through_the_script_catalog(
    network, coordinators, instruments
):
    """The round form, the invite page and a copied link load the catalog before
    coordinator.js, whose every sentence goes through gettext()."""
    page = client_for(coordinators["cy"]).get(reverse("assessment_create", args=[network.pk]))
    catalog = Client().get(reverse("javascript_catalog") + "?lang=cy").content.decode()

    assert '/jsi18n/?lang=cy"></script><script src="/static/js/coordinator.js"' in (
        page.content.decode()
    )
    assert "Methu cop" in catalog and "aelod yn cael eu dangos" in catalog
