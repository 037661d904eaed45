"""One conversation with the assistant, shared by the Chat page and the quick-ask popup.

`ConversationSession` holds the turns on screen, prepares each question on the store worker (retrieval +
prompt, saving the user's turn), streams the answer from the shared `LlmWorker`, and saves the answer with
its citations. Asking again while an answer streams cancels the old one (a new quick-ask replaces the
previous). Rendering (`render_turns`) turns [n] markers into `cite:<turn>:<n>` links; `target_of` maps such
a link to the `reflex://...` target the main window opens.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.services import PreparedQuestion, Services
from app.tools import ActOutcome, is_action_request
from engine.assistant.memory import MemoryService, stated_fact
from engine.llm import GROUNDED_ANSWER
from models import Turn
from ui.llm_worker import LlmRequest, LlmWorker
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import link_citations

_RENDER_INTERVAL_MS = 40  # coalesce per-token repaints (a model streams ~100 tokens/s)


@dataclass(slots=True)
class ShownTurn:
    role: str  # user | assistant
    text: str
    citations: list[Any] = field(default_factory=list)  # engine.retrieval.rag.Citation, numbered from 1
    model: str = ""
    streaming: bool = False
    note: str = ""  # "stopped", an error message...


class ConversationSession(QObject):
    """Create one per window (GUI thread)."""

    changed = Signal()
    """Turns changed (a token arrived, a turn was added): re-render (coalesced to ~25 Hz)."""
    streaming_changed = Signal(bool)
    """An answer started (True) or ended (False)."""
    answer_finished = Signal(object)
    """The `Completion` of an answer that ended normally or by Stop (finish_reason says which)."""
    failed = Signal(str)
    """A human message: preparing or generating the answer failed."""
    conversation_changed = Signal(int)
    """The session now shows (or created) this conversation id."""

    def __init__(self, *, services: Services, tasks: TaskRunner, llm: LlmWorker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.llm = llm
        self.turns: list[ShownTurn] = []
        self.conversation_id: int | None = None
        self._pending: dict[int, tuple[ShownTurn, int]] = {}  # request id -> (turn, conversation id)
        self._allow_cloud = False
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(_RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self.changed)
        llm.token_streamed.connect(self._on_token)
        llm.finished.connect(self._on_finished)
        llm.failed.connect(self._on_failed)

    @property
    def streaming(self) -> bool:
        return bool(self._pending) or self.tasks.running("prepare", self) is not None

    # -- commands ---------------------------------------------------------------------------------------
    def new(self) -> None:
        self.stop()
        self.turns, self.conversation_id = [], None
        self.changed.emit()

    def ask(self, question: str, *, allow_cloud: bool = False) -> None:
        """Answer `question` from the user's data; `allow_cloud` is "ask cloud for this one"."""
        question = question.strip()
        if not question:
            return
        self.stop()
        if (fact := stated_fact(question)) is not None:
            self._remember(question, fact)
            return
        if is_action_request(question):
            self._act(question, allow_cloud=allow_cloud)
            return
        history = [(t.role, t.text) for t in self.turns if t.text and not t.streaming][-6:]
        self._begin_answer(question)
        services, conversation_id = self.services, self.conversation_id

        def prepare() -> tuple[int, PreparedQuestion]:
            return _saved_question(services, conversation_id, question), services.prepare_question(question, history)

        self._allow_cloud = allow_cloud
        self.tasks.run(prepare, kind="prepare", owner=self, on_success=self._prepared, on_failure=self._prepare_failed)

    def _remember(self, question: str, fact: str) -> None:
        """"Remember that …" is a memory item, not a question: store it and say so (no model involved)."""
        self.turns.append(ShownTurn("user", question))
        self.turns.append(ShownTurn("assistant", f"Noted. I'll remember: {fact}"))
        self.changed.emit()
        memory = MemoryService(self.services.store)
        self.tasks.run(lambda: memory.remember(fact, source="chat"), kind="remember", owner=self,
                       on_failure=self._prepare_failed)

    def _act(self, instruction: str, *, allow_cloud: bool) -> None:
        """An instruction ("draft…", "schedule…", "add a task…") goes to the model's tools; a write comes back as a
        proposed action card, and nothing happens until the user confirms it."""
        turn = self._begin_answer(instruction)
        services, conversation_id = self.services, self.conversation_id

        def run() -> tuple[int, ActOutcome]:
            cid = _saved_question(services, conversation_id, instruction)
            outcome = services.act(instruction, allow_cloud=allow_cloud)
            services.store.conversations.add_turn(cid, Turn("assistant", outcome.text, model="tools"))
            return cid, outcome

        self.tasks.run(run, kind="prepare", owner=self, pool=IO, on_success=lambda done: self._acted(turn, *done),
                       on_failure=self._prepare_failed)

    def _begin_answer(self, question: str) -> ShownTurn:
        """Show the user's turn and an empty answer being written; returns that answer turn."""
        self.turns.append(ShownTurn("user", question))
        answer = ShownTurn("assistant", "", streaming=True)
        self.turns.append(answer)
        self.changed.emit()
        self.streaming_changed.emit(True)
        return answer

    def _acted(self, turn: ShownTurn, conversation_id: int, outcome: ActOutcome) -> None:
        self.conversation_id = conversation_id
        turn.text = outcome.text
        self._end_turn(turn, note="")
        self.conversation_changed.emit(conversation_id)  # the list and the action cards reload

    def stop(self) -> None:
        """Stop the answer being prepared or streamed; what arrived so far stays, marked as stopped."""
        if self.tasks.cancel_task("prepare", self) and self.turns and self.turns[-1].streaming:
            self._end_turn(self.turns[-1], note="stopped")
        for rid in self._pending:
            self.llm.cancel(rid)  # `finished` arrives with finish_reason "cancelled" and ends its turn

    def open(self, conversation_id: int) -> None:
        """Show a saved conversation (its citations resolved again from the store)."""
        self.stop()
        services = self.services

        def fetch() -> tuple[int, list[ShownTurn]]:
            conversation = services.store.conversations.get(conversation_id)
            if conversation is None:
                return conversation_id, []
            return conversation_id, [ShownTurn(t.role, t.content, services.citations_for(t.citations), t.model)
                                     for t in conversation.turns if t.role in ("user", "assistant")]

        self.tasks.run(fetch, kind="open", owner=self, on_success=self._opened)

    # -- callbacks (GUI thread) ---------------------------------------------------------------------------
    def _opened(self, data: tuple[int, list[ShownTurn]]) -> None:
        self.conversation_id, self.turns = data
        self.conversation_changed.emit(self.conversation_id)
        self.changed.emit()

    def _prepared(self, data: tuple[int, PreparedQuestion]) -> None:
        cid, prepared = data
        if self.conversation_id != cid:
            self.conversation_id = cid
            self.conversation_changed.emit(cid)
        turn = self.turns[-1]
        turn.citations = prepared.citations
        rid = self.llm.ask(LlmRequest(prepared.parts, GROUNDED_ANSWER, citations=tuple(prepared.citations),
                                      allow_cloud=self._allow_cloud))
        self._pending[rid] = (turn, cid)

    def _prepare_failed(self, error: BaseException) -> None:
        message = human_message(error)
        if self.turns and self.turns[-1].streaming:
            self._end_turn(self.turns[-1], note=message)
        self.failed.emit(message)

    @Slot(int, str)
    def _on_token(self, rid: int, text: str) -> None:
        if rid in self._pending:
            self._pending[rid][0].text += text
            if not self._render_timer.isActive():
                self._render_timer.start()

    @Slot(int, object)
    def _on_finished(self, rid: int, completion: Any) -> None:
        if rid not in self._pending:
            return
        turn, cid = self._pending.pop(rid)
        turn.model = completion.model
        turn.text = completion.text or turn.text
        self._end_turn(turn, note="stopped" if completion.finish_reason == "cancelled" else "")
        if turn.text:
            saved = Turn("assistant", turn.text, model=f"{completion.provider}:{completion.model}",
                         citations=[c.chunk_id for c in turn.citations],
                         context_version=completion.context_version)  # which strategic context shaped it
            store, services = self.services.store, self.services

            def save() -> None:
                store.conversations.add_turn(cid, saved)
                services.record_answer(completion)

            self.tasks.run(save, kind=f"save-{rid}", owner=self)
        self.answer_finished.emit(completion)

    @Slot(int, str)
    def _on_failed(self, rid: int, message: str) -> None:
        if rid in self._pending:
            turn, _ = self._pending.pop(rid)
            self._end_turn(turn, note=message)
            self.failed.emit(message)

    def _end_turn(self, turn: ShownTurn, *, note: str) -> None:
        turn.streaming = False
        turn.note = note
        self._render_timer.stop()
        self.changed.emit()
        if not self.streaming:
            self.streaming_changed.emit(False)


def _saved_question(services: Services, conversation_id: int | None, question: str) -> int:
    """Save the user's turn (in a new conversation when there is none yet); returns the conversation id. Worker."""
    cid = conversation_id or services.store.conversations.create(question[:80])
    services.store.conversations.add_turn(cid, Turn("user", question))
    return cid


def render_turns(turns: list[ShownTurn]) -> str:
    """HTML for a QTextBrowser: escaped text, [n] as links, a numbered source list under each answer."""
    parts = []
    for index, turn in enumerate(turns):
        if turn.role == "user":
            parts.append(f'<p style="margin-top:12px"><b>You</b><br>{html.escape(turn.text)}</p>')
            continue
        known = {c.number for c in turn.citations}
        body = link_citations(turn.text, known).replace('href="cite:', f'href="cite:{index}:')
        if turn.streaming and not turn.text:
            body = "<i>Thinking…</i>"
        elif turn.streaming:
            body += " ▍"
        note = f'<br><i>({html.escape(turn.note)})</i>' if turn.note else ""
        sources = "".join(f'<br><a href="cite:{index}:{c.number}">[{c.number}]</a> {html.escape(c.label)}'
                          for c in turn.citations)
        sources = f'<p style="font-size:small">Sources:{sources}</p>' if sources and not turn.streaming else ""
        parts.append(f"<p><b>Reflex</b><br>{body}{note}</p>{sources}")
    return "".join(parts)


def target_of(turns: list[ShownTurn], link: str) -> str | None:
    """The `reflex://...` target of a `cite:<turn>:<n>` link, or None."""
    try:
        _, turn_index, number = link.split(":")
        turn = turns[int(turn_index)]
    except (ValueError, IndexError):
        return None
    return next((c.target for c in turn.citations if c.number == int(number)), None)
