"""Privacy: PII redaction (this issue's minimal redactor); retention, audit, export and wipe follow."""

from engine.privacy.redaction import Redactor, StreamRestorer, iban_ok, luhn_ok

__all__ = ["Redactor", "StreamRestorer", "iban_ok", "luhn_ok"]
