from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ..selectors import network_access


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("network_list")
    return render(request, "home.html")


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Too many attempts from one address (quality S6)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


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


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and compose: the app answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
