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
