# One image for web (gunicorn), worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The Welsh (and any other) translations, compiled with polib: no gettext needed.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG \
    python manage.py compile_translations
# Static files are fingerprinted and compressed at build time (quality P5). The key
# is a throwaway: settings refuse a weak one when DEBUG is off, even to collect files.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG \
    python manage.py collectstatic --noinput

RUN useradd --create-home netassess
USER netassess
EXPOSE 8000
# The logger class takes tokens out of gunicorn's own lines (access log off by default).
CMD ["gunicorn", "netassess.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "--logger-class", "netassess.gunicorn_logging.RedactingLogger"]
