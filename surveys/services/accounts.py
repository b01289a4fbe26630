"""Coordinator accounts: sign-up, confirmation, claiming offered roles."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..emails import absolute_url, email_send
from ..models import NetworkRole, User


def user_signup(*, email: str, full_name: str, password: str) -> User:
    """An inactive account until the address is confirmed through the emailed link."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, is_active=False
    )
    transaction.on_commit(lambda: user_send_confirmation(user=user))
    return user


def user_send_confirmation(*, user: User) -> None:
    path = reverse(
        "signup_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    email_send(
        template="confirm_email", to=user.email, context={"user": user, "url": absolute_url(path)}
    )


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
