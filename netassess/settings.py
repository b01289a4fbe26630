"""Settings for netassess: one file, every difference between machines comes from the
environment (see the configuration table in README.md).

A fresh clone runs with nothing set: SQLite, tasks run in-process, email printed to
the console. Production sets DEBUG=0 and the variables below.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from netassess.oidc import oidc_origins, oidc_providers

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)


def _weak_secret(key: str) -> bool:
    # Django's deploy check's bar: 50+ characters, 5+ distinct, not from startproject.
    return (
        key == _DEV_SECRET_KEY
        or key.startswith("django-insecure-")
        or len(key) < 50
        or len(set(key)) < 5
    )


if not DEBUG and _weak_secret(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a strong random value (50+ characters) when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# `PORT=8101 make run` serves on 8101, so the links in emails, Copy link and share
# links must point there too: the embedded default follows PORT. Production sets SITE_URL.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "netassess.apps.AdminConfig",  # django.contrib.admin, its sign-in throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    # Accounts (sign-up, sign-in, reset, email verification, rate limits), two-factor
    # sign-in and single sign-on through an organisation's OpenID Connect provider.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "surveys",
    "meetings",
    "scorecards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each person's language, English or Welsh (surveys/languages.py).
    "surveys.languages.ActiveLanguage",
    "surveys.middleware.SlidingSessionExpiry",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A network that requires two-factor sends its people without it to set it up
    "surveys.middleware.TwoFactorRequiredRedirect",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # The client address of each request, for the audit trail.
    "surveys.audit_address.AuditAddress",
]

ROOT_URLCONF = "netassess.urls"
WSGI_APPLICATION = "netassess.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # No health check (CONN_HEALTH_CHECKS): it costs every request a round trip of its
    # own to spare one request per worker after the database restarts or drops the
    # connection. Without it, that request fails, Django closes the broken connection at
    # its end, and the next request reconnects. A failed save stores nothing (answers
    # are saved in one transaction), and the survey page keeps unsaved answers on the
    # member's device and sends them again.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "surveys.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network_list"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # Django's, for the admin's own checks and `manage.py` (its sign-in page sends
    # people to allauth's, netassess/admin.py), and allauth's, which every sign-in goes
    # through: email and password, then the address confirmed, then the second factor.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
# The browser that prints the steering-group pack to PDF on the server; empty: the
# first `chromium` on the PATH, and without one the pack is printed from the browser.
PDF_CHROMIUM = env.str("PDF_CHROMIUM", default="")
USE_I18N = True
# English and Welsh (README: Languages). Translations: ours in locale/, then in locale/allauth
# those others ship no Welsh for (allauth's, Django's password rules); compile_translations.
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Fingerprinted, compressed, cached for a year (quality P5). In DEBUG the plain
    # storage keeps `make run` free of a collectstatic step.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In DEBUG, WhiteNoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Redis is optional: without it, tasks run in-process at commit and the cache is
# local memory, so a laptop needs nothing else installed.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache and written through to the database: a page view
# costs one query less, and nothing is lost when the cache is cleared.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Every session (a coordinator's, a leader's, a member's survey, a share link's) ends
# after this many hours without a request; surveys.middleware slides it forward.
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = round(SESSION_IDLE_HOURS * 3600)

# Email: console by default; smtp+tls://user:pass@host:587 and friends in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="netassess <noreply@netassess.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Who runs this site: for the statements (accessibility, privacy notice, docs/dpia.md).
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="The organisation that runs this site")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="privacy@netassess.local")
DEFAULT_RETENTION_MONTHS = env.int("DEFAULT_RETENTION_MONTHS", default=24)  # docs/retention.md
EMAIL_TIMEOUT = 20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Throttling (quality S6): login and token links, per client address.
RATELIMIT_VIEW = "surveys.views.common.ratelimited"
# How many proxies in front set X-Forwarded-For (the README's TLS proxy: 1). The client
# address every limit keys on is read that many entries from the header's right; with
# 0 the header is ignored, so it cannot be forged to dodge a limit (quality G4).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "surveys.client_address.client_address"
RATELIMIT_RATE = env.str("RATELIMIT_RATE", default="10/m")
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
if not REDIS_URL:
    # Local memory is per process, which is right for `make run` (one process).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# Accounts: django-allauth (docs/security.md). Email is the login (there is no
# username), and an address is confirmed by an emailed link before it signs in.
ACCOUNT_ADAPTER = "surveys.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]  # and "Your name"
ACCOUNT_FORMS = {"signup": "surveys.forms.SignupForm", "login": "surveys.forms.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # one address per account: a change replaces it
# Nobody learns from sign-up or password reset whether an address has an account: the
# same page either way, and only the address's owner is told, by email. Strangers'
# addresses typed into the reset form get no email at all.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "netassess: "
# No "remember me": every session ends SESSION_IDLE_HOURS after its last request.
ACCOUNT_SESSION_REMEMBER = True
if not DEBUG:
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Rate limits (quality S6) per client address, as surveys.client_address gives it (the
# adapter's get_client_ip); every sign-in POST counts, the admin's (this page) too.
ACCOUNT_RATE_LIMITS = {
    "login": f"{RATELIMIT_RATE}/ip",
    "signup": f"{RATELIMIT_RATE}/ip",
    "reset_password": f"{RATELIMIT_RATE}/ip,5/m/key",
    "reset_password_from_key": f"{RATELIMIT_RATE}/ip",
}
if not RATELIMIT_ENABLE:
    ACCOUNT_RATE_LIMITS = False

# Two-factor sign-in: an authenticator app (TOTP) with recovery codes, and passkeys;
# every sign-in of an account with an authenticator asks for it, single sign-on too.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "netassess"
# Passkeys need HTTPS, except on http://localhost for `make run`.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Single sign-on through the organisation's OpenID Connect provider, off unless
# OIDC_SERVER_URL is set (README: the variables, with Microsoft Entra ID as an example).
SOCIALACCOUNT_ADAPTER = "surveys.accounts.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="").rstrip("/")
SOCIALACCOUNT_PROVIDERS = (
    oidc_providers(
        server_url=OIDC_SERVER_URL,
        client_id=env.str("OIDC_CLIENT_ID"),
        secret=env.str("OIDC_CLIENT_SECRET"),
        name=env.str("OIDC_NAME", default="your organisation"),
        provider_id=env.str("OIDC_PROVIDER_ID", default="organisation"),
        domains=env.list("OIDC_TRUSTED_EMAIL_DOMAINS", default=[]),
    )
    if OIDC_SERVER_URL
    else {}
)

# Member CSV import limits (quality S10).
MEMBER_IMPORT_MAX_BYTES = env.int("MEMBER_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
MEMBER_IMPORT_MAX_ROWS = env.int("MEMBER_IMPORT_MAX_ROWS", default=20000)
DEFAULT_STAKEHOLDER_GROUPS = ["Clinician", "Manager", "Patient or carer", "Commissioner"]
DEFAULT_STAKEHOLDER_GROUPS += ["Voluntary sector", "Other"]

# What the maturity-matrix meeting shows of members' survey ratings and of how the
# network is connected: what the round's latest release published (never answers).
MEETINGS_RELEASED_RATINGS = "scorecards.selectors.released_matrix_counts"
MEETINGS_RELEASED_RELATIONSHIPS = "scorecards.selectors.released_relationships"

# Seconds to wait after a submission before scoring, so a burst gives one run.
AGGREGATION_DEBOUNCE_SECONDS = env.int("AGGREGATION_DEBOUNCE_SECONDS", default=10)

# Celery: configured so that work is never lost (acks late, re-queued if a worker
# dies, one task prefetched at a time) and nothing but JSON crosses the broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TASK_TIME_LIMIT = 600
# Longer than the longest task, or Redis hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {"task": "surveys.tasks.send_due_reminders", "schedule": 3600.0},
    "sweep-invitations": {"task": "surveys.tasks.sweep_invitations", "schedule": 300.0},
    "sweep-snapshots": {"task": "scorecards.tasks.sweep_snapshots", "schedule": 120.0},
    "sweep-summary-emails": {"task": "scorecards.tasks.sweep_summary_emails", "schedule": 300.0},
    "send-action-reminders": {"task": "meetings.tasks.send_action_reminders", "schedule": 3600.0},
    # Daily, at night: retention warnings, then deletion of raw answers (docs/retention.md).
    "apply-retention": {
        "task": "surveys.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}
# An action's owner is reminded this many days before its due date (once per due date).
ACTION_REMINDER_DAYS = env.int("ACTION_REMINDER_DAYS", default=7)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks come over plain HTTP from inside the container or from a load
    # balancer, and must get the answer, not a redirect to https (netassess/healthcheck.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"


# Content-Security-Policy (docs/security.md). Scripts: only files served by this site,
# so markup that slips into a page cannot run; no 'unsafe-eval' either (the vendored
# plotly.js builds functions from strings only in trace types netassess never draws).
# Styles, for browsers that know style-src-elem and style-src-attr (all current ones):
# - <style> elements: none of ours (our CSS is in files), only the two plotly.js makes
#   itself, allowed by hash: the empty element it then fills through the CSSOM (which
#   the policy does not govern), and maplibre's fixed stylesheet that the bundle adds
#   on load (tests/test_csp.py recomputes both from static/vendor/plotly/);
# - style="..." attributes: allowed. Progress bars and the meeting's bars are drawn with
#   them, and plotly.js sets some through d3. An attribute holds no selector and can
#   load nothing from elsewhere (img-src and font-src stay on this site), so it cannot
#   read or send out the page; putting one in a page needs markup injection, which the
#   script policy and autoescaping already stop.
# style-src is only the fallback for older browsers that know neither, so they still
# draw the page as it was before the policy.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty <style>
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # maplibre's stylesheet
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF, *PLOTLY_STYLE_HASHES],
        "style-src-attr": [UNSAFE_INLINE],
        # data: and blob: for the images plotly.js makes in the browser when a chart is
        # downloaded as SVG or PNG (only this site's scripts can make either)
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # Signing in through the organisation's provider posts a form here that
        # redirects there, which the browser checks against form-action too.
        "form-action": [SELF, *oidc_origins(OIDC_SERVER_URL)],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler redacts the secret in any token-carrying address (quality G4): a
    # handler added here must list "redact_tokens" too (tests/test_security.py checks).
    "filters": {"redact_tokens": {"()": "surveys.log_filters.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own loggers (django.request's "Not Found: <path>", django.server's request
    # lines) go through the same redacting handler as everything else.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
