from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys: networks, members and assessments"

    def ready(self) -> None:
        from . import (
            accounts,  # noqa: F401 - connects the account signal receivers
            receivers,  # noqa: F401 - connects the signal receivers
        )

        label_security_key_names()


def label_security_key_names() -> None:
    """allauth's security-key forms leave their name field to Django's automatic label,
    which is never translated: give them a translatable one (Welsh in locale/cy)."""
    from allauth.mfa.webauthn import forms
    from django.utils.translation import gettext_lazy as _

    for form in (forms.AddWebAuthnForm, forms.SignupWebAuthnForm, forms.EditWebAuthnForm):
        if "name" in form.base_fields:
            form.base_fields["name"].label = _("Name")
