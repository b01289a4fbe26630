"""`python -m bench <name> [options]`: run one benchmark on the configured database.

The benchmarks live outside the product (nothing in surveys, meetings or scorecards
exists for them) and are run by `make bench`, which names each in turn."""

import os
import sys

BENCHMARKS = ("setup", "aggregation", "web", "invitations", "relationships", "roster")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in BENCHMARKS:
        sys.exit(f"usage: python -m bench {{{','.join(BENCHMARKS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netassess.settings")
    import django

    django.setup()
    module = __import__(f"bench.{argv[0]}", fromlist=["Command"])
    # Django's command runner: options parsed, a missed target printed and exit code 1.
    module.Command().run_from_argv(["python -m bench", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
