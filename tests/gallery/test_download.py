"""Downloads through the real huggingface_hub client against a fake hub on 127.0.0.1: verified files,
progress, cancel and resume, wrong checksum, 404, gated 401, a full disk, an unreachable hub — each with a clear
error, and every file audited (host and file name, never content)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace

import pytest

from engine.gallery.download import (
    ChecksumMismatch,
    DownloadCancelled,
    HubAccessDenied,
    HubUnreachable,
    ModelDownloader,
    ModelNotOnHub,
    NotEnoughSpace,
    file_digest,
)
from tests.gallery.conftest import WHISPER_FILES


def _downloader(hub, tmp_path, audit, **kwargs) -> ModelDownloader:  # noqa: ANN001
    return ModelDownloader(tmp_path / "models", audit=audit.append, endpoint=hub.url, **kwargs)


def test_a_chat_model_downloads_verified_with_progress_and_an_audit_entry(hub, chat_entry, tmp_path) -> None:
    audit: list = []
    progress: list[float] = []
    got = _downloader(hub, tmp_path, audit).download(chat_entry, on_progress=progress.append)
    served = hub.served(hub.repos[chat_entry.repo][chat_entry.files[0]])
    assert got.path.read_bytes() == served.data and got.commit == hub.commit
    assert got.files == {chat_entry.files[0]: {"sha256": served.sha256, "size": len(served.data)}}
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) > 3
    [entry] = audit
    assert entry.action == "model_download" and entry.target == hub.url.removeprefix("http://")
    assert entry.detail == {"repo": chat_entry.repo, "file": chat_entry.files[0], "bytes": len(served.data),
                            "outcome": "ok"}
    assert not list(got.path.parent.glob("*.part"))
    gets = len(hub.gets())
    again = _downloader(hub, tmp_path, audit).download(chat_entry)
    assert again.path == got.path and len(hub.gets()) == gets  # already here and intact: nothing fetched


def test_a_speech_folder_downloads_with_small_files_checked_by_their_git_hash(hub, speech_entry, tmp_path) -> None:
    got = _downloader(hub, tmp_path, []).download(speech_entry)
    assert got.path.is_dir() and sorted(p.name for p in got.path.iterdir()) == sorted(WHISPER_FILES)
    assert "sha256" in got.files["model.bin"] and "sha1" in got.files["config.json"]
    assert file_digest(got.path / "config.json", "sha1") == got.files["config.json"]["sha1"]


def test_a_cancelled_download_resumes_where_it_stopped(hub, chat_entry, tmp_path) -> None:
    hub.rate_bps = 20e6  # ~5 s for the 98 MB file: time to cancel part-way
    cancel = threading.Event()
    audit: list = []
    downloader = _downloader(hub, tmp_path, audit)
    with pytest.raises(DownloadCancelled):
        downloader.download(chat_entry, cancel=cancel,
                            on_progress=lambda f: cancel.set() if f > 0.2 else None)
    [part] = (tmp_path / "models" / chat_entry.name).glob("*.part")
    kept = part.stat().st_size
    size = len(hub.served(hub.repos[chat_entry.repo][chat_entry.files[0]]).data)
    assert 0.2 * size < kept < size and audit[-1].detail["outcome"] == "cancelled"
    hub.rate_bps = 0
    progress: list[float] = []
    got = downloader.download(chat_entry, on_progress=progress.append)
    assert hub.gets()[-1].range == f"bytes={kept}-"  # asked only for the rest
    assert progress[0] >= kept / size and audit[-1].detail["bytes"] == size - kept
    assert hashlib.sha256(got.path.read_bytes()).hexdigest() == got.files[chat_entry.files[0]]["sha256"]


def test_bytes_that_do_not_match_the_published_sha256_are_deleted(hub, chat_entry, tmp_path) -> None:
    hub.corrupt.add(chat_entry.files[0])
    audit: list = []
    with pytest.raises(ChecksumMismatch, match="does not match the checksum"):
        _downloader(hub, tmp_path, audit).download(chat_entry)
    assert not any((tmp_path / "models" / chat_entry.name).iterdir())  # nothing half-trusted is left
    assert audit[-1].detail["outcome"] == "ChecksumMismatch"


@pytest.mark.parametrize("change", [{"repo": "reflex-test/no-such-model"}, {"files": ("missing.gguf",)},
                                    {"revision": "fedcba9876543210fedcba9876543210fedcba98"}])
def test_a_missing_repo_file_or_revision_says_so(hub, chat_entry, tmp_path, change) -> None:
    with pytest.raises(ModelNotOnHub) as err:
        _downloader(hub, tmp_path, []).download(replace(chat_entry, **change))
    assert err.value.next_step and hub.gets() == []


def test_a_gated_model_needs_the_users_token(hub, speech_entry, tmp_path) -> None:
    hub.gated[speech_entry.repo] = "hf_secret_token"
    with pytest.raises(HubAccessDenied, match="licence") as err:
        _downloader(hub, tmp_path, []).download(speech_entry)
    assert "token" in err.value.next_step
    got = _downloader(hub, tmp_path, [], token=lambda: "hf_secret_token").download(speech_entry)
    assert (got.path / "model.bin").is_file() and all(r.authorized for r in hub.requests[-8:])


def test_a_full_disk_is_refused_before_any_byte_is_fetched(hub, chat_entry, tmp_path) -> None:
    with pytest.raises(NotEnoughSpace, match="GB is free") as err:
        _downloader(hub, tmp_path, [], free_bytes=lambda _path: 50_000_000).download(chat_entry)
    assert "Free some disk space" in err.value.next_step and hub.gets() == []


def test_an_unreachable_hub_says_to_check_the_connection(chat_entry, tmp_path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    downloader = ModelDownloader(tmp_path / "models", audit=[].append, endpoint=f"http://127.0.0.1:{port}",
                                 timeout_s=2)
    with pytest.raises(HubUnreachable) as err:
        downloader.download(chat_entry)
    assert "continues where it stopped" in err.value.next_step


def test_downloads_go_through_the_proxy_the_environment_names(hub, speech_entry, tmp_path, monkeypatch) -> None:
    """The proxy settings a process starts with are honoured (huggingface_hub's HTTP client reads them when
    it is created, so the test starts it afresh)."""
    from huggingface_hub import close_session

    from tests.fakes.http_proxy import ForwardingProxy

    proxy = ForwardingProxy()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
            monkeypatch.setenv(name, proxy.url)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        close_session()
        got = _downloader(hub, tmp_path, []).download(speech_entry)
        assert (got.path / "model.bin").is_file()
        assert any(line.startswith("GET " + hub.url) and line.endswith("/model.bin") for line in proxy.seen)
    finally:
        close_session()  # the next test's client starts without the proxy
        proxy.stop()
