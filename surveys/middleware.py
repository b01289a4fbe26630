"""Sessions end after SESSION_IDLE_HOURS without a request (8 by default).

Django's own sessions last SESSION_COOKIE_AGE from their last save, and are saved only
when something in them changes, so a coordinator's session would end in the middle of
a working day (or, with the old two weeks, outlive a shared computer's day by far).
This slides the expiry forward as the session is used. It saves at most once a
minute, not on every request (SESSION_SAVE_EVERY_REQUEST would write every page view
to the database, survey pages included).

It applies to every session, not only signed-in ones: a member's survey session on a
shared computer is not left open for the next person either. A member who comes back
later opens the link in their email again; it starts a new session on the answers
already saved.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from .selectors import TwoFactorRequired

ACTIVE_KEY = "_active_at"
REFRESH_EVERY = 60  # seconds: how stale the expiry may get, against a write per request


class SlidingSessionExpiry:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and _holds_something(session):
            now = int(timezone.now().timestamp())
            # Noted for free whenever the session is saved anyway (signing in, opening a
            # link); otherwise saved for its fresh expiry at most once a minute. A
            # session that never noted it (made before this, or by a test's
            # force_login) slides from its next save on.
            last = session.get(ACTIVE_KEY, now)
            if session.modified or now - last >= REFRESH_EVERY:
                session[ACTIVE_KEY] = now
        return response


def _holds_something(session) -> bool:
    """An empty session (a visitor who never signed in or opened a link, one who just
    signed out, a cookie whose session has ended) is left alone: refreshing it would
    make a new one."""
    return not session.is_empty() and bool(set(session.keys()) - {ACTIVE_KEY})


class TwoFactorRequiredRedirect:
    """A network that requires two-factor sign-in, opened by one of its coordinators or
    leaders who has no authenticator yet (surveys.selectors.network_access): they are
    sent to set one up, told why, instead of seeing the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoFactorRequired):
            return None
        messages.warning(
            request,
            f"{exception.network.name} requires two-factor sign-in. Set up an "
            "authenticator app or a passkey, then open the network again.",
        )
        return redirect("mfa_index")
