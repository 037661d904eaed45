"""Google connector: Gmail + Google Calendar over the official client, OAuth tokens in the keyring.

Checklist: auth tested (loopback, PKCE, state), re-auth tested (invalid_grant -> AuthError),
diagnostics (counts-only logs, quota spent), offline/unavailable state (Unavailable), typed.
"""

from connectors.google.auth import GOOGLE_SCOPES, KEYRING_SERVICE, GoogleAuth
from connectors.google.calendar import CalendarStream, GoogleCalendar, list_calendars
from connectors.google.client import GMAIL_UNITS, GoogleClient, GoogleEndpoints, NotFound
from connectors.google.client_file import ClientFile, read_client_file, remember_client, remembered_client
from connectors.google.connector import GoogleConnector
from connectors.google.gmail import GMAIL_STREAM, GmailStream
from connectors.google.writes import create_draft, create_event, rsvp, update_event

__all__ = [
    "CalendarStream", "ClientFile", "GMAIL_STREAM", "GMAIL_UNITS", "GOOGLE_SCOPES", "GmailStream", "GoogleAuth",
    "GoogleCalendar", "GoogleClient", "GoogleConnector", "GoogleEndpoints", "KEYRING_SERVICE", "NotFound",
    "create_draft", "create_event", "list_calendars", "read_client_file", "remember_client", "remembered_client",
    "rsvp", "update_event",
]
