"""Asana connector: the user's picked projects over the official `asana` SDK, token in the keyring.

Checklist: auth tested (token check, keyring only), re-auth tested (401 -> AuthError -> "reconnect
needed"), diagnostics (counts-only logs, request budget), offline/unavailable state (Unavailable), rate
limits (429 + Retry-After), expired sync token (412 -> bounded full resync), typed.
"""

from connectors.asana.auth import KEYRING_SERVICE, AsanaAuth, AsanaIdentity
from connectors.asana.client import AsanaClient, AsanaEndpoints, NotFound, SyncTokenExpired
from connectors.asana.mapping import TASK_FIELDS, commitment_task_body, task_from_asana
from connectors.asana.sync import PROJECT_PREFIX, AsanaConnector, TaskBatch
from connectors.asana.writes import ASANA_TASK, create_task

__all__ = [
    "ASANA_TASK", "AsanaAuth", "AsanaClient", "AsanaConnector", "AsanaEndpoints", "AsanaIdentity",
    "KEYRING_SERVICE", "NotFound", "PROJECT_PREFIX", "SyncTokenExpired", "TASK_FIELDS", "TaskBatch",
    "commitment_task_body", "create_task", "task_from_asana",
]
