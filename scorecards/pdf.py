"""The steering-group pack as a PDF made on the server, by headless Chromium where it is
installed: the same page a leader prints, with its charts drawn by the same scripts, so
the two never differ. The page is written to a private temporary folder with its static
files referred to by path, and Chromium prints it with the pack's own print rules (A4,
page numbers, footer)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

STATIC = re.compile(r'(src|href)="' + re.escape(settings.STATIC_URL) + r'([^"?#]+)"')
TIMEOUT = 60  # seconds: a pack prints in two or three


def chromium() -> str | None:
    """The browser to print with: ``PDF_CHROMIUM`` if set, else one on the PATH."""
    return getattr(settings, "PDF_CHROMIUM", "") or shutil.which("chromium") or None


def _local(name: str) -> str | None:
    """Where a static file referred to as ``name`` is on disk: the collected copy
    (fingerprinted names, in production), else the source (development)."""
    collected = Path(settings.STATIC_ROOT) / name
    if collected.is_file():
        return str(collected)
    found = finders.find(name)
    if found:
        return found
    try:
        return staticfiles_storage.path(name)
    except NotImplementedError:  # pragma: no cover - a remote storage
        return None


def _with_local_static(html: str) -> str:
    def swap(match: re.Match) -> str:
        path = _local(match.group(2))
        return f'{match.group(1)}="{Path(path).as_uri()}"' if path else match.group(0)

    return STATIC.sub(swap, html)


def html_to_pdf(html: str) -> bytes:
    """The page printed to PDF. Raises ``RuntimeError`` when no browser is installed or
    printing fails."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("No Chromium is installed to print the pack on the server.")
    with tempfile.TemporaryDirectory(prefix="pack-") as folder:
        page, pdf = Path(folder) / "pack.html", Path(folder) / "pack.pdf"
        page.write_text(_with_local_static(html), encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--allow-file-access-from-files", "--no-pdf-header-footer",
            "--virtual-time-budget=10000", f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise RuntimeError(f"Chromium could not print the pack: {done.stderr[-500:]!r}")
        return pdf.read_bytes()
