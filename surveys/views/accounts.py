from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_ratelimit.decorators import ratelimit

from .. import services
from ..forms import LoginForm, SignupForm
from ..models import User

throttle = ratelimit(key="ip", rate=settings.RATELIMIT_RATE, method="POST", block=True)
# Both sign-in pages (this one and the admin's, netassess/admin.py) check the same
# passwords, so they share one budget per client address: two pages are not two budgets.
sign_in_throttle = ratelimit(
    group="sign-in", key="ip", rate=settings.RATELIMIT_RATE, method="POST", block=True
)


@method_decorator(sign_in_throttle, name="post")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}

    def get_context_data(self, **kwargs):
        as_leader = self.request.GET.get("as") == "leader"
        return super().get_context_data(as_leader=as_leader, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.roles_claim(user=form.get_user())
        return response


@method_decorator(throttle, name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same whether or not the address has an account (Django's own
    behaviour: the "check your email" page either way)."""

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Reached from the "you already have an account" email too, which may go to an
        # account that was never confirmed: setting a password proves the address.
        services.user_password_reset_done(user=form.user)
        return response


@throttle
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("network_list")
    initial = {"email": request.GET.get("email", "")}
    form = SignupForm(request.POST or None, initial=initial)
    # A leader's invitation links here with ?as=leader: the same account, in a
    # leader's words (read-only results), not "create a coordinator account".
    as_leader = request.GET.get("as") == "leader"
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        with transaction.atomic():
            services.user_signup(
                email=email,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        # The same page whether or not the address had an account (the email differs).
        return render(request, "registration/signup_sent.html", {"email": email})
    return render(
        request,
        "registration/signup.html",
        {"form": form, "as_leader": as_leader, "email": initial["email"]},
    )


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    # The token covers is_active (via last_login and the password hash), so a link
    # works once; an already confirmed account just signs in.
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "registration/signup_invalid.html", status=400)
    services.user_confirm_email(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Your email address is confirmed. Welcome to netassess.")
    return redirect("network_list")
