"""The web container's health check (docker-compose.yml runs `python -m
netassess.healthcheck`): GET /healthz from inside the container, and succeed only on
a 200.

It sends a Host the site answers to, the first of ALLOWED_HOSTS: Django answers any
other with a 400, and the container's own address is rarely among them in production.
It follows no redirect, so a redirect is a failure rather than a fetch of https://
from a server that speaks plain HTTP; /healthz is exempt from the HTTPS redirect
(SECURE_REDIRECT_EXEMPT) so that checks from inside, and load balancers checking over
plain HTTP, get the answer itself.
"""

import os
import sys
import urllib.error
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx is then raised as an HTTPError, and fails the check


def site_host() -> str:
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")  # ".example.org" allows example.org too
        if name and name != "*":
            return name
    return "localhost"  # among the settings' defaults


def status(url: str = URL, timeout: float = 4) -> int | None:
    request = urllib.request.Request(url, headers={"Host": site_host()})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    url = (argv if argv is not None else sys.argv[1:]) or [URL]
    answered = status(url[0])
    print(f"GET {url[0]} (Host: {site_host()}): {answered or 'no answer'}")
    return 0 if answered == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
