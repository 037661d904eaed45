"""Token and cost accounting per provider per day.

Costs are estimates from public list prices (USD per million tokens); unknown models cost 0.0 and
are still counted. Persistence is injected (`load()` / `save(state)`, e.g. the store's settings
table), state shape: {"YYYY-MM-DD": {"provider": {"calls", "tokens_in", "tokens_out", "cost_usd"}}}.
Thread-safe (one lock); keeps `KEEP_DAYS` days.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

KEEP_DAYS = 90

# (input, output) USD per 1M tokens; matched by longest model-name prefix.
PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1": (2.00, 8.00), "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00), "o4-mini": (1.10, 4.40),
    "claude-3-5-haiku": (0.80, 4.00), "claude-haiku-4": (1.00, 5.00),
    "claude-3-5-sonnet": (3.00, 15.00), "claude-3-7-sonnet": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00), "claude-opus-4": (15.00, 75.00),
}


def estimate_cost(model: str, tokens_in: int, tokens_out: int) -> float:
    """Estimated USD for one call; 0.0 for models without a known price (local servers)."""
    name = model.lower()
    match = max((k for k in PRICES_PER_MTOK if name.startswith(k)), key=len, default=None)
    if match is None:
        return 0.0
    price_in, price_out = PRICES_PER_MTOK[match]
    return round((tokens_in * price_in + tokens_out * price_out) / 1e6, 6)


class UsageLedger:
    """Adds up calls, tokens and estimated cost per provider per local day."""

    def __init__(self, *, load: Callable[[], dict | None], save: Callable[[dict], None],
                 today: Callable[[], date] = date.today) -> None:
        self._load, self._save, self._today = load, save, today
        self._lock = threading.Lock()

    def record(self, provider: str, tokens_in: int, tokens_out: int, cost_usd: float) -> None:
        with self._lock:
            state = dict(self._load() or {})
            day = self._today()
            oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
            state = {d: v for d, v in state.items() if d >= oldest}
            per_provider = state.setdefault(day.isoformat(), {})
            row = per_provider.setdefault(provider, {"calls": 0, "tokens_in": 0, "tokens_out": 0,
                                                     "cost_usd": 0.0})
            row["calls"] += 1
            row["tokens_in"] += tokens_in
            row["tokens_out"] += tokens_out
            row["cost_usd"] = round(row["cost_usd"] + cost_usd, 6)
            self._save(state)

    def day(self, when: date | None = None) -> dict[str, dict[str, float]]:
        """Totals per provider for `when` (default today)."""
        with self._lock:
            return dict((self._load() or {}).get((when or self._today()).isoformat(), {}))
