"""Every line the application's log handlers wrote during the whole test run, scanned at
the end for a token (quality S4, G4): the browser journeys open member, share, summary,
meeting, unsubscribe and erasure links through a real server, so what they log is what
a deployment would log. A line with an unredacted token fails the run.

The sink sits beside each configured handler and applies that handler's own filters
and formatter, so it writes what the handler writes: the configuration is what is
tested, not a copy of it."""

from __future__ import annotations

import logging

from surveys.log_filters import REDACTED, TOKEN_PATHS


class Sink(logging.Handler):
    def __init__(self, handler: logging.Handler):
        super().__init__(level=handler.level)
        self.twin = handler
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if all(f.filter(record) if hasattr(f, "filter") else f(record) for f in self.twin.filters):
            self.lines.append(self.twin.format(record))


SINKS: list[Sink] = []


def start() -> None:
    """A sink beside every handler configured on the root logger and Django's."""
    for name in ("", "django", "django.server", "django.request"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if isinstance(handler, Sink) or handler.__class__.__module__.startswith("_pytest"):
                continue
            sink = Sink(handler)
            logger.addHandler(sink)
            SINKS.append(sink)


def leaks(sinks: list[Sink] | None = None) -> list[str]:
    """Written lines with a token-carrying address whose secret is not redacted."""
    found = []
    for sink in SINKS if sinks is None else sinks:
        for line in sink.lines:
            for match in TOKEN_PATHS.finditer(line):
                if not match.group(0).endswith(REDACTED):
                    found.append(line)
                    break
    return found


def lines_written() -> int:
    return sum(len(sink.lines) for sink in SINKS)
