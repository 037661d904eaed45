"""Which URLs Reflex may send credentials to: HTTPS anywhere, plain HTTP only to this computer.

Endpoint overrides (tests, proxies, a company's Qdrant, a local model server) are settings anyone with
write access to the user's files can change; a plain-HTTP override would hand OAuth tokens, the client
secret or an API key to the network. The one exception is a model server on another machine of the
user's own network, which often speaks plain HTTP: allowed only for hosts the user named explicitly
(`plain_http_hosts`), and then no credential is ever sent there (`credentials_allowed`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["check_endpoint", "credentials_allowed", "is_loopback_host"]


def is_loopback_host(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credentials_allowed(url: str) -> bool:
    """True when a token or key may travel to `url`: HTTPS, or plain HTTP to this computer."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback_host(parts.hostname)


def check_endpoint(url: str, *, plain_http_hosts: Iterable[str] = ()) -> str:
    """`url` stripped, if Reflex may use it as an endpoint; else `ValueError` with what to write instead.

    Empty means "the provider's default". `plain_http_hosts` are hosts the user opted in to reach over
    plain HTTP (without credentials).
    """
    url = url.strip()
    if not url:
        return url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a valid URL") from exc
    if parts.username is not None or parts.password is not None:
        raise ValueError("put credentials in the system keyring, not in the URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} must be an https:// URL")
    if credentials_allowed(url):
        return url
    if parts.hostname.lower() in {h.strip().lower() for h in plain_http_hosts if h.strip()}:
        return url
    raise ValueError(f"{url!r} uses plain http:// to another machine, where tokens and keys could be read "
                     "on the network; use https:// (plain http:// is allowed only to this computer, "
                     "e.g. http://127.0.0.1:8080)")
