"""Revenue intelligence and team pulse (sentiment and engagement per team, privacy-first). No Qt.

Deterministic extraction first; every record carries its evidence.
"""

from engine.insights.pulse import (PERSON_OPT_IN, Anomaly, GroupWeek, PulseOptInRequired, PulseReport, TeamPulse,
                                   sentiment, set_person_opt_in)
from engine.insights.revenue import RevenueIntel, StaleAlert

__all__ = [
    "Anomaly", "GroupWeek", "PERSON_OPT_IN", "PulseOptInRequired", "PulseReport", "RevenueIntel", "StaleAlert",
    "TeamPulse", "sentiment", "set_person_opt_in",
]
