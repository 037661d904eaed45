"""Store lifecycle and health: `init`, `status`, `doctor`, `rekey`, `wipe`."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys

from app.context import AppContext
from app.doctor import run_checks
from engine import bundled
from engine.errors import StoreError
from engine.store import PASSPHRASE_ENV, StoreKey, remove_store_files, secure_keyring_available


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
    p = sub.add_parser("wipe", help="delete the store, index, logs and keyring entries")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=run_wipe)


def run_init(args: argparse.Namespace, ctx: AppContext) -> int:
    if ctx.has_store:
        ctx.emit({"created": False, "path": str(ctx.db_path)}, f"A store already exists at {ctx.db_path}; nothing to do.")
        return 0
    store = ctx.create_store()
    mode = "OS keyring" if secure_keyring_available() and not os.environ.get(PASSPHRASE_ENV) else "passphrase"
    ctx.emit({"created": True, "path": str(store.path), "key": mode},
             f"Created an encrypted store at {store.path} (key: {mode}).\nNext: `reflex-assistant demo` to load the demo workspace.")
    return 0


def run_status(args: argparse.Namespace, ctx: AppContext) -> int:
    info: dict[str, object] = {"home": str(ctx.home), "store": str(ctx.db_path), "exists": ctx.has_store}
    models = {
        role: ({"path": str(m.path), "package": m.package, "size_mb": round(m.size_bytes / 1e6, 1)} if m else None)
        for role, m in bundled.all_defaults().items()
    }
    info["models"] = models
    if ctx.has_store:
        store = ctx.store
        info["encryption"] = {"cipher": "SQLCipher 4 (AES-256)", "key": store_key_mode(ctx)}
        info["schema_version"] = store.schema_version
        info["counts"] = store.counts()
        info["accounts"] = [{"key": a.key, "state": a.state, "last_sync": str(a.last_sync_at or ""),
                             "error": a.last_error} for a in store.accounts.all()]
    ctx.emit(info, _render_status(info))
    return 0


def store_key_mode(ctx: AppContext) -> str:
    from engine.store.keys import StoreMeta

    return StoreMeta(ctx.db_path).read().get("key_mode", "unknown")


def _render_status(info: dict) -> str:
    lines = [f"Data folder: {info['home']}"]
    if not info["exists"]:
        lines.append("Store: none yet. Run `reflex-assistant init`.")
    else:
        enc = info["encryption"]
        lines.append(f"Store: {info['store']} — {enc['cipher']}, key in {enc['key']}, schema v{info['schema_version']}")
        lines.append("Counts:")
        lines += [f"  {name:<22}{count:>8}" for name, count in info["counts"].items()]
        accounts = info["accounts"]
        lines.append("Accounts: " + (", ".join(f"{a['key']} ({a['state']})" for a in accounts) if accounts else "none connected"))
    lines.append("Models:")
    for role, m in info["models"].items():
        lines.append(f"  {role:<10} " + (f"{m['package']} {m['size_mb']} MB  {m['path']}" if m else "MISSING (run `make run` to install)"))
    return "\n".join(lines)


def run_doctor(args: argparse.Namespace, ctx: AppContext) -> int:
    results = run_checks(ctx)
    ctx.emit([r.as_dict() for r in results], "\n".join(r.line() for r in results))
    return 0 if all(r.ok for r in results if r.required) else 1


def run_rekey(args: argparse.Namespace, ctx: AppContext) -> int:
    store = ctx.store
    mode = args.to or store_key_mode(ctx)
    if mode == "keyring":
        if not secure_keyring_available():
            raise StoreError("No secure OS keyring is available to hold a new key.", next_step="Use --to passphrase.")
        new_key = StoreKey.generate()
    else:
        new_key = StoreKey(passphrase=_new_passphrase(ctx))
    store.rekey(new_key)
    ctx.emit({"rekeyed": True, "key": new_key.mode}, f"The store is now encrypted with a new {new_key.mode} key.")
    return 0


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
    if ctx.has_store:
        from app.commands.privacy import forget_keyring_entries

        with contextlib.suppress(StoreError):  # a damaged/locked store must not block the wipe
            forget_keyring_entries(ctx.store, ctx.settings)
    ctx.close()
    remove_store_files(ctx.db_path)
    for sub in ("logs", "index", "cache"):
        shutil.rmtree(ctx.home / sub, ignore_errors=True)
    ctx.emit({"wiped": True, "home": str(ctx.home)}, f"Deleted the Reflex store, index, logs and keys in {ctx.home}.")
    return 0

