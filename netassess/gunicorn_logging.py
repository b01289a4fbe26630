"""gunicorn's logger with tokens taken out (quality S4, G4).

gunicorn formats its access log itself, outside Django's logging, and its format
atoms cannot redact: the path (`%(U)s`), the request line (`%(r)s`), the query, the
Referer (`%(f)s`, which holds /m/<code>/ or /unsubscribe/<signed>/ for the pages'
own assets) and any `%({header}i)s` may each hold a token. This logger redacts every
atom before the line is formatted, so any --access-logformat is safe, and filters its
error log too ("Error handling request /s/<token>/").

Started with `--logger-class netassess.gunicorn_logging.RedactingLogger` (Dockerfile,
docker-compose.yml). The access log stays off unless --access-logfile is given.
"""

from gunicorn.glogging import Logger

from surveys.log_filters import RedactTokens, redact

_REDACT = RedactTokens()


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        # On the loggers themselves, so handlers from --log-config filter too; the same
        # filter object each time, so a configuration reload does not add a second.
        for log in (self.error_log, self.access_log):
            log.addFilter(_REDACT)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
