"""Two-factor and single sign-on in a real browser (quality G1): a coordinator turns on
an authenticator app, signs out and signs in again with its code; a network that
requires two-factor sends a coordinator without it to set it up; signing in through
the organisation's OpenID Connect provider (a real one, on loopback) lands on the same
person's networks. Axe checks the pages on the way (quality A1)."""

import time

import pyotp
import pytest

from tests.factories import NetworkFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fresh_code(secret: str) -> str:
    """The authenticator app's code, not about to roll over while it is typed."""
    if 30 - time.time() % 30 < 3:
        time.sleep(3)
    return pyotp.TOTP(secret).now()


@pytest.fixture
def olivia(db, password):
    user = UserFactory(full_name="Olivia Owner", email="olivia@northcoast.nhs.uk")
    NetworkFactory(coordinator=user, name="North Coast Stroke Network")
    return user


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_olivia_turns_on_an_authenticator_app_signs_out_and_signs_in_with_its_code(
    page, axe_check, olivia, password
):
    sign_in(page, olivia.email, password)
    page.get_by_role("heading", name="My networks").wait_for()
    page.get_by_role("link", name="Two-factor").click()
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    axe_check(page, "two-factor settings")
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(password)  # allauth asks again before a change
    axe_check(page, "confirm the password")
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_role("img", name="A QR code for your authenticator app").wait_for()
    axe_check(page, "set up an authenticator app")
    page.get_by_label("Authenticator code").fill(fresh_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    axe_check(page, "recovery codes")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, olivia.email, password)
    page.get_by_role("heading", name="Your second factor").wait_for()
    axe_check(page, "the second factor")
    page.get_by_label("Code").fill(fresh_code(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.get_by_role("heading", name="My networks").wait_for()
    assert page.get_by_role("link", name="North Coast Stroke Network").is_visible()


def test_a_network_that_requires_two_factor_sends_its_coordinator_to_set_it_up(
    page, axe_check, olivia, password
):
    olivia.network_roles.update(network=olivia.network_roles.get().network)
    network = olivia.network_roles.get().network
    network.require_two_factor = True
    network.save(update_fields=["require_two_factor"])

    sign_in(page, olivia.email, password)
    page.get_by_role("link", name="North Coast Stroke Network").click()

    page.get_by_text("North Coast Stroke Network requires two-factor sign-in").wait_for()
    assert page.url.endswith("/accounts/2fa/")
    axe_check(page, "sent to set up two-factor")


def test_signing_in_through_the_organisations_provider_lands_on_olivias_networks(
    page, axe_check, olivia, identity_provider
):
    identity_provider.person(
        "olivia-0001", email=olivia.email, email_verified=True, name="Olivia Owner"
    )

    page.goto("/accounts/login/")
    axe_check(page, "sign in, with the organisation's provider")
    page.get_by_role("button", name="Sign in with North Coast NHS").click()
    page.get_by_placeholder("sub").fill("olivia-0001")  # the provider's own sign-in page
    page.get_by_role("button", name="Authorize").click()

    page.get_by_role("heading", name="My networks").wait_for()
    assert page.get_by_role("link", name="North Coast Stroke Network").is_visible()
    assert page.get_by_text("Olivia Owner").first.is_visible()


def test_olivia_adds_a_passkey_and_signs_in_with_it_alone(
    page, axe_check, olivia, password, settings
):
    """Chromium's virtual authenticator stands in for her laptop's (WebAuthn through the
    DevTools protocol). A passkey on http://localhost is allowed in tests only."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, olivia.email, password)
    page.get_by_role("link", name="Two-factor").click()
    page.get_by_role("link", name="Add", exact=True).click()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_label("Passwordless").check()
    axe_check(page, "add a passkey")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey instead").click()

    page.get_by_role("heading", name="My networks").wait_for()
    assert page.get_by_role("link", name="North Coast Stroke Network").is_visible()
