"""Settings > Strategic context: "Propose from my mail" fills the editor with what the mailbox suggests (and
why), keeping everything typed; board and vendors round-trip through the editor."""

from __future__ import annotations

import sys
from pathlib import Path

from models import StrategicContext
from ui.context_editor import StrategicContextEditor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
import mailbox_eval  # noqa: E402


def test_board_and_vendors_round_trip(qtbot) -> None:  # noqa: ANN001
    editor = StrategicContextEditor()
    qtbot.addWidget(editor)
    editor.set_value(StrategicContext(key_accounts=["Acme"], board=["chair@board.example"], vendors=["Cloudline"]))
    value = editor.value()
    assert (value.board, value.vendors) == (["chair@board.example"], ["Cloudline"])


def test_propose_from_my_mail_keeps_what_was_typed(qtbot, services, facade, tasks) -> None:  # noqa: ANN001
    from ui.views.settings import SettingsView

    mailbox_eval.load(services.store, mailbox_eval.corpus("fernhill"))
    view = SettingsView(services=facade, tasks=tasks)
    qtbot.addWidget(view)
    view.context_editor.set_value(StrategicContext(priorities=["Win the Kestrel RFP"], key_accounts=["Acme Hotels"]))
    view.propose_context()
    qtbot.waitUntil(lambda: "Proposed from your mail" in view.context_editor.why.text(), timeout=20_000)
    value = view.context_editor.value()
    assert value.priorities == ["Win the Kestrel RFP"] and value.key_accounts[0] == "Acme Hotels"
    assert "Meridian Suites" in value.key_accounts and "marcus@larkspur.vc" in value.board
    assert "Cloudline Hosting" in value.vendors and any(m.email == "liam.doyle@fernhill.io" for m in value.team)
    assert "buying mails" in view.context_editor.why.text()
