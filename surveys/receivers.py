"""Sign-ins in the audit trail, from Django's own signals: whichever view signs people
in (the password form, an email confirmation, later a single sign-on provider), the
trail hears of it without that view knowing."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.dispatch import receiver

from .models import Event, User
from .services.events import event_record


@receiver(user_logged_in)
def record_sign_in(sender, *, request, user, **kwargs) -> None:
    event_record(Event.SIGNED_IN, actor=user, account=user)


@receiver(user_login_failed)
def record_failed_sign_in(sender, *, credentials, request=None, **kwargs) -> None:
    """Who was tried: the account when the address has one (its coordinators see it),
    else the address typed, but only when it is an email address: people type their
    password into the wrong box, and a password must never reach the trail."""
    typed = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    account = User.objects.filter(email__iexact=typed).first() if typed else None
    detail = ""
    if account is None and typed:
        try:
            validate_email(typed)
        except ValidationError:
            detail = "An address with no account (not an email address, so not kept)"
        else:
            detail = f"An address with no account: {typed[:254]}"
    event_record(Event.SIGN_IN_FAILED, account=account, detail=detail)
