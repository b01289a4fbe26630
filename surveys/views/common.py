from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django_ratelimit.core import get_usage

from ..selectors import NetworkAccess, network_access


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("network_list")
    return render(request, "home.html")


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many attempts from one address (quality S6): django-ratelimit's limits, and
    allauth's (sign-in, sign-up, password reset) through netassess.urls.handler429."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


class FailureLimit:
    """A limit on failed attempts only (a wrong link, an unknown meeting code), so people
    sharing one hospital address are never blocked by each other's successes, while a
    guesser is stopped after RATELIMIT_RATE misses (quality S6). Misses are counted per
    client address (`key="ip"` reads surveys.client_address through
    RATELIMIT_IP_META_KEY), so behind the proxy one guesser locks out only themself."""

    def __init__(self, group: str):
        self.group = group

    def _usage(self, request: HttpRequest, increment: bool) -> dict | None:
        return get_usage(
            request, group=self.group, key="ip", rate=settings.RATELIMIT_RATE, increment=increment
        )

    def reached(self, request: HttpRequest) -> bool:
        """Checked before an attempt: the limit is reached once `limit` misses are on
        record. Never when rate limiting is switched off."""
        usage = self._usage(request, increment=False)
        return bool(usage) and usage["count"] >= usage["limit"]

    def record_failure(self, request: HttpRequest) -> None:
        self._usage(request, increment=True)


def network_view(*, manage: bool = False, methods: tuple[str, ...] | None = None):
    """Every coordinator and leader page is wrapped in this: sign-in required, then the
    one scoping check (404 for outsiders, 403 for a leader asking to manage), then the
    HTTP method, in that order so an outsider learns nothing from a 405."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, network_id: int, **kwargs) -> HttpResponse:
            access = network_access(request.user, network_id, manage=manage)
            if methods and request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, access, **kwargs)

        return wrapper

    return decorator


def render_page(
    request: HttpRequest, template: str, access: NetworkAccess, http_status: int = 200, **context
) -> HttpResponse:
    """A page of one network: every such template gets the network and the access."""
    context = {"network": access.network, "access": access, **context}
    return render(request, template, context, status=http_status)


def form_add_service_error(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: beside its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and compose: the app answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
