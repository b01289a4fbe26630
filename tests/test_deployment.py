"""The deployment files agree with the settings, and production settings are safe (S1).
No Docker engine is needed: the compose file is read, not run."""

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import environ
import pytest
import yaml
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from netassess import healthcheck

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "netassess.example.org",
    "SITE_URL": "https://netassess.example.org",
    "DATABASE_URL": "postgres://netassess:secret@db.example.org:5432/netassess",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    unwanted = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "a" * 40, "ab" * 30])
def test_weak_or_missing_secret_key_is_refused_when_debug_is_off(key):
    env = {**PRODUCTION_ENV, "SECRET_KEY": key}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set to a strong random value" in result.stderr


def test_every_production_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in PRODUCTION_ENV:
        assert f"`{name}`" in readme, f"{name} is not documented in README.md"


# ---- docker-compose.yml -----------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def app_env(service: dict) -> dict[str, str]:
    # Compose substitutes ${NAME:-default} and ${NAME:?message}; take the default or
    # a stand-in so the values can be parsed like the settings would parse them.
    def substitute(value: str) -> str:
        return re.sub(
            r"\$\{(\w+)(?::[-?]([^}]*))?\}", lambda m: os.environ.get(m[1], m[2] or "x"), value
        )

    return {k: substitute(str(v)) for k, v in service["environment"].items()}


def test_compose_has_the_services_the_product_needs(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis", "mailpit"}


def test_web_worker_and_beat_share_one_image_and_environment(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in ("web", "worker", "beat")}
    assert images == {"netassess:latest"}
    assert all(services[name]["build"] == "." for name in ("web", "worker", "beat"))
    assert (
        services["web"]["environment"]
        == services["worker"]["environment"]
        == services["beat"]["environment"]
    )
    assert "gunicorn netassess.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A netassess worker")
    assert services["beat"]["command"].startswith("celery -A netassess beat")


def test_compose_environment_matches_the_settings(compose):
    settings_source = (ROOT / "netassess" / "settings.py").read_text()
    env = app_env(compose["services"]["web"])
    for name in env:
        assert f'"{name}"' in settings_source, f"compose sets {name}, which settings never read"
    assert env["DEBUG"] == "0"
    database = environ.Env.db_url_config(env["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres" and database["NAME"] == "netassess"
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert environ.Env.email_url_config(env["EMAIL_URL"])["EMAIL_HOST"] == "mailpit"


def test_compose_database_credentials_agree(compose):
    postgres = compose["services"]["postgres"]["environment"]
    url = compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert url.startswith(f"postgres://{postgres['POSTGRES_USER']}:${{POSTGRES_PASSWORD")
    assert url.endswith(f"@postgres:5432/{postgres['POSTGRES_DB']}")


def test_redis_never_evicts_queued_tasks(compose):
    assert "--maxmemory-policy noeviction" in compose["services"]["redis"]["command"]


def test_services_have_healthchecks_and_data_volumes(compose):
    services = compose["services"]
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    assert " ".join(services["web"]["healthcheck"]["test"]) == "CMD python -m netassess.healthcheck"
    assert set(compose["volumes"]) == {"postgres-data", "redis-data"}
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert (
            depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"
        )


def compose_settings(env: dict[str, str], monkeypatch) -> dict:
    """What netassess/settings.py makes of the compose environment: the file run afresh
    under it, every setting it defines (its own module, so Django's are untouched)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "compose_settings", ROOT / "netassess" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


# Settings that point at the compose network's services or the built image; the test's
# own database, cache, mail and static files stand in for them.
NOT_FROM_COMPOSE = {"DATABASES", "CACHES", "STORAGES", "LOGGING", "SILENCED_SYSTEM_CHECKS"}


@contextlib.contextmanager
def serving():
    """A live server started now, so its middleware reads the settings as they are now
    (SecurityMiddleware reads SECURE_SSL_REDIRECT once, when it is made)."""
    server = LiveServer("localhost:0")
    try:
        yield server.url
    finally:
        server.stop()


def http_healthchecks(compose) -> dict[str, list[str]]:
    """Services whose health check asks the app over HTTP."""
    return {
        name: service["healthcheck"]["test"]
        for name, service in compose["services"].items()
        if "netassess.healthcheck" in " ".join(service.get("healthcheck", {}).get("test", []))
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "allowed_hosts",
    [None, "netassess.example.org"],
    ids=["compose's default hosts", "the README's production host"],
)
def test_each_compose_healthcheck_gets_200_from_the_app_in_the_compose_environment(
    compose, monkeypatch, allowed_hosts
):
    """With compose's SECURE_SSL_REDIRECT=1, /healthz once answered 301 to https and
    the web service could never be healthy."""
    env = {**app_env(compose["services"]["web"]), "SECRET_KEY": STRONG_KEY}
    if allowed_hosts:
        env["ALLOWED_HOSTS"] = allowed_hosts
    values = compose_settings(env, monkeypatch)
    assert values["DEBUG"] is False and values["SECURE_SSL_REDIRECT"] is True
    overrides = {
        name: value
        for name, value in values.items()
        if name not in NOT_FROM_COMPOSE and not name.startswith(("EMAIL_", "CELERY_"))
    }
    checks = http_healthchecks(compose)
    assert "web" in checks

    with override_settings(**overrides), serving() as url:
        for name, test in checks.items():
            assert test[:4] == ["CMD", "python", "-m", "netassess.healthcheck"], name
            # the container's check, at the live server's address instead of 127.0.0.1:8000
            assert healthcheck.status(f"{url}/healthz") == 200, name
            assert healthcheck.main([f"{url}/healthz"]) == 0, name


@pytest.mark.django_db(transaction=True)
def test_healthcheck_fails_on_a_redirect_or_a_refused_host(monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["netassess.example.org"]
    settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT = True, []
    with serving() as url:
        monkeypatch.setenv("ALLOWED_HOSTS", "somewhere-else.example.org")
        assert healthcheck.status(f"{url}/healthz") == 400
        assert healthcheck.main([f"{url}/healthz"]) == 1

        monkeypatch.setenv("ALLOWED_HOSTS", "netassess.example.org")
        assert healthcheck.status(f"{url}/healthz") == 301  # what compose's check once got
        assert healthcheck.main([f"{url}/healthz"]) == 1


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_dockerfile_serves_with_gunicorn_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert '"gunicorn", "netassess.wsgi"' in dockerfile


def test_production_static_files_collect_fingerprinted_and_compressed(tmp_path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}

    result = manage("collectstatic", "--noinput", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/plotly/plotly.min.js" in manifest
    assert list(tmp_path.glob("vendor/plotly/plotly.min.*.js.br")), "plotly.js not compressed"
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.min.*.css.gz"))


def test_olivias_emailed_links_follow_port_when_she_runs_on_another_one():
    """`PORT=8101 make run`: every link built for an email, Copy link or a share link
    (surveys.emails.absolute_url) points at 8101, and forms there pass the CSRF check."""
    show = (
        "from django.conf import settings; from surveys.emails import absolute_url; "
        "print(absolute_url('/s/x/'), settings.CSRF_TRUSTED_ORIGINS)"
    )
    env = {"PORT": "8101", "SITE_URL": "", "CSRF_TRUSTED_ORIGINS": ""}
    clean = {k: v for k, v in env.items() if v}

    result = manage("shell", "-c", show, env=clean)

    assert result.returncode == 0, result.stderr
    url, origins = result.stdout.strip().splitlines()[-1].split(maxsplit=1)
    assert url == "http://127.0.0.1:8101/s/x/"
    assert "'http://127.0.0.1:8101'" in origins


# ---- gunicorn's own log lines (quality S4, G4) ---------------------------------------

TOKEN = "tK9" + "x" * 40


@pytest.fixture
def gunicorn_logger():
    """netassess's gunicorn logger writing its access and error logs to buffers."""
    from gunicorn.config import Config

    from netassess.gunicorn_logging import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("errorlog", "-")
    # every atom that can hold a path: request line, path, query, Referer, a header
    cfg.set("access_log_format", '%(h)s "%(r)s" %(U)s ?%(q)s "%(f)s" %({x-original-uri}i)s %(s)s')
    logger = RedactingLogger(cfg)
    buffers = {}
    for log in (logger.access_log, logger.error_log):
        buffers[log.name] = io.StringIO()
        for handler in log.handlers:
            handler.setStream(buffers[log.name])
    yield logger, buffers
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        log.filters.clear()


def test_gunicorn_logger_takes_tokens_out_of_access_and_error_lines(gunicorn_logger):
    logger, buffers = gunicorn_logger
    path = f"/s/{TOKEN}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?from=/shared/{TOKEN}/",
        "PATH_INFO": path,
        "QUERY_STRING": f"from=/shared/{TOKEN}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": f"https://netassess.example.org/unsubscribe/{TOKEN}/",
    }
    response = SimpleNamespace(status="404 Not Found", sent=179, headers=[])
    request = SimpleNamespace(headers=[("X-ORIGINAL-URI", f"/summary/{TOKEN}/")])

    logger.access(response, request, environ, timedelta(milliseconds=4))
    logger.exception("Error handling request %s", f"/m/{TOKEN}/state/")

    access, errors = buffers["gunicorn.access"].getvalue(), buffers["gunicorn.error"].getvalue()
    assert '203.0.113.7 "GET /s/[redacted]/?from=/shared/[redacted]/ HTTP/1.1"' in access
    assert "/unsubscribe/[redacted]/" in access and "/summary/[redacted]/" in access
    assert "Error handling request /m/[redacted]/state/" in errors
    assert TOKEN not in access + errors


def test_gunicorn_runs_with_the_redacting_logger_in_the_image_and_in_compose(compose):
    logger_class = "netassess.gunicorn_logging.RedactingLogger"
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert f'"--logger-class", "{logger_class}"' in dockerfile
    assert f"--logger-class {logger_class}" in compose["services"]["web"]["command"]
