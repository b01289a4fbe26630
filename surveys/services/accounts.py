"""Coordinator and leader accounts: claiming the roles offered to their addresses.

Signing up, confirming an address, signing in, resetting a password and two-factor
sign-in are django-allauth's (surveys/accounts.py holds the few changes to it)."""

from allauth.account.models import EmailAddress

from ..models import NetworkRole, User


def confirmed_user(email: str) -> User | None:
    """The account whose confirmed address this is, if any."""
    return User.objects.filter(
        emailaddress__email__iexact=email, emailaddress__verified=True
    ).first()


def roles_claim(*, user: User) -> int:
    """Roles a coordinator offered to one of this user's addresses become the user's
    own. Only confirmed addresses count, so nobody can claim a role by signing up with
    someone else's email."""
    claimed = 0
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    ):
        claimed += NetworkRole.objects.filter(email__iexact=email, user__isnull=True).update(
            user=user
        )
    return claimed


def user_address_confirm(*, user: User) -> EmailAddress:
    """The account's own address, confirmed without an emailed link: for accounts made
    by the site itself (the demo's, the benchmarks'), whose address nobody signs up
    with."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True}
    )
    if not address.primary:
        address.set_as_primary()
    return address
