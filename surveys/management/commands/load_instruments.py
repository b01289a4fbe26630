from django.core.management.base import BaseCommand, CommandError

from surveys import services
from surveys.instruments.translations import review_status
from surveys.instruments.validation import InstrumentError


class Command(BaseCommand):
    help = "Load the instrument definitions in surveys/instruments/ (safe to run again)."

    def handle(self, *args, **options):
        try:
            results = services.instruments_load()
        except InstrumentError as error:
            raise CommandError(f"Instrument refused, nothing loaded: {error}") from error
        for instrument, status in results:
            self.stdout.write(f"  {instrument.code} v{instrument.version}: {status}")
        for name, reviewed in review_status().items():
            said = "reviewed" if reviewed else "first translation, awaiting review"
            self.stdout.write(f"  translations/{name}: {said}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} instrument versions checked."))
