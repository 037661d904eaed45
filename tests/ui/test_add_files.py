"""Adding material from the desktop: drop files on the window (or pick them in Chat), or watch a folder."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent


def test_dropped_files_are_added_and_indexed(qtbot, main_window, services, tmp_path):  # noqa: ANN001
    notes = tmp_path / "pricing.md"
    notes.write_text("# Pricing\n\nRobot arms list at $12,000 per unit.\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes)), QUrl.fromLocalFile(str(tmp_path / "photo.jpg"))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(main_window.files_added, timeout=30000) as added:
        main_window.dropEvent(drop)
    report = added.args[0]
    assert report.documents == 1 and [p for p, _ in report.failures] == [str(tmp_path / "photo.jpg")]
    assert "Imported 1 documents; 1 could not be imported" in main_window.statusBar().currentMessage()
    assert any(d.title == "Pricing" for d in services.store.documents.all())


def test_a_watched_folder_is_added_now_and_kept_in_step(qtbot, main_window, services, facade, tmp_path):  # noqa: ANN001
    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "plan.md").write_text("# Plan\n\nHire four engineers in Q2.\n")
    settings = main_window.show_page("settings")
    settings.set_watched_folder(str(folder))
    qtbot.waitUntil(lambda: settings.status.text().startswith(f"Watching {folder}"), timeout=30000)
    assert services.settings.watched_folder == str(folder)
    assert [d.title for d in services.store.documents.all()] == ["Plan"]
    (folder / "plan.md").unlink()
    assert facade.sync_watched_folder() == 1  # what the 10-minute job does: the deleted file's document goes
    assert services.store.documents.all() == []


def test_a_document_citation_opens_at_its_page(qtbot, main_window, services):  # noqa: ANN001
    from models import Document

    pages = [f"Page {n} text. " + "Filler line.\n" * 60 for n in (1, 2, 3)]
    doc_id = services.store.documents.upsert(Document("Board deck", "/tmp/board-deck.pdf", "pdf", "\f".join(pages)))
    main_window.open_target(f"reflex://doc/{doc_id}?page=3")
    qtbot.waitUntil(lambda: getattr(main_window, "source_dialog", None) is not None, timeout=10000)
    from ui.widgets import SafeTextBrowser

    view = main_window.source_dialog.findChild(SafeTextBrowser)
    assert "Page 3" in view.toPlainText()
    qtbot.waitUntil(lambda: view.verticalScrollBar().value() > 0, timeout=5000)  # scrolled to page 3, not the top


def test_a_big_mbox_shows_progress_stops_and_continues(qtbot, main_window, services, tmp_path,
                                                        monkeypatch):  # noqa: ANN001
    """An .mbox added from the app streams through the engine's resumable import: the status bar shows a progress
    bar, counts and a Stop button; Stop ends after the batch being written and says so; adding the file again
    continues where it stopped (no duplicates)."""
    from bench.workspace_gen import generate
    from engine.ingest import mail_import

    generate(tmp_path, mails=200, events=5, documents=1)
    mbox = str(tmp_path / "mail.mbox")
    monkeypatch.setattr(mail_import, "BATCH", 40)
    before = services.store.counts()["messages"]
    statuses: list[str] = []

    def on_status(text: str) -> None:
        statuses.append(text)
        if len(statuses) == 2:
            assert main_window.import_bar.isVisible() and main_window.import_stop.isVisible()
            qtbot.mouseClick(main_window.import_stop, Qt.MouseButton.LeftButton)  # the user stops it

    main_window.import_status.connect(on_status)
    with qtbot.waitSignal(main_window.files_added, timeout=60000) as added:
        main_window.add_files([mbox])
    first = added.args[0]
    assert first.cancelled and 0 < first.messages < 200
    assert statuses[0].startswith("Importing… 40 emails")
    assert not main_window.import_bar.isVisible() and "(cancelled)" in main_window.statusBar().currentMessage()
    main_window.import_status.disconnect(on_status)
    with qtbot.waitSignal(main_window.files_added, timeout=60000) as again:
        main_window.add_files([mbox])
    assert not again.args[0].cancelled and again.args[0].messages == 200 - first.messages  # continued, not redone
    assert services.store.counts()["messages"] == before + 200
