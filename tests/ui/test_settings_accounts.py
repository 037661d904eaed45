"""Settings > Accounts: connecting in the browser; disconnecting asks first, offers to delete the synced data."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from models import Account
from tests.connectors.conftest import browser, fake_google  # noqa: F401 - fixtures

SERVICE = "reflex-assistant"


def test_settings_asks_before_disconnecting(qtbot, main_window, services, memory_keyring):  # noqa: ANN001
    services.store.accounts.upsert(Account("slack:T9", "slack", "T9", state="connected"))
    memory_keyring.set_password(SERVICE, "slack:T9", "token")
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    settings.accounts_table.selectRow(0)
    settings._disconnect()  # noqa: SLF001 - the button's slot
    box = settings.confirm_box
    assert "slack:T9" in box.text() and services.store.accounts.get("slack:T9") is not None  # nothing yet
    box.checkBox().setChecked(True)
    box.done(QMessageBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: settings.status.text().startswith("Disconnected slack:T9; deleted"), timeout=10000)
    assert services.store.accounts.get("slack:T9") is None and memory_keyring.get_password(SERVICE, "slack:T9") is None


def use_fake_google(services, fake_google, tmp_path, monkeypatch):  # noqa: ANN001, ANN201, F811
    """Point the app at the fake Google; returns a Desktop-app client file for it."""
    import json

    from tests.fakes.google_server import FakeGoogle

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake is http; Google is https
    e = fake_google.endpoints()
    for name, value in (("google_api", e.api), ("google_calendar", e.calendar), ("google_token_uri", e.token_uri),
                        ("google_auth_uri", e.auth_uri)):
        setattr(services.settings, name, value)
    secret = tmp_path / "client_secret.json"
    secret.write_text(json.dumps({"installed": {"client_id": FakeGoogle.CLIENT_ID,
                                                "client_secret": FakeGoogle.CLIENT_SECRET}}))
    return secret


def test_connect_google_from_settings_in_the_browser(qtbot, main_window, services, fake_google, browser,  # noqa: ANN001, F811
                                                    tmp_path, monkeypatch, memory_keyring):
    secret = use_fake_google(services, fake_google, tmp_path, monkeypatch)
    settings = main_window.show_page("settings")
    settings.connect_account("google", client_secret=str(secret))
    assert settings.status.text() == "Finish signing in in your browser…"
    qtbot.waitUntil(lambda: settings.status.text().startswith("Connected google:"), timeout=20000)
    [account] = services.store.accounts.all()
    assert account.provider == "google" and account.state == "connected" and browser.opened
    assert memory_keyring.get_password(SERVICE, account.key)  # the token went to the keyring, nowhere else


def test_connect_google_walks_through_the_client_guide_once(qtbot, main_window, services, fake_google, browser,  # noqa: ANN001, F811
                                                            tmp_path, monkeypatch, memory_keyring):
    secret = use_fake_google(services, fake_google, tmp_path, monkeypatch)
    settings = main_window.show_page("settings")
    settings.connect_google()  # "Connect Google…": no client kept yet, so the guide opens
    qtbot.waitUntil(lambda: getattr(settings, "google_guide", None) is not None and settings.google_guide.isVisible())
    guide = settings.google_guide
    guide.set_file(str(secret))
    qtbot.waitUntil(guide.keep_button.isEnabled, timeout=10000)
    guide.keep_button.click()
    qtbot.waitUntil(lambda: settings.status.text().startswith("Connected google:"), timeout=20000)
    assert not guide.isVisible() and [a.provider for a in services.store.accounts.all()] == ["google"]
    secret.unlink()  # the download may go: the client is kept in the keyring
    settings.google_guide = None
    settings.status.setText("")
    settings.connect_google()  # a reconnect signs in at once, with no file and no guide
    qtbot.waitUntil(lambda: settings.status.text().startswith("Connected google:"), timeout=20000)
    assert settings.google_guide is None and len(browser.opened) == 2
