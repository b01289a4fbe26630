"""`python -m bench <name> [options]`: run one benchmark on the configured database.

The benchmarks live outside the product (nothing in surveys, meetings or scorecards
exists for them) and are run by `make bench`, which names each in turn."""

import os
import sys

BENCHMARKS = ("setup", "aggregation", "web", "invitations")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in BENCHMARKS:
        sys.exit(f"usage: python -m bench {{{','.join(BENCHMARKS)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netassess.settings")
    import django
    from django.core.management import call_command

    django.setup()
    module = __import__(f"bench.{argv[0]}", fromlist=["Command"])
    command = module.Command()
    parser = command.create_parser("bench", argv[0])
    options = vars(parser.parse_args(argv[1:]))
    call_command(command, **{k: v for k, v in options.items() if v is not None})


if __name__ == "__main__":
    main(sys.argv[1:])
