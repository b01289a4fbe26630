"""A Welsh reader sees the account pages, the error pages and the start page in Welsh
(README: Languages): a visitor who chose Welsh (`?lang=cy`, kept for the session) signs
in, signs up and resets a password in Welsh; a signed-in coordinator whose language is
Welsh changes a password, sets up two-factor sign-in and reads an error in Welsh. Each
page is rendered for an English and a Welsh reader; the Welsh shares no English text of
ours, nor of allauth's (translated in locale/allauth), and says lang="cy"."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from netassess import urls as site_urls
from surveys.models import User
from surveys.views.common import ratelimited
from tests.factories import UserFactory, add_role
from tests.welsh import english_left

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a fault, for the test")


# The site's addresses, and two that fail: Django's own 500 handler, the site's 429 page.
urlpatterns = [
    path("test-boom/", _boom),
    path("test-too-many/", ratelimited),
    *site_urls.urlpatterns,
]
# The meetings' join form on the start page is the meetings' own (translated there).
MEETINGS_FORM = ["Meeting code", "Join"]


def assert_welsh(english: dict[str, str], welsh: dict[str, str], data: list[str]) -> None:
    assert english.keys() == welsh.keys()
    left = {name: english_left(english[name], welsh[name], data) for name in english}
    assert {name: found for name, found in left.items() if found} == {}
    for name, html in welsh.items():
        assert '<html lang="cy">' in html, name
        assert '<html lang="en-GB">' in english[name], name


def visitor(language: str) -> Client:
    """Someone not signed in who chose a language with the start page's switch."""
    client = Client()
    client.get(reverse("home") + f"?lang={language}")
    return client


def visitor_pages(client: Client, someone: User) -> dict[str, str]:
    login, signup = reverse("account_login"), reverse("account_signup")
    seen = {
        "start page": client.get(reverse("home")),
        "sign in": client.get(login),
        "sign in, as a leader": client.get(login + "?as=leader&email=new@example.org"),
        "sign in, wrong password": client.post(
            login, {"login": someone.email, "password": "not the password"}
        ),
        "sign up": client.get(signup),
        "sign up, as a leader": client.get(signup + "?as=leader"),
        "sign up, errors": client.post(
            signup, {"email": "not an address", "password1": "a", "password2": "b"}
        ),
        "password reset": client.get(reverse("account_reset_password")),
        "password reset, errors": client.post(reverse("account_reset_password"), {}),
        "password reset, sent": client.get(reverse("account_reset_password_done")),
        "password reset, bad link": client.get(
            reverse("account_reset_password_from_key", args=["x", "bad-key"]), follow=True
        ),
        "confirm address, bad link": client.get(reverse("account_confirm_email", args=["bad-key"])),
        "page not found": client.get("/no-such-page/"),
        "too many attempts": client.get("/test-too-many/"),
    }
    client.post(
        signup,
        {
            "full_name": "Nia Vaughan",
            "email": f"nia.{client.session['language']}@example.org",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
        },
    )
    seen["check your email"] = client.get(reverse("account_email_verification_sent"))
    return {name: response.content.decode() for name, response in seen.items()}


@override_settings(ROOT_URLCONF=__name__)
def test_a_visitor_who_chose_welsh_signs_in_signs_up_and_resets_a_password_in_welsh(owner):
    english = visitor_pages(visitor("en"), owner)
    welsh = visitor_pages(visitor("cy"), owner)

    assert_welsh(english, welsh, [owner.email, "new@example.org", *MEETINGS_FORM])
    assert "Mewngofnodi" in welsh["sign in"]
    assert "Creu cyfrif cydlynydd" in welsh["sign up"]
    # allauth's own words, from locale/allauth: its form labels and its refusal
    assert "Cyfrinair" in welsh["sign in"]
    assert "a/neu" in welsh["sign in, wrong password"]
    # and the switch back, in its own language
    assert 'lang="en-GB" hreflang="en-GB">English</a>' in welsh["start page"]


def signed_in(language: str, password: str) -> tuple[Client, User]:
    user = UserFactory(language=language, full_name=f"Coordinator {language}")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    return client, user


def account_pages(client: Client, password: str) -> dict[str, str]:
    seen = {
        "two-factor": client.get(reverse("mfa_index")),
        "change password": client.get(reverse("account_change_password")),
        "change password, errors": client.post(
            reverse("account_change_password"),
            {"oldpassword": "wrong", "password1": "x", "password2": "y"},
        ),
        "email address": client.get(reverse("account_email")),
        "sign out": client.get(reverse("account_logout")),
        "connected accounts": client.get(reverse("socialaccount_connections")),
        "language": client.get(reverse("account_language")),
        "confirm your password": client.get(reverse("mfa_activate_totp"), follow=True),
    }
    client.post(reverse("account_reauthenticate"), {"password": password})
    seen["authenticator app"] = client.get(reverse("mfa_activate_totp"))
    seen["authenticator app, wrong code"] = client.post(
        reverse("mfa_activate_totp"), {"code": "000000"}
    )
    seen["security key"] = client.get(reverse("mfa_add_webauthn"))
    seen["recovery codes"] = client.get(reverse("mfa_generate_recovery_codes"))
    return {name: response.content.decode() for name, response in seen.items()}


def test_a_welsh_coordinator_manages_password_and_two_factor_sign_in_in_welsh(password):
    english_client, english_user = signed_in("en", password)
    welsh_client, welsh_user = signed_in("cy", password)

    english = account_pages(english_client, password)
    welsh = account_pages(welsh_client, password)

    data = [str(english_user), str(welsh_user), english_user.email, welsh_user.email]
    assert_welsh(english, welsh, data)
    assert "Allweddi diogelwch" in welsh["two-factor"]
    assert "Newid cyfrinair" in welsh["change password"]


def error_pages(client: Client, network) -> dict[str, str]:
    seen = {
        "403": client.get(reverse("network_audit", args=[network.pk])),
        "404": client.get("/no-such-page/"),
        "429": client.get("/test-too-many/"),
        "500": client.get("/test-boom/"),
    }
    assert [r.status_code for r in seen.values()] == [403, 404, 429, 500]
    return {name: response.content.decode() for name, response in seen.items()}


@override_settings(ROOT_URLCONF=__name__)
def test_a_welsh_leader_reads_the_error_pages_in_welsh(network):
    readers = {}
    for language in ("en", "cy"):
        leader = UserFactory(language=language)
        add_role(network, leader)
        client = Client(raise_request_exception=False)
        client.force_login(leader)
        readers[language] = error_pages(client, network)

    english, welsh = readers["en"], readers["cy"]
    data = [network.name, *(str(u) for u in User.objects.all())]
    # The 500 page stands alone, with no base page: no footer or menu to compare.
    assert_welsh(english, welsh, data)
    assert "Aeth rhywbeth o'i le" in welsh["500"]
    assert "Dim ond cydlynwyr y rhwydwaith" in welsh["403"]
    assert re.search(r"<html lang=\"cy\">", welsh["500"])
