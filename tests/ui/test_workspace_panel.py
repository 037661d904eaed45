"""Settings → Accounts → Slack and Asana through the real widgets, the real Slack and Asana client libraries and the
fake servers: a wrong token is refused, a user token connects (kept in the keyring only), the conversations or
projects are listed, and ticking some and saving decides what syncs (the account's job is rebuilt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.settings import Settings
from app.workspace_accounts import WorkspaceAccounts
from tests.fakes.asana_server import USER, FakeAsana
from tests.fakes.slack_server import ME, TEAM, FakeSlack
from ui.views.accounts_workspace import WorkspacePanel


class EndpointSettings(Settings):
    slack_api: str = ""
    asana_api: str = ""


@pytest.fixture
def servers():  # noqa: ANN201
    with FakeSlack() as slack, FakeAsana() as asana:
        yield slack, asana


def make(qtbot, store, tasks, servers):  # noqa: ANN001, ANN201
    slack, asana = servers
    settings = EndpointSettings(slack_api=slack.endpoints().api, asana_api=asana.endpoints().api)
    resynced: list[str] = []
    panel = WorkspacePanel(accounts=WorkspaceAccounts(store=lambda: store, settings=lambda: settings,
                                                      resync=resynced.append), tasks=tasks)
    qtbot.addWidget(panel)
    panel.show()
    return panel, resynced


def test_slack_token_connects_lists_and_picks_conversations(qtbot, store, tasks, servers, memory_keyring) -> None:  # noqa: ANN001
    slack, _ = servers
    slack.add_user("U0PAT", "Pat Kim", "pat@northwind.example")
    slack.add_channel("D0PAT", "", kind="dm", members=[ME, "U0PAT"])
    slack.add_channel("C0RANDOM", "random")
    panel, resynced = make(qtbot, store, tasks, servers)
    panel.refresh()
    qtbot.keyClicks(panel.token, "xoxb-bot-token")
    qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a Slack user token" in panel.status.text())
    assert store.accounts.all() == []

    qtbot.keyClicks(panel.token, "xoxp-good")
    with qtbot.waitSignal(panel.connected, timeout=10000) as connected:
        qtbot.keyClick(panel.token, Qt.Key.Key_Return)
    key = f"slack:{TEAM}"
    assert connected.args == [key] and panel.token.text() == ""
    assert memory_keyring.secrets[("reflex-assistant", key)]  # the token lives in the keyring only
    qtbot.waitUntil(lambda: panel.choices.count() == 2, timeout=10000)
    assert panel.account.currentText() == key and panel.choices.ticked() == []
    panel.choices.tick("random")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now syncs 1 conversations" in panel.status.text())
    assert store.settings.get(f"{key}.channels") == ["C0RANDOM"] and resynced == [key, key]
    qtbot.mouseClick(next(b for b in panel.findChildren(type(panel.save_button)) if b.text() == "Reload"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.choices.count() == 2 and "1 of 2 syncing" in panel.status.text(), timeout=10000)
    assert panel.choices.ticked() == ["C0RANDOM"]


def test_asana_token_connects_and_picks_projects(qtbot, store, tasks, servers, memory_keyring) -> None:  # noqa: ANN001
    _, asana = servers
    launch = asana.add_project("Launch")
    asana.add_project("Hiring")
    panel, _ = make(qtbot, store, tasks, servers)
    panel.provider.setCurrentIndex(panel.provider.findData("asana"))
    assert not panel.client_id.isVisible() and "Personal access token" in panel.token.placeholderText()
    qtbot.keyClicks(panel.token, "pat-good")
    with qtbot.waitSignal(panel.connected, timeout=10000):
        qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.choices.count() == 2, timeout=10000)
    panel.choices.tick("Launch")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now syncs 1 projects" in panel.status.text())
    assert store.settings.get(f"asana:{USER}.projects") == [launch]
