"""Django's makemessages, also finding the sentences the scoring core keeps in a
release to say again in each reader's language: ``said("...", n=3)`` and
``said_in("stage", "dormant")``
(scorecards/scoring/words.py). Django's documented way to add xgettext keywords."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=said",
        "--keyword=said_in:1c,2",
    ]
