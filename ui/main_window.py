"""The main window: a sidebar of pages (Ctrl+1..9), a status bar with the model and sync state, and the one
place that opens `reflex://` links (citations, agenda items) on the right page.

Pages are built the first time they are shown, so start-up paints the window without importing QtCharts
or touching a model. Geometry and the last page are remembered in the data dir's QSettings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QProgressBar, QPushButton,
    QStackedWidget, QToolBar, QVBoxLayout, QWidget,
)

from ui.facade import AppFacade
from ui.event_bridge import EventBridge
from ui.llm_worker import LlmWorker
from ui.tasks import IO, EitherEvent, TaskRunner
from ui.views.base import View
from ui.widgets import SafeTextBrowser, person_link, plain_to_html, when

if TYPE_CHECKING:
    from engine.usecases.document_view import DocumentView

PAGES = ("today", "inbox", "chat", "meetings", "people", "tasks", "insights", "decisions", "settings")
_TITLES = {"today": "Today", "inbox": "Inbox", "chat": "Chat", "meetings": "Meetings", "people": "People",
           "tasks": "Tasks", "insights": "Insights", "decisions": "Decisions", "settings": "Settings"}
# Which page opens a link to each source type.
_PAGE_FOR = {"email": "inbox", "meeting": "meetings", "task": "tasks"}


class MainWindow(QMainWindow):
    """Construct on the GUI thread from app/gui.py with the shared services and workers."""

    first_painted = Signal()
    """The window painted for the first time (start-up benchmark)."""
    page_shown = Signal(str)
    """A page became visible (its name)."""
    quit_requested = Signal()
    """The user chose Quit (Ctrl+Q); the app decides whether the tray keeps running."""
    briefing_ready = Signal(str, str)
    """title, message — the Today page built a new daily briefing (the app shows a tray notification)."""
    triage_finished = Signal(int)
    notification_settings_changed = Signal()
    """Settings → Notifications saved a change (the app updates its notification policy)."""
    shortcut_changed = Signal(str)
    """The quick-ask shortcut changed ("Ctrl+Alt+Space"); the app grabs it again."""
    files_added = Signal(object)
    import_status = Signal(str)
    """Where an import of added files stands (counts, time left); emitted from the import's worker thread."""
    """An `IngestReport`: dropped or picked files were added (and are being indexed)."""
    store_wiped = Signal()
    """Settings → Privacy erased everything: the app has no store any more (it closes)."""
    """How many new messages the background triage just classified."""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, llm: LlmWorker, bridge: EventBridge,
                 qsettings: QSettings, quick_ask: Callable[[], None] | None = None,
                 toggle_recording: Callable[[], None] | None = None,
                 open_recorder: Callable[[], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.tasks, self.llm, self.bridge = services, tasks, llm, bridge
        self.qsettings = qsettings
        self._open_recorder = open_recorder
        self._painted = False
        self.pages: dict[str, View] = {}
        self.shortcut_problem: Callable[[], str] = lambda: ""
        """Why the global shortcut is not grabbed ("" when it is); the app sets it."""
        self.setWindowTitle("Reflex")
        self.setAccessibleName("Reflex main window")
        self.setMinimumSize(720, 480)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(170)
        for index, name in enumerate(PAGES, 1):
            item = QListWidgetItem(_TITLES[name])
            item.setToolTip(f"{_TITLES[name]} (Ctrl+{index})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(lambda r: self.show_page(PAGES[r]) if r >= 0 else None)
        row.addWidget(self.sidebar)
        self.stack = QStackedWidget()
        self.stack.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)  # drop documents, mail files or recordings anywhere to add them

        self.model_status = QLabel("Local model: not loaded yet")
        self.model_status.setAccessibleName("Model status")
        self.sync_status = QLabel("")
        self.sync_status.setAccessibleName("Sync status")
        # Background work in the status bar: a small bar and a stop button each, shown only while it runs.
        self.model_bar, self.load_cancel = _progress_pair(
            "Model loading progress", "Cancel loading", "Cancel loading the model",
            lambda: llm.cancel_load())  # runs here, on the GUI thread: the worker is busy loading
        self.index_bar, self.index_stop = _progress_pair(
            "Indexing progress", "Stop", "Stop indexing", lambda: services.cancel_indexing(),
            tip="Stop indexing for now; it picks up where it stopped after the next sync")
        self.index_bar.setFormat("Indexing %p%")
        self.sync_bar, self.sync_stop = _progress_pair(
            "Sync progress", "Stop sync", "Stop syncing", lambda: services.stop_syncs(),
            tip="Stop after the current batch; the next sync continues where this one stopped")
        self.import_bar, self.import_stop = _progress_pair(
            "Import progress", "Stop import", "Stop importing", self._stop_import,
            tip="Stop after the current batch; adding the same .mbox again continues where it stopped")
        self.import_bar.setFormat("Importing %p%")
        self._import_stop = threading.Event()
        self.import_status.connect(lambda text: self.statusBar().showMessage(text))
        for widget in (self.model_bar, self.load_cancel, self.index_bar, self.index_stop, self.sync_bar,
                       self.sync_stop, self.import_bar, self.import_stop):
            widget.setVisible(False)
            self.statusBar().addPermanentWidget(widget)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().addPermanentWidget(self.model_status)
        bridge.index_progress.connect(self._index_progress)
        bridge.index_finished.connect(self._index_finished)
        llm.load_progress.connect(self._load_progress)
        llm.model_ready.connect(self._model_ready)
        llm.failed.connect(self._llm_failed)
        tasks.task_failed.connect(self._task_failed)
        bridge.store_changed.connect(self._store_changed)
        bridge.store_changed.connect(self.triage_new_mail)
        bridge.sync_progress.connect(self._sync_progress)
        bridge.sync_finished.connect(lambda account: self._sync_ended(f"Synced {account}"))
        bridge.sync_failed.connect(lambda account, msg: self._sync_ended(f"Sync failed: {account}"))
        bridge.reauth_needed.connect(lambda account: self.sync_status.setText(f"Reconnect {account} in Settings"))

        for index, name in enumerate(PAGES, 1):
            QShortcut(QKeySequence(f"Ctrl+{index}"), self, lambda n=name: self.show_page(n))
        if quick_ask is not None:
            QShortcut(QKeySequence("Ctrl+K"), self, quick_ask)
        if toggle_recording is not None:
            QShortcut(QKeySequence("Ctrl+Shift+R"), self, toggle_recording)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.quit_requested.emit)

        geometry = qsettings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        last = str(qsettings.value("main/page", "today"))
        self.show_page(last if last in PAGES else "today")

    # -- pages --------------------------------------------------------------------------------------------
    def page(self, name: str) -> View:
        """The page called `name`, built on first use."""
        if name not in self.pages:
            view = self._build(name)
            view.open_target.connect(self.open_target)
            view.add_files.connect(self.add_files)
            self.pages[name] = view
            self.stack.addWidget(view)
            view.refresh()
        return self.pages[name]

    def _build(self, name: str) -> View:
        common = {"services": self.services, "tasks": self.tasks}
        if name == "today":
            from ui.views.today import TodayView
            today = TodayView(**common)
            today.briefing_ready.connect(self.briefing_ready)
            return today
        if name == "inbox":
            from ui.views.inbox import InboxView
            return InboxView(llm=self.llm, **common)
        if name == "chat":
            from ui.views.chat import ChatView
            return ChatView(llm=self.llm, **common)
        if name == "meetings":
            from ui.views.meetings import MeetingsView
            return MeetingsView(open_recorder=self._open_recorder, **common)
        if name == "people":
            from ui.views.people import PeopleView
            return PeopleView(**common)
        if name == "tasks":
            from ui.views.tasks import TasksView
            return TasksView(**common)
        if name == "insights":
            from ui.views.insights import InsightsView
            return InsightsView(**common)
        if name == "decisions":
            from ui.views.decisions import DecisionsView
            return DecisionsView(**common)
        from ui.views.settings import SettingsView
        view = SettingsView(shortcut_problem=lambda: self.shortcut_problem(), **common)
        view.theme_changed.connect(self._apply_theme)
        view.notifications.changed.connect(self.notification_settings_changed)
        view.notifications.shortcut_changed.connect(self.shortcut_changed)
        view.store_wiped.connect(self.store_wiped)
        return view

    def show_page(self, name: str) -> View:
        view = self.page(name)
        self.stack.setCurrentWidget(view)
        row = PAGES.index(name)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        self.qsettings.setValue("main/page", name)
        self.page_shown.emit(name)
        return view

    def bring_to_front(self) -> None:
        """Show, un-minimise and focus (tray "Open Reflex", a second launch)."""
        self.show()
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()

    @Slot(str)
    def open_target(self, target: str) -> None:
        """Open a `reflex://<type>/<id>[?t=seconds|page=n]` link: email and meeting links select the item on
        their page (a meeting at the timestamp; a `segment` link at its line); events and documents open in a
        read-only viewer; `reflex://person/<address or name>` opens a dossier on the People page."""
        parts = urlsplit(target)
        if parts.scheme != "reflex":
            return
        kind = parts.netloc
        if kind == "person":  # a name anywhere: its dossier
            self.show_page("people").show_person(unquote(parts.path.strip("/")))  # type: ignore[attr-defined]
            self.bring_to_front()
            return
        try:
            ident = int(parts.path.strip("/"))
        except ValueError:
            return
        query = dict(parse_qsl(parts.query))
        if kind == "segment":  # evidence quoting a transcript line: open its meeting at that moment
            self.tasks.run(lambda: self.services.segment_link(ident), kind="segment", owner=self,
                           on_success=lambda link: self.open_target(link) if link else None)
            return
        if kind in _PAGE_FOR:
            self.show_page(_PAGE_FOR[kind]).select_target(kind, ident, query)
        else:
            self._open_source(kind, ident, query)
        self.bring_to_front()

    def _open_source(self, kind: str, ident: int, query: dict[str, str]) -> None:
        if kind == "doc":
            self._open_document(ident, query)
            return
        services, tz = self.services, self.services.tz

        def fetch() -> tuple[str, str]:
            if kind == "event":
                e = services.calendar_event(ident)
                if e is None:
                    return "Event", "This event is no longer in your calendar."
                people = ", ".join(f'<a href="{person_link(a.email)}">{plain_to_html(a.name or a.email)}</a>'
                                   for a in e.attendees)  # each name opens its dossier
                return e.title, (f"<p><b>{when(e.start, tz)} – {when(e.end, tz, with_date=False)}</b>"
                                 f"{' · ' + plain_to_html(e.location) if e.location else ''}</p>"
                                 f"<p>{people}</p><p>{plain_to_html(e.description)}</p>")
            return "Source", "This source is no longer in the store."

        self.tasks.run(fetch, kind="source", owner=self, on_success=self._show_source)

    def _open_document(self, ident: int, query: dict[str, str]) -> None:
        """A document (an attachment, a file) opens inside Reflex at the cited `page`, the cited `chunk` marked
        (`ui.attachment_viewer`: a PDF rendered from memory); nothing is written out for another app."""
        page, chunk = (int(query[k]) if query.get(k, "").isdigit() else None for k in ("page", "chunk"))
        self.tasks.run(lambda: self.services.document_view(ident, page=page, chunk_id=chunk), kind="source",
                       owner=self, on_success=self._show_document)

    def _show_document(self, view: "DocumentView | None") -> None:
        from ui.attachment_viewer import AttachmentViewer

        if view is None:
            self._show_source(("Document", "This document is no longer in the store."))
            return
        self.source_dialog = AttachmentViewer(view, self)
        self.source_dialog.show()

    def _show_source(self, data: tuple[str, str]) -> None:
        """An event in full, its attendees opening their dossiers (or a line saying the source is gone)."""
        title, body = data
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        dialog.setAccessibleName(f"Source: {title}")
        layout = QVBoxLayout(dialog)
        view = SafeTextBrowser(accessible_name="Source text")
        view.setHtml(f"<h3>{plain_to_html(title)}</h3>{body}")
        view.anchorClicked.connect(lambda url: self.open_target(url.toString()))
        layout.addWidget(view)
        dialog.resize(640, 480)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.source_dialog = dialog
        dialog.open()

    @Slot(str)
    def _apply_theme(self, mode: str) -> None:
        from PySide6.QtWidgets import QApplication

        from ui.theme import apply_theme

        apply_theme(QApplication.instance(), mode)
        for view in self.pages.values():
            view.refresh()  # charts pick their theme when they are drawn

    # -- background work ----------------------------------------------------------------------------------
    @Slot()
    def triage_new_mail(self) -> None:
        """Triage, on the store worker, the mail that has no verdict yet (after start-up, an import or a
        sync); the Inbox reloads when something new was classified. A request while one runs is dropped."""
        def done(count: int) -> None:
            self.triage_finished.emit(count)
            if count and "inbox" in self.pages:
                self.pages["inbox"].refresh()

        self.tasks.run(lambda task: self.services.triage_new(cancel=task.cancel), kind="triage", owner=self,
                       replace=False, on_success=done)

    def offer_better_model(self) -> None:
        """Once the app is usable, offer the recommended model for this computer (unless the user said "not now",
        already has it, or uses another model): a bar above the pages, never a dialog in the way."""
        self.tasks.run(self.services.gallery_offer, kind="model-offer", owner=self, pool=IO,
                       on_success=self._show_offer, on_failure=lambda _error: None)  # no offer is no loss

    def _show_offer(self, item: Any) -> None:
        from ui.views.model_gallery import ModelOffer

        if item is None:
            return
        self.offer = ModelOffer(item)
        self.offer_bar = QToolBar("Better model")
        self.offer_bar.setMovable(False)
        self.offer_bar.addWidget(self.offer)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.offer_bar)
        self.offer.accepted.connect(self._accept_offer)
        self.offer.dismissed.connect(self._dismiss_offer)

    def _accept_offer(self, name: str) -> None:
        self.offer_bar.hide()
        self.show_page("settings").show_gallery(download=name)  # type: ignore[attr-defined]

    def _dismiss_offer(self) -> None:
        self.offer_bar.hide()
        self.tasks.run(self.services.dismiss_gallery_offer, kind="model-offer", owner=self)

    # -- status -------------------------------------------------------------------------------------------
    @Slot(float)
    def _load_progress(self, fraction: float) -> None:
        self.model_status.setText("Loading local model…")
        self.model_bar.setValue(int(fraction * 1000))
        for widget in (self.model_bar, self.load_cancel):
            widget.setVisible(fraction < 1.0)

    @Slot(int, str)
    def _llm_failed(self, request_id: int, message: str) -> None:
        for widget in (self.model_bar, self.load_cancel):
            widget.setVisible(False)
        if request_id == 0 or not self.llm.loaded:
            self.model_status.setText("Local model: not loaded")

    @Slot(str)
    def _model_ready(self, name: str) -> None:
        for widget in (self.model_bar, self.load_cancel):
            widget.setVisible(False)
        self.model_status.setText(f"Local model: {name}")

    # -- adding files (drop anywhere on the window, or a page's "Add files…") -------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    @Slot(list)
    def add_files(self, paths: list[str]) -> None:
        """Import dropped or picked files on the IO pool (recordings are transcribed), then index them."""
        services, said = self.services, self.import_status.emit
        self.statusBar().showMessage(f"Adding {len(paths)} item(s)…")
        self.import_bar.setValue(0)
        self._show_import(True)
        stop = self._import_stop = threading.Event()  # Stop: the import ends after its batch and still reports
        self.tasks.run(lambda task: services.add_files(paths, on_progress=task.progress,
                                                       cancel=EitherEvent(task.cancel, stop),
                                                       on_status=lambda status: said(f"Importing… {status.summary()}")),
                       kind="add-files", owner=self, pool="io", on_success=self._files_added,
                       on_progress=lambda fraction: self.import_bar.setValue(int(fraction * 1000)))

    def _show_import(self, on: bool) -> None:
        self.import_bar.setVisible(on)
        self.import_stop.setVisible(on)

    def _stop_import(self) -> None:
        """The import stops after the batch it is writing and still reports what it stored (not dropped)."""
        if self.tasks.running("add-files", self) is not None:
            self._import_stop.set()
            self.statusBar().showMessage("Stopping the import after the current batch…")

    def _files_added(self, report: Any) -> None:
        self._show_import(False)
        self.statusBar().showMessage(report.summary().replace("\n", " "), 15000)
        self.files_added.emit(report)
        self._store_changed()

    @Slot(str, float)
    def _sync_progress(self, account: str, fraction: float) -> None:
        self.sync_status.setText(f"Syncing {account}…" + (f" {fraction:.0%}" if fraction >= 0 else ""))
        self.sync_bar.setRange(0, 1000 if fraction >= 0 else 0)  # busy until the first stream is done
        self.sync_bar.setValue(int(max(fraction, 0) * 1000))
        self.sync_bar.setVisible(True)
        self.sync_stop.setVisible(True)

    def _sync_ended(self, text: str) -> None:
        self.sync_bar.setVisible(False)
        self.sync_stop.setVisible(False)
        self.sync_status.setText(text)

    @Slot(float)
    def _index_progress(self, fraction: float) -> None:
        self.index_bar.setValue(int(fraction * 1000))
        self.index_bar.setVisible(True)
        self.index_stop.setVisible(True)

    @Slot(dict)
    def _index_finished(self, result: dict) -> None:
        self.index_bar.setVisible(False)
        self.index_stop.setVisible(False)
        if result.get("error"):
            self.statusBar().showMessage(str(result["error"]).splitlines()[0], 8000)
        elif result.get("cancelled"):
            self.statusBar().showMessage("Indexing stopped; it continues after the next sync.", 8000)
        elif result.get("embedded"):
            self.statusBar().showMessage(f"Knowledge base updated ({result['embedded']} new passages).", 8000)

    @Slot(str, str)
    def _task_failed(self, kind: str, message: str) -> None:
        if kind == "add-files":
            self._show_import(False)
        self.statusBar().showMessage(message.splitlines()[0], 8000)

    @Slot()
    def _store_changed(self) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, View):
            current.refresh()

    # -- window -------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.qsettings.setValue("main/geometry", self.saveGeometry())
        self.qsettings.sync()
        super().closeEvent(event)


def _progress_pair(bar_name: str, text: str, button_name: str, stop: Callable[[], object], *,
                   tip: str = "") -> tuple[QProgressBar, QPushButton]:
    """A status-bar progress bar (0-1000) and the button that stops the work it shows."""
    bar = QProgressBar()
    bar.setRange(0, 1000)
    bar.setMaximumWidth(140)
    bar.setAccessibleName(bar_name)
    button = QPushButton(text)
    button.setAccessibleName(button_name)
    button.setToolTip(tip)
    button.clicked.connect(stop)
    return bar, button
