"""Structured JSON-lines logging to a rotating file in the data dir.

Log records carry ids and counts only; the formatter never includes `args` that callers did not put in the
message, and engine code logs no bodies, transcripts, prompts or secrets (tests scan the log for canaries).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import datetime, timezone
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "reflex.log"


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__  # the type only: messages can quote user data
        return json.dumps(line, ensure_ascii=False)


def configure_logging(home: Path, *, level: int = logging.INFO) -> Path:
    """Attach the rotating JSON handler once per process; returns the log file path."""
    log_dir = home / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    return path
