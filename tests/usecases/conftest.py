"""The intelligence fixtures (a small company, a mail factory, an event factory) for the use-case tests."""

from tests.assistant.conftest import company, event, mail  # noqa: F401 - fixtures, used by name
