"""Single sign-on configuration, from the environment (settings.py reads OIDC_*; the
README has the variables, with Microsoft Entra ID as an example)."""

from urllib.parse import urlsplit


def oidc_providers(
    *, server_url: str, client_id: str, secret: str, name: str, provider_id: str, domains: list
) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for one OpenID Connect provider. Its addresses
    are taken as confirmed when it says so (`email_verified`), or, for the domains in
    OIDC_TRUSTED_EMAIL_DOMAINS, always (Microsoft Entra ID sends no `email_verified`):
    docs/security.md says what that trusts."""
    app = {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": server_url, "oauth_pkce_enabled": True},
    }
    if domains:
        app["settings"]["verified_email"] = [domain.lower() for domain in domains]
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


def oidc_origins(server_url: str) -> list[str]:
    """The identity provider's origin (scheme, host and port) for the policy's
    form-action: signing in through it posts a form here that redirects there."""
    parts = urlsplit(server_url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
