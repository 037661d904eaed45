"""Reliability tests reuse the connector suite's fake Google server and its keyring-backed client factory."""

from tests.connectors.conftest import fake_google, google_auth, google_client_factory  # noqa: F401
