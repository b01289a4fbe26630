"""Checking that a page or an email shown in Welsh has no English sentence of ours left:
the English and the Welsh render are compared, and any piece of text both share is
English we forgot, unless it is data (names, titles, the instruments' own texts, which
their companion files translate, links)."""

import re
from html.parser import HTMLParser

from django.test import Client

WORD = re.compile(r"[A-Za-z]{3,}")
ALWAYS = ("netassess", "English", "Cymraeg")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "alt", "placeholder", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def pieces(content: str, html: bool = True) -> set[str]:
    if html:
        parser = _Text()
        parser.feed(content)
        raw = parser.parts
    else:
        raw = content.splitlines()
    return {" ".join(part.split()) for part in raw if part.strip()}


def strings_in(value) -> list[str]:
    """Every string in a JSON-like value (an instrument definition)."""
    if isinstance(value, str):  # and each of its paragraphs, as a page shows them
        return [value, *(" ".join(line.split()) for line in value.splitlines())]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


def english_left(english: str, welsh: str, data, html: bool = True) -> list[str]:
    """Pieces of text the Welsh render shares with the English one that are not data."""
    data = sorted({d for d in [*data, *ALWAYS] if d}, key=len, reverse=True)
    left = []
    for piece in pieces(english, html) & pieces(welsh, html):
        if "http" in piece or "@" in piece:
            continue
        rest = piece
        for value in data:
            rest = rest.replace(value, " ")
        if WORD.search(rest):
            left.append(piece)
    return sorted(left)


def client_for(user) -> Client:
    """A browser-less client signed in as ``user`` (whose ``language`` the pages follow)."""
    client = Client()
    client.force_login(user)
    return client
