"""Writing what importers and connectors produce into the store, in batches, with a report."""

from engine.ingest.writer import IngestReport, write_items

__all__ = ["IngestReport", "write_items"]
