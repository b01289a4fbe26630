"""Accounts on django-allauth: the few places netassess differs from its defaults.

- Every rate limit keys on the client address that surveys.client_address gives
  (behind TRUSTED_PROXIES proxies, the entry they added to X-Forwarded-For), allauth's
  included: sign-in, sign-up and password reset (quality S6, G4).
- A sign-up asks for the person's name, kept on the account.
- Roles offered to an address are claimed once the address is confirmed: when it is
  confirmed by the emailed link, and at every sign-in (a role offered since, or an
  address confirmed by the organisation's identity provider).
- A password set through an emailed reset link confirms the address it went to.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.utils import build_absolute_uri
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse

from . import services
from .client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_address(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email can link to the sign-in page (the "you already have an
        account" one does)."""
        login_url = build_absolute_uri(context.get("request"), reverse("account_login"))
        super().send_mail(template_prefix, email, {"login_url": login_url, **context})

    def save_user(self, request, user, form, commit=True):
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.full_name = (data.get("name") or "").strip()[:150]
        return user


@receiver(email_confirmed)
def claim_roles_of_confirmed_address(sender, *, request, email_address, **kwargs) -> None:
    services.roles_claim(user=email_address.user)


@receiver(user_logged_in)
def claim_roles_at_sign_in(sender, *, request, user, **kwargs) -> None:
    services.roles_claim(user=user)


@receiver(password_reset)
def confirm_address_of_password_reset(sender, *, request, user, **kwargs) -> None:
    """The reset link went to the account's address, so following it proves the
    address: an account that signed up and never confirmed is confirmed now (and its
    offered roles claimed), instead of being asked to confirm at its next sign-in."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(
        verified=True
    )
    services.roles_claim(user=user)
