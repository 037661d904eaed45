"""Store lifecycle and health: `init`, `status`, `doctor`, `rekey`, `recovery-key`, `wipe`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from app.context import AppContext
from app.doctor import render_status, run_checks, status_info, store_key_mode
from engine.errors import StoreError
from engine.store import PASSPHRASE_ENV, StoreMeta, secure_keyring_available
from engine.store.unlock import change_unlock, new_recovery_key, verify_passphrase
from engine.usecases.store_care import erase_store_files


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the encrypted store (first run)")
    p.set_defaults(handler=run_init)
    p = sub.add_parser("status", help="data folder, encryption, counts, models, accounts")
    p.set_defaults(handler=run_status)
    p = sub.add_parser("doctor", help="check keyring, models, disk, audio, tray and store; say what to fix")
    p.set_defaults(handler=run_doctor)
    p = sub.add_parser("rekey", help="change the store's key or passphrase")
    p.add_argument("--to", choices=("keyring", "passphrase"), default=None, help="switch key mode (default: keep)")
    p.set_defaults(handler=run_rekey)
    p = sub.add_parser("recovery-key", help="make a new printable recovery key (the old one stops working)")
    p.set_defaults(handler=run_recovery_key)
    p = sub.add_parser("wipe", help="delete the store, index, logs and keyring entries")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=run_wipe)


def run_init(args: argparse.Namespace, ctx: AppContext) -> int:
    if ctx.has_store:
        ctx.emit({"created": False, "path": str(ctx.db_path)}, f"A store already exists at {ctx.db_path}; nothing to do.")
        return 0
    store = ctx.create_store()
    mode = "OS keyring" if store_key_mode(ctx) == "keyring" else "passphrase"
    recovery = ctx.recovery_key
    text = f"Created an encrypted store at {store.path} (key: {mode})."
    text += (_recovery_text(recovery) if recovery else
             "\nIt uses the key this data folder already had (a store existed here before); no key was replaced.")
    ctx.emit({"created": True, "path": str(store.path), "key": mode, "recovery_key": recovery},
             text + "\nNext: `reflex-assistant demo` to load the demo workspace.")
    return 0


def _recovery_text(recovery: str) -> str:
    return (f"\n\nRECOVERY KEY (write it down and keep it somewhere safe, away from this computer):\n\n    {recovery}\n\n"
            "With it, any backup of this store opens on a new computer (`reflex-assistant restore BACKUP`), even "
            "if this keyring or passphrase is lost. It is shown only now.")


def run_status(args: argparse.Namespace, ctx: AppContext) -> int:
    info = status_info(ctx)
    ctx.emit(info, render_status(info))
    return 0


def run_doctor(args: argparse.Namespace, ctx: AppContext) -> int:
    results = run_checks(ctx)
    ctx.emit([r.as_dict() for r in results], "\n".join(r.line() for r in results))
    return 0 if all(r.ok for r in results if r.required) else 1


def run_rekey(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.hold_exclusively("rekey")
    store = ctx.store
    mode = args.to or store_key_mode(ctx)
    if mode == "keyring":
        if not secure_keyring_available():
            raise StoreError("No secure OS keyring is available to hold a new key.", next_step="Use --to passphrase.")
        change_unlock(store, mode="keyring")
    else:
        change_unlock(store, mode="passphrase", passphrase=_new_passphrase(ctx))
    ctx.emit({"rekeyed": True, "key": mode},
             f"The store now unlocks with a new {mode} key. Your recovery key and older backups still work.")
    return 0


def run_recovery_key(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.hold_exclusively("recovery-key")
    store = ctx.store
    if store_key_mode(ctx) == "passphrase" and StoreMeta(ctx.db_path).read().get("cipher_key") == "envelope":
        # Re-authenticate: whoever found the app unlocked must not mint a recovery key without the passphrase.
        if not verify_passphrase(ctx.db_path, _current_passphrase(ctx)):
            raise StoreError("That is not the store's passphrase; no recovery key was made.",
                             next_step="Run `reflex-assistant recovery-key` again with the current passphrase.")
    recovery = new_recovery_key(store)
    ctx.emit({"recovery_key": recovery}, "A new recovery key was made; the previous one no longer opens this store "
             "(backups made before now still open with the recovery key of their time)." + _recovery_text(recovery))
    return 0


def _current_passphrase(ctx: AppContext) -> str:
    return os.environ.get(PASSPHRASE_ENV) or ctx.prompt("Current passphrase: ")


def _new_passphrase(ctx: AppContext) -> str:
    env = os.environ.get("REFLEX_NEW_PASSPHRASE")
    if env:
        return env
    first = ctx.prompt("New passphrase: ")
    if first != ctx.prompt("Repeat the new passphrase: "):
        raise StoreError("The passphrases did not match; the key was not changed.", next_step="Run `reflex-assistant rekey` again.")
    return first


def run_wipe(args: argparse.Namespace, ctx: AppContext) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise StoreError("wipe needs confirmation.", next_step="Run it in a terminal, or pass --yes.")
        answer = input(f"Delete ALL Reflex data in {ctx.home} (store, index, logs, keyring entries)? Type 'wipe': ")
        if answer.strip() != "wipe":
            print("Nothing was deleted.")
            return 1
    ctx.hold_exclusively("wipe")
    from app.providers import forget_keyring_entries

    store = None
    if ctx.has_store:
        with contextlib.suppress(StoreError):  # a damaged/locked store must not block the wipe
            store = ctx.store
    forget_keyring_entries(store, ctx.settings)  # also from the keyring's own index when the store won't open
    ctx.close()
    erase_store_files(ctx.home, ctx.db_path)  # needs only store.json: works when the database will not open
    ctx.emit({"wiped": True, "home": str(ctx.home)}, f"Deleted the Reflex store, index, logs and keys in {ctx.home}.")
    return 0

