"""Microsoft connector: Outlook mail + calendar over Graph delta queries, msal sign-in, cache in the keyring.

Checklist: auth tested (interactive loopback + device code against a TLS fake authority), re-auth tested
(invalid_grant -> AuthError), diagnostics (counts-only logs), offline/unavailable state, typed.
"""

from connectors.microsoft.auth import GRAPH_SCOPES, MicrosoftAuth, MicrosoftEndpoints
from connectors.microsoft.client import MAX_CONCURRENT_PER_MAILBOX, GraphClient, GraphNotFound
from connectors.microsoft.connector import MicrosoftConnector
from connectors.microsoft.sync import DEFAULT_CALENDAR, OUTLOOK_CALENDAR, OUTLOOK_MAIL, DeltaStream, OutlookCalendar, \
    list_calendars
from connectors.microsoft.writes import create_draft, create_event, rsvp, update_event

__all__ = [
    "DEFAULT_CALENDAR", "DeltaStream", "GRAPH_SCOPES", "GraphClient", "GraphNotFound", "MAX_CONCURRENT_PER_MAILBOX",
    "MicrosoftAuth", "MicrosoftConnector", "MicrosoftEndpoints", "OUTLOOK_CALENDAR", "OUTLOOK_MAIL",
    "OutlookCalendar", "create_draft", "create_event", "list_calendars", "rsvp", "update_event",
]
