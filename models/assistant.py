"""Conversation and strategic-context domain types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Turn:
    role: str  # user | assistant | system
    content: str
    created_at: datetime | None = None
    model: str = ""
    citations: list[int] = field(default_factory=list)
    context_version: int | None = None
    id: int | None = None


@dataclass(slots=True)
class Conversation:
    title: str
    created_at: datetime | None = None
    turns: list[Turn] = field(default_factory=list)
    id: int | None = None


@dataclass(slots=True)
class TeamMember:
    name: str
    role: str = ""
    email: str = ""
    reports_to: str = ""
    team: str = ""


@dataclass(slots=True)
class StrategicContext:
    """One version of the executive's strategic context; versions are immutable once saved."""

    values: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    key_accounts: list[str] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    board: list[str] = field(default_factory=list)  # names or emails of board members and investors
    vendors: list[str] = field(default_factory=list)  # organisations that sell to the user's company
    version: int | None = None
    created_at: datetime | None = None
