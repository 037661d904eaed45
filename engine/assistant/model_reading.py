"""A capable model also reads each mail for commitments, opportunities and a priority reason (#15 item 5).

Why: the rules are the explainable prior and work with no model at all; a model measured as capable (see
`engine.llm.capability`) catches wordings no rule lists. It is never required and never trusted blindly:
it answers in a JSON schema (grammar-constrained locally, `LLMService.structured`), every item must quote
the sentence of the mail it comes from, and an item whose quote is not in the mail (after whitespace and
case are normalised) is dropped — a hallucinated promise or deal has nothing to point at.

Contract: `model_may_read_mail(tier)` is the one place that decides whether the loaded model is asked.
`read_mail(message, ask)` returns only verified findings; `ask(prompt, schema)` is the structured call
(it may raise `EngineError`, which means "no findings", logged by type). Pure; no Qt; no store.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from engine.assistant.text import new_text
from engine.errors import EngineError
from engine.llm.capability import Tier
from engine.llm.errors import GaveWay
from models import Message

__all__ = ["Ask", "MailReader", "MailReading", "ModelReader", "Verified", "key_of", "model_may_read_mail",
           "read_mail"]

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Ask = Callable[[str, type[M]], M]  # (prompt, schema) -> a validated instance; raises EngineError
_SPACES = re.compile(r"\s+")
#: The longest mail text the model is shown: reading is per mail, and a small context must hold the reply too.
MAX_MAIL_CHARS = 4000


def model_may_read_mail(tier: Tier) -> bool:
    """Whether a model measured at `tier` is asked to read mail: extraction that cites a sentence of the source is
    what the rephrase tier was measured for (single-source, quoted); below it the rules stand alone."""
    return tier >= Tier.REPHRASE


class QuotedCommitment(BaseModel):
    owner: Literal["writer", "reader"] = Field(description="who owes it: the mail's writer, or its reader")
    what: str = Field(max_length=160, description="what is owed, in a few words")
    due: str = Field("", max_length=40, description="the deadline as written in the mail, or empty")
    quote: str = Field(max_length=300, description="the sentence of the mail that says it, copied exactly")


class QuotedOpportunity(BaseModel):
    account: str = Field(max_length=80, description="the buying organisation")
    kind: Literal["new", "renewal", "expansion", "pilot"]
    amount: str = Field("", max_length=40, description="the amount with its currency as written, or empty")
    quote: str = Field(max_length=300, description="the sentence of the mail that says it, copied exactly")


class QuotedPriority(BaseModel):
    level: Literal["urgent", "important", "normal", "low"]
    quote: str = Field(max_length=300, description="the sentence that makes it so, copied exactly")


class MailReading(BaseModel):
    """What the model is asked for (the schema its reply is constrained to)."""

    commitments: list[QuotedCommitment] = Field(default_factory=list, max_length=5)
    opportunities: list[QuotedOpportunity] = Field(default_factory=list, max_length=3)
    priority: QuotedPriority | None = None


@dataclass(slots=True)
class Verified:
    """The findings whose quotes are in the mail; `dropped` counts those that were not (invented)."""

    commitments: list[QuotedCommitment] = field(default_factory=list)
    opportunities: list[QuotedOpportunity] = field(default_factory=list)
    priority: QuotedPriority | None = None
    dropped: int = 0
    failed: bool = False  # the model could not be asked or answered outside the schema: never kept in the store

    @property
    def items(self) -> int:
        """How many findings there are."""
        return len(self.commitments) + len(self.opportunities) + (self.priority is not None)

    def dump(self) -> str:
        """The findings as JSON (what the store keeps; `load` reads it back)."""
        return MailReading(commitments=self.commitments, opportunities=self.opportunities,
                           priority=self.priority).model_dump_json()

    @classmethod
    def load(cls, text: str) -> "Verified":
        reading = MailReading.model_validate_json(text)
        return cls(reading.commitments, reading.opportunities, reading.priority)


#: A capable model's verified reading of one mail: a `MailReader`, or a background reading's `known` (the
#: `model_reader` of triage, the commitment ledger, the pipeline and the briefing).
ModelReader = Callable[[Message], Verified]


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _prompt(message: Message, text: str) -> str:
    return ("Read this email. List (1) commitments: things the writer promises or asks the reader to do, "
            "(2) sales opportunities: an organisation that wants to buy, renew, expand or pilot, with the amount, "
            "(3) how urgent it is for the reader. For every item copy the exact sentence of the email that says "
            "it into 'quote'. Leave a list empty when the email has none.\n\n"
            f"From: {message.sender.name or message.sender.email} <{message.sender.email}>\n"
            f"Subject: {message.subject}\n\n{text}")


def read_mail(message: Message, ask: Ask[MailReading]) -> Verified:
    """The model's findings in `message` that quote it; nothing when the model fails (the rules stand). Raises
    `GaveWay` when a yielding `ask` stopped for the user's request (nothing was read, nothing is remembered)."""
    text = new_text(message)[:MAX_MAIL_CHARS]
    try:
        reading = ask(_prompt(message, text), MailReading)
    except GaveWay:
        raise  # not read: stopped for the user's request (the caller asks again)
    except EngineError as err:
        log.info("model reading skipped: %s", type(err).__name__)
        return Verified(failed=True)
    source = _flat(f"{message.subject}\n{text}")

    def quoted(item: QuotedCommitment | QuotedOpportunity | QuotedPriority) -> bool:
        return len(_flat(item.quote)) >= 12 and _flat(item.quote) in source

    found = Verified(commitments=[c for c in reading.commitments if quoted(c) and c.what.strip()],
                     opportunities=[o for o in reading.opportunities if quoted(o) and o.account.strip()],
                     priority=reading.priority if reading.priority is not None and quoted(reading.priority) else None)
    found.dropped = (len(reading.commitments) + len(reading.opportunities) + (reading.priority is not None)
                     - len(found.commitments) - len(found.opportunities) - (found.priority is not None))
    if found.dropped:
        log.info("model reading: %d item(s) dropped, their quote is not in the mail", found.dropped)
    return found


class MailReader:
    """`read_mail` for a scan: only mail of the last `days` is read (a scan walks thousands of mails; the model
    takes seconds per mail), and each mail once per wording (remembered by id and text hash for the reader's
    life; `remember(key, reading)` is told of each reading that did not fail, `recall` takes earlier ones back).
    Callable as the `model_reader` of `CommitmentLedger`. Thread-safe."""

    def __init__(self, ask: Ask[MailReading], *, days: int = 14, now: Callable[[], datetime] | None = None,
                 remember: Callable[[tuple[int, str], Verified], None] | None = None) -> None:
        self.ask, self.days = ask, days
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._remember = remember
        self._seen: dict[tuple[int, str], Verified] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Drop every reading held (they came from a store that was replaced)."""
        with self._lock:
            self._seen.clear()

    def recall(self, readings: dict[tuple[int, str], Verified]) -> None:
        """Take back readings kept earlier (keyed as `key_of` keys them)."""
        with self._lock:
            self._seen.update(readings)

    def __call__(self, message: Message) -> Verified:
        if not self.wants(message):
            return Verified()
        key = key_of(message)
        with self._lock:
            known = self._seen.get(key)
        if known is None:
            known = read_mail(message, self.ask)
            with self._lock:
                self._seen[key] = known
            if self._remember is not None and not known.failed:
                self._remember(key, known)
        return known

    def wants(self, message: Message) -> bool:
        """Whether `message` is recent enough to be read at all."""
        return message.sent_at is not None and message.sent_at >= self._now() - timedelta(days=self.days)

    def has_read(self, message: Message) -> bool:
        """Whether this wording of `message` was read already (a call would not ask the model)."""
        with self._lock:
            return key_of(message) in self._seen

    def known(self, message: Message) -> Verified:
        """What was read in `message` so far, never asking the model (empty when it was not read): the
        `model_reader` of scans that must not wait for a model (the app's store worker)."""
        if not self.wants(message):
            return Verified()
        with self._lock:
            return self._seen.get(key_of(message)) or Verified()


def key_of(message: Message) -> tuple[int, str]:
    """A mail's identity for the reader: its id and a hash of its wording (an edited draft is read again)."""
    return message.id or 0, hashlib.sha256(f"{message.subject}\n{message.body_text}".encode()).hexdigest()
