"""One request header says "this form was posted in the background by the page's
script": static/js/autosave.js sends it for the member survey and the matrix meeting.
A post that carries it is answered with JSON ({"saved": ..., "errors": ...}) that the
script reads; without it (no script) the same post gets a page or a redirect.

It lives in `surveys` so that `meetings` can import it too (meetings may import
surveys, never the other way round). It carries no authority: the CSRF token and the
member's session or the coordinator's sign-in decide what a post may do."""

from django.http import HttpRequest

HEADER = "X-Background-Save"


def is_background_save(request: HttpRequest) -> bool:
    return request.headers.get(HEADER) == "1"
