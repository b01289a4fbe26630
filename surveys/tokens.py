"""Members' personal links (quality S2).

A link's token is derived from a per-invitation random salt (128 bits) with HMAC-SHA256
under the server's SECRET_KEY; the database holds only the salt and the token's SHA-256.
So a copy of the database alone yields no working link, while the server can rebuild a
member's link for a reminder without storing it. Changing the salt kills the old link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

SALT_BYTES = 16


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def token_for(invitation_id: int, salt: str, purpose: str = "invitation") -> str:
    """The token for one row of a kind (`purpose`): invitations, members' summaries."""
    message = f"netassess-{purpose}:{invitation_id}:{salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database."""
    return len(value) == 43 and all(c.isalnum() or c in "-_" for c in value)
