"""Calendar events and attendees, idempotent by (account, provider_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from models import Attendee, Event
from engine.store.repos.base import Repo, from_iso, provider_ids_in, to_iso

_COLUMNS = (
    "id, account, provider_id, calendar, title, description, location, start_at, end_at, all_day, organizer, "
    "conference_url, status, recurring_id"
)


class EventRepo(Repo):
    def upsert(self, events: Iterable[Event]) -> list[int]:
        ids = []
        with self.store.transaction() as conn:
            for ev in events:
                values = (
                    ev.calendar, ev.title, ev.description, ev.location, to_iso(ev.start), to_iso(ev.end),
                    int(ev.all_day), ev.organizer, ev.conference_url, ev.status, ev.recurring_id,
                )
                conn.execute(
                    "INSERT INTO events(account, provider_id, calendar, title, description, location, start_at, end_at, "
                    "all_day, organizer, conference_url, status, recurring_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(account, provider_id) DO UPDATE SET calendar=excluded.calendar, title=excluded.title, "
                    "description=excluded.description, location=excluded.location, start_at=excluded.start_at, "
                    "end_at=excluded.end_at, all_day=excluded.all_day, organizer=excluded.organizer, "
                    "conference_url=excluded.conference_url, status=excluded.status, recurring_id=excluded.recurring_id",
                    (ev.account, ev.provider_id, *values),
                )
                event_id = conn.execute(
                    "SELECT id FROM events WHERE account = ? AND provider_id = ?", (ev.account, ev.provider_id)
                ).fetchone()[0]
                conn.execute("DELETE FROM event_attendees WHERE event_id = ?", (event_id,))
                conn.executemany(
                    "INSERT OR REPLACE INTO event_attendees(event_id, email, name, response, organizer) VALUES (?,?,?,?,?)",
                    [(event_id, a.email.lower(), a.name, a.response, int(a.organizer)) for a in ev.attendees if a.email],
                )
                ev.id = event_id
                ids.append(event_id)
        return ids

    def delete_provider_ids(self, account: str, provider_ids: Iterable[str]) -> int:
        with self.store.transaction() as conn:
            return conn.executemany(
                "DELETE FROM events WHERE account = ? AND provider_id = ?", [(account, p) for p in provider_ids]
            ).rowcount

    def provider_ids(self, account: str, *, since: datetime | None = None, until: datetime | None = None) -> list[str]:
        """The provider ids of the account's events, optionally only those starting in [since, until)."""
        return provider_ids_in(self.store, "events", "start_at", account, since, until)

    def between(self, start: datetime, end: datetime, *, include_cancelled: bool = False) -> list[Event]:
        """Events overlapping [start, end), ordered by start."""
        with self.store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM events WHERE start_at < ? AND end_at > ? "
                "AND (? OR status != 'cancelled') ORDER BY start_at",
                (to_iso(end), to_iso(start), int(include_cancelled)),
            ).fetchall()
            return [self._event(conn, r) for r in rows]

    def get(self, event_id: int) -> Event | None:
        with self.store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,)).fetchone()
            return self._event(conn, row) if row else None

    @staticmethod
    def _event(conn, row) -> Event:  # noqa: ANN001
        attendees = [
            Attendee(email, name, response, bool(org))
            for email, name, response, org in conn.execute(
                "SELECT email, name, response, organizer FROM event_attendees WHERE event_id = ?", (row[0],)
            )
        ]
        return Event(
            id=row[0], account=row[1], provider_id=row[2], calendar=row[3], title=row[4], description=row[5],
            location=row[6], start=from_iso(row[7]), end=from_iso(row[8]), all_day=bool(row[9]), organizer=row[10],
            conference_url=row[11], status=row[12], recurring_id=row[13], attendees=attendees,
        )
