import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from surveys.models import NetworkRole, User
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    def post(client=client, email="new.coordinator@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            return _signup(client, email)

    return post


def _signup(client, email):
    return client.post(
        reverse("signup"),
        {
            "full_name": "Nia Newcomer",
            "email": email,
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_newcomer_cannot_sign_in_until_email_confirmed(signup, client):
    response = signup()

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="new.coordinator@example.org")
    assert user.is_active is False
    assert not client.login(username=user.email, password="correct-horse-battery-9")


def test_newcomer_gets_confirmation_in_text_and_html(signup, client):
    signup()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.coordinator@example.org"]
    assert "Confirm your email" in message.subject
    url = link_in(message)
    assert url.startswith("http://127.0.0.1:8000/accounts/confirm/")
    html = message.alternatives[0][0]
    assert url in html


def test_confirm_link_activates_and_signs_in_once(signup, client):
    signup()
    path = link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")

    response = client.get(path, follow=True)

    assert response.redirect_chain[-1][0] == reverse("network_list")
    user = User.objects.get(email="new.coordinator@example.org")
    assert user.is_active and user.email_confirmed_at is not None
    client.logout()
    assert client.get(path).status_code == 400


def test_tampered_confirm_link_is_refused(signup, client):
    signup()
    path = link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")

    response = client.get(path[:-3] + "xyz/")

    assert response.status_code == 400
    assert User.objects.get(email="new.coordinator@example.org").is_active is False


def page_text(response, email: str) -> str:
    """The page with what differs from one request to the next taken out: the address
    typed and the CSRF token."""
    body = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_someone_signing_up_with_olivias_address_learns_nothing_and_olivia_gets_a_way_in(
    signup, client, owner, password
):
    taken = signup(client=Client(), email=owner.email.upper())
    free = signup(client=Client(), email="new.coordinator@example.org")

    assert taken.status_code == free.status_code == 200
    assert page_text(taken, owner.email) == page_text(free, "new.coordinator@example.org")
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    owner.refresh_from_db()
    assert owner.check_password(password)  # the sign-up changed nothing
    told = next(m for m in mail.outbox if m.to == [owner.email])
    assert told.subject == "You already have a netassess account"
    assert "already has one" in told.body and "already exists" not in page_text(taken, "")
    assert "http://127.0.0.1:8000/accounts/login/" in told.body
    reset = re.search(r"http://127.0.0.1:8000(/accounts/password/reset/\S+)", told.body)[1]
    assert "Choose a new password" in client.get(reset, follow=True).content.decode()


def test_nia_signing_up_again_before_confirming_finishes_through_the_emailed_link(signup, client):
    signup()
    mail.outbox.clear()
    signup(client=Client())
    message = mail.outbox[0]
    assert message.subject == "You already have a netassess account"
    assert "never confirmed" in message.body
    page = client.get(link_in(message).removeprefix("http://127.0.0.1:8000"), follow=True)

    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "another-horse-battery-7", "new_password2": "another-horse-battery-7"},
        follow=True,
    )

    assert "Your password is set" in done.content.decode()
    user = User.objects.get(email="new.coordinator@example.org")
    assert user.is_active and user.email_confirmed_at is not None
    assert client.login(username=user.email, password="another-horse-battery-7")


def test_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(client, owner):
    known = Client().post(reverse("password_reset"), {"email": owner.email}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert page_text(known, owner.email) == page_text(unknown, "nobody@example.org")
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_invited_leader_gets_role_after_confirming(signup, client, network, owner):
    NetworkRole.objects.create(
        network=network, email="invited@example.org", role=NetworkRole.LEADER, invited_by=owner
    )
    signup(email="invited@example.org")
    assert NetworkRole.objects.get(email="invited@example.org").user is None

    client.get(link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000"))

    role = NetworkRole.objects.get(email="invited@example.org")
    assert role.user.email == "invited@example.org"
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200


def test_coordinator_signs_in_with_email_and_sees_networks(client, owner, network, password):
    response = client.post(
        reverse("login"), {"username": owner.email, "password": password}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("network_list")
    assert network.name in response.content.decode()


def test_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "nope"})

    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_login_guessing_is_throttled_with_429(client, owner):
    statuses = [
        client.post(
            reverse("login"), {"username": owner.email, "password": f"guess{i}"}
        ).status_code
        for i in range(12)
    ]

    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_olivia_signs_in_while_someone_behind_the_same_proxy_guesses_passwords(
    settings, owner, password
):
    settings.TRUSTED_PROXIES = 1
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    olivia = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    login = reverse("login")

    statuses = [
        guesser.post(login, {"username": owner.email, "password": f"guess{i}"}).status_code
        for i in range(11)
    ]
    signed_in = olivia.post(login, {"username": owner.email, "password": password})

    assert statuses == [200] * 10 + [429]
    assert signed_in.status_code == 302


def test_password_reset_sends_a_working_link(client, owner):
    client.post(reverse("password_reset"), {"email": owner.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Reset your netassess password" in message.subject
    path = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    assert path in message.alternatives[0][0]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()


def test_sign_out_ends_the_session(client, owner):
    client.force_login(owner)

    client.post(reverse("logout"))

    assert client.get(reverse("network_list")).status_code == 302


def test_unconfirmed_signup_cannot_claim_someone_elses_role(signup, client, network, owner):
    NetworkRole.objects.create(
        network=network, email="victim@example.org", role=NetworkRole.COORDINATOR
    )
    signup(email="victim@example.org")
    attacker = User.objects.get(email="victim@example.org")
    attacker.is_active = True  # even if an account were active without confirming
    attacker.save()

    client.post(
        reverse("login"), {"username": attacker.email, "password": "correct-horse-battery-9"}
    )

    assert NetworkRole.objects.get(email="victim@example.org").user is None


def test_network_factory_gives_the_creator_the_coordinator_role(db):
    network = NetworkFactory()
    assert network.roles.get().role == NetworkRole.COORDINATOR


def test_nia_signing_in_before_confirming_is_told_to_confirm_once(signup, client):
    signup()

    response = client.post(
        reverse("login"),
        {"username": "new.coordinator@example.org", "password": "correct-horse-battery-9"},
    )

    body = response.content.decode()
    assert body.count("Confirm your email address first") == 1
    assert "Please enter a correct" not in body


def test_nia_with_a_wrong_password_learns_nothing_about_her_unconfirmed_account(signup, client):
    signup()

    response = client.post(
        reverse("login"), {"username": "new.coordinator@example.org", "password": "wrong-guess-1"}
    )

    body = response.content.decode()
    assert body.count("Please enter a correct email address and password") == 1
    assert "Confirm your email address first" not in body


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
    path = link_in(message).removeprefix("http://127.0.0.1:8000")

    body = client.get(path).content.decode()

    assert "Create your leader account" in body
    assert "coordinator account" not in body
    assert 'value="leo@example.org"' in body
    sign_in = client.get(reverse("login") + "?as=leader&email=leo@example.org").content.decode()
    assert "invited as a leader" in sign_in and 'value="leo@example.org"' in sign_in
    assert "Create your leader account" in sign_in
