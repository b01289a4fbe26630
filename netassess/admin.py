"""The Django admin's site: its sign-in is the app's own (django-allauth's, with its
rate limit per client address, the confirmed address and the second factor), and a
superuser must sign in with two factors (quality S6, G1).

- Signed out: /admin/login/ sends people to allauth's sign-in, which comes back here.
- A superuser without an authenticator is sent to set one up, with a message saying
  why; one with an authenticator whose session has not completed the second factor
  (signed in before adding it) is asked for a code first.
"""

from functools import update_wrapper

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def second_factor_missing(request):
    """A redirect for a superuser who has not signed in with two factors, else None."""
    user = request.user
    if not (user.is_authenticated and user.is_superuser):
        return None
    if not is_mfa_enabled(user):
        messages.warning(
            request,
            "The admin site needs two-factor sign-in: set up an authenticator app or a "
            "passkey first.",
        )
        return redirect("mfa_index")
    records = get_authentication_records(request, user)
    if not any(record.get("method") == "mfa" for record in records):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
    return None


class NetassessAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            return second_factor_missing(request) or inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)
