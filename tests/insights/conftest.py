"""The insights tests reuse the small company (roster, key accounts, board) and mail/event factories."""

from tests.assistant.conftest import company, event, mail  # noqa: F401  (pytest fixtures)
