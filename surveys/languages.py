"""Each person's language (README: Languages; the Welsh Language Standards).

English and Welsh (`settings.LANGUAGES`). A member's recorded choice is
`Member.language`; a visitor's choice for this browser is kept in the session; a
signed-in coordinator's or leader's is `User.language`. `ActiveLanguage` (a middleware)
turns on the right one for each request and says which in `Content-Language`; the
member's survey pages then turn on the member's (surveys/views/member_link.py).

A string with no translation shows in English, never empty: gettext falls back to the
text itself, and `localised` to the English definition.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from .instruments.translations import localised  # noqa: F401 - one door for pages and results

DEFAULT = "en"
SESSION_KEY = "language"
# The recorded language of the member whose link opened this session: pages outside
# the survey (a dead link, the members' summary) use it when nothing was chosen.
MEMBER_KEY = "member_language"
# Where a link names a language: `?lang=cy`.
QUERY_KEY = "lang"
# How a member list (CSV) may name each language, lower-cased.
SPELLINGS = {
    "en": "en",
    "english": "en",
    "saesneg": "en",
    "cy": "cy",
    "cymraeg": "cy",
    "welsh": "cy",
}


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The code if the site offers it ("cy"), else None."""
    return code if code in codes() else None


def name_of(code: str) -> str:
    """The language's name in itself ("Cymraeg"), as a switch shows it."""
    return dict(settings.LANGUAGES).get(code, code)


def from_text(value: str) -> str | None:
    """A language as a member list writes it (en, cy, English, Cymraeg, Welsh; any
    case), as our code; None for anything else."""
    code = SPELLINGS.get(value.strip().casefold())
    return supported(code)


def locale_of(language: str) -> str:
    """What to activate for a language: English is the site's own British English
    (LANGUAGE_CODE en-gb, so dates keep their British shape)."""
    if settings.LANGUAGE_CODE.split("-")[0] == language:
        return settings.LANGUAGE_CODE
    return language


def current() -> str:
    """Our code for the active language ("en" while en-gb is active)."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(active)
    except LookupError:
        return DEFAULT


def activate(language: str) -> None:
    translation.activate(locale_of(supported(language) or DEFAULT))


def override(language: str | None):
    """Render something (an email) in a person's language."""
    return translation.override(locale_of(supported(language) or DEFAULT))


def html_lang(language: str | None = None) -> str:
    """The BCP 47 tag for <html lang>: en-GB, cy."""
    code = locale_of(language or current())
    parts = code.split("-")
    return "-".join([parts[0], *(p.upper() for p in parts[1:])])


def chosen(request: HttpRequest) -> str | None:
    """The language chosen in this browser (the session), if any."""
    session = getattr(request, "session", None)
    return supported(session.get(SESSION_KEY)) if session is not None else None


def in_session(request: HttpRequest) -> str | None:
    """The language chosen in this browser, else that of the member whose link opened
    the session."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    return chosen(request) or supported(session.get(MEMBER_KEY))


def remember(request: HttpRequest, language: str) -> None:
    if supported(language) and request.session.get(SESSION_KEY) != language:
        request.session[SESSION_KEY] = language


def asked_for(request: HttpRequest) -> str | None:
    """A language named by the address (`?lang=cy`), if the site offers it."""
    return supported(request.GET.get(QUERY_KEY))


def with_language(url: str, language: str) -> str:
    """A link that opens in the given language: `url?lang=cy`."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{urlencode({QUERY_KEY: language})}"


def others(language: str | None = None) -> list[tuple[str, str]]:
    """The languages other than this one, as (code, name)."""
    language = language or current()
    return [(code, name) for code, name in settings.LANGUAGES if code != language]


class ActiveLanguage:
    """Turns on, for each request: a signed-in person's own language; else the one
    chosen in this browser (a `?lang=` link chooses, and is remembered); else English.
    Every response says which in `Content-Language`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported(getattr(user, "language", None)) or DEFAULT
        else:
            asked = asked_for(request)
            if asked:
                remember(request, asked)
            language = asked or in_session(request) or DEFAULT
        with override(language):
            response = self.get_response(request)
            # What the view turned on in the end (a member's page turns on theirs).
            response.headers.setdefault("Content-Language", html_lang())
        return response


# ---- the instruments' own texts ----------------------------------------------------
