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

import re
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

# Names a release gives groups itself (nobody typed them): shown in the reader's
# language, like our other words (relationship_words.OTHER_GROUPS,
# relationships.OTHER_MEMBERS, anonymity.NOT_STATED).
GROUP_NAMES = (
    gettext_noop("Other groups"),
    gettext_noop("Other members"),
    gettext_noop("not stated"),
)


def group_name(name: object) -> str:
    """A group's name as a page shows it: as typed, or ours in the reader's language."""
    return gettext(name) if name in GROUP_NAMES else str(name)


def install(*, gettext: Callable, ngettext: Callable, pgettext: Callable) -> None:
    _installed.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext)


# ---- sentences kept in a release, worded again in each reader's language ------------
# A release stores each sentence twice: as English text, which exports and older code
# read, and under a sibling "says" key as the message and its figures, so a page can
# say the same in the reader's language. A figure that is itself a word is a nested
# sentence; an instrument title is {"label": code, "text": english}, shown in the
# reader's language where the page knows it.

SAYS = "says"


def said(message: str, **params) -> dict:
    """A sentence with its figures, to be worded in any language by ``say``."""
    return {"msgid": message, "params": params}


def said_in(context: str, message: str) -> dict:
    """A word that needs its context to be translated ("stage": "dormant")."""
    return {"msgid": message, "msgctxt": context, "params": {}}


def say(sentence: dict | str, labels: dict | None = None) -> str:
    """The sentence in the active language (text kept as written stays as it is)."""
    if isinstance(sentence, str):
        return sentence
    params = {key: _param(value, labels) for key, value in sentence["params"].items()}
    if "msgctxt" in sentence:
        text = pgettext(sentence["msgctxt"], sentence["msgid"])
    else:
        text = gettext(sentence["msgid"])
    return text % params if params else text


def every(sentences: list[dict]) -> dict:
    """A list of words or phrases, said as "a, b and c" in the reader's language."""
    return {"every": sentences}


def listing(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, in the active language."""
    if len(parts) <= 1:
        return "".join(parts)
    # Translators: the end of a list, "a, b and c": items is "a, b", last is "c".
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def alternatives(parts: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``, in the active language."""
    if len(parts) <= 1:
        return "".join(parts)
    # Translators: the end of a list of choices, "a, b or c": items is "a, b", last is "c".
    return gettext("%(items)s or %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def either(sentences: list[dict]) -> dict:
    """A list of choices, said as "a, b or c" in the reader's language."""
    return {"either": sentences}


def each(sentences: list[dict]) -> dict:
    """A list of findings, said one after another as "a; b; c"."""
    return {"each": sentences}


def capitalised(sentence: dict) -> dict:
    """A fact that starts a sentence of its own: said with a capital."""
    return {"capital": sentence}


def _param(value, labels: dict | None):
    if isinstance(value, dict) and "each" in value:
        return "; ".join(_param(part, labels) for part in value["each"])
    if isinstance(value, dict) and "capital" in value:
        text = _param(value["capital"], labels)
        return text[:1].upper() + text[1:]
    if isinstance(value, dict) and "every" in value:
        return listing([_param(part, labels) for part in value["every"]])
    if isinstance(value, dict) and "either" in value:
        return alternatives([_param(part, labels) for part in value["either"]])
    if isinstance(value, dict) and "msgid" in value:
        return say(value, labels)
    if isinstance(value, dict) and "label" in value:
        return (labels or {}).get(value["label"]) or value["text"]
    return value


def label(code: str, text: str) -> dict:
    """An instrument's title inside a sentence: shown in the reader's language."""
    return {"label": code, "text": text}


def keep(target: dict, **sentences) -> None:
    """Stores each sentence (or list of sentences) as English-or-active text in
    ``target[field]`` and as words to say again under ``target["says"][field]``."""
    for field, value in sentences.items():
        target[field] = [say(s) for s in value] if isinstance(value, list) else say(value)
        target.setdefault(SAYS, {})[field] = value


def reworded(value, labels: dict | None = None):
    """A copy of stored data with every kept sentence said in the active language."""
    if isinstance(value, list):
        return [reworded(item, labels) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: reworded(item, labels) for key, item in value.items() if key != SAYS}
    for field, kept in (value.get(SAYS) or {}).items():
        out[field] = [say(s, labels) for s in kept] if isinstance(kept, list) else say(kept, labels)
    return out


# ---- short phrases kept in a release as written ---------------------------------------
# A few notes in a release (why alpha is missing, how far members agree, why a figure
# is not shown) are a closed set of short phrases, some with a count: each module lists
# its own, and a page says one again by finding which phrase it is.

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def phrase(text: str | None, phrases: tuple[str, ...]) -> str | None:
    """``text``, one of ``phrases`` as written in English, in the active language;
    anything else as it is."""
    if not text:
        return text
    for message in phrases:
        names = _PLACEHOLDER.findall(message)
        if not names:
            if text == message:
                return gettext(message)
            continue
        pattern = re.escape(message.replace("%%", "%"))
        for name in names:
            pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>\\d+)", 1)
        if found := re.fullmatch(pattern, text):
            return gettext(message) % found.groupdict()
    return text
