"""Disconnecting an account forgets its sign-in for every provider and deletes its data only when asked."""

from __future__ import annotations

from datetime import datetime, timezone

from app.context import AppContext
from app.services import Services
from engine.store import Store
from models import Account, Contact, Message

SERVICE = "reflex-assistant"


def _services(store: Store) -> Services:
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    return Services(ctx)


def _mail(account: str, n: int) -> Message:
    return Message(account, f"p{n}", f"t{n}", "Hello", Contact("a@b.example"), body_text="Hi",
                   sent_at=datetime(2026, 11, 20, 9, n, tzinfo=timezone.utc))


def test_every_providers_sign_in_leaves_the_keyring(store: Store, memory_keyring) -> None:
    ms, slack = "microsoft:ceo@contoso.example", "slack:T1"
    for key, provider in ((ms, "microsoft"), (slack, "slack")):
        store.accounts.upsert(Account(key, provider, key.split(":")[1], state="connected"))
    memory_keyring.set_password(SERVICE, f"{ms}:msal", "2")  # msal's cache, split over two entries
    for i in range(2):
        memory_keyring.set_password(SERVICE, f"{ms}:msal:{i}", "cache part")
    memory_keyring.set_password(SERVICE, slack, '{"token": "xoxp-secret"}')
    memory_keyring.set_password(SERVICE, "store-key", "kept")  # not the account's: must stay
    store.messages.upsert([_mail(ms, 1), _mail(ms, 2), _mail(slack, 3)])
    services = _services(store)
    try:
        assert services.jobs.disconnect(ms) == {"messages": 0, "events": 0}
        assert services.jobs.disconnect(slack, delete_data=True) == {"messages": 1, "events": 0}
    finally:
        services.close()
    left = {name for _, name in memory_keyring.secrets}
    assert "store-key" in left and not any(n.startswith((ms, slack)) for n in left)
    assert store.accounts.all() == []
    assert [m.account for m in store.messages.recent(limit=10)] == [ms, ms]  # kept unless asked
    assert sorted(e.target for e in store.audit.since(action="delete")) == [ms, slack]
