"""Compile every translation catalog (locale/<lang>/LC_MESSAGES/*.po) to the .mo file
Django reads, with polib: no gettext tools needed, so a machine with only Python
compiles them (`make run`, `make test`, the Dockerfile). Untranslated and fuzzy
entries are left out of the .mo, so they show in English, never empty."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogs() -> list[Path]:
    # A set: locale/allauth is in LOCALE_PATHS and also under locale/.
    return sorted({p for folder in settings.LOCALE_PATHS for p in Path(folder).rglob("*.po")})


def compile_catalog(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    try:
        catalog = polib.pofile(str(po_path))
    except (OSError, ValueError) as error:
        raise CommandError(f"{po_path}: {error}") from error
    catalog.save_as_mofile(str(mo_path))
    return mo_path


class Command(BaseCommand):
    help = "Compile the translation catalogs in locale/ to .mo files (safe to run again)."

    def handle(self, *args, **options):
        compiled = [compile_catalog(po) for po in catalogs()]
        for mo in compiled:
            self.stdout.write(f"  {mo}")
        self.stdout.write(self.style.SUCCESS(f"{len(compiled)} catalogs compiled."))
