"""Writing imported and synced items into the store: batches, and resumable imports of mail files."""

from engine.ingest.mail_import import ImportStatus, import_mail_files, resume_offset
from engine.ingest.writer import IngestReport, write_items

__all__ = ["ImportStatus", "IngestReport", "import_mail_files", "resume_offset", "write_items"]
