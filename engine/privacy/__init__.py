"""Privacy: PII detection/redaction, the audit log and egress ledger, retention, export, output sanitising.

Backups live with the store (`engine.store.backup`); wipe is `engine.store.remove_store_files` + the app.
"""

from engine.privacy.audit import ACTIONS, EGRESS_ACTIONS, AuditLog
from engine.privacy.export import ExportReport, export_store
from engine.privacy.pii import (KINDS, STRUCTURED_KINDS, PiiDetector, PiiRedactor, PiiSpan, StreamRestorer,
                                default_region, known_names)
from engine.privacy.retention import PurgeReport, RetentionPolicy, purge, run_retention
from engine.privacy.sanitize import defang, find_urls, make_inert

__all__ = [
    "ACTIONS", "EGRESS_ACTIONS", "KINDS", "STRUCTURED_KINDS", "AuditLog", "ExportReport", "PiiDetector",
    "PiiRedactor", "PiiSpan", "PurgeReport", "RetentionPolicy", "StreamRestorer", "default_region", "defang",
    "export_store", "find_urls", "known_names", "make_inert", "purge", "run_retention",
]
