"""The global quick-ask shortcut: Qt-style text to pynput's, Wayland/no-display honesty, and a press on the
listener's own thread arriving as `activated` on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from ui.global_hotkey import GlobalHotkey, ShortcutError, support, to_pynput


@pytest.mark.parametrize(("qt", "pynput"), [("Ctrl+Alt+Space", "<ctrl>+<alt>+<space>"), ("Meta+K", "<cmd>+k"),
                                            ("ctrl+shift+F12", "<ctrl>+<shift>+<f12>"), ("Alt+1", "<alt>+1")])
def test_qt_text_becomes_pynput_text(qt, pynput):  # noqa: ANN001
    assert to_pynput(qt) == pynput


@pytest.mark.parametrize("bad", ["K", "Ctrl+", "K+Ctrl", "Ctrl+Alt+Bogus", ""])
def test_impossible_shortcuts_are_refused_with_what_to_write(bad):  # noqa: ANN001
    with pytest.raises(ShortcutError):
        to_pynput(bad)


def test_wayland_and_no_display_say_how_to_bind_the_command():
    assert "Wayland" in support({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux")
    assert "--quick-ask" in support({"XDG_SESSION_TYPE": "wayland"}, "linux")
    assert "X display" in support({}, "linux")
    assert support({"DISPLAY": ":0"}, "linux") == "" and support({}, "win32") == "" and support({}, "darwin") == ""


def test_a_press_on_the_listener_thread_arrives_on_the_gui_thread(qtbot):  # noqa: ANN001
    class Listener:  # pynput's GlobalHotKeys contract: built with {combo: callback}, then start()/stop()
        def __init__(self, mapping):  # noqa: ANN001
            self.mapping, self.stopped = mapping, False

        def start(self) -> None:
            self.thread = threading.Thread(target=self.mapping["<ctrl>+<alt>+<space>"])
            self.thread.start()

        def stop(self) -> None:
            self.stopped = True

    made: list[Listener] = []
    hotkey = GlobalHotkey(listener=lambda mapping: made.append(Listener(mapping)) or made[-1])
    threads: list[QThread] = []
    hotkey.activated.connect(lambda: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(hotkey.activated, timeout=2000):
        assert hotkey.start("Ctrl+Alt+Space")
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is hotkey.thread()
    made[0].thread.join()
    with qtbot.waitSignal(hotkey.activated, timeout=2000):
        assert hotkey.start("Ctrl+Alt+Space") and made[0].stopped  # re-grabbing releases the old listener
    made[1].thread.join()  # no listener thread outlives the object it emits on
    hotkey.stop()


def test_without_a_display_the_real_backend_reports_instead_of_failing(qtbot, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    hotkey = GlobalHotkey()
    assert hotkey.start("Ctrl+Alt+Space") is False and "--quick-ask" in hotkey.problem
    assert hotkey.start("Space") is False and "modifier" in hotkey.problem
