from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings: the maturity-matrix discussion"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
