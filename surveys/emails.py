"""Emails are three templates each: `<name>_subject.txt`, `<name>.txt` and `<name>.html`
under templates/email/. Links in them are built from SITE_URL."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def email_build(
    *, template: str, to: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        body=render_to_string(f"email/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return message


def email_send(*, template: str, to: str, context: dict) -> None:
    email_build(template=template, to=to, context=context).send()
