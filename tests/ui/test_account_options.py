"""Settings → Accounts options: the Microsoft client id and tenant, Google calendars, sync interval and briefing
time are saved from the page (no environment variable or hand-edited settings.json); a bad value says why."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime

from app.settings import Settings
from tests.connectors.conftest import (  # noqa: F401 - fixtures
    fake_google, fake_ms, google_auth, google_client_factory, graph_factory, ms_auth, ms_session, tls_cert,
)
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
    assert settings.sync_interval_minutes == 15 and "follows it now" in panel.status.text()
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


def options_over(qtbot, tasks, store, settings, calendars: str) -> AccountOptionsPanel:  # noqa: ANN001
    """The options panel over the real app side (`WorkspaceAccounts`), its Choose… listing `calendars`."""
    from app.workspace_accounts import WorkspaceAccounts

    def save(**changes: object) -> None:
        for name, value in changes.items():
            setattr(settings, name, value)

    choices = WorkspaceAccounts(store=lambda: store, settings=lambda: settings, resync=lambda key: None)
    panel = AccountOptionsPanel(settings=settings, save=save, tasks=tasks, **{calendars: getattr(choices, calendars)})
    qtbot.addWidget(panel)
    panel.show()
    return panel


def choose(qtbot, panel, service: str, tick: str):  # noqa: ANN001, ANN201
    """Click the service's Choose…, wait for the list, tick `tick`, use it; returns the picker."""
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in panel.findChildren(QPushButton) if b.accessibleName() == f"Choose the {service} calendars "
                  "to sync")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    picker = panel.picker
    qtbot.waitUntil(lambda: picker.list.count() == 3, timeout=15000)
    ticked = picker.list.ticked()
    assert "your own" in picker.list.item(0).text()
    picker.list.tick(tick)
    with qtbot.waitSignal(picker.chosen):
        qtbot.mouseClick(picker.use_button, Qt.MouseButton.LeftButton)
    return ticked


def test_google_calendars_are_chosen_from_the_accounts_calendar_list(qtbot, tasks, store, fake_google,  # noqa: ANN001, F811
                                                                      google_client_factory, memory_keyring):
    from models import Account
    from tests.connectors.conftest import GOOGLE_ACCOUNT

    google_client_factory()  # a refresh token the fake accepts, in the keyring
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":", 1)[1], state="connected"))
    fake_google.add_calendar("ceo@northwind.example", "Dana Reyes", primary=True)
    fake_google.add_calendar("team@group.calendar.google.com", "Team")
    fake_google.add_calendar("en.usa#holiday@group.v.calendar.google.com", "Holidays")
    e = fake_google.endpoints()
    settings = Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri)

    panel = options_over(qtbot, tasks, store, settings, "google_calendars")
    assert choose(qtbot, panel, "Google", "Team") == ["primary"]  # the default setting names the account's own
    assert settings.sync_calendars == "primary,team@group.calendar.google.com"
    assert panel.calendars.text() == settings.sync_calendars and "next sync" in panel.status.text()


def test_outlook_calendars_are_chosen_and_the_connector_syncs_them(qtbot, tasks, store, fake_ms, graph_factory,  # noqa: ANN001, F811
                                                                    tls_cert, monkeypatch, memory_keyring):
    from datetime import datetime, timedelta, timezone

    from app.providers import Providers
    from models import Account
    from tests.connectors.conftest import MS_ACCOUNT

    graph_factory()  # device-code sign-in: the token cache goes to the (test) keyring
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_cert[0]))  # production's session, trusting the fake's cert
    settings = Settings(microsoft_client_id=fake_ms.CLIENT_ID, microsoft_tenant=fake_ms.TENANT,
                        microsoft_authority_host=fake_ms.url, microsoft_graph=fake_ms.url)
    account = Account(MS_ACCOUNT, "microsoft", MS_ACCOUNT.split(":")[1], state="connected")
    store.accounts.upsert(account)
    team = fake_ms.add_calendar("Team")
    fake_ms.add_calendar("Birthdays")
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    at = {"start": start, "end": start + timedelta(hours=2)}
    fake_ms.add_event({"subject": "Offsite", **{k: {"dateTime": v.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}
                                                for k, v in at.items()}}, calendar=team)

    panel = options_over(qtbot, tasks, store, settings, "outlook_calendars")
    assert choose(qtbot, panel, "Outlook", "Team") == ["calendarView"]  # empty setting: the default calendar
    assert settings.outlook_calendars == f"calendarView,{team}"
    connector = Providers(settings).connector(account)
    batch = connector.sync("outlook:calendar", None)
    titles = [e.title for e in batch.events]
    while not batch.done:
        batch = connector.sync("outlook:calendar", batch.new_cursor)
        titles += [e.title for e in batch.events]
    assert titles == ["Offsite"]  # the chosen calendar's events sync
