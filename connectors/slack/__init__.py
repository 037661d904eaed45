"""Slack connector: the conversations a user picks, over `slack_sdk`, with the user token in the keyring.

Checklist: auth tested (loopback OAuth v2 + PKCE, state, pasted token), re-auth tested (invalid_auth /
token_revoked -> AuthError -> "reconnect needed"), diagnostics (counts-only logs, per-tier request
budgets), offline/unavailable state (Unavailable), rate limits (429 + Retry-After), typed.
"""

from connectors.slack.auth import KEYRING_SERVICE, SLACK_USER_SCOPES, SlackAuth, SlackIdentity
from connectors.slack.client import TIER_LIMITS, SlackClient, SlackEndpoints
from connectors.slack.mapping import Conversation, Directory, contact_from_user, message_from_slack
from connectors.slack.mrkdwn import mentioned_users, mrkdwn_to_text
from connectors.slack.sync import STREAM_PREFIX, SlackConnector
from connectors.slack.writes import SLACK_REPLY, post_reply, reply_payload

__all__ = [
    "Conversation", "Directory", "KEYRING_SERVICE", "SLACK_REPLY", "SLACK_USER_SCOPES", "STREAM_PREFIX",
    "SlackAuth", "SlackClient", "SlackConnector", "SlackEndpoints", "SlackIdentity", "TIER_LIMITS",
    "contact_from_user", "mentioned_users", "message_from_slack", "mrkdwn_to_text", "post_reply",
    "reply_payload",
]
