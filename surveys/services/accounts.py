"""Coordinator accounts: sign-up, confirmation, claiming offered roles."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..emails import absolute_url, email_send
from ..models import NetworkRole, User


def user_signup(*, email: str, full_name: str, password: str) -> None:
    """An inactive account until the address is confirmed through the emailed link.

    Whether the address already has an account is told only to the address itself
    (account enumeration): its owner is emailed a way to sign in or choose a new
    password, and whoever signed up sees the same "check your email" page either way."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, password=password, full_name=full_name, is_active=False
                )
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.get(email__iexact=email)
        else:
            transaction.on_commit(lambda: user_send_confirmation(user=user))
            return
    # Hash the password anyway: creating an account does, and the two answers should
    # take about as long.
    make_password(password)
    transaction.on_commit(lambda: user_send_account_exists(user=existing))


def _uid_and_token(user: User) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def user_send_confirmation(*, user: User) -> None:
    path = reverse("signup_confirm", args=_uid_and_token(user))
    email_send(
        template="confirm_email", to=user.email, context={"user": user, "url": absolute_url(path)}
    )


def user_send_account_exists(*, user: User) -> None:
    """Someone signed up with an address that has an account: its owner gets a way in
    (sign in, or choose a new password through the usual reset link)."""
    context = {
        "user": user,
        "login_url": absolute_url(reverse("login")),
        "reset_url": absolute_url(reverse("password_reset_confirm", args=_uid_and_token(user))),
        "unconfirmed": user.email_confirmed_at is None,
    }
    email_send(template="account_exists", to=user.email, context=context)


def user_password_reset_done(*, user: User) -> None:
    """A password was set through an emailed link, which proves the address: an account
    that was never confirmed is confirmed now. One that was confirmed and then switched
    off (by staff) stays off."""
    if user.email_confirmed_at is None:
        user_confirm_email(user=user)


@transaction.atomic
def user_confirm_email(*, user: User) -> None:
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    roles_claim(user=user)


def roles_claim(*, user: User) -> int:
    """Roles a coordinator offered to this address become the user's own. Only for a
    confirmed address, so nobody can claim a role by signing up with someone's email."""
    if user.email_confirmed_at is None and not user.is_superuser:
        return 0
    return NetworkRole.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)
