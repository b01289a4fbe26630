"""Keeps each request's client address for the audit trail (surveys.services.events),
so that services record where an event came from without being handed the request."""

import ipaddress

from .client_address import client_address
from .services.events import address_reset, address_set


def _address(request) -> str | None:
    """The client address as the rate limits see it, if it is an address at all (a
    server on a unix socket may give none)."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


class AuditAddress:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        handle = address_set(_address(request))
        try:
            return self.get_response(request)
        finally:
            address_reset(handle)
