"""The site's statements, linked from every page's footer: accessibility (the sections
the Public Sector Bodies Accessibility Regulations 2018 require), and the deploying
organisation's privacy notice and data protection impact assessment outline, kept in
docs/ and shown here with the organisation's details filled in."""

from functools import cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import languages
from ..statements import CHECKS

DOCS = Path(settings.BASE_DIR) / "docs"


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    context = {"checks": CHECKS, **_organisation()}
    return render(request, "statements/accessibility.html", context)


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _document(request, "privacy-notice.md", gettext("Privacy notice"))


def impact_assessment(request: HttpRequest) -> HttpResponse:
    return _document(request, "dpia.md", gettext("Data protection impact assessment (outline)"))


def _organisation() -> dict:
    return {
        "organisation": settings.ORGANISATION_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "retention_months": settings.DEFAULT_RETENTION_MONTHS,
    }


def _document(request: HttpRequest, name: str, title: str) -> HttpResponse:
    shown = _in_language(name, languages.current())
    context = {"title": title, "body": _rendered(shown), "in_english": shown == name}
    return render(request, "statements/document.html", context)


def _in_language(name: str, language: str) -> str:
    """The document's companion in the reader's language (`dpia.cy.md`), if there is
    one; else the English."""
    companion = name.replace(".md", f".{language}.md")
    return companion if language != languages.DEFAULT and (DOCS / companion).exists() else name


@cache
def _rendered(name: str) -> str:
    """The document with ``[[organisation]]``, ``[[contact_email]]`` and
    ``[[retention_months]]`` filled in. The files are ours, so their HTML is trusted;
    the organisation's details are escaped."""
    from django.utils.html import escape

    text = (DOCS / name).read_text(encoding="utf-8")
    for key, value in _organisation().items():
        text = text.replace(f"[[{key}]]", escape(str(value)))
    return mark_safe(markdown.markdown(text, extensions=["tables"]))
