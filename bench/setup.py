"""Make sure the benchmark database exists and is migrated (PostgreSQL only)."""

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the benchmark database if it is missing, then migrate it."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Benchmarks run on PostgreSQL: set BENCH_DATABASE_URL.")
        server = psycopg2.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"],
            port=db["PORT"] or 5432,
        )
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
                self.stdout.write(f"Created database {db['NAME']}.")
        server.close()
        call_command("migrate", verbosity=0)
        call_command("load_instruments", verbosity=0)
