"""For templates: the page's language (<html lang>), the JavaScript catalog's address
in it, and links to read a page in another language."""

from django import template
from django.urls import reverse

from .. import languages

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    return languages.html_lang()


@register.simple_tag
def javascript_catalog_url() -> str:
    """The script of translated strings for this page's language (a file from this
    site, so the Content-Security-Policy lets it run)."""
    return languages.with_language(reverse("javascript_catalog"), languages.current())


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context, path: str | None = None) -> dict:
    """Links that show this page in each other language (`?lang=`), for pages that
    hold no answers; a survey page switches with a button of its own form instead.
    A page at a token's address names another `path`, so the token is never in it."""
    request = context.get("request")
    query = request.GET.copy() if request is not None and path is None else None
    path = path if path is not None else (request.path if request is not None else "")
    links = []
    for code, name in languages.others():
        if query is not None:
            query[languages.QUERY_KEY] = code
            url = f"{path}?{query.urlencode()}"
        else:
            url = languages.with_language(path, code)
        links.append({"code": code, "name": name, "url": url, "lang": languages.html_lang(code)})
    return {"links": links}


@register.inclusion_tag("includes/language_buttons.html")
def language_buttons() -> dict:
    """Buttons, inside a survey page's own form, that save the page's answers and show
    it again in another language (surveys/views/member.py)."""
    return {
        "buttons": [
            {"code": code, "name": name, "lang": languages.html_lang(code)}
            for code, name in languages.others()
        ]
    }


@register.filter
def localised_title(instrument) -> str:
    """An instrument's title in the page's language, from its companion translation
    file (the stored `title` is the English one)."""
    definition = languages.localised(instrument.definition, languages.current())
    return definition.get("title") or instrument.title
