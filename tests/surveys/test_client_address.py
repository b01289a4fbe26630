"""The client address every rate limit keys on (surveys/client_address.py, quality G4)."""

import pytest
from django.test import RequestFactory

from surveys.client_address import client_address

PROXY = "10.0.0.5"


def request(forwarded: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_with_no_trusted_proxy_a_forged_forwarded_header_changes_nothing(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_address(request("198.51.100.1")) == PROXY
    assert client_address(request()) == PROXY


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        # one proxy: it appended the address it was reached from; anything to the left
        # came from the client and is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # two proxies: the second appended the first's address
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_that_many_hops_from_the_right(
    settings, hops, forwarded, expected
):
    settings.TRUSTED_PROXIES = hops

    assert client_address(request(forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.7:443"])
def test_a_request_that_did_not_come_through_the_proxy_keys_on_its_connection(settings, forwarded):
    settings.TRUSTED_PROXIES = 1

    assert client_address(request(forwarded)) == PROXY
