"""Shared fixtures: the three people every view is tried with, and the real parts.

Under CI=true a test whose real part (PostgreSQL, Redis, the browser) is missing fails;
elsewhere it is skipped with the reason, so `make test` says what it did not check."""

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings as django_settings

from netassess.celery import app as celery_app
from tests.factories import PASSWORD, NetworkFactory, UserFactory, add_role

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI needs this part: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own, so two suites on one machine never share (or
    drop) each other's."""
    test = django_settings.DATABASES["default"].setdefault("TEST", {})
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        test["NAME"] = f"test_netassess_{os.getpid()}"


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled():
    """The catalogs in locale/ compiled, as `make test` does first, so a test run
    straight with pytest shows Welsh too."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Unit tests: quick hashing, in-memory email and cache, tasks run in-process at
    commit. Integration tests switch the real parts back on explicitly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def postgres():
    need(
        django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "PostgreSQL: set DATABASE_URL=postgres://...",
    )


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    need(bool(url) and port_open(url, 6379), "Redis: set REDIS_URL=redis://...")
    return url


@pytest.fixture
def redis_server_binary():
    path = shutil.which("redis-server")
    need(path is not None, "redis-server on PATH, for private Redis servers in fault tests")
    return path


# ---- an identity provider for single sign-on ------------------------------------------


class IdentityProvider:
    """A real OpenID Connect provider (oidc-provider-mock: Flask and Authlib, signing
    its tokens) in a process of its own on a free loopback port. It answers discovery,
    authorisation, token and userinfo requests like any provider; its sign-in form asks
    only who you are (`sub`), and `person()` says what it knows about them."""

    provider_id = "organisation"
    client_id = "netassess-tests"
    secret = "a-client-secret-for-the-tests"

    def __init__(self, url: str):
        self.url = url

    def person(self, sub: str, **claims) -> None:
        import httpx

        response = httpx.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims, timeout=10)
        response.raise_for_status()

    def sign_in(self, authorize_url: str, sub: str) -> str:
        """What a person's browser does at the provider: posts who they are on its form.
        Returns where the provider sends them back (the app's callback, with a code)."""
        import httpx

        response = httpx.post(authorize_url, data={"sub": sub}, timeout=10)
        assert response.status_code in (302, 303), response.text
        return response.headers["location"]


@pytest.fixture(scope="session")
def identity_provider_server():
    need(
        importlib.util.find_spec("oidc_provider_mock") is not None,
        "oidc-provider-mock, for single sign-on: pip install -r requirements-dev.txt",
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not port_open(url, port):
            if process.poll() is not None or time.monotonic() > deadline:
                need(False, "the OpenID Connect provider did not start")
            time.sleep(0.1)
        yield IdentityProvider(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def identity_provider(identity_provider_server, settings):
    """The app configured against the provider, as OIDC_* would configure it."""
    from netassess.oidc import oidc_origins, oidc_providers

    provider = identity_provider_server
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(
        server_url=provider.url,
        client_id=provider.client_id,
        secret=provider.secret,
        name="North Coast NHS",
        provider_id=provider.provider_id,
        domains=[],
    )
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "form-action": ["'self'", *oidc_origins(provider.url)]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return provider


# ---- the three people -------------------------------------------------------------


@pytest.fixture
def owner(db):
    return UserFactory(full_name="Olivia Owner")


@pytest.fixture
def network(owner):
    return NetworkFactory(coordinator=owner, name="North Coast Stroke Network")


@pytest.fixture
def leader(network):
    user = UserFactory(full_name="Leo Leader")
    add_role(network, user)
    return user


@pytest.fixture
def outsider(db):
    """A coordinator of another network: signed in, but not on this one."""
    user = UserFactory(full_name="Otto Outsider")
    NetworkFactory(coordinator=user, name="Someone Else's Network")
    return user


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def instruments(db):
    """The shipped instruments, loaded as `make run` loads them: per kind, the latest
    version, which is the one a new round gets (`v1_instruments` pins the first)."""
    from surveys import services
    from surveys.models import Instrument

    services.instruments_load()
    latest: dict = {}
    for instrument in Instrument.objects.order_by("kind", "-version"):
        latest.setdefault(instrument.kind, instrument)
    return latest


@pytest.fixture
def v1_instruments(instruments):
    """Version 1 of each instrument, for tests written against its items."""
    from surveys.models import Instrument

    return {i.kind: i for i in Instrument.objects.filter(version=1)}


# ---- no token in any log line, over the whole run (tests/log_scan.py) ---------------


def pytest_sessionstart(session):
    from tests import log_scan  # pytest-django has set Django and its logging up

    log_scan.start()


def pytest_sessionfinish(session, exitstatus):
    from tests import log_scan

    leaked = log_scan.leaks()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"log scan: {log_scan.lines_written()} log lines written, {len(leaked)} with a token"
        )
    if leaked:
        for line in leaked[:20]:
            print("TOKEN IN LOG:", line)
        session.exitstatus = 1
