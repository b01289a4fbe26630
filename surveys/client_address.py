"""The address a request really came from, for rate limits (quality S6, G4).

Behind a TLS proxy every request arrives from the proxy's address, so limits keyed on
REMOTE_ADDR would give all members one shared budget: ten bad links a minute from
anyone would lock everyone out. Each proxy appends the address it was reached from to
X-Forwarded-For, so with TRUSTED_PROXIES proxies in front the client is the entry that
many places from the right; everything further left was written by the client and
proves nothing. With no trusted proxy the header is ignored, so nobody can pick their
own address by sending one.

django-ratelimit reads this through RATELIMIT_IP_META_KEY, so every `key="ip"` limit
(links, meeting codes, share links) keys on the same address, and allauth's limits
(sign-in, sign-up, password reset) read it through the account adapter's
`get_client_ip` (surveys/accounts.py).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        # The request did not come through every proxy (a health check from inside the
        # container, say): the connection's own address is all there is.
        return remote
    candidate = forwarded[-hops]
    # A trusted proxy writes a bare address; anything else is not one we can key on.
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
