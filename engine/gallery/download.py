"""Downloading gallery models from the Hugging Face hub with `huggingface_hub`: progress, cancel, resume,
checksums, clear errors and an audit entry per file.

Why not `hf_hub_download`: this huggingface_hub version deletes a partial file when a download stops, so an
interrupted multi-GB download would start over. We use its lower layers instead — `get_hf_file_metadata` (the
pinned commit, the exact size and the LFS sha256 the hub reports) and `file_download.http_get`, whose
`resume_size` continues a `.part` file with a Range request — so the transfer, retries, proxies (the
environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY are honoured by its HTTP client), headers and error types are
the library's. The `.part` file's name carries the expected hash, so bytes of another version are never resumed.

A file is moved to its final name only after its hash matches the hub's metadata (sha256 for LFS files; the
git blob sha1 for small files kept in git); a mismatch deletes the download and raises `ChecksumMismatch`.
Free space is checked before any byte is fetched. Blocking: call from a worker; `cancel` stops within one chunk.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from engine.gallery.catalogue import CatalogueEntry, GalleryError
from models import AuditEntry

log = logging.getLogger(__name__)
MODEL_DOWNLOAD = "model_download"
#: Room kept free beyond the download itself (the OS and the encrypted store need space to work).
DISK_MARGIN_BYTES = 200_000_000
_CHUNK = 1 << 20
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


class DownloadCancelled(GalleryError):
    """The user stopped the download; the partial file stays and the next download resumes it."""


class HubUnreachable(GalleryError):
    """No connection to the hub, or it did not answer in time."""


class HubAccessDenied(GalleryError):
    """401/403: the model is gated (its licence must be accepted) or the token was refused."""


class ModelNotOnHub(GalleryError):
    """404: the repository, revision or file does not exist."""


class NotEnoughSpace(GalleryError):
    """The disk cannot hold the download (checked first, or the disk filled up while writing)."""


class ChecksumMismatch(GalleryError):
    """The downloaded bytes do not match the hash the hub published; they were deleted."""


@dataclass(frozen=True, slots=True)
class RemoteFile:
    name: str
    size: int
    digest: str  # sha256 (64 hex) for LFS files, git blob sha1 (40 hex) for files in git
    url: str  # where the bytes are (the hub, or the CDN it redirects to)


@dataclass(slots=True)
class DownloadedModel:
    """What landed on disk: the GGUF file (chat) or the folder (speech), the commit it came from, and each
    file's verified hash and size (recorded locally so the app can re-check it later)."""

    entry: CatalogueEntry
    path: Path
    commit: str
    files: dict[str, dict[str, object]] = field(default_factory=dict)

    def as_record(self) -> dict[str, object]:
        return {"repo": self.entry.repo, "commit": self.commit, "path": str(self.path), "files": self.files}


def file_digest(path: Path, kind: str) -> str:
    """sha256 of the file, or its git blob sha1 (`kind="sha1"`, the hash git gives a small file)."""
    digest = hashlib.sha256() if kind == "sha256" else hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _progress_class(on_bytes: Callable[[int], None], cancel: threading.Event | None) -> type:
    """A tqdm class for `http_get` that reports bytes and raises `DownloadCancelled` between chunks (before the
    chunk is written, so the .part file always ends on a chunk the hub sent)."""
    from tqdm.auto import tqdm

    class Progress(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["disable"] = True  # no terminal output; we report through `on_bytes`
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("The download was stopped.",
                                        next_step="Start it again to continue where it stopped.")
            on_bytes(int(n or 0))
            return None

    return Progress


class ModelDownloader:
    """Downloads catalogue entries into `models_dir/<name>/`.

    `endpoint`: the hub URL (None = huggingface_hub's default, which honours HF_ENDPOINT).
    `token`: returns the user's hub token for gated models (from the keyring) or None.
    `audit`: receives one `model_download` entry per file (host, repo and file names, bytes, outcome).
    `pinned`: returns the commit recorded at an earlier download of a repo (or None); entries whose revision is
    a branch are pinned to it, so the bytes and hashes checked are always those of one commit.
    `free_bytes`: free space at a path (injected so tests can simulate a full disk).
    """

    def __init__(self, models_dir: Path, *, audit: Callable[[AuditEntry], None],
                 token: Callable[[], str | None] = lambda: None, endpoint: str | None = None,
                 pinned: Callable[[str], str | None] = lambda _repo: None,
                 free_bytes: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free,
                 timeout_s: float = 20.0) -> None:
        self.models_dir = models_dir
        self._audit, self._token, self._endpoint = audit, token, endpoint
        self._pinned, self._free_bytes, self._timeout_s = pinned, free_bytes, timeout_s

    def target(self, entry: CatalogueEntry) -> Path:
        """Where `entry` lives once downloaded: the GGUF file for chat, the folder for speech."""
        folder = self.models_dir / entry.name
        return folder / entry.files[0] if entry.kind == "chat" else folder

    # ---- metadata ---------------------------------------------------------------------------------------
    def _revision(self, entry: CatalogueEntry) -> str:
        return entry.revision if _COMMIT.match(entry.revision) else (self._pinned(entry.repo) or entry.revision)

    def inspect(self, entry: CatalogueEntry) -> tuple[str, list[RemoteFile]]:
        """The commit and each file's size, hash and URL, from the hub's metadata (HEAD requests)."""
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        revision, commit, files = self._revision(entry), "", []
        for name in entry.files:
            url = hf_hub_url(entry.repo, name, revision=revision, endpoint=self._endpoint)
            with _Translate(entry, name):
                meta = get_hf_file_metadata(url, token=self._token() or None, timeout=self._timeout_s,
                                            endpoint=self._endpoint)
            digest = (meta.etag or "").strip('"').removeprefix("W/").strip('"').lower()
            if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", digest) or meta.size is None:
                raise ChecksumMismatch(f"The hub published no checksum or size for {name}, so it cannot be verified.",
                                       next_step="Try again later; if it persists, the model cannot be offered.")
            commit = commit or (meta.commit_hash or "")
            if not commit or (meta.commit_hash and meta.commit_hash != commit):
                raise ModelNotOnHub(f"{entry.repo} changed while its files were being checked.",
                                    next_step="Try the download again.")
            files.append(RemoteFile(name, meta.size, digest, meta.location))
        return commit, files

    # ---- download ---------------------------------------------------------------------------------------
    def download(self, entry: CatalogueEntry, *, on_progress: Callable[[float], None] | None = None,
                 cancel: threading.Event | None = None) -> DownloadedModel:
        """Fetch (or finish) every file of `entry`, verified. Progress is a fraction of all bytes, including
        what earlier attempts already fetched. Raises the errors above, each with a next step."""
        commit, files = self.inspect(entry)
        folder = self.models_dir / entry.name
        folder.mkdir(parents=True, exist_ok=True)
        remaining = sum(f.size - self._have(folder, f) for f in files)
        free = self._free_bytes(folder)
        if free < remaining + DISK_MARGIN_BYTES:
            raise NotEnoughSpace(
                f"{entry.title} needs {remaining / 1e9:.2f} GB more; {free / 1e9:.2f} GB is free.",
                next_step="Free some disk space (or choose a smaller model), then download again.")
        total = max(1, sum(f.size for f in files))
        done = [sum(self._have(folder, f) for f in files)]

        def on_bytes(n: int) -> None:
            done[0] += n
            if on_progress:
                on_progress(min(1.0, done[0] / total))

        record: dict[str, dict[str, object]] = {}
        for f in files:
            record[f.name] = self._fetch(entry, folder, f, on_bytes, cancel)
        if on_progress:
            on_progress(1.0)
        return DownloadedModel(entry, self.target(entry), commit, record)

    @staticmethod
    def _part(folder: Path, f: RemoteFile) -> Path:
        return folder / f"{f.name}.{f.digest[:16]}.part"

    def _have(self, folder: Path, f: RemoteFile) -> int:
        """Bytes of `f` already on disk (the finished file counts whole only if its size matches)."""
        final, part = folder / f.name, self._part(folder, f)
        if final.is_file() and final.stat().st_size == f.size:
            return f.size
        return min(part.stat().st_size, f.size) if part.is_file() else 0

    def _fetch(self, entry: CatalogueEntry, folder: Path, f: RemoteFile, on_bytes: Callable[[int], None],
               cancel: threading.Event | None) -> dict[str, object]:
        from huggingface_hub import constants
        from huggingface_hub.file_download import http_get
        from huggingface_hub.utils import build_hf_headers

        kind = "sha256" if len(f.digest) == 64 else "sha1"
        final, part = folder / f.name, self._part(folder, f)
        if final.is_file() and final.stat().st_size == f.size and file_digest(final, kind) == f.digest:
            return {kind: f.digest, "size": f.size}  # already here and intact: nothing to fetch
        resume = part.stat().st_size if part.is_file() else 0
        if resume > f.size:  # cannot be a prefix of this file
            part.unlink()
            resume = 0
        headers = build_hf_headers(token=self._token() or None)
        if urlsplit(f.url).netloc != urlsplit(self._endpoint or constants.ENDPOINT).netloc:
            headers.pop("authorization", None)  # a CDN redirect never gets the user's token
        outcome, fetched = "error", [0]

        def count(n: int) -> None:
            fetched[0] += n
            on_bytes(n)

        try:
            with _Translate(entry, f.name), open(part, "ab") as out:
                http_get(f.url, out, resume_size=resume, headers=headers, expected_size=f.size,
                         tqdm_class=_progress_class(count, cancel))
            if file_digest(part, kind) != f.digest:
                part.unlink()
                raise ChecksumMismatch(
                    f"{f.name} from {entry.repo} does not match the checksum the hub published; it was deleted.",
                    next_step="Download it again; if it happens again, the mirror or network is altering files.")
            os.replace(part, final)
            outcome = "ok"
        except DownloadCancelled:
            outcome = "cancelled"
            raise
        except GalleryError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self._audit(AuditEntry(action=MODEL_DOWNLOAD, target=urlsplit(f.url).netloc, detail={
                "repo": entry.repo, "file": f.name, "bytes": fetched[0], "outcome": outcome}))
        log.info("gallery: downloaded %s (%d bytes)", f.name, f.size)
        return {kind: f.digest, "size": f.size}


class _Translate:
    """Turns huggingface_hub / HTTP / OS errors into the gallery's errors, each with a next step."""

    def __init__(self, entry: CatalogueEntry, name: str) -> None:
        self.entry, self.name = entry, name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, _tb: object) -> bool:
        if exc is None or isinstance(exc, GalleryError):
            return False
        import httpx2
        from huggingface_hub.errors import (
            GatedRepoError,
            HfHubHTTPError,
            RemoteEntryNotFoundError,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        repo, name = self.entry.repo, self.name
        if isinstance(exc, GatedRepoError):
            raise HubAccessDenied(
                f"{repo} is gated: its licence must be accepted on huggingface.co before it can be downloaded.",
                next_step="Accept the licence on the model's page, create a read token and add it in "
                          "Settings > Models (it is kept in the system keyring).") from exc
        if isinstance(exc, (RemoteEntryNotFoundError, RevisionNotFoundError)):
            raise ModelNotOnHub(f"{name} is not in {repo} at revision {self.entry.revision}.",
                                next_step="Update Reflex: the gallery may point at a file that was renamed.") from exc
        if isinstance(exc, RepositoryNotFoundError):
            raise ModelNotOnHub(f"{repo} was not found on the hub (or it is private).",
                                next_step="Update Reflex, or add a token in Settings > Models if the repository "
                                          "is private.") from exc
        if isinstance(exc, HfHubHTTPError):
            status = exc.response.status_code if exc.response is not None else 0
            if status in (401, 403):
                raise HubAccessDenied(f"The hub refused access to {repo} (HTTP {status}).",
                                      next_step="Check the token in Settings > Models.") from exc
            raise HubUnreachable(f"The hub answered HTTP {status} for {name}.",
                                 next_step="Try again in a few minutes.") from exc
        if isinstance(exc, httpx2.TimeoutException):
            raise HubUnreachable("The model hub did not answer in time.",
                                 next_step="Check the internet connection (and proxy settings), then download "
                                           "again: it continues where it stopped.") from exc
        if isinstance(exc, (httpx2.HTTPError, ConnectionError)):
            raise HubUnreachable("Cannot reach the model hub (no network, proxy or firewall).",
                                 next_step="Check the internet connection and proxy settings, then download "
                                           "again: it continues where it stopped.") from exc
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise NotEnoughSpace("The disk filled up during the download.",
                                 next_step="Free some space, then download again: it continues where it "
                                           "stopped.") from exc
        return False
