"""Members' links must never reach a log (quality S4)."""

import logging
import re

LINK = re.compile(r"/s/[^/\s\"']+")


class RedactSurveyLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message:
            record.msg = LINK.sub("/s/[redacted]", message)
            record.args = ()
        return True
