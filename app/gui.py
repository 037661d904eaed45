"""The desktop app's composition root: display check, single instance, first-run wizard, then the main window,
tray, quick-ask popup and recorder, all sharing one `Services` (behind the windows' `Facade`), one task
runner and one LLM worker.

Start-up stays fast (the window paints before any model or QtCharts is loaded): models load on first use on
worker threads, pages are built when first shown, and the quick-ask popup is built right after the first paint
so it can show within 100 ms of a trigger. The engine's Python modules are imported up front, on the main
thread (`WORKER_MODULES`), so worker threads never import them concurrently.
"""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources
from typing import Any

from app.context import AppContext

log = logging.getLogger(__name__)

#: What the app's worker threads import on first use. CPython can hand a thread a half-initialised module when
#: two threads import modules that import each other at the same moment, so these are imported here, on the main
#: thread, before any worker starts. `tests/test_worker_imports.py` checks that every function-level import in the
#: UI and the composition root is covered.
WORKER_MODULES = (
    "app.importing",
    "engine.usecases.briefing", "engine.assistant.commitments", "engine.assistant.decisions",
    "engine.assistant.meeting_notes", "engine.assistant.memory", "engine.assistant.triage", "engine.assistant.usage",
    "engine.insights", "engine.jobs", "engine.llm", "engine.privacy", "engine.retrieval", "engine.speech",
    "engine.gallery", "engine.llm.capability", "engine.llm.probing", "engine.llm.servers",
    "engine.usecases.verified_notes", "engine.usecases.act_drafts", "app.care", "engine.usecases.attention",
    "engine.jobs.backups", "engine.usecases.turn_edits", "engine.usecases.asking", "app.work",
)


def preload_worker_modules() -> None:
    import importlib

    for name in WORKER_MODULES:
        importlib.import_module(name)


NO_DISPLAY = ("No display found: Reflex's desktop app needs a graphical session. "
              "Use `reflex-assistant --help` for the command line.")
_MAX_UNLOCK_TRIES = 3


def has_display() -> bool:
    """False on Linux/BSD without X11/Wayland unless a Qt platform was chosen explicitly (e.g. offscreen)."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def launch(ctx: AppContext, *, init_if_missing: bool, quick_ask: bool = False, prefer_demo: bool = False,
           open_url: str = "") -> int:
    """Run the desktop app until it quits; returns the process exit code.

    `init_if_missing`: with no store yet, run the first-run wizard (else explain and return 1).
    `quick_ask`: open the quick-ask popup (in the already running instance, if there is one).
    `prefer_demo`: the wizard preselects the demo workspace (`make run`).
    `open_url`: a `reflex://kind/id` link (an Asana task's source, a desktop link) to open, in the running app if
    there is one.
    """
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    if not ctx.has_store and not init_if_missing:
        print(f"No Reflex store in {ctx.home} yet. Run `reflex-assistant gui --init` (or `reflex-assistant init`).",
              file=sys.stderr)
        return 1
    preload_worker_modules()
    from PySide6.QtWidgets import QApplication

    from app.single_instance import SingleInstance, is_link

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Reflex")
    app.setOrganizationName("Reflex")
    app.setDesktopFileName("reflex")
    instance = SingleInstance(ctx.home)
    if open_url and not is_link(open_url):
        print(f"Not a Reflex link: {open_url[:200]} (links look like reflex://email/12).", file=sys.stderr)
        return 2
    if not instance.acquire(f"open {open_url}" if open_url else "quick-ask" if quick_ask else "raise"):
        print("Reflex is already running; brought it to the front.", file=sys.stderr)
        return 0
    gui = GuiApp(ctx, app=app, instance=instance, prefer_demo=prefer_demo)
    gui.pending_url = open_url
    try:
        if not gui.start(quick_ask=quick_ask):
            return 2
        return app.exec()
    finally:
        gui.close()
        instance.release()


class GuiApp:
    """Builds and owns the windows for one run (GUI thread)."""

    def __init__(self, ctx: AppContext, *, app: Any, instance: Any, prefer_demo: bool = False) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtGui import QIcon

        from app.facade import Facade
        from app.services import Services
        from ui.event_bridge import EventBridge
        from ui.llm_worker import LlmWorker
        from ui.tasks import TaskRunner
        from ui.theme import apply_theme

        self.ctx, self.app, self.instance, self.prefer_demo = ctx, app, instance, prefer_demo
        icons = resources.files("resources").joinpath("icons")
        self.icon = QIcon(str(icons.joinpath("reflex.svg")))
        self.recording_icon = QIcon(str(icons.joinpath("recording.svg")))
        app.setWindowIcon(self.icon)
        apply_theme(app, ctx.settings.theme)
        self.qsettings = QSettings(str(ctx.home / "ui.ini"), QSettings.Format.IniFormat)
        self.services = Services(ctx, measure_models=True)  # each chat model loaded is measured in the background
        self.facade = Facade(self.services)  # what every window is given
        self.tasks = TaskRunner()
        self.llm = LlmWorker(service_factory=lambda: self.services.llm_service)
        self.bridge = EventBridge(bus=self.services.bus)
        self.window: Any = None
        self.popup: Any = None
        self.recorder: Any = None
        self.tray: Any = None
        self.wizard: Any = None
        self._pending_quick_ask = False
        self.pending_url = ""  # a reflex:// link to open once the main window is up
        instance.message_received.connect(self._on_message)

    # -- start-up -----------------------------------------------------------------------------------------
    def start(self, *, quick_ask: bool = False) -> bool:
        """Show the wizard (no store) or unlock the store and open the main window. False = give up."""
        self._pending_quick_ask = quick_ask
        if not self.ctx.has_store:
            from app.demo import load_demo
            from ui.wizard import FirstRunWizard

            self.wizard = FirstRunWizard(services=self.facade, tasks=self.tasks, demo_loader=load_demo,
                                         prefer_demo=self.prefer_demo)
            self.wizard.completed.connect(self.open_main)
            self.wizard.rejected.connect(self.app.quit)
            self.wizard.show()
            return True
        if not self._unlock():
            return False
        self.open_main()
        return True

    def _unlock(self) -> bool:
        """Open the store; a passphrase store asks in a dialog (before any window, so modal is fine)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

        from engine.errors import EngineError, StoreLocked

        def ask(text: str) -> str:
            value, ok = QInputDialog.getText(None, "Unlock Reflex", text, QLineEdit.EchoMode.Password)
            if not ok:
                raise StoreLocked("Reflex was not unlocked.", next_step="Start it again and enter the passphrase.")
            return value

        self.ctx.prompt = ask
        for attempt in range(_MAX_UNLOCK_TRIES):
            try:
                self.ctx.store  # noqa: B018 - opens the store (1.5 ms with a keyring key)
                return True
            except StoreLocked as err:
                if "not unlocked" in str(err) or attempt == _MAX_UNLOCK_TRIES - 1:
                    QMessageBox.critical(None, "Reflex", err.human())
                    return False
            except EngineError as err:
                QMessageBox.critical(None, "Reflex", err.human())
                return False
        return False

    def open_main(self) -> None:
        from PySide6.QtCore import QTimer

        from ui.main_window import MainWindow
        from ui.tray import TrayController

        self.window = MainWindow(services=self.facade, tasks=self.tasks, llm=self.llm, bridge=self.bridge,
                                 qsettings=self.qsettings, quick_ask=self.quick_ask,
                                 toggle_recording=self.toggle_recording, open_recorder=self.open_recorder)
        self.window.quit_requested.connect(self.app.quit)
        self.window.store_wiped.connect(self._wiped)
        self.tray = TrayController(icon=self.icon, recording_icon=self.recording_icon, on_quick_ask=self.quick_ask,
                                   on_toggle_recording=self.toggle_recording, on_open=self.window.bring_to_front,
                                   on_sync=self.sync_now, on_quit=self.app.quit)
        self.app.setQuitOnLastWindowClosed(not self.tray.available)
        self._start_attention()
        self.bridge.briefing_ready.connect(lambda day: self.tray.notify("Your briefing is ready", f"Briefing for {day}"))
        self.window.briefing_ready.connect(self.tray.notify)  # notify() does nothing without a tray
        self.window.first_painted.connect(lambda: QTimer.singleShot(0, self._after_first_paint))
        self.window.show()
        if not self.tray.available:
            self.window.statusBar().showMessage(
                "No system tray on this desktop: quick ask is Ctrl+K in this window.", 15000)

    def _start_attention(self) -> None:
        """Notifications (policy + tray or window fallback, polled every minute) and the global shortcut."""
        from engine.notifications import NotificationPolicy
        from ui.attention_watch import AttentionWatch
        from ui.global_hotkey import GlobalHotkey
        from ui.notifier import Notifier

        status = self.window.statusBar()
        self.notifier = Notifier(tray=self.tray, show_in_window=lambda title, body, _link: status.showMessage(
            f"{title} — {body}", 15000))
        self.notifier.link_activated.connect(self.window.open_target)
        policy = NotificationPolicy(self.ctx.settings.notification_prefs(), self.services.tz)
        self.attention = AttentionWatch(fetch=self.services.care.attention, policy=policy, notifier=self.notifier,
                                        tasks=self.tasks, tray=self.tray, parent=self.window)
        self.bridge.event_received.connect(self.attention.on_engine_event)
        self.hotkey = GlobalHotkey(parent=self.window)
        self.hotkey.activated.connect(self.quick_ask)
        self.hotkey.start(self.ctx.settings.quick_ask_shortcut)
        self.window.shortcut_problem = lambda: self.hotkey.problem
        self.window.shortcut_changed.connect(self.hotkey.start)
        self.window.notification_settings_changed.connect(
            lambda: setattr(self.attention.policy, "prefs", self.ctx.settings.notification_prefs()))

    def warn_if_backup_stale(self) -> None:
        """At start: say in the status bar when automatic backups are on and the last good one is too old."""
        status = self.window.statusBar()
        self.tasks.run(self.services.care.backup_status, kind="backup-status", owner=self.window, pool="io",
                       on_success=lambda warning: status.showMessage(
                           f"{warning} See Settings → Privacy.", 30000) if warning else None)

    def _after_first_paint(self) -> None:
        self._ensure_popup()
        self.tasks.run(self.services.jobs.start, kind="background-jobs", owner=self.window, pool="io",
                       on_success=self._background_started)
        self.window.triage_new_mail()  # mail that arrived since the last run, on the store worker
        self.attention.start()
        self.warn_if_backup_stale()
        self.window.offer_better_model()  # the app is usable (and the demo loaded): now a better model may be offered
        if self._pending_quick_ask:
            self._pending_quick_ask = False
            self.quick_ask()
        if self.pending_url:
            self.window.open_target(self.pending_url)
            self.pending_url = ""

    def _wiped(self) -> None:
        """Everything was erased: say so, then close (a new start offers the first-run wizard)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, "Reflex", "Everything Reflex kept on this computer was "
                          "erased. Reflex closes now; start it again to set it up afresh.",
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAccessibleName("Everything was erased")
        box.finished.connect(lambda _result: self.app.quit())
        self.wiped_box = box
        box.open()

    def _background_started(self, recovered: int) -> None:
        if recovered:
            self.window.statusBar().showMessage(
                f"Recovered {recovered} recording(s) interrupted last time; they are in Meetings.", 10000)

    # -- commands -----------------------------------------------------------------------------------------
    def _ensure_popup(self) -> Any:
        if self.popup is None:
            from ui.quick_ask import QuickAskPopup

            self.popup = QuickAskPopup(services=self.facade, tasks=self.tasks, llm=self.llm)
            self.popup.open_in_main.connect(self._continue_in_main)
            self.popup.open_target.connect(self.window.open_target)
        return self.popup

    def quick_ask(self) -> None:
        self._ensure_popup().popup(self.tray.anchor() if self.tray is not None else None)

    def _continue_in_main(self, conversation_id: int) -> None:
        self.window.show_page("chat").open_conversation(conversation_id)
        self.window.bring_to_front()

    def open_recorder(self) -> Any:
        if self.recorder is None:
            from ui.recorder import RecorderWindow

            self.recorder = RecorderWindow(services=self.facade, tasks=self.tasks)
            self.recorder.recording_changed.connect(self.tray.set_recording)
            self.recorder.finished.connect(self._recording_finished)
            self.recorder.open_meeting.connect(lambda mid: self.window.open_target(f"reflex://meeting/{mid}"))
        self.recorder.show()
        self.recorder.raise_()
        return self.recorder

    def _recording_finished(self, meeting: Any) -> None:
        meeting_id = getattr(meeting, "id", None)
        refresh = lambda _=None: self.window.page("meetings").refresh()  # noqa: E731
        if meeting_id is None:
            refresh()
            return
        self.tasks.run(lambda: self.services.intake.adopt_recorded(meeting_id), kind="link-meeting",
                       owner=self.window, on_success=refresh)

    def toggle_recording(self) -> None:
        self.open_recorder().toggle()

    def sync_now(self) -> None:
        """Ask every connected account to sync now (the scheduler runs it on its own threads)."""
        accounts = self.services.jobs.sync_now()
        self.window.statusBar().showMessage(
            f"Syncing {accounts} account(s)…" if accounts else "No connected accounts to sync.", 6000)

    def _on_message(self, message: str) -> None:
        if message == "quick-ask" and self.window is not None:
            self.quick_ask()
        elif message.startswith("open reflex://") and self.window is not None:
            self.window.bring_to_front()
            self.window.open_target(message.removeprefix("open "))
        elif self.window is not None:
            self.window.bring_to_front()
        elif self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()

    def close(self) -> None:
        self.tasks.shutdown()
        if self.recorder is not None and self.recorder.session is not None:
            self.recorder.session.stop()  # save what was recorded before exit
        if self.tray is not None:
            self.tray.hide()
        self.bridge.close()
        self.llm.shutdown()
        self.services.close()
