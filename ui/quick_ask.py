"""The quick-ask popup: a small frameless, always-on-top window near the tray or the cursor.

Enter asks, the answer streams with numbered citations, Esc closes, "Open in main window" continues the
same conversation on the Chat page. It is built once at start-up and only shown/hidden afterwards, so it
appears well within 100 ms of the trigger; the model loads in the background with a visible state.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.facade import AppFacade
from ui.conversation import ConversationSession, render_turns, target_of
from ui.llm_worker import LlmWorker
from ui.tasks import TaskRunner
from ui.widgets import SafeTextBrowser

_MARGIN = 12


class QuickAskPopup(QWidget):
    shown = Signal()
    """The popup became visible (latency benchmark)."""
    open_in_main = Signal(int)
    """Continue conversation <id> in the main window."""
    open_target = Signal(str)
    """A citation's `reflex://` target to open in the main window."""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, llm: LlmWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAccessibleName("Quick ask")
        self.setWindowTitle("Reflex quick ask")
        self.llm = llm
        self.session = ConversationSession(services=services, tasks=tasks, parent=self)
        frame = QFrame(self)
        frame.setObjectName("quickAsk")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        self.input = QLineEdit()
        self.input.setPlaceholderText("Ask Reflex… (Enter to ask, Esc to close)")
        self.input.setAccessibleName("Quick question")
        self.input.returnPressed.connect(self.ask)
        layout.addWidget(self.input)
        self.answer = SafeTextBrowser(accessible_name="Quick answer")
        self.answer.anchorClicked.connect(self._link)
        self.answer.setVisible(False)
        layout.addWidget(self.answer, 1)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setAccessibleName("Quick ask status")
        row.addWidget(self.status, 1)
        self.open_button = QPushButton("Open in main window")
        self.open_button.setAccessibleName("Continue in the main window")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_in_main)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.session.changed.connect(self._render)
        self.session.conversation_changed.connect(lambda _cid: self.open_button.setEnabled(True))
        llm.load_progress.connect(self._load_progress)
        llm.model_ready.connect(self._model_ready)
        self.resize(520, 96)

    def popup(self, anchor: QRect | None = None) -> None:
        """Show near `anchor` (the tray icon's geometry) or else near the mouse cursor, focused for typing."""
        if not self.session.streaming:
            self.session.new()
            self.input.clear()
            self.answer.setVisible(False)
            self.open_button.setEnabled(False)
            self.resize(520, 96)
        self.move(self._position(anchor))
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus(Qt.FocusReason.PopupFocusReason)
        if not self.llm.loaded:
            self.status.setText("The local model loads in the background…")
            self.llm.preload()

    def _position(self, anchor: QRect | None) -> QPoint:
        point = anchor.center() if anchor is not None and anchor.isValid() else QCursor.pos()
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = min(max(area.left() + _MARGIN, point.x() - self.width() // 2), area.right() - self.width() - _MARGIN)
        below = point.y() + _MARGIN
        y = below if below + 420 <= area.bottom() else point.y() - 420 - _MARGIN
        return QPoint(x, max(area.top() + _MARGIN, y))

    @Slot()
    def ask(self) -> None:
        """Ask the typed question; a new question cancels the previous answer."""
        question = self.input.text().strip()
        if not question:
            return
        self.input.selectAll()
        self.answer.setVisible(True)
        if self.height() < 400:
            self.resize(self.width(), 420)
        self.session.ask(question)

    def close_popup(self) -> None:
        self.hide()

    def _render(self) -> None:
        self.answer.setHtml(render_turns(self.session.turns))
        bar = self.answer.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _open_in_main(self) -> None:
        if self.session.conversation_id is not None:
            self.open_in_main.emit(self.session.conversation_id)
            self.hide()

    @Slot(QUrl)
    def _link(self, url: QUrl) -> None:
        target = target_of(self.session.turns, url.toString())
        if target:
            self.open_target.emit(target)

    @Slot(str)
    def _model_ready(self, name: str) -> None:
        self.status.setText(f"Local model {name} is ready.")

    @Slot(float)
    def _load_progress(self, fraction: float) -> None:
        self.status.setText(f"Loading the local model… {fraction:.0%}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:  # Esc reaches here from the line edit and the answer view
            self.close_popup()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.shown.emit()
