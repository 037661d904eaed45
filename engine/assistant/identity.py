"""Who "the user" is: the executive whose mailbox and calendar Reflex reads.

Resolution order (first that yields an address wins), WHY: an explicit choice beats inference, a connected
account is the user's by definition, and in an imported mailbox the owner is the most frequent recipient.
1. setting `assistant.me` = {"emails": [...], "name": "..."}
2. connected (non-import) accounts' addresses
3. the most frequent To/Cc address over stored mail
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.store import Store

ME_SETTING = "assistant.me"


@dataclass(frozen=True, slots=True)
class Principal:
    emails: frozenset[str]
    name: str = ""

    def is_me(self, email_or_name: str) -> bool:
        value = (email_or_name or "").strip().lower()
        if not value:
            return False
        if value in self.emails or value in ("me", "i"):
            return True
        return bool(self.name) and value in (self.name.lower(), self.name.split()[0].lower())

    @property
    def email(self) -> str:
        return min(self.emails) if self.emails else ""


def resolve_principal(store: Store) -> Principal:
    """The user as far as the store can tell; `Principal(frozenset())` for an empty store."""
    chosen = store.settings.get(ME_SETTING) or {}
    emails = {e.lower() for e in chosen.get("emails", []) if e}
    name = chosen.get("name", "")
    if not emails:
        emails = {a.address.lower() for a in store.accounts.all() if a.provider != "import" and a.address}
    if not emails:
        if (address := store.messages.top_recipient()) is not None:
            emails = {address.lower()}
    if emails and not name:
        for email in sorted(emails):
            contact = store.contacts.get(email)
            if contact and contact.name:
                name = contact.name
                break
    return Principal(frozenset(emails), name)
