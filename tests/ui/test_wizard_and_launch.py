"""First-run wizard (keyring and passphrase paths, demo, strategic context) and the GUI entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from app.context import AppContext
from app.gui import NO_DISPLAY
from app.facade import Facade
from app.services import Services
from engine.store.keys import StoreMeta
from ui.wizard import FirstRunWizard


def _finish(qtbot, wizard: FirstRunWizard) -> None:  # noqa: ANN001
    wizard.show()
    while wizard.currentPage() is not wizard.context_page:
        assert wizard.currentPage().isComplete()
        wizard.next()
    with qtbot.waitSignal(wizard.completed, timeout=30000):
        wizard.button(QWizard.WizardButton.FinishButton).click()


def test_wizard_creates_keyring_store_loads_demo_and_saves_context(qtbot, tmp_path, tasks):  # noqa: ANN001
    ctx = AppContext(home=tmp_path / "new", log=False)
    services = Services(ctx)
    loaded: list[object] = []
    wizard = FirstRunWizard(services=Facade(services), tasks=tasks, demo_loader=loaded.append, prefer_demo=True,
                            keyring_ok=True)
    qtbot.addWidget(wizard)
    assert not wizard.store_page.passphrase.isVisible() and wizard.data_page.demo.isChecked()
    wizard.context_page.editor.goals.setPlainText("Reach $10M ARR\nShip v2")
    _finish(qtbot, wizard)
    assert ctx.has_store and StoreMeta(ctx.db_path).read()["key_mode"] == "keyring"
    shown = wizard.recovery_box.text()  # the recovery key, shown once as plain text, opens the store
    assert wizard.recovery_box.isVisible() and ctx.recovery_key is None
    [recovery] = [word for word in shown.split() if word.startswith("RFLX-")]
    from engine.store.unlock import has_recovery_key

    assert has_recovery_key(ctx.db_path) and len(recovery) == 44
    wizard.recovery_box.close()
    assert loaded == [ctx.store]  # the demo loader received the new store
    assert ctx.store.contexts.latest().goals == ["Reach $10M ARR", "Ship v2"]
    ctx.close()


def test_after_the_demo_the_wizard_offers_the_context_proposed_from_its_mail(qtbot, tmp_path, tasks):  # noqa: ANN001
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    import mailbox_eval

    ctx = AppContext(home=tmp_path / "new", log=False)
    services = Services(ctx)
    wizard = FirstRunWizard(services=Facade(services), tasks=tasks, prefer_demo=True, keyring_ok=True,
                            demo_loader=lambda store: mailbox_eval.load(store, mailbox_eval.corpus("fernhill")))
    qtbot.addWidget(wizard)
    _finish(qtbot, wizard)  # nothing typed on the context page
    dialog = wizard.proposal_dialog
    qtbot.addWidget(dialog)
    wizard.recovery_box.close()
    assert dialog.isVisible() and not dialog.isModal()
    assert "Meridian Suites" in dialog.editor.value().key_accounts and "buying mails" in dialog.editor.why.text()
    assert ctx.store.contexts.latest() is None  # nothing is saved until the user says so
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.save_button.click()
    assert "Meridian Suites" in ctx.store.contexts.latest().key_accounts
    ctx.close()


def test_wizard_passphrase_path_requires_matching_passphrase(qtbot, tmp_path, tasks, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr("engine.store.unlock.secure_keyring_available", lambda: False)
    ctx = AppContext(home=tmp_path / "new", log=False)
    wizard = FirstRunWizard(services=Facade(Services(ctx)), tasks=tasks, keyring_ok=False)
    qtbot.addWidget(wizard)
    page = wizard.store_page
    page.passphrase.setText("short")
    assert not page.isComplete()
    page.passphrase.setText("a long passphrase")
    page.confirm.setText("a long passphrase!")
    assert not page.isComplete()
    page.confirm.setText("a long passphrase")
    assert page.isComplete() and not wizard.data_page.demo.isEnabled()  # no demo loader given
    _finish(qtbot, wizard)
    assert StoreMeta(ctx.db_path).read()["key_mode"] == "passphrase"
    ctx.close()
    reopened = AppContext(home=tmp_path / "new", log=False, prompt=lambda _t: "a long passphrase")
    assert reopened.store.schema_version > 0  # the passphrase the user chose opens it
    reopened.close()


def test_gui_without_display_says_so(tmp_path):  # noqa: ANN001
    env = {"PATH": "/usr/bin:/bin", "REFLEX_HOME": str(tmp_path), "HOME": str(tmp_path)}
    code = ("from app.context import AppContext; from app.gui import launch; from app.settings import default_home; "
            "raise SystemExit(launch(AppContext(home=default_home(), log=False), init_if_missing=True))")
    done = subprocess.run([sys.executable, "-c", code],
                          env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 1
    assert NO_DISPLAY in done.stderr


def test_gui_command_is_registered():
    import argparse

    from app.commands import gui

    parser = argparse.ArgumentParser()
    gui.register(parser.add_subparsers())
    args = parser.parse_args(["gui", "--first-run-demo", "--quick-ask"])
    assert args.init and args.first_run_demo and args.quick_ask and args.handler is gui.run_gui
    assert parser.parse_args(["gui", "--no-init"]).init is False


def test_reflex_links_open_in_the_app_and_other_links_are_refused(tmp_path):  # noqa: ANN001
    """Desktops hand reflex:// links (from an Asana task, say) to `reflex-assistant gui URL`; anything else is
    refused before a window appears."""
    env = {"PATH": "/usr/bin:/bin", "REFLEX_HOME": str(tmp_path), "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "app", "gui", "https://example.com/phish"], env=env,
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 2 and "Not a Reflex link" in done.stderr
    desktop = (Path(__file__).parents[2] / "resources" / "reflex.desktop").read_text()
    assert "Exec=reflex-assistant gui %u" in desktop and "MimeType=x-scheme-handler/reflex;" in desktop
