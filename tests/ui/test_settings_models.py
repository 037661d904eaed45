"""Settings > Models and the Model gallery: measured tiers, downloads with progress and stop, models on local
servers, and the offer of a better model."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from engine.llm.capability import ProbeResult, Tier
from engine.llm.probing import gguf_model_id


def test_models_show_their_measured_tier(qtbot, main_window, services, facade):  # noqa: ANN001
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert "tier: measuring when loaded" in settings.models_list.item(0).text()
    services.capability.record(gguf_model_id(facade.chat_model_path()),
                               ProbeResult(Tier.REPHRASE, passed=24, run=31, total=31, hallucinations=1))
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert "tier: rephrase (probe 24/31)" in settings.models_list.item(0).text()


@pytest.fixture()
def hub(services):  # noqa: ANN001, ANN201
    """A fake Hugging Face hub serving the bundled SmolLM2 file as the gallery's Qwen2.5 0.5B."""
    from engine.bundled import default_llm
    from tests.fakes.hf_hub import FakeHub

    fake = FakeHub(repos={"Qwen/Qwen2.5-0.5B-Instruct-GGUF": {"qwen2.5-0.5b-instruct-q4_k_m.gguf": default_llm().path}})
    services.save_settings(model_hub_url=fake.url)
    yield fake
    fake.stop()


def _gallery(qtbot, main_window):  # noqa: ANN001, ANN202
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.gallery.loaded, timeout=30000):
        settings.show_gallery()
    return settings


def test_a_gallery_model_downloads_with_progress_and_becomes_the_default(qtbot, main_window, services, hub):  # noqa: ANN001
    settings = _gallery(qtbot, main_window)
    gallery = settings.gallery
    names = [gallery.table.item(r, 0).text() for r in range(gallery.table.rowCount())]
    assert any("Qwen2.5 0.5B" in n for n in names) and any("Whisper small" in n for n in names)
    progress: list[int] = []
    gallery.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(gallery.loaded, timeout=60000):  # the list is re-read once the download is ready
        settings.show_gallery(download="qwen2.5-0.5b")
    qtbot.waitUntil(lambda: "ready and verified" in gallery.status.text(), timeout=60000)
    assert progress and not gallery.progress.isVisible()
    row = next(r for r in range(gallery.table.rowCount()) if "Qwen2.5 0.5B" in gallery.table.item(r, 0).text())
    qtbot.waitUntil(lambda: gallery.table.item(row, 4).text() == "downloaded", timeout=30000)
    gallery.table.selectRow(row)
    gallery.use_selected()
    qtbot.waitUntil(lambda: "now in use" in gallery.status.text(), timeout=30000)
    assert services.models.default().key == "qwen2.5-0.5b-instruct-q4_k_m"


def test_a_download_can_be_stopped_and_says_it_will_continue(qtbot, main_window, hub, services):  # noqa: ANN001
    hub.rate_bps = 5e6  # ~20 s for the file: time to press Stop
    settings = _gallery(qtbot, main_window)
    gallery = settings.gallery
    settings.show_gallery(download="qwen2.5-0.5b")
    qtbot.waitUntil(lambda: gallery.progress.value() > 0, timeout=30000)
    gallery.cancel_download()
    assert "continue where it stopped" in gallery.status.text() and gallery.download_button.isEnabled()
    qtbot.waitUntil(lambda: any((services.home / "models" / "qwen2.5-0.5b").glob("*.part")), timeout=10000)


def test_a_local_server_model_is_listed_and_used_without_a_restart(qtbot, main_window, services):  # noqa: ANN001
    from tests.fakes.ollama_server import FakeOllama

    ollama = FakeOllama()
    try:
        services.save_settings(local_server_urls=[ollama.url])
        settings = _gallery(qtbot, main_window)
        gallery = settings.gallery
        listed = [gallery.servers.item(i).text() for i in range(gallery.servers.count())]
        assert any(text.startswith("ollama:llama3.2:3b") and "tier: measured once it is in use" in text
                   for text in listed)
        gallery.servers.setCurrentRow(0)
        gallery.use_selected_server()
        qtbot.waitUntil(lambda: "now in use" in gallery.status.text(), timeout=30000)
        assert services.settings.local_server_model == f"ollama:llama3.2:3b@{ollama.url}"
    finally:
        ollama.stop()


def test_the_offer_of_a_better_model_is_remembered_as_not_now(qtbot, main_window, services, facade, monkeypatch):  # noqa: ANN001
    from engine.gallery import Machine

    laptop = Machine(ram_gb=16, cores=8, avx2=True, avx512=False, apple_silicon=False, free_disk_gb=200)
    monkeypatch.setattr(services.gallery, "_machine", lambda: laptop)
    main_window.offer_better_model()
    qtbot.waitUntil(lambda: getattr(main_window, "offer", None) is not None, timeout=30000)
    offer = main_window.offer
    assert offer.name == services.gallery.recommended("chat").entry.name and "min to download" in offer.text.text()
    offer.dismissed.emit()
    qtbot.waitUntil(lambda: services.settings.gallery_offer_dismissed, timeout=10000)
    assert not main_window.offer_bar.isVisible() and facade.gallery_offer() is None  # not offered again


def test_accepting_the_offer_opens_the_gallery_and_starts_the_download(qtbot, main_window, services, hub):  # noqa: ANN001
    from engine.gallery import find_entry
    from engine.gallery.manager import GalleryItem
    from engine.gallery.machine import Verdict

    item = GalleryItem(Verdict(find_entry("qwen2.5-0.5b"), "recommended", "the best fit", 20.0, 0.2), None)
    main_window._show_offer(item)  # noqa: SLF001 - what offer_better_model shows once the machine is read
    main_window.offer.accepted.emit("qwen2.5-0.5b")
    settings = main_window.pages["settings"]
    assert settings.tabs.currentWidget() is settings.gallery
    qtbot.waitUntil(lambda: "ready and verified" in settings.gallery.status.text(), timeout=60000)


def test_a_model_is_removed_from_the_list_and_the_bundled_one_takes_over(qtbot, main_window, services, facade,
                                                                        tmp_path):  # noqa: ANN001
    """`models remove` in the app: the catalogue forgets the file (which stays), and a removed default gives way
    to the bundled model."""
    from engine.bundled import default_llm

    mine = tmp_path / "my-model.gguf"
    shutil.copyfile(default_llm().path, mine)  # a file of its own: the catalogue resolves links
    facade.add_chat_model(str(mine))
    facade.make_default_model(str(mine))
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    row = next(i for i in range(settings.models_list.count())
               if settings.models_list.item(i).data(Qt.ItemDataRole.UserRole) == str(mine))
    settings.models_list.setCurrentRow(row)
    with qtbot.waitSignal(settings.loaded, timeout=20000):
        settings.remove_model()
    assert "the file is untouched" in settings.status.text() and mine.exists()
    assert all(info.path != mine for info, _ in facade.chat_models())
    assert facade.chat_model_path() == default_llm().path


def test_a_hugging_face_token_is_kept_in_the_keyring_and_forgotten(qtbot, main_window):  # noqa: ANN001
    """`models hub-token` in the app: the token goes to the OS keyring only, the field is cleared at once."""
    from app.engines import hub_token

    settings = _gallery(qtbot, main_window)
    gallery = settings.gallery
    qtbot.keyClicks(gallery.hub_token, "hf_example_token")
    qtbot.keyClick(gallery.hub_token, Qt.Key.Key_Return)
    assert gallery.hub_token.text() == ""
    qtbot.waitUntil(lambda: "kept in the OS keyring" in gallery.status.text(), timeout=10000)
    assert hub_token() == "hf_example_token"
    gallery.save_hub_token()  # an empty field forgets it
    qtbot.waitUntil(lambda: "forgotten" in gallery.status.text(), timeout=10000)
    assert hub_token() is None
