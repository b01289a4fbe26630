"""The benchmark's web server: static files collected once, gunicorn started and
stopped."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from hashlib import sha256
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import CommandError

STATIC_CACHE = Path(tempfile.gettempdir()) / "netassess-bench-static"

# scenario: (label, clients, minimum req/s, p95 limit in ms); errors must be 0 everywhere.


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerMixin:
    def _collect_static(self) -> str:
        """Fingerprinted, compressed static files for the server, collected once into a
        cache folder and reused while the sources are unchanged (compressing plotly.js
        takes tens of seconds). Collected with the project's production storage."""
        fingerprint = sha256()
        for finder in finders.get_finders():
            for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
                stat = os.stat(storage.path(path))
                fingerprint.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        stamp = STATIC_CACHE / ".sources"
        if stamp.exists() and stamp.read_text() == fingerprint.hexdigest():
            return str(STATIC_CACHE)
        self.stdout.write("Collecting static files for the benchmark server (once)...")
        if STATIC_CACHE.exists():
            shutil.rmtree(STATIC_CACHE)
        STATIC_CACHE.mkdir(parents=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.server_settings",
            "BENCH_STATIC_ROOT": str(STATIC_CACHE),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        done = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise CommandError(f"collectstatic failed: {done.stderr.strip()[-300:]}")
        stamp.write_text(fingerprint.hexdigest())
        return str(STATIC_CACHE)

    def _start_server(self, port, workers, database_url, static_root, log):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.server_settings",
                "BENCH_STATIC_ROOT": static_root,
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                "SITE_URL": f"http://127.0.0.1:{port}",
                "DATABASE_URL": database_url,
                "RATELIMIT_ENABLE": "0",
                "LOG_LEVEL": "WARNING",
            }
        )
        command = [sys.executable, "-m", "gunicorn", "netassess.wsgi"]
        command += ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def _wait_until_up(self, server, host: str, log) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(host + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        log.seek(0)
        tail = log.read().decode(errors="replace")[-2000:]
        raise CommandError(f"gunicorn did not come up on {host}:\n{tail}")

    def _stop_server(self, server) -> None:
        if server.poll() is not None:
            return
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

    # --- one page fetched as a leader: figure data and static assets (P5) -------------
