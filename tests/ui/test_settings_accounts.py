"""Settings > Accounts: disconnecting asks first, offers to delete the synced data, and says what it did."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from models import Account

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
