"""The benchmark's web server: static files collected once, gunicorn started and
stopped."""

import json
import os
import re
import secrets
import shutil
import signal
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


class ServerMixin:
    def _collect_static(self) -> tuple[str, bool, str]:
        """Fingerprinted, compressed static files for the server, collected once into a
        cache folder and reused while the sources are unchanged (compressing plotly.js
        takes tens of seconds)."""
        fingerprint = sha256()
        for finder in finders.get_finders():
            for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
                stat = os.stat(storage.path(path))
                fingerprint.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        fingerprint.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
        stamp = STATIC_CACHE / ".sources"
        if stamp.exists():
            saved = json.loads(stamp.read_text())
            if saved.get("fingerprint") == fingerprint.hexdigest():
                note = re.sub(r" with <[^>]*>", "", saved["note"])
                return str(STATIC_CACHE), saved["keep_source_maps"], note
        note = ""
        keep_source_maps = False
        failure = self._collectstatic(keep_source_maps=False)
        if failure:
            keep_source_maps = True
            note = (
                "collectstatic FAILS with the project's production storage ("
                + failure
                + "); the benchmark server used the same storage leaving source-map "
                "comments untouched."
            )
            failure = self._collectstatic(keep_source_maps=True)
            if failure:
                raise CommandError(f"collectstatic failed: {failure}")
        stamp.write_text(
            json.dumps(
                {
                    "fingerprint": fingerprint.hexdigest(),
                    "keep_source_maps": keep_source_maps,
                    "note": note,
                }
            )
        )
        return str(STATIC_CACHE), keep_source_maps, note

    def _collectstatic(self, *, keep_source_maps: bool) -> str:
        self.stdout.write("Collecting static files for the benchmark server (once)...")
        if STATIC_CACHE.exists():
            shutil.rmtree(STATIC_CACHE)
        STATIC_CACHE.mkdir(parents=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.server_settings",
            "BENCH_STATIC_ROOT": str(STATIC_CACHE),
            "BENCH_KEEP_SOURCE_MAPS": "1" if keep_source_maps else "0",
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
        if done.returncode == 0:
            return ""
        errors = [line for line in done.stderr.splitlines() if "Error" in line]
        failure = (errors[-1] if errors else done.stderr.strip()[-300:]).strip()
        return re.sub(r" with <[^>]*>", "", failure)

    def _start_server(self, port, workers, database_url, static_root, keep_maps, log):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.server_settings",
                "BENCH_STATIC_ROOT": static_root,
                "BENCH_KEEP_SOURCE_MAPS": "1" if keep_maps else "0",
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
