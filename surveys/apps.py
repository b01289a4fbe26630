from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys: networks, members and assessments"

    def ready(self) -> None:
        from . import (
            accounts,  # noqa: F401 - connects the account signal receivers
            receivers,  # noqa: F401 - connects the signal receivers
        )
