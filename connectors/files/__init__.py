"""File importers: .eml, .mbox (e.g. Google Takeout) and .ics into `models/` objects.

`iter_import` is what `reflex-assistant import` and the demo loader use; the engine writes what
it yields into the store (no SQL here). One bad file or message becomes an `ImportFailure` and
never stops the rest.
"""

from connectors.files.importer import (
    SUPPORTED_SUFFIXES,
    ImportFailure,
    ImportItem,
    UnreadableFile,
    UnsupportedFile,
    iter_import,
    iter_mbox,
    mbox_messages,
)

__all__ = ["SUPPORTED_SUFFIXES", "ImportFailure", "ImportItem", "UnreadableFile", "UnsupportedFile", "iter_import",
           "iter_mbox", "mbox_messages"]
