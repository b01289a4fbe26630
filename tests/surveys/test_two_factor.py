"""Two-factor sign-in (quality G1): a coordinator turns on an authenticator app and is
asked for its code at every sign-in after; a network can require it of everyone with a
role on it; the admin requires it of superusers. Codes are computed here with pyotp,
from the secret the set-up page shows, as a person's authenticator app would."""

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, add_role

pytestmark = pytest.mark.django_db


def sign_in(client, user, password, **extra):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, **extra
    )


def turn_on_totp(client, password) -> str:
    """Set up an authenticator app through the pages (confirming the password first, as
    allauth asks before any change to sign-in); returns the secret the page showed."""
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))
    client.post(asked.url, {"password": password})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'value="([A-Z2-7]{32})"', page).group(1)
    done = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302, done.content.decode()
    return secret


def test_olivia_turns_on_an_authenticator_app_and_needs_its_code_to_sign_in(
    client, owner, network, password
):
    sign_in(client, owner, password)
    secret = turn_on_totp(client, password)
    assert Authenticator.objects.filter(user=owner, type="totp").exists()
    assert Authenticator.objects.filter(user=owner, type="recovery_codes").exists()
    client.post(reverse("account_logout"))

    olivia = Client()
    first = sign_in(olivia, owner, password)
    assert first.url == reverse("mfa_authenticate")
    assert olivia.get(reverse("network_list")).status_code == 302  # not signed in yet
    wrong = olivia.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    right = olivia.post(
        reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()}, follow=True
    )

    assert right.redirect_chain[-1][0] == reverse("network_list")
    assert network.name in right.content.decode()


def test_olivia_who_lost_her_phone_signs_in_with_a_recovery_code_once(client, owner, password):
    sign_in(client, owner, password)
    turn_on_totp(client, password)
    codes = re.findall(
        r"\b\d{8}\b", client.get(reverse("mfa_view_recovery_codes")).content.decode()
    )
    assert len(set(codes)) >= 10
    client.post(reverse("account_logout"))

    olivia = Client()
    sign_in(olivia, owner, password)
    used = olivia.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert used.url == reverse("network_list")
    olivia.post(reverse("account_logout"))
    sign_in(olivia, owner, password)
    again = olivia.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()


@pytest.fixture
def strict_network(network):
    network.require_two_factor = True
    network.save(update_fields=["require_two_factor"])
    return network


def test_a_network_that_requires_two_factor_sends_olivia_without_it_to_set_it_up(
    client, owner, strict_network
):
    client.force_login(owner)

    for path in (
        reverse("network_detail", args=[strict_network.pk]),
        reverse("member_list", args=[strict_network.pk]),
        reverse("results_overview", args=[strict_network.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse("mfa_index"), path

    page = client.get(reverse("network_detail", args=[strict_network.pk]), follow=True)
    body = page.content.decode()
    assert f"{strict_network.name} requires two-factor sign-in" in body
    assert "Authenticator App" in body and "Activate" in body
    TOTP.activate(owner, pyotp.random_base32())
    assert client.get(reverse("network_detail", args=[strict_network.pk])).status_code == 200


def test_a_leader_of_a_network_that_requires_two_factor_is_sent_to_set_it_up_too(
    client, leader, strict_network
):
    client.force_login(leader)

    response = client.get(reverse("network_detail", args=[strict_network.pk]))

    assert response.url == reverse("mfa_index")


def test_a_network_that_requires_two_factor_is_still_a_404_to_outsiders(
    client, outsider, strict_network
):
    client.force_login(outsider)

    assert client.get(reverse("network_detail", args=[strict_network.pk])).status_code == 404


def test_olivia_ticks_require_two_factor_on_her_network_and_her_team_must_use_it(
    client, owner, network, leader
):
    client.force_login(owner)
    TOTP.activate(owner, pyotp.random_base32())

    client.post(
        reverse("network_edit", args=[network.pk]),
        {"name": network.name, "purpose": network.purpose, "require_two_factor": "on"},
    )

    network.refresh_from_db()
    assert network.require_two_factor
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200
    leo = Client()
    leo.force_login(leader)
    assert leo.get(reverse("network_detail", args=[network.pk])).url == reverse("mfa_index")


@pytest.fixture
def superuser(db):
    user = UserFactory(full_name="Sam Superuser", is_staff=True, is_superuser=True)
    return user


def test_a_superuser_without_two_factor_is_sent_to_set_it_up_before_the_admin_opens(
    client, superuser, password
):
    sign_in(client, superuser, password)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert "The admin site needs two-factor sign-in" in response.content.decode()


def test_a_superuser_signs_in_to_the_admin_with_password_and_code(superuser, password):
    secret = pyotp.random_base32()
    TOTP.activate(superuser, secret)
    sam = Client()

    to_sign_in = sam.get("/admin/", follow=True)
    assert to_sign_in.redirect_chain[-1][0].startswith(reverse("account_login"))
    step = sam.post(
        to_sign_in.redirect_chain[-1][0],
        {"login": superuser.email, "password": password},
    )
    assert step.url == reverse("mfa_authenticate")
    done = sam.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()}, follow=True)

    assert done.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in done.content.decode()


def test_a_superuser_whose_session_skipped_the_second_factor_is_asked_for_a_code(
    superuser,
):
    secret = pyotp.random_base32()
    TOTP.activate(superuser, secret)
    sam = Client()
    sam.force_login(superuser)  # a session that never went through the second factor

    asked = sam.get("/admin/")
    assert asked.url == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"
    done = sam.post(asked.url, {"code": pyotp.TOTP(secret).now()}, follow=True)

    assert done.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in done.content.decode()


def test_a_leader_added_to_a_strict_network_later_is_held_to_it_as_well(client, strict_network):
    newcomer = UserFactory(full_name="Nell New")
    add_role(strict_network, newcomer)
    client.force_login(newcomer)

    assert client.get(reverse("network_detail", args=[strict_network.pk])).url == reverse(
        "mfa_index"
    )
