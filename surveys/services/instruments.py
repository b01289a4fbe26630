"""Loading instrument definitions into the database."""

from django.db import transaction

from ..instruments.translations import check_translations
from ..instruments.validation import (
    InstrumentError,
    definition_checksum,
    instrument_files,
    load_instrument_file,
)
from ..models import Instrument


def instruments_load(*, directory=None) -> list[tuple[Instrument, str]]:
    """Load every definition file: new versions are added, identical ones left alone,
    and a changed file under a version already loaded is refused: a version, once
    loaded, may have been answered, and its meaning must never shift under old answers.
    Every version's translations (`translations/` beside the files) are checked against
    it too; they are read from the files when shown and never stored, so the stored
    definition and checksum stay the English as loaded.
    Raises InstrumentError (naming the file and field), and then nothing is written."""
    definitions = [load_instrument_file(path) for path in instrument_files(directory)]
    results = []
    with transaction.atomic():
        for definition in definitions:
            results.append(_instrument_load_one(definition))
        # After the versions, so a changed loaded version is named as such first.
        check_translations(definitions, directory)
    return results


def _instrument_load_one(definition: dict) -> tuple[Instrument, str]:
    checksum = definition_checksum(definition)
    existing = Instrument.objects.filter(
        code=definition["code"], version=definition["version"]
    ).first()
    if existing is None:
        instrument = Instrument.objects.create(
            code=definition["code"],
            version=definition["version"],
            kind=definition["kind"],
            title=definition["title"],
            definition=definition,
            checksum=checksum,
        )
        return instrument, "added"
    if existing.checksum != checksum:
        raise InstrumentError(
            f"{definition['code']}.v{definition['version']}.json",
            "version",
            f"version {definition['version']} is already loaded with different content; "
            "a loaded version never changes. Save the change as a new version.",
        )
    return existing, "unchanged"
