"""No token in any log line (quality S4 and G4, architecture rule 7).

Several addresses carry a secret in their path, and Django logs paths: `Not Found:
/shared/<token>/` and `Too Many Requests: /s/<token>/` from django.request, every
request line from django.server, gunicorn's error and access logs. One pattern
knows them all, and every handler (settings.LOGGING) and gunicorn's logger
(netassess/gunicorn_logging.py) pass each line through it. A new address with a
`<str:...>` part in its path must be added here: tests/test_security.py walks the URL
patterns and fails until it is.
"""

import logging
import re

REDACTED = "[redacted]"
_SEGMENT = r"[^/\s\"'?#<>]+"
# Each address that carries a secret, up to the secret, and the secret itself:
#   /s/<token>/                 a member's personal link
#   /shared/<token>/            a leader's share link
#   /summary/<token>/           the members' summary link
#   /m/<code>/                  a meeting's join code (and /m/<code>/state/)
#   /unsubscribe/<signed>/      a member's unsubscribe link
#   /erase/<signed>/            a member's erasure link
#   /accounts/confirm-email/<key>/               an address's confirmation (allauth)
#   /accounts/password/reset/key/<uid>-<key>/    a password reset link (allauth; the
#                               account's id goes too: not secret, but one pattern is
#                               simpler)
#   ?code=...&state=...          the identity provider's answer on the single sign-on
#                               callback (/accounts/oidc/<provider>/login/callback/)
TOKEN_PATHS = re.compile(
    rf"(?P<prefix>/(?:s|shared|summary|m|unsubscribe|erase)/){_SEGMENT}"
    rf"|(?P<account>/accounts/(?:confirm-email|password/reset/key)/){_SEGMENT}"
    r"|(?P<query>[?&](?:code|state)=)[^&\s\"'#<>]+"
)


def _keep_prefix(match: re.Match) -> str:
    return (match["prefix"] or match["account"] or match["query"]) + REDACTED


def redact(text: str) -> str:
    """`text` with the secret of every token-carrying address replaced."""
    return TOKEN_PATHS.sub(_keep_prefix, text)


class RedactTokens(logging.Filter):
    """On every handler: the message, its arguments and any traceback text are
    rendered once and redacted, so no formatter can put a token back."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
