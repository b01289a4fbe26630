"""Coordinators' and leaders' accounts, on django-allauth: signing up with an address
confirmed by an emailed link, signing in, resetting a password, nobody learning from
sign-up or reset whether an address has an account, limits per client address, and a
leader invited by email claiming the role once the address is theirs (quality S6)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from surveys.models import NetworkRole, User
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db

NIA = "new.coordinator@example.org"
NIAS_PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def signup(client):
    def post(client=client, email=NIA, **extra):
        return client.post(
            reverse("account_signup") + extra.pop("query", ""),
            {
                "full_name": "Nia Newcomer",
                "email": email,
                "password1": NIAS_PASSWORD,
                "password2": NIAS_PASSWORD,
            },
            follow=True,
        )

    return post


def sign_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def link_in(message) -> str:
    """The first link in an email, as a path on this site."""
    url = re.search(r"https?://\S+", message.body).group(0)
    return url.removeprefix("http://testserver")


def confirmed(email: str) -> bool:
    return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()


def page_text(response, email: str) -> str:
    """The page with what differs from one request to the next taken out: the address
    typed and the CSRF token."""
    body = re.sub(re.escape(email), "EMAIL", response.content.decode(), flags=re.IGNORECASE)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_nia_signs_up_and_cannot_sign_in_until_she_confirms_her_address(signup):
    response = signup()

    assert "Check your email" in response.content.decode()
    user = User.objects.get(email=NIA)
    assert user.full_name == "Nia Newcomer" and not confirmed(NIA)
    again = sign_in(Client(), NIA, NIAS_PASSWORD, follow=True)
    assert "Check your email" in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert not again.wsgi_request.user.is_authenticated


def test_nia_gets_the_confirmation_in_text_and_html(signup):
    signup()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NIA]
    assert "Confirm your email address" in message.subject
    url = re.search(r"https?://\S+", message.body).group(0)
    assert url.startswith("http://testserver/accounts/confirm-email/")
    assert url in message.alternatives[0][0]


def test_nia_confirms_through_the_emailed_link_and_lands_on_her_networks(signup, client):
    signup()
    path = link_in(mail.outbox[0])

    page = client.get(path)
    assert "Confirm your email address" in page.content.decode()
    response = client.post(path, follow=True)

    assert response.redirect_chain[-1][0] == reverse("network_list")
    assert "Your email address is confirmed" in response.content.decode()
    assert confirmed(NIA)
    client.post(reverse("account_logout"))
    assert "This confirmation link is not valid" in client.get(path).content.decode()
    assert sign_in(Client(), NIA, NIAS_PASSWORD).url == reverse("network_list")


def test_a_tampered_confirmation_link_is_refused(signup, client):
    signup()
    path = link_in(mail.outbox[0])

    page = client.get(path[:-4] + "xyz/")
    posted = client.post(path[:-4] + "xyz/")

    assert "This confirmation link is not valid" in page.content.decode()
    assert posted.status_code == 404
    assert not confirmed(NIA)


def test_someone_signing_up_with_olivias_address_learns_nothing_and_olivia_gets_a_way_in(
    signup, owner, password
):
    taken = signup(client=Client(), email=owner.email.upper())
    free = signup(client=Client(), email=NIA)

    assert taken.status_code == free.status_code == 200
    assert taken.redirect_chain == free.redirect_chain
    assert page_text(taken, owner.email.upper()) == page_text(free, NIA)
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    owner.refresh_from_db()
    assert owner.check_password(password)  # the sign-up changed nothing
    told = next(m for m in mail.outbox if m.to == [owner.email])
    assert told.subject == "netassess: You already have an account"
    assert "already has an account" in told.body
    assert "http://testserver/accounts/login/" in told.body
    assert "http://testserver/accounts/password/reset/" in told.body


def test_nia_signing_up_again_before_confirming_finishes_through_a_password_reset(signup, settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN = 0  # she tries again after a while
    signup()
    mail.outbox.clear()
    signup(client=Client())
    told = mail.outbox[0]
    assert told.subject == "netassess: You already have an account"
    assert "never confirmed" in told.body
    nia = Client()
    nia.post(reverse("account_reset_password"), {"email": NIA})
    page = nia.get(link_in(mail.outbox[-1]), follow=True)
    assert "Choose a new password" in page.content.decode()

    done = nia.post(
        page.redirect_chain[-1][0],
        {"password1": "another-horse-battery-7", "password2": "another-horse-battery-7"},
        follow=True,
    )

    assert "Your password is set" in done.content.decode()
    assert confirmed(NIA)
    assert sign_in(Client(), NIA, "another-horse-battery-7").url == reverse("network_list")


def test_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(owner):
    reset = reverse("account_reset_password")
    known = Client().post(reset, {"email": owner.email}, follow=True)
    unknown = Client().post(reset, {"email": "nobody@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert page_text(known, owner.email) == page_text(unknown, "nobody@example.org")
    assert [m.to for m in mail.outbox] == [[owner.email]]  # strangers get no email


def test_olivias_password_reset_link_works_once_and_leaves_no_key_in_the_address(client, owner):
    client.post(reverse("account_reset_password"), {"email": owner.email})
    message = mail.outbox[0]
    assert message.subject == "netassess: Reset your password"
    path = link_in(message)
    assert path.startswith("/accounts/password/reset/key/")
    assert path in message.alternatives[0][0].replace("http://testserver", "")

    page = client.get(path, follow=True)
    assert "Choose a new password" in page.content.decode()
    key = path.rstrip("/").rsplit("-", 1)[-1]
    assert key not in page.redirect_chain[-1][0]  # swapped into the session
    client.post(
        page.redirect_chain[-1][0],
        {"password1": "a-brand-new-secret-5", "password2": "a-brand-new-secret-5"},
    )

    assert "This link is not valid" in Client().get(path, follow=True).content.decode()
    assert sign_in(Client(), owner.email, "a-brand-new-secret-5").url == reverse("network_list")


def test_leo_invited_as_a_leader_claims_the_role_by_confirming_his_address(
    signup, client, network, owner
):
    NetworkRole.objects.create(
        network=network, email="leo@example.org", role=NetworkRole.LEADER, invited_by=owner
    )
    signup(email="leo@example.org")
    assert NetworkRole.objects.get(email="leo@example.org").user is None

    client.post(link_in(mail.outbox[0]))

    role = NetworkRole.objects.get(email="leo@example.org")
    assert role.user.email == "leo@example.org"
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200


def test_a_role_offered_to_olivias_confirmed_address_is_hers_at_her_next_sign_in(
    client, owner, password
):
    other = NetworkFactory(name="Second Network")
    NetworkRole.objects.create(network=other, email=owner.email.upper(), role="leader")

    sign_in(client, owner.email, password)

    assert NetworkRole.objects.get(network=other, role="leader").user == owner
    assert "Second Network" in client.get(reverse("network_list")).content.decode()


def test_olivia_signs_in_with_her_email_and_sees_her_networks(client, owner, network, password):
    response = sign_in(client, owner.email, password, follow=True)

    assert response.redirect_chain[-1][0] == reverse("network_list")
    assert network.name in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = sign_in(client, owner.email, "nope")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert not response.wsgi_request.user.is_authenticated


def test_someone_guessing_olivias_password_is_stopped_with_429(client, owner):
    statuses = [sign_in(client, owner.email, f"guess{i}").status_code for i in range(12)]

    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_olivia_signs_in_while_someone_behind_the_same_proxy_guesses_passwords(
    settings, owner, password
):
    settings.TRUSTED_PROXIES = 1
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    olivia = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")

    statuses = [sign_in(guesser, "someone@example.org", f"guess{i}").status_code for i in range(11)]
    signed_in = sign_in(olivia, owner.email, password)

    assert statuses == [200] * 10 + [429]
    assert signed_in.status_code == 302 and signed_in.url == reverse("network_list")


def test_someone_signing_up_again_and_again_from_one_address_is_stopped(signup, settings):
    settings.TRUSTED_PROXIES = 1
    statuses = [
        signup(
            client=Client(HTTP_X_FORWARDED_FOR="203.0.113.9"), email=f"n{i}@example.org"
        ).redirect_chain[-1:]
        or [(None, 429)]
        for i in range(11)
    ]
    elsewhere = signup(client=Client(HTTP_X_FORWARDED_FOR="198.51.100.7"), email=NIA)

    tried = [f"n{i}@example.org" for i in range(11)]
    assert User.objects.filter(email__in=tried).count() == 10
    assert statuses[-1] == [(None, 429)]
    assert "Check your email" in elsewhere.content.decode()


def test_someone_asking_for_reset_links_again_and_again_is_stopped(owner):
    guesser = Client()
    statuses = [
        guesser.post(reverse("account_reset_password"), {"email": f"x{i}@example.org"}).status_code
        for i in range(11)
    ]

    assert statuses == [302] * 10 + [429]
    assert (
        Client(REMOTE_ADDR="198.51.100.7")
        .post(reverse("account_reset_password"), {"email": owner.email})
        .status_code
        == 302
    )


def test_signing_out_ends_the_session(client, owner):
    client.force_login(owner)

    client.post(reverse("account_logout"))

    assert client.get(reverse("network_list")).status_code == 302


def test_an_unconfirmed_sign_up_cannot_claim_someone_elses_role(signup, client, network):
    NetworkRole.objects.create(
        network=network, email="victim@example.org", role=NetworkRole.COORDINATOR
    )
    signup(email="victim@example.org")

    sign_in(Client(), "victim@example.org", NIAS_PASSWORD)

    assert NetworkRole.objects.get(email="victim@example.org").user is None


def test_network_factory_gives_the_creator_the_coordinator_role(db):
    network = NetworkFactory()
    assert network.roles.get().role == NetworkRole.COORDINATOR


def test_nia_signing_in_before_confirming_is_told_to_confirm_and_sent_a_new_link(signup, settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN = 0
    signup()
    mail.outbox.clear()

    response = sign_in(Client(), NIA, NIAS_PASSWORD, follow=True)

    body = response.content.decode()
    assert "until it is confirmed, you cannot sign in" in body
    assert "not correct" not in body
    assert [m.to for m in mail.outbox] == [[NIA]]


def test_nia_with_a_wrong_password_learns_nothing_about_her_unconfirmed_account(signup):
    signup()
    mail.outbox.clear()

    response = sign_in(Client(), NIA, "wrong-guess-1")

    body = response.content.decode()
    assert body.count("The email address and/or password you specified are not correct.") == 1
    assert "Check your email" not in body
    assert mail.outbox == []


def test_leo_invited_as_a_leader_is_led_to_a_leader_account_not_a_coordinators(
    client, owner, network, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("team", args=[network.pk]), {"email": "leo@example.org", "role": "leader"}
        )
    client.logout()
    message = mail.outbox[0]
    assert "leader account" in message.body and "leader account" in message.alternatives[0][0]
    path = re.search(r"https?://\S+", message.body).group(0).removeprefix("http://127.0.0.1:8000")

    body = client.get(path).content.decode()

    assert "Create your leader account" in body
    assert "coordinator account" not in body
    assert 'value="leo@example.org"' in body
    sign_in_page = client.get(reverse("account_login") + "?as=leader&email=leo@example.org")
    text = sign_in_page.content.decode()
    assert "invited as a leader" in text and 'value="leo@example.org"' in text
    assert "Create your leader account" in text


def test_sign_ins_and_failed_ones_are_told_through_djangos_own_signals(client, owner, password):
    """The audit trail listens to Django's user_logged_in and user_login_failed: allauth's
    sign-in sends both, with the address typed (never the password)."""
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    heard = []

    def logged_in(sender, *, user, **kwargs):
        heard.append(("in", user.email))

    def failed(sender, *, credentials, **kwargs):
        heard.append(("failed", credentials.get("email"), "nope" in str(credentials)))

    user_logged_in.connect(logged_in)
    user_login_failed.connect(failed)
    try:
        sign_in(client, owner.email, "nope")
        sign_in(client, owner.email, password)
    finally:
        user_logged_in.disconnect(logged_in)
        user_login_failed.disconnect(failed)

    assert heard == [("failed", owner.email, False), ("in", owner.email)]
