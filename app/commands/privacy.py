"""Privacy and safety commands: `audit`, `export`, `backup`, `restore`, `retention run`.

Every command here audits itself (what, where, counts: never content).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import Any
from pathlib import Path

from app.context import AppContext
from engine.errors import KeyMissing, StoreError
from engine.privacy import EGRESS_ACTIONS, AuditLog, RetentionPolicy, export_store, purge
from engine.privacy.audit import as_dict
from engine.store import PASSPHRASE_ENV, StoreInUse, StoreKey, StoreMeta
from engine.store.backup import backup, backup_meta, moved_key_file, restore
from engine.store.unlock import current_key, sidecar_for_restore
from engine.usecases.store_care import backup_key


RECOVERY_ENV = "REFLEX_RECOVERY_KEY"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="show the audit log and egress ledger (never content)")
    p.add_argument("--since", type=_since, default=None, help="ISO date/time, or e.g. 7d / 12h")
    p.add_argument("--egress", action="store_true", help="only outbound calls (cloud, sync, OAuth)")
    p.add_argument("--action", default=None, help="only entries of this action")
    p.add_argument("--export", type=Path, default=None, metavar="FILE", help="write entries as JSON lines to FILE")
    p.set_defaults(handler=run_audit)
    p = sub.add_parser("export", help="export mail (.eml), calendar (.ics), meetings and more to a folder")
    p.add_argument("dest", type=Path, help="folder to create the export in")
    p.add_argument("--redacted", action="store_true", help="replace personal data with placeholders")
    p.add_argument("--audio", action="store_true", help="also write kept meeting audio as WAV files")
    p.set_defaults(handler=run_export)
    p = sub.add_parser("backup", help="encrypted copy of the store (works while the app runs)")
    p.add_argument("dest", type=Path, help="backup file, or a folder to put a dated backup in")
    p.set_defaults(handler=run_backup)
    p = sub.add_parser("restore", help="replace the store with a backup (the current store is moved aside, not deleted)")
    p.add_argument("src", type=Path, help="a file made by `reflex-assistant backup`")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--recovery-key", action="store_true",
                   help="ask for the recovery key (or the backup's passphrase), e.g. on a new computer; "
                   f"scripts may set {RECOVERY_ENV}")
    p.set_defaults(handler=run_restore)
    p = sub.add_parser("retention", help="retention policies")
    rsub = p.add_subparsers(dest="retention_command", metavar="COMMAND")
    r = rsub.add_parser("run", help="delete data older than the retention settings now, and reclaim the space")
    r.set_defaults(handler=run_retention_now)


def _since(text: str) -> datetime:
    m = re.fullmatch(r"(\d+)([dh])", text.strip())
    if m:
        n = int(m.group(1))
        return datetime.now(timezone.utc) - (timedelta(days=n) if m.group(2) == "d" else timedelta(hours=n))
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use 2026-01-31, 2026-01-31T09:00 or 7d)") from exc
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def run_audit(args: argparse.Namespace, ctx: AppContext) -> int:
    log = AuditLog(ctx.store)
    if args.export is not None:
        count = log.export(args.export, args.since)
        ctx.emit({"exported": count, "path": str(args.export)}, f"Wrote {count} audit entries to {args.export}.")
        return 0
    actions = EGRESS_ACTIONS if args.egress else ([args.action] if args.action else None)
    entries = log.entries(args.since, actions=actions)
    lines = [f"{e.at:%Y-%m-%d %H:%M:%S}  {e.action:<10} {e.target:<32} "
             + " ".join(f"{k}={v}" for k, v in e.detail.items() if v not in (None, "", 0)) for e in entries]
    ctx.emit([as_dict(e) for e in entries], "\n".join(lines) if lines else "No audit entries.")
    return 0


def run_export(args: argparse.Namespace, ctx: AppContext) -> int:
    report = export_store(ctx.store, args.dest, redacted=args.redacted, include_audio=args.audio,
                          region=ctx.settings.region)
    ctx.emit({"folder": str(report.folder), "messages": report.messages, "events": report.events,
              "meetings": report.meetings, "audio_files": report.audio_files, "documents": report.documents,
              "conversations": report.conversations, "redacted": report.redacted, "redactions": report.redactions},
             report.summary() + "\nThis folder is NOT encrypted: keep it safe or delete it when done.")
    return 0


def run_backup(args: argparse.Namespace, ctx: AppContext) -> int:
    info = backup(ctx.store, args.dest)
    AuditLog(ctx.store).record("backup", info.path.name, bytes=info.size, schema_version=info.schema_version)
    ctx.emit({"path": str(info.path), "bytes": info.size, "schema_version": info.schema_version,
              "key": info.key_mode},
             f"Encrypted backup written to {info.path} ({info.size / 1e6:.1f} MB). It opens with the same "
             f"{'keyring key' if info.key_mode == 'keyring' else 'passphrase'} as the store.")
    return 0


def run_restore(args: argparse.Namespace, ctx: AppContext) -> int:
    src = args.src.expanduser()
    if not src.is_file():
        raise StoreError(f"No backup at {src}.", next_step="Give the path of a file made by `reflex-assistant backup`.")
    if not ctx.confirm(f"Replace the store in {ctx.home} with {src}? The current store is kept beside it.",
                       yes=args.yes, needs="Restoring replaces the store"):
        print("Nothing was changed.")
        return 1
    ctx.hold_exclusively("restore")
    key = _restore_key(ctx, src, ask_secret=args.recovery_key)
    bmeta = backup_meta(src)
    sidecar = sidecar_for_restore(ctx.db_path, bmeta, key, prompt=ctx.prompt)
    ctx.close()
    moved = restore(src, ctx.db_path, key, sidecar=sidecar)
    AuditLog(ctx.store).record("restore", src.name, moved_aside=moved.name if moved else "")
    kept = f" The previous store was kept as {moved} (its key file: {moved_key_file(moved)})." if moved else ""
    ctx.emit({"restored": str(src), "moved_aside": str(moved) if moved else None},
             f"Restored the store from {src}.{kept}")
    return 0


def _restore_key(ctx: AppContext, src: Path, *, ask_secret: bool) -> StoreKey:
    """The first key that opens the backup: the live store's, a keyring key the backup names, or one from the
    recovery key / passphrase the user types (asked for when the others fail, or at once with --recovery-key)."""
    live_key = None
    if not ask_secret and StoreMeta(ctx.db_path).read():
        with contextlib.suppress(StoreError):  # never opens the live store: it may be the damaged one
            live_key = current_key(ctx.db_path, prompt=ctx.prompt)
    secret = os.environ.get(RECOVERY_ENV) or (os.environ.get(PASSPHRASE_ENV) if not ask_secret else None)
    while True:
        key = backup_key(src, ctx.db_path, live_key=live_key, secret=secret)
        if key is not None:
            return key
        if secret is not None:
            break
        secret = ctx.prompt(f"Enter the recovery key (or the passphrase) of the backup {src.name}: ")
    raise KeyMissing(f"No key this computer has, nor the recovery key or passphrase given, opens {src}.",
                     next_step="Use the recovery key shown when the store was created (or made with "
                     "`reflex-assistant recovery-key` before the backup), and keep the backup's .json file beside "
                     "it. Nothing was changed.")


def run_retention_now(args: argparse.Namespace, ctx: AppContext) -> int:
    converted = _convert_once(ctx)
    report = purge(ctx.store, RetentionPolicy.from_settings(ctx.settings), log_dir=ctx.home / "logs",
                   audit=AuditLog(ctx.store))
    ctx.emit({"removed": report.removed, "audio_chunks": report.audio_chunks,
              "transcript_segments": report.transcript_segments, "mail_bodies": report.mail_bodies,
              "conversations": report.conversations, "log_files": report.log_files,
              "bytes_before": report.bytes_before, "bytes_after": report.bytes_after, "converted": converted},
             report.summary() + ("\nThe store was converted once to incremental compaction." if converted else ""))
    return 0


def _convert_once(ctx: AppContext) -> bool:
    """Convert a store made before incremental auto-vacuum (engine.store.compaction), when no other process has
    it open; otherwise leave it for a later run (retention then only zeroes the freed pages)."""
    from engine.store.compaction import convert_to_incremental

    try:
        ctx.hold_exclusively("the one-time store conversion")
    except StoreInUse:
        return False
    key = ctx.store.key
    ctx.close()

    def show(fraction: float) -> None:
        print(f"Converting the store for incremental compaction: {fraction:.0%}", file=sys.stderr)

    return convert_to_incremental(ctx.db_path, key, on_progress=show)
