"""Settings > Privacy: per-person team pulse is an explicit, audited opt-in that can be withdrawn."""

from __future__ import annotations

from engine.insights import PERSON_OPT_IN


def test_per_person_pulse_opt_in_and_out(qtbot, main_window, services):  # noqa: ANN001
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert not settings.person_views.isChecked() and services.store.settings.get(PERSON_OPT_IN) is None
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.person_views.click()
    assert settings.person_views.isChecked() and services.store.settings.get(PERSON_OPT_IN) is True
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.person_views.click()
    assert not settings.person_views.isChecked() and services.store.settings.get(PERSON_OPT_IN) is False
    assert [e.detail["allowed"] for e in services.store.audit.since(action="settings")] == [False, True]


def test_export_everything_from_settings(qtbot, main_window, services, workspace, tmp_path):  # noqa: ANN001
    settings = main_window.show_page("settings")
    settings.export_redacted.setChecked(True)
    settings.export_everything(str(tmp_path))
    qtbot.waitUntil(lambda: settings.status.text().startswith("Redacted export written to"), timeout=30000)
    [folder] = list(tmp_path.glob("reflex-export-*"))
    assert folder.name.startswith("reflex-export-") and folder.name.endswith("-redacted")
    assert any((folder / "mail").iterdir()) and "Not encrypted" in settings.status.text()
    assert [e.action for e in services.store.audit.since(action="export")] == ["export"]


def test_cloud_tab_shows_the_estimated_spend(qtbot, main_window, services):  # noqa: ANN001
    services.usage.model_call(1.2, cost_usd=0.0125)
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert settings.cloud_spend.text().startswith("$0.01 today, $0.01 in the last 30 days")


def test_an_export_can_be_cancelled(qtbot, main_window, facade, tmp_path):  # noqa: ANN001
    started = []

    def slow_export(dest, *, redacted, on_progress, cancel):  # noqa: ANN001, ANN202 - stands in for a big export
        started.append(dest)
        on_progress(0.1)
        cancel.wait(10)  # stops only because the user cancelled

    facade.export_everything = slow_export
    settings = main_window.show_page("settings")
    settings.export_everything(str(tmp_path))
    qtbot.waitUntil(lambda: not settings.export_row.isHidden() and settings.export_bar.value() == 100, timeout=5000)
    settings.export_cancel.click()  # (the row sits on the Privacy tab: isHidden, not isVisible)
    assert settings.export_row.isHidden() and settings.status.text().startswith("Export cancelled")
