from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards: what the answers mean"

    def ready(self) -> None:
        from django.utils import translation

        from . import receivers  # noqa: F401 - connects the signal receivers
        from .scoring import words

        # The pure core and the charts word their sentences in the active language.
        words.install(
            gettext=translation.gettext,
            ngettext=translation.ngettext,
            pgettext=translation.pgettext,
        )
