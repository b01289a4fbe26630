"""The steering-group pack, its PDF and the exports in a language of the reader's
choosing: the dashboard links to them with `?lang=cy` or `?lang=en`, for a steering
group that reads the other language. Other results pages follow the reader's own."""

from functools import wraps

from django.http import HttpRequest, HttpResponse

from surveys import languages


def in_asked_language(view):
    """The view rendered in the language its address names, else the reader's own.
    Only what it wraps honours `?lang=` for a signed-in reader; access is checked by
    the view as ever (it sits inside `results_view`'s scoping)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        asked = languages.asked_for(request)
        if asked is None:
            return view(request, *args, **kwargs)
        with languages.override(asked):
            response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = languages.html_lang()
        return response

    return wrapper


def lang_query(request: HttpRequest) -> str:
    """`?lang=cy` when the address chose a language, for the pack's own links (its
    PDF), so they stay in it; else nothing."""
    asked = languages.asked_for(request)
    return f"?{languages.QUERY_KEY}={asked}" if asked else ""
