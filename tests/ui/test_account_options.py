"""Settings → Accounts options: the Microsoft client id and tenant, Google calendars, sync interval and briefing
time are saved from the page (no environment variable or hand-edited settings.json); a bad value says why."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime

from app.settings import Settings
from tests.connectors.conftest import fake_google, google_auth, google_client_factory  # noqa: F401 - fixtures
from ui.views.account_options import AccountOptionsPanel


def test_fields_are_saved_and_bad_values_refused(qtbot):  # noqa: ANN001
    settings = Settings()

    def save(**changes: object) -> None:
        for name, value in changes.items():
            setattr(settings, name, value)

    panel = AccountOptionsPanel(settings=settings, save=save)
    qtbot.addWidget(panel)
    panel.show()
    panel.client_id.setFocus()
    qtbot.keyClicks(panel.client_id, "11111111-2222-3333-4444-555555555555")
    qtbot.keyClick(panel.client_id, Qt.Key.Key_Return)
    assert settings.microsoft_client_id == "11111111-2222-3333-4444-555555555555"
    panel.calendars.setText("primary, team@group.calendar.google.com")
    panel.calendars.editingFinished.emit()
    assert settings.sync_calendars == "primary, team@group.calendar.google.com"
    panel.interval.setValue(15)
    panel.interval.editingFinished.emit()
    assert settings.sync_interval_minutes == 15 and "next starts" in panel.status.text()
    panel.briefing.setTime(QTime(6, 45))
    panel.briefing.editingFinished.emit()
    assert settings.briefing_time == "06:45"
    panel.interval.setRange(0, 5000)
    panel.interval.setValue(0)  # below the Settings minimum
    panel.interval.editingFinished.emit()
    assert settings.sync_interval_minutes == 15 and panel.status.text().startswith("Not saved")


def test_the_accounts_tab_shows_the_options(qtbot, main_window):  # noqa: ANN001
    settings = main_window.show_page("settings")
    assert settings.account_options.tenant.text() == "common"


def test_google_calendars_are_chosen_from_the_accounts_calendar_list(qtbot, tasks, store, fake_google,  # noqa: ANN001, F811
                                                                      google_client_factory, memory_keyring):
    from app.workspace_accounts import WorkspaceAccounts
    from models import Account
    from tests.connectors.conftest import GOOGLE_ACCOUNT

    google_client_factory()  # a refresh token the fake accepts, in the keyring
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":", 1)[1], state="connected"))
    fake_google.add_calendar("ceo@northwind.example", "Dana Reyes", primary=True)
    fake_google.add_calendar("team@group.calendar.google.com", "Team")
    fake_google.add_calendar("en.usa#holiday@group.v.calendar.google.com", "Holidays")
    e = fake_google.endpoints()
    settings = Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri)

    def save(**changes: object) -> None:
        for name, value in changes.items():
            setattr(settings, name, value)

    choices = WorkspaceAccounts(store=lambda: store, settings=lambda: settings, resync=lambda key: None)
    panel = AccountOptionsPanel(settings=settings, save=save, tasks=tasks, calendars=choices.google_calendars)
    qtbot.addWidget(panel)
    panel.show()
    panel.choose_calendars()
    picker = panel.picker
    qtbot.waitUntil(lambda: picker.list.count() == 3, timeout=10000)
    assert picker.list.ticked() == ["primary"]  # the default setting names the account's own calendar
    assert "primary" in picker.list.item(0).text()
    picker.list.tick("Team")
    with qtbot.waitSignal(picker.chosen):
        qtbot.mouseClick(picker.use_button, Qt.MouseButton.LeftButton)
    assert settings.sync_calendars == "primary,team@group.calendar.google.com"
    assert panel.calendars.text() == settings.sync_calendars and "next starts" in panel.status.text()
