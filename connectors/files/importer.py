"""Stream `models.Message` / `models.Event` objects out of local mail and calendar files.

Contract: `iter_import` is a generator that reads one file (and, for mbox, one message) at a time,
so memory stays flat for a multi-gigabyte Google Takeout export; stopping the iteration cancels
the import. Every problem (unreadable file, unsupported type, malformed message, broken calendar
component) is yielded as an `ImportFailure` and the import carries on. Call it from a worker
thread; nothing here touches the store.
"""

from __future__ import annotations

import logging
import mailbox
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from connectors.errors import ConnectorError
from connectors.ical import InvalidCalendar, parse_calendar
from connectors.mime import MalformedMessage, attachment_files, parse_message
from models import Event, Message

__all__ = ["SUPPORTED_SUFFIXES", "ImportFailure", "ImportItem", "UnreadableFile", "UnsupportedFile", "iter_import"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".eml", ".mbox", ".ics")


class UnreadableFile(ConnectorError):
    """The file could not be opened or read (missing, permissions, I/O error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, next_step="Check that the file exists and that you can read it.")


class UnsupportedFile(ConnectorError):
    """Not a file type the importer reads (or an .mbox without any message in it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, next_step="Import .eml, .mbox (e.g. Google Takeout) or .ics files.")


@dataclass(slots=True, frozen=True)
class ImportItem:
    """One imported object. `source` is the file path, plus `#n` (1-based) for the n-th mbox message."""

    source: str
    item: Message | Event
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, bytes) of a message's attachments

    @property
    def kind(self) -> str:
        return "message" if isinstance(self.item, Message) else "event"


@dataclass(slots=True, frozen=True)
class ImportFailure:
    """Something that could not be imported; `error.next_step` tells the user what to do."""

    source: str
    error: ConnectorError

    @property
    def reason(self) -> str:
        return str(self.error)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | ImportFailure]:
    """Files in the given order; directories recursively, sorted, supported types only."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        elif not path.exists():
            yield ImportFailure(str(path), UnreadableFile(f"no such file: {path}"))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield ImportFailure(str(path), UnsupportedFile(f"unsupported file type: {path.name}"))
        else:
            yield path


def _eml(path: Path, account: str) -> Iterator[ImportItem | ImportFailure]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield ImportFailure(str(path), UnreadableFile(f"cannot read {path.name}: {exc.strerror or exc}"))
        return
    try:
        yield _message_item(str(path), raw, account)
    except MalformedMessage as exc:
        yield ImportFailure(str(path), exc)


def _message_item(source: str, raw: bytes, account: str) -> ImportItem:
    message = parse_message(raw, account=account)
    return ImportItem(source, message, tuple(attachment_files(raw)) if message.attachments else ())


def _mbox(path: Path, account: str) -> Iterator[ImportItem | ImportFailure]:
    # mailbox.mbox scans the file once for message offsets, then reads one message per get_bytes:
    # memory is O(messages) integers, not O(bytes).
    try:
        box = mailbox.mbox(str(path), create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as exc:
        yield ImportFailure(str(path), UnreadableFile(f"cannot read {path.name}: {exc}"))
        return
    try:
        if not keys and path.stat().st_size > 0:
            yield ImportFailure(str(path), UnsupportedFile(f"{path.name} is not an mbox file (no messages found)"))
        for index, key in enumerate(keys, start=1):
            source = f"{path}#{index}"
            try:
                raw = box.get_bytes(key)
            except (OSError, KeyError) as exc:
                yield ImportFailure(source, UnreadableFile(f"cannot read message {index} of {path.name}: {exc}"))
                continue
            try:
                yield _message_item(source, raw, account)
            except MalformedMessage as exc:
                yield ImportFailure(source, exc)
    finally:
        box.close()


def _ics(path: Path, account: str, window: tuple[datetime, datetime] | None,
         default_tz: tzinfo) -> Iterator[ImportItem | ImportFailure]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ImportFailure(str(path), UnreadableFile(f"cannot read {path.name}: {exc.strerror or exc}"))
        return
    start, end = window if window else (None, None)
    try:
        parsed = parse_calendar(data, start=start, end=end, account=account, default_tz=default_tz)
    except InvalidCalendar as exc:
        yield ImportFailure(str(path), exc)
        return
    for event in parsed.events:
        yield ImportItem(str(path), event)
    for reason in parsed.skipped:
        yield ImportFailure(str(path), InvalidCalendar(f"skipped an event: {reason}"))


def iter_import(paths: Iterable[str | os.PathLike[str]], *, account: str = "import",
                window: tuple[datetime, datetime] | None = None,
                default_tz: tzinfo = timezone.utc) -> Iterator[ImportItem | ImportFailure]:
    """Yield every message and event found in `paths` (files or directories), in path order.

    `account` is stamped on every object (the engine's key for imported data). `window` limits
    calendar instances (recurring series are expanded inside it; without one, the whole file is
    taken, see `connectors.ical.parse_calendar`); `default_tz` places floating and all-day times.
    """
    counts = {"items": 0, "failures": 0}
    for entry in _expand(paths):
        if isinstance(entry, ImportFailure):
            counts["failures"] += 1
            yield entry
            continue
        suffix = entry.suffix.lower()
        if suffix == ".eml":
            results = _eml(entry, account)
        elif suffix == ".mbox":
            results = _mbox(entry, account)
        else:
            results = _ics(entry, account, window, default_tz)
        for result in results:
            counts["items" if isinstance(result, ImportItem) else "failures"] += 1
            yield result
    log.info("import finished: %d items, %d failures", counts["items"], counts["failures"])
