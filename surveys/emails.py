"""Emails are three templates each: `<name>_subject.txt`, `<name>.txt` and `<name>.html`
under templates/email/. Links in them are built from SITE_URL.

Each is rendered in its reader's language (a member's `language`), English when none
is given; an email to a member links to the same page in the other language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import languages


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def language_links(url: str, language: str) -> list[dict]:
    """The same link in each other language (`?lang=en`), named in that language."""
    return [
        {
            "code": code,
            "name": name,
            "url": languages.with_language(url, code),
            "lang": languages.html_lang(code),
        }
        for code, name in languages.others(language)
    ]


def email_build(
    *,
    template: str,
    to: str,
    context: dict,
    headers: dict | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    language = languages.supported(language) or languages.DEFAULT
    with languages.override(language):
        context = {
            "site_url": settings.SITE_URL,
            "language": language,
            "html_lang": languages.html_lang(language),
            **context,
        }
        subject = render_to_string(f"email/{template}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
            body=render_to_string(f"email/{template}.txt", context),
            to=[to],
            headers={"Content-Language": context["html_lang"], **(headers or {})},
        )
        message.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return message


def email_send(*, template: str, to: str, context: dict, language: str | None = None) -> None:
    email_build(template=template, to=to, context=context, language=language).send()
