"""Single sign-on through an organisation's OpenID Connect provider (quality G1), against
a real provider started on loopback (tests/conftest.py): the app discovers it, sends
the person there, and exchanges the code it brings back for tokens and the person's
details over HTTP, as with Microsoft Entra ID."""

from urllib.parse import urlsplit

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from surveys.models import NetworkRole, User

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def through_the_provider(client, provider, sub: str):
    """Press "Sign in with North Coast NHS", sign in at the provider as `sub`, and come
    back; returns the last page, with the redirects it took."""
    start = client.post(reverse("openid_connect_login", args=[provider.provider_id]))
    assert start.status_code == 302 and start.url.startswith(provider.url), start
    back = urlsplit(provider.sign_in(start.url, sub))
    assert back.path == reverse("openid_connect_callback", args=[provider.provider_id])
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_olivia_signs_in_through_her_organisation_and_lands_on_her_own_networks(
    client, identity_provider, owner, network
):
    identity_provider.person(
        "olivia-0001", email=owner.email, email_verified=True, name="Olivia Owner"
    )

    page = through_the_provider(client, identity_provider, "olivia-0001")

    assert page.redirect_chain[-1][0] == reverse("network_list")
    assert page.wsgi_request.user == owner
    assert network.name in page.content.decode()
    assert User.objects.count() == 1  # no second account for the same person
    account = SocialAccount.objects.get(uid="olivia-0001")
    assert account.user == owner and account.provider == identity_provider.provider_id


def test_the_sign_in_page_offers_the_organisations_provider(client, identity_provider):
    body = client.get(reverse("account_login")).content.decode()

    assert "Sign in with North Coast NHS" in body
    assert reverse("openid_connect_login", args=[identity_provider.provider_id]) in body


def test_a_provider_that_does_not_vouch_for_olivias_address_does_not_get_her_account(
    client, identity_provider, owner, network
):
    identity_provider.person("impostor-7", email=owner.email, email_verified=False)

    page = through_the_provider(client, identity_provider, "impostor-7")

    assert page.wsgi_request.user != owner
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert network.name not in page.content.decode()


def test_a_domain_trusted_by_configuration_links_without_email_verified(
    client, identity_provider, owner, settings
):
    """Microsoft Entra ID sends no `email_verified`: OIDC_TRUSTED_EMAIL_DOMAINS says whose
    addresses the provider is trusted for."""
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["verified_email"] = [owner.email.split("@")[1]]
    identity_provider.person("olivia-entra", email=owner.email, name="Olivia Owner")

    page = through_the_provider(client, identity_provider, "olivia-entra")

    assert page.wsgi_request.user == owner


def test_leo_new_to_netassess_signs_in_through_the_provider_and_finds_his_leader_role(
    client, identity_provider, network, owner
):
    NetworkRole.objects.create(
        network=network, email="leo@northcoast.nhs.uk", role=NetworkRole.LEADER, invited_by=owner
    )
    identity_provider.person(
        "leo-42", email="leo@northcoast.nhs.uk", email_verified=True, name="Leo Leader"
    )

    page = through_the_provider(client, identity_provider, "leo-42")

    leo = User.objects.get(email="leo@northcoast.nhs.uk")
    assert page.wsgi_request.user == leo and leo.full_name == "Leo Leader"
    assert EmailAddress.objects.get(user=leo).verified
    assert NetworkRole.objects.get(email="leo@northcoast.nhs.uk").user == leo
    assert network.name in page.content.decode()


def test_olivia_with_an_authenticator_app_still_gives_its_code_after_the_provider(
    client, identity_provider, owner
):
    secret = pyotp.random_base32()
    TOTP.activate(owner, secret)
    identity_provider.person("olivia-0002", email=owner.email, email_verified=True)

    page = through_the_provider(client, identity_provider, "olivia-0002")

    assert page.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert not page.wsgi_request.user.is_authenticated
    done = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert done.url == reverse("network_list")
    assert Client().get(reverse("network_list")).status_code == 302
