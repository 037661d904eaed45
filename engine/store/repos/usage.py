"""Local-only usage metrics: one number per (day, metric), added to or set. Never leaves the machine."""

from __future__ import annotations

from datetime import date

from engine.store.repos.base import Repo


class UsageRepo(Repo):
    def add(self, day: date, metric: str, delta: float = 1.0) -> None:
        """Add `delta` to the day's counter (created at 0)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO usage_metrics(day, metric, value) VALUES (?,?,?) "
                "ON CONFLICT(day, metric) DO UPDATE SET value = usage_metrics.value + excluded.value",
                (day.isoformat(), metric, float(delta)),
            )

    def set(self, day: date, metric: str, value: float) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO usage_metrics(day, metric, value) VALUES (?,?,?) "
                "ON CONFLICT(day, metric) DO UPDATE SET value = excluded.value",
                (day.isoformat(), metric, float(value)),
            )

    def between(self, start: date, end: date) -> dict[date, dict[str, float]]:
        """Metrics for days in [start, end], inclusive."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT day, metric, value FROM usage_metrics WHERE day >= ? AND day <= ? ORDER BY day, metric",
                (start.isoformat(), end.isoformat()),
            ).fetchall()
        out: dict[date, dict[str, float]] = {}
        for day, metric, value in rows:
            out.setdefault(date.fromisoformat(day), {})[metric] = value
        return out
