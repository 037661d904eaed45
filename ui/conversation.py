"""One conversation with the assistant, shared by the Chat page and the quick-ask popup.

`ConversationSession` holds the turns on screen and answers each question through the asking use-case
(`AppFacade.asking`, the one flow behind `reflex-assistant ask`) on a worker: the use-case saves the question
and the answer with its citations; its verified sentences reach the GUI thread through a queued signal, so
the shown answer grows sentence by sentence with its [n] citations. Asking again while an answer is written
cancels the old one (a new quick-ask replaces the previous); Stop cancels it and keeps what arrived.
Rendering (`render_turns`) turns [n] markers into `cite:<turn>:<n>` links; `target_of` maps such a link to
the `reflex://...` target the main window opens.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from engine.assistant.memory import stated_fact
from engine.usecases.acting import ActOutcome
from engine.usecases.asking import AskResult, Question
from ui.facade import AppFacade
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import link_citations


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
    """Turns changed (a sentence arrived, a turn was added): re-render."""
    streaming_changed = Signal(bool)
    """An answer started (True) or ended (False)."""
    answer_finished = Signal(object)
    """The `AskResult` of an answer that ended normally or by Stop (finish_reason says which)."""
    failed = Signal(str)
    """A human message: preparing or generating the answer failed."""
    conversation_changed = Signal(int)
    """The session now shows (or created) this conversation id."""
    _sentence = Signal(int, str)
    """ask id, one verified sentence (emitted on a worker or the runtime's thread; queued to the GUI thread)."""
    _sources = Signal(int, object, object)
    """ask id, conversation id, the numbered sources the answer's [n] refer to (before its first sentence)."""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.turns: list[ShownTurn] = []
        self.conversation_id: int | None = None
        self._answering: tuple[int, ShownTurn] | None = None  # the ask id and the turn being written
        self._ask_ids = 0
        self._stop_answer = threading.Event()  # Stop: the use-case ends the answer, its result still arrives
        self._sentence.connect(self._on_sentence)
        self._sources.connect(self._on_sources)

    @property
    def streaming(self) -> bool:
        return self._answering is not None or self.tasks.running("prepare", self) is not None

    # -- commands ---------------------------------------------------------------------------------------
    def new(self) -> None:
        self._abandon()
        self.turns, self.conversation_id = [], None
        self.changed.emit()

    def ask(self, question: str, *, allow_cloud: bool = False) -> None:
        """Answer `question` from the user's data; `allow_cloud` is "ask cloud for this one"."""
        question = question.strip()
        if not question:
            return
        self._abandon()
        if (fact := stated_fact(question)) is not None:
            self._remember(question, fact)
            return
        if self.services.is_action_request(question):
            self._act(question, allow_cloud=allow_cloud)
            return
        history = tuple((t.role, t.text) for t in self.turns if t.text and not t.streaming)[-6:]
        self._ask_ids += 1
        ask_id, services = self._ask_ids, self.services
        self._answering = (ask_id, self._begin_answer(question))
        self._stop_answer = stop = threading.Event()
        asked = Question(question, conversation_id=self.conversation_id, history=history, allow_cloud=allow_cloud)

        def answer() -> AskResult:
            return services.asking.ask(asked, cancel=stop,
                                       on_sentence=lambda sentence: self._sentence.emit(ask_id, sentence),
                                       on_prepared=lambda cid, sources: self._sources.emit(ask_id, cid, sources))

        self.tasks.run(answer, kind="answer", owner=self, pool=IO, on_success=lambda done: self._answered(ask_id, done),
                       on_failure=lambda error: self._answer_failed(ask_id, error))

    def _remember(self, question: str, fact: str) -> None:
        """"Remember that …" is a memory item, not a question: store it and say so (no model involved)."""
        self.turns.append(ShownTurn("user", question))
        self.turns.append(ShownTurn("assistant", f"Noted. I'll remember: {fact}"))
        self.changed.emit()
        memory = self.services.memory
        self.tasks.run(lambda: memory.remember(fact, source="chat"), kind="remember", owner=self,
                       on_failure=self._prepare_failed)

    def _act(self, instruction: str, *, allow_cloud: bool) -> None:
        """An instruction ("draft…", "schedule…", "add a task…") goes to the model's tools; a write comes back as a
        proposed action card, and nothing happens until the user confirms it."""
        turn = self._begin_answer(instruction)
        services, conversation_id = self.services, self.conversation_id

        def run() -> tuple[int, ActOutcome]:
            return services.act_in_conversation(conversation_id, instruction, allow_cloud=allow_cloud)

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
        """Stop the answer being written; what arrived so far stays (the use-case saves it), marked as stopped.
        The answer's result still arrives (finish_reason "cancelled") and ends its turn; an instruction being
        carried out is dropped at once."""
        if self.tasks.cancel_task("prepare", self) and self.turns and self.turns[-1].streaming:
            self._end_turn(self.turns[-1], note="stopped")
        self._stop_answer.set()

    def _abandon(self) -> None:
        """Cancel the answer being written and end its turn now: a new question or conversation replaces it,
        so its result will be dropped (the use-case still saves what it had)."""
        self.stop()
        if self._answering is not None and self.tasks.cancel_task("answer", self):
            _, turn = self._answering
            self._answering = None
            self._end_turn(turn, note="stopped")

    def open(self, conversation_id: int) -> None:
        """Show a saved conversation (its citations resolved again from the store)."""
        self._abandon()
        services = self.services

        def fetch() -> tuple[int, list[ShownTurn]]:
            conversation = services.conversation(conversation_id)
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

    def _prepare_failed(self, error: BaseException) -> None:
        message = human_message(error)
        if self.turns and self.turns[-1].streaming:
            self._end_turn(self.turns[-1], note=message)
        self.failed.emit(message)

    def _current(self, ask_id: int) -> ShownTurn | None:
        """The turn being written for `ask_id`, or None when that answer was stopped or replaced."""
        return self._answering[1] if self._answering is not None and self._answering[0] == ask_id else None

    def _show_conversation(self, conversation_id: int | None) -> None:
        if conversation_id is not None and conversation_id != self.conversation_id:
            self.conversation_id = conversation_id
            self.conversation_changed.emit(conversation_id)

    @Slot(int, object, object)
    def _on_sources(self, ask_id: int, conversation_id: int | None, citations: Any) -> None:
        if (turn := self._current(ask_id)) is not None:
            turn.citations = list(citations)  # the [n] of the sentences to come are links from the first one
            self._show_conversation(conversation_id)

    @Slot(int, str)
    def _on_sentence(self, ask_id: int, sentence: str) -> None:
        if (turn := self._current(ask_id)) is not None:
            turn.text += sentence
            self.changed.emit()  # a few sentences per answer: each is shown as it arrives

    def _answered(self, ask_id: int, result: AskResult) -> None:
        """The use-case is done (it saved both turns): show the final text, sources and who wrote it."""
        if (turn := self._current(ask_id)) is None:
            return
        self._answering = None
        turn.text = result.text.rstrip("\n") or turn.text.rstrip("\n")
        turn.citations, turn.model = result.citations, result.model
        self._show_conversation(result.conversation_id)
        self._end_turn(turn, note="stopped" if result.finish_reason == "cancelled" else "")
        self.answer_finished.emit(result)

    def _answer_failed(self, ask_id: int, error: BaseException) -> None:
        if (turn := self._current(ask_id)) is None:
            return
        self._answering = None
        message = human_message(error)
        self._end_turn(turn, note=message)
        self.failed.emit(message)

    def _end_turn(self, turn: ShownTurn, *, note: str) -> None:
        turn.streaming = False
        turn.note = note
        self.changed.emit()
        if not self.streaming:
            self.streaming_changed.emit(False)


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
