"""Revenue intelligence (and, to come, team pulse, decision support, usage analytics). No Qt.

Deterministic extraction first; every record carries its evidence.
"""

from engine.insights.money import Money, find_amounts
from engine.insights.revenue import RevenueIntel, StaleAlert

__all__ = ["Money", "RevenueIntel", "StaleAlert", "find_amounts"]
