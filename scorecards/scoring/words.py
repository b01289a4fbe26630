"""How the pure core and the charts word a sentence in the reader's language without
knowing Django.

Every sentence they write goes through ``gettext`` (``_``), ``ngettext`` or
``pgettext`` as one whole sentence with named placeholders, so ``makemessages`` finds
it and a translator sees all of it: ``_("%(n)s of %(total)s answered.") % {...}``,
never an f-string. A module-level word is marked with ``gettext_noop`` and translated
where it is used.

On their own these return the English, so the core runs and is tested without Django.
The app installs Django's functions when it is ready (``scorecards.apps``): a worker
under ``translation.override("cy")``, or a page in Welsh, then gets the Welsh, and a
sentence with no translation stays in English.
"""

from collections.abc import Callable


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, number: int) -> str:
    return singular if number == 1 else plural


def _english_in_context(context: str, message: str) -> str:
    return message


_installed: dict[str, Callable] = {
    "gettext": _english,
    "ngettext": _english_plural,
    "pgettext": _english_in_context,
}


def gettext(message: str) -> str:
    return _installed["gettext"](message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return _installed["ngettext"](singular, plural, number)


def pgettext(context: str, message: str) -> str:
    return _installed["pgettext"](context, message)


def gettext_noop(message: str) -> str:
    """Marks a word for translation where it is defined; ``gettext`` it where used."""
    return message


_ = gettext


def install(*, gettext: Callable, ngettext: Callable, pgettext: Callable) -> None:
    _installed.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext)
