"""The guided Google client setup, driven through its widgets: a web client is refused with what to do instead and
cannot be kept; a Desktop-app client passes, is kept in the OS keyring and the guide says so."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from connectors.google import GOOGLE_SCOPES, read_client_file, remember_client, remembered_client
from tests.fakes.google_server import FakeGoogle
from ui.google_client_guide import GoogleClientGuide

CLIENT = {"client_id": FakeGoogle.CLIENT_ID, "client_secret": FakeGoogle.CLIENT_SECRET, "project_id": "reflex-ceo",
          "redirect_uris": ["http://localhost"]}


def make(qtbot, tasks) -> GoogleClientGuide:  # noqa: ANN001
    guide = GoogleClientGuide(tasks=tasks, check=lambda path: read_client_file(Path(path)),
                              keep=lambda path: remember_client(read_client_file(Path(path))), scopes=GOOGLE_SCOPES)
    qtbot.addWidget(guide)
    guide.show()
    return guide


def test_a_web_client_is_refused_and_a_desktop_client_is_kept(qtbot, tasks, tmp_path, memory_keyring) -> None:  # noqa: ANN001
    guide = make(qtbot, tasks)
    web = tmp_path / "web.json"
    web.write_text(json.dumps({"web": CLIENT}))
    qtbot.keyClicks(guide.path, str(web))
    qtbot.keyClick(guide.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Web application" in guide.verdict.text())
    assert "Desktop app" in guide.verdict.text() and not guide.keep_button.isEnabled()

    desktop = tmp_path / "client_secret.json"
    desktop.write_text(json.dumps({"installed": CLIENT}))
    guide.set_file(str(desktop))  # what choosing the file in the file dialog does
    qtbot.waitUntil(guide.keep_button.isEnabled)
    assert FakeGoogle.CLIENT_ID in guide.verdict.text() and "reflex-ceo" in guide.verdict.text()
    assert remembered_client() is None  # checked, not kept yet
    with qtbot.waitSignal(guide.client_kept):
        qtbot.mouseClick(guide.keep_button, Qt.MouseButton.LeftButton)
    assert remembered_client().client_id == FakeGoogle.CLIENT_ID and not guide.isVisible()


def test_the_scopes_are_listed_and_copied(qtbot, tasks) -> None:  # noqa: ANN001
    guide = make(qtbot, tasks)
    assert guide.scopes.toPlainText().split("\n") == list(GOOGLE_SCOPES)
    qtbot.mouseClick(next(b for b in guide.findChildren(type(guide.keep_button)) if b.text() == "Copy the scopes"),
                     Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().split("\n") == list(GOOGLE_SCOPES)
