"""The user's own Google OAuth client (`client_secret.json` of a Desktop app), checked before anything uses it.

Gmail's restricted scopes make a shared client impractical, so each user brings one from Google Cloud Console.
The file is easy to get wrong (a "Web application" client, a service-account key, an API key file, a client made
for another product), and Google only says so after the browser round trip with `redirect_uri_mismatch` or
`invalid_client`. `parse_client_config` says what is wrong, and what to click instead, before that.

A checked client is kept in the OS keyring (`remember_client`), never in a file of ours, so Connect and Reconnect
need no file picker and the download can be deleted. Installed-app client secrets are not confidential (Google's
own words), but a wipe removes the entry with the sign-ins all the same (it is in the vault's sign-in index).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.errors import AuthError, ConnectorError
from connectors.secrets import TokenVault

__all__ = ["CLIENT_ENTRY", "ClientFile", "forget_client", "parse_client_config", "read_client_file",
           "remember_client", "remembered_client"]

CLIENT_ENTRY = "google-oauth-client"  # keyring user name; not an account key (no "google:" prefix)
_CLIENT_ID_SUFFIX = ".apps.googleusercontent.com"
_LOOPBACK = ("http://localhost", "http://127.0.0.1", "urn:ietf:wg:oauth:2.0:oob")
_DESKTOP_STEP = ("In Google Cloud Console → APIs & Services → Credentials, create an OAuth client ID of type "
                 "\"Desktop app\" and download its JSON.")


@dataclass(frozen=True, slots=True)
class ClientFile:
    """A checked Desktop-app client: what the guide shows, and the config the sign-in flow needs."""

    client_id: str
    project_id: str
    redirect_uris: tuple[str, ...]
    config: dict[str, Any]  # {"installed": {...}} as Google wrote it

    def summary(self) -> str:
        project = f" in project {self.project_id}" if self.project_id else ""
        return f"Desktop app client {self.client_id}{project}; sign-in returns to {', '.join(self.redirect_uris)}."


def _refuse(problem: str, next_step: str = _DESKTOP_STEP) -> ConnectorError:
    return ConnectorError(problem, next_step=next_step)


def parse_client_config(config: Any) -> ClientFile:
    """Check a parsed client JSON; `ConnectorError` names what is wrong and what to download instead."""
    if not isinstance(config, dict):
        raise _refuse("That file is not a Google OAuth client file.")
    if "web" in config:
        raise _refuse("That is a \"Web application\" client; Reflex signs in like a desktop app, so Google would "
                      "refuse its loopback redirect.")
    if config.get("type") == "service_account":
        raise _refuse("That is a service-account key, not an OAuth client: it cannot read your own mail.")
    installed = config.get("installed")
    if not isinstance(installed, dict):
        raise _refuse("That file is not a Google OAuth client file (no \"installed\" client in it).")
    client_id = str(installed.get("client_id") or "")
    if not client_id.endswith(_CLIENT_ID_SUFFIX):
        raise _refuse(f"The client id {client_id[:80]!r} is not a Google OAuth client id (they end in "
                      f"{_CLIENT_ID_SUFFIX}).")
    if not installed.get("client_secret"):
        raise _refuse("The client file has no client secret.",
                      next_step="Download the JSON again from the client's page in Google Cloud Console "
                                "(Download JSON), not a copy of the id.")
    redirects = tuple(str(uri) for uri in installed.get("redirect_uris") or ("http://localhost",))
    if not any(uri.startswith(_LOOPBACK) for uri in redirects):
        raise _refuse(f"The client's redirect URIs ({', '.join(redirects)[:120]}) do not return to this computer.")
    return ClientFile(client_id, str(installed.get("project_id") or ""), redirects, config)


def read_client_file(path: Path) -> ClientFile:
    """Read and check `client_secret.json` (a few KB); `ConnectorError` when unreadable or not a Desktop client."""
    path = Path(path)
    try:
        if path.stat().st_size > 64_000:
            raise _refuse(f"{path.name} is far too big for a Google client file.")
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _refuse(f"Cannot read the Google client file {path.name}.") from err
    return parse_client_config(config)


def remember_client(client: ClientFile, vault: TokenVault | None = None) -> None:
    """Keep the checked client in the OS keyring (refused on a keyring that would write it in the clear)."""
    (vault or TokenVault()).save(CLIENT_ENTRY, client.config)


def remembered_client(vault: TokenVault | None = None) -> ClientFile | None:
    """The client saved by `remember_client`, or None."""
    try:
        return parse_client_config((vault or TokenVault()).load(CLIENT_ENTRY))
    except (AuthError, ConnectorError):
        return None


def forget_client(vault: TokenVault | None = None) -> None:
    (vault or TokenVault()).forget(CLIENT_ENTRY)
