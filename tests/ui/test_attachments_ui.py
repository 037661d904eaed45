"""The mail view links each attachment that was kept as a document (the link opens it inside Reflex) and says
why one could not be read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from app.importing import import_paths
from tests.fakes.mail_files import mail_with_attachments


def test_the_message_links_its_attachment_document(qtbot, services, facade, tasks, llm, store, tmp_path: Path) -> None:  # noqa: ANN001
    from ui.views.inbox import InboxView

    import_paths(store, [mail_with_attachments(tmp_path)])
    doc = store.documents.all()[0]
    view = InboxView(services=facade, tasks=tasks, llm=llm)
    qtbot.addWidget(view)
    message_id = store.messages.recent(limit=1)[0].id
    view._load_thread(message_id)  # noqa: SLF001 - what selecting the mail does
    qtbot.waitUntil(lambda: f"reflex://doc/{doc.id}" in view.thread_view.toHtml(), timeout=10_000)
    assert "broken.pdf (not readable: the PDF file is damaged" in view.thread_view.toPlainText()
    with qtbot.waitSignal(view.open_target) as opened:
        view.thread_view.anchorClicked.emit(QUrl(f"reflex://doc/{doc.id}"))
    assert opened.args == [f"reflex://doc/{doc.id}"]
