"""The engine's exception hierarchy.

Every engine error carries a human sentence (`str(err)`) and a `next_step` that the UI/CLI edge shows
as-is, so callers never have to translate library exceptions themselves.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of all engine errors. `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, next_step: str = "") -> None:
        super().__init__(message)
        self.next_step = next_step

    def human(self) -> str:
        """The message plus the next step, for dialogs and the CLI."""
        return f"{self}\n{self.next_step}" if self.next_step else str(self)


class StoreError(EngineError):
    """The encrypted store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Wrong passphrase or key: the store exists but cannot be decrypted."""

    exit_code = 2


class StoreCorrupt(StoreError):
    """The file is not a Reflex store or is damaged. Never overwritten."""

    exit_code = 3


class KeyMissing(StoreError):
    """The store exists but neither keyring nor passphrase can supply its key."""

    exit_code = 2


class StoreBusy(StoreError):
    """Another process holds something that cannot be shared (e.g. the GUI lock)."""


class DiskFull(StoreError):
    """A write failed for lack of space or permission; the transaction was rolled back."""


class LLMError(EngineError):
    """Local or cloud model failure."""


class RetrievalError(EngineError):
    """Indexing or search failure."""


class IngestError(EngineError):
    """A file or message could not be imported; the rest of the batch continues."""


class SpeechError(EngineError):
    """Audio could not be decoded, recorded or transcribed."""


class PrivacyError(EngineError):
    """Redaction, export, wipe or retention failure."""
