"""The model gallery as one use-case: what can be downloaded (with a verdict for this machine), what is already
here, and "download it, check it, offer it".

After the bytes are verified, a model is offered only if it works: a chat GGUF must load in llama.cpp and carry a
chat template (it is then added to the chat-model catalogue, where the user can make it the default and the
app measures its capability tier when it loads); a speech folder must load in faster-whisper. What was verified
(commit, files, sha256/sha1, sizes) is recorded through the injected `load`/`save` (the app keeps it in the
store), and a repo's first download pins its commit for every later download. Not thread-safe for concurrent
downloads of the same model (the UI runs one gallery download at a time).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import EngineError
from engine.gallery.catalogue import CatalogueEntry, GalleryError, curated, find_entry
from engine.gallery.download import DownloadedModel, ModelDownloader
from engine.gallery.machine import Machine, Verdict, recommend

log = logging.getLogger(__name__)
GalleryState = dict[str, object]


class ModelNotUsable(GalleryError):
    """The download is intact but the model does not work here (no chat template, does not load)."""


@dataclass(frozen=True, slots=True)
class GalleryItem:
    """One row of the gallery: the model, this machine's verdict and whether it is downloaded (its path)."""

    verdict: Verdict
    installed: Path | None

    @property
    def entry(self) -> CatalogueEntry:
        return self.verdict.entry


class ModelGallery:
    """`add_chat_model(path)` adds a GGUF to the chat catalogue (validating it: raises on a file without a chat
    template or one llama.cpp cannot load); `check_speech_model(path)` loads a faster-whisper folder."""

    def __init__(self, downloader: ModelDownloader, *, machine: Callable[[], Machine],
                 load: Callable[[], GalleryState | None], save: Callable[[GalleryState], None],
                 add_chat_model: Callable[[Path], object], check_speech_model: Callable[[Path], object]) -> None:
        self.downloader = downloader
        self._machine, self._load, self._save = machine, load, save
        self._add_chat, self._check_speech = add_chat_model, check_speech_model
        self._lock = threading.Lock()

    def _downloads(self) -> dict[str, dict]:
        return dict((self._load() or {}).get("downloads", {}))  # type: ignore[arg-type]

    def pinned_commit(self, repo: str) -> str | None:
        """The commit a repo was first downloaded at (later downloads use it), or None."""
        return next((d["commit"] for d in self._downloads().values() if d.get("repo") == repo), None)

    def items(self) -> list[GalleryItem]:
        """Every curated model with this machine's verdict and its local path when downloaded and still there."""
        downloads = self._downloads()
        out = []
        for verdict in recommend(curated(), self._machine()):
            path = Path(downloads[verdict.entry.name]["path"]) if verdict.entry.name in downloads else None
            out.append(GalleryItem(verdict, path if path is not None and path.exists() else None))
        return out

    def recommended(self, kind: str = "chat") -> GalleryItem | None:
        return next((i for i in self.items() if i.entry.kind == kind and i.verdict.status == "recommended"), None)

    def download(self, name: str, *, on_progress: Callable[[float], None] | None = None,
                 cancel: threading.Event | None = None) -> DownloadedModel:
        """Download `name` (resuming), verify, validate and offer it. Raises `GalleryError` subclasses with a next
        step; a model that does not work is not offered (its files are left for the user to remove)."""
        entry = find_entry(name)
        got = self.downloader.download(entry, on_progress=on_progress, cancel=cancel)
        try:
            if entry.kind == "chat":
                self._add_chat(got.path)
            else:
                self._check_speech(got.path)
        except EngineError as exc:
            raise ModelNotUsable(f"{entry.title} downloaded intact but cannot be used here: {exc}",
                                 next_step=exc.next_step or "Choose another model.") from exc
        with self._lock:
            state = dict(self._load() or {})
            downloads = dict(state.get("downloads", {}))  # type: ignore[arg-type]
            downloads[entry.name] = got.as_record()
            state["downloads"] = downloads
            self._save(state)
        log.info("gallery: %s is ready", entry.name)
        return got
