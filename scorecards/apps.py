from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards: what the answers mean"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
