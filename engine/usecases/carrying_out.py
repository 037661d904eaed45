"""Carrying out a pending action the user confirmed: the one path for the desktop (Chat's action cards, the inbox's
"save draft") and the CLI (`actions confirm`, `slack|asana push-action`).

Every side effect Reflex proposes (a mail draft, a calendar event, an RSVP, a task, a Slack reply, an Asana task)
waits in `store.pending_actions` until the user confirms it; only then does `carry_out` perform it through the
provider port, mark it done and audit it (kind and account, never the text). Mail is only ever saved as a draft,
never sent. A new event is created with invitations to its attendees, which is what confirming a proposed meeting
means; an RSVP tells the organizer. If the action cannot be done (no connected account, revoked token, provider
error), it stays pending and the error says what to do.

Once only: the row is claimed atomically (`pending_actions.claim`: 'pending' -> 'running', one winner) before the
side effect, and marked done with the provider's id after it, so a double click or the app and the CLI together
never send two invitations. A crash between the two leaves it 'running': shown as "may have been done — check",
never carried out again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from connectors.asana import ASANA_TASK
from connectors.slack import SLACK_REPLY
from engine.assistant.identity import resolve_principal
from engine.errors import EngineError
from engine.store import Store
from models import Account, Attendee, AuditEntry, Commitment, Contact, Event, Message
from models.tasks import Task

__all__ = ["MAILBOXES", "DraftCounter", "ProviderWrites", "carry_out", "save_reply_draft"]

#: Providers whose accounts hold a mailbox and a calendar.
MAILBOXES = ("google", "microsoft")

Response = Literal["accepted", "declined", "tentative"]


class ProviderWrites(Protocol):
    """The writes Reflex can make at a provider, for a connected account (the app's provider registry)."""

    def save_mail_draft(self, account: Account, *, to: list[Contact], subject: str, body: str,
                        reply_to: Message | None = None) -> str:
        """Save a draft (never send); the provider's draft id."""

    def write_event(self, account: Account, event: Event, *, new: bool) -> Event:
        """Create (`new`) or update an event, inviting/telling its attendees; the provider's copy."""

    def rsvp(self, account: Account, event: Event, *, response: Response, note: str = "") -> None: ...

    def post_slack_reply(self, account: str, *, channel: str, thread_ts: str, text: str) -> str:
        """Post into a Slack thread; the message's ts."""

    def create_asana_task(self, account: str, body: dict[str, Any]) -> Task: ...


Handler = Callable[[Store, ProviderWrites, dict[str, Any]], tuple[str, str, str]]


class DraftCounter(Protocol):
    """Local usage figures (`engine.assistant.usage.UsageTracker`)."""

    def draft_accepted(self) -> None: ...


def carry_out(store: Store, providers: ProviderWrites, action_id: int, *, usage: DraftCounter | None = None) -> str:
    """Perform pending action `action_id` once, mark it done and audit it (a mail draft also counts as accepted in
    `usage`); returns what happened, for the user."""
    claimed = store.pending_actions.claim(action_id)
    if claimed is None:
        raise EngineError("That action was already decided (or is being carried out right now).",
                          next_step="Refresh the page.")
    kind, payload = claimed
    handler = _HANDLERS.get(kind)
    try:
        if handler is None:
            raise EngineError(f"Reflex cannot carry out “{kind.replace('_', ' ')}” yet.",
                              next_step="Reject it here and do it in the app it belongs to.")
        target, said, provider_id = handler(store, providers, payload)
    except BaseException:
        # The handlers raise before or instead of the provider's write (no account, refused, rejected by the
        # provider): it did not happen, so it can be confirmed again.
        store.pending_actions.release(action_id)
        raise
    with store.transaction():
        store.pending_actions.finish(action_id, provider_id)
        store.audit.add(AuditEntry("tool", target=target, detail={"kind": kind, "action": action_id}))
    if kind == "draft_email" and usage is not None:
        usage.draft_accepted()
    return said


def save_reply_draft(store: Store, providers: ProviderWrites, message_id: int, body: str, *,
                     counted: Callable[[], None] = lambda: None) -> Account:
    """Save `body` as a reply draft in the mailbox of stored message `message_id` (never sends), audited (kind and
    account, never the text) with `counted` (usage) in the same transaction; returns the account. Only called after
    the user confirmed."""
    message = store.messages.get(message_id)
    account = store.accounts.get(message.account) if message else None
    if message is None:
        raise EngineError("That message is no longer in the store.", next_step="Refresh the inbox.")
    if account is None or account.provider not in MAILBOXES or account.state != "connected":
        raise EngineError(
            f"{message.account} is not a connected Google or Microsoft account, so there is no mailbox to save "
            "the draft in.",
            next_step="Copy the reply into your mail app, or connect the account in Settings > Accounts.")
    subject = message.subject if message.subject.lower().startswith("re:") else f"Re: {message.subject}"
    providers.save_mail_draft(account, to=[message.sender], subject=subject, body=body, reply_to=message)
    with store.transaction():
        store.audit.add(AuditEntry("tool", target=account.key, detail={"kind": "create_draft"}))
        counted()
    return account


def _mailbox(store: Store, key: str = "") -> Account:
    """The named account, or the first connected Google/Microsoft account."""
    accounts = [a for a in store.accounts.all() if a.provider in MAILBOXES and a.state == "connected"]
    account = next((a for a in accounts if a.key == key), None) if key else (accounts[0] if accounts else None)
    if account is None:
        raise EngineError("No connected Google or Microsoft account to do this in.",
                          next_step="Connect an account (reflex-assistant accounts add google|microsoft), or reject "
                                    "the action and do it in your mail or calendar app.")
    return account


def _draft_email(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    """A new mail, or a reply threaded under `in_reply_to` when that message is in the mailbox it is saved in."""
    original = store.messages.get(int(payload["in_reply_to"])) if payload.get("in_reply_to") else None
    account = _mailbox(store, original.account if original is not None else "")
    draft_id = providers.save_mail_draft(
        account, to=[Contact(str(t)) for t in payload.get("to", [])], subject=str(payload.get("subject", "")),
        body=str(payload.get("body", "")),
        reply_to=original if original is not None and original.account == account.key else None)
    return account.key, f"Saved as a draft in {account.address}; nothing was sent.", str(draft_id)


def _write_event(store: Store, providers: ProviderWrites, account: Account, event: Event, *, new: bool) -> Event:
    """Create or update `event` in the account's calendar; store the provider's copy and return it."""
    saved = providers.write_event(account, event, new=new)
    store.events.upsert([saved])
    return saved


def _create_event(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    account = _mailbox(store, str(payload.get("account", "")))
    zone = ZoneInfo(str(payload["timezone"])) if payload.get("timezone") else None  # a series keeps local time
    start, end = (datetime.fromisoformat(str(payload[k])) for k in ("start", "end"))
    event = Event(account=account.key, provider_id="", title=str(payload.get("title", "")),
                  start=start.astimezone(zone) if zone else start, end=end.astimezone(zone) if zone else end,
                  calendar=str(payload.get("calendar", "primary")), description=str(payload.get("description", "")),
                  location=str(payload.get("location", "")),
                  attendees=[Attendee(email=str(a)) for a in payload.get("attendees", [])],
                  recurrence=[str(r) for r in payload.get("recurrence", [])])
    created = _write_event(store, providers, account, event, new=True)
    invited = f", invitations sent to {len(event.attendees)}" if event.attendees else ""
    return account.key, f"Created “{created.title}” in {account.address}{invited}.", created.provider_id


def _rsvp(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    event = store.events.get(int(payload["event_id"]))
    if event is None:
        raise EngineError("That event is no longer in your calendar.", next_step="Reject the action.")
    account = _mailbox(store, event.account)
    response = str(payload["response"])
    providers.rsvp(account, event, response=response, note=str(payload.get("note", "")))  # type: ignore[arg-type]
    mine = [a for a in event.attendees if a.email.lower() == account.address.lower()]
    if mine:  # the stored copy says so too, so the invitation stops waiting before the next sync
        for attendee in mine:
            attendee.response = response
        store.events.upsert([event])
    return account.key, f"Answered “{event.title}”: {response}.", event.provider_id


def _reschedule_event(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    """Move a stored event to the proposed start and end; attendees are told (Google) or see the update (Outlook)."""
    event = store.events.get(int(payload["event_id"]))
    if event is None:
        raise EngineError("That event is no longer in your calendar.", next_step="Reject the action.")
    account = _mailbox(store, event.account)
    event.start, event.end = datetime.fromisoformat(str(payload["start"])), datetime.fromisoformat(str(payload["end"]))
    _write_event(store, providers, account, event, new=False)
    return account.key, f"Moved “{event.title}” to {event.start:%a %d %b %H:%M}.", event.provider_id


def _slack_reply(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    ts = providers.post_slack_reply(str(payload["account"]), channel=payload["channel"],
                                    thread_ts=payload["thread_ts"], text=payload["text"])
    return str(payload["account"]), "Reply posted in the Slack thread.", str(ts)


def _asana_task(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    account = str(payload["account"])
    task = providers.create_asana_task(account, payload["body"])
    with store.transaction():
        store.tasks.upsert([task])
        store.tasks.link(account, task.provider_id, source=f"commitment:{payload.get('commitment_id')}",
                         commitment_id=payload.get("commitment_id"))
    return account, f"Created the Asana task {task.url}", task.provider_id


def _create_task(store: Store, providers: ProviderWrites, payload: dict[str, Any]) -> tuple[str, str, str]:
    """A task for the user in the commitments ledger (Today's "commitments due"; `asana propose` can file it)."""
    me = resolve_principal(store)
    due = date.fromisoformat(str(payload["due_date"])) if payload.get("due_date") else None
    title = str(payload["title"]).strip()
    key = f"task:{title.lower()}:{due}"
    store.commitments.upsert(key, Commitment(owner=me.email or "me", counterparty="", what=title, due=due))
    return "commitments", f"Added the task “{title}”" + (f", due {due:%a %d %b}." if due else "."), key


_HANDLERS: dict[str, Handler] = {
    "draft_email": _draft_email, "create_event": _create_event, "rsvp": _rsvp, "reschedule_event": _reschedule_event,
    SLACK_REPLY: _slack_reply, ASANA_TASK: _asana_task, "create_task": _create_task,
}
