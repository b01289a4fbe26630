"""The Django admin's site, with its sign-in throttled like the app's own (quality S6).

Without this, /admin/login/ would take unlimited password guesses while
/accounts/login/ stops at RATELIMIT_RATE: both check the same passwords, so they
share one budget per client address."""

from django.contrib import admin
from django.utils.decorators import method_decorator

from surveys.views.accounts import sign_in_throttle


class NetassessAdminSite(admin.AdminSite):
    @method_decorator(sign_in_throttle)
    def login(self, request, extra_context=None):
        return super().login(request, extra_context)
