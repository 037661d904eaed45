"""Render each main-window page and the quick-ask popup against the demo workspace and save PNGs to
build/screenshots/ (run by `make screenshots`). Starts its own Xvfb display, uses a throwaway data dir with an
in-memory keyring, indexes the demo and asks one real question so Chat and the popup show a cited answer.

Chat and the popup are shot first, as a new user sees them after saying "not now" to the model offer (later pages
propose actions, e.g. the meeting summary's follow-up draft, whose card would cover the answer). The demo holds no
Asana tasks, so a few are stored as an Asana sync would store them (`ASANA_TASKS`, this throwaway store only: the
evaluated demo workspace stays as it is).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "screenshots"
QUESTION = "How many units does Harborview want to expand to?"  # the demo mail says 40; answer_questions.json
POPUP_QUESTION = "Which WMS does Harborview need us to integrate with?"  # Manhattan, ditto
ASANA_ACCOUNT = "asana:dana@northwind-robotics.example"
ASANA_TASKS = (  # (gid, title, assignee, due, project, notes)
    ("1201", "Send Harborview the final proposal", "Priya Raman", "2026-11-27", "Q1 Sales",
     "Harborview wants the signed order form and the site plan before the Q1 fleet expansion."),
    ("1202", "Install the 4.2.1 hotfix at Pinecrest", "Marcus Chen", "2026-12-01", "Customer Success",
     "Root-cause report to Robert first; one month of service credit is tied to the hotfix date."),
    ("1203", "Open the two SRE reqs", "Tom Okafor", "2026-12-04", "Hiring",
     "Second on-call rotation with Customer Success for level-one triage."),
    ("1204", "Runbooks to Tom", "Raj Mehta", "2026-12-04", "Customer Success", ""),
    ("1205", "Board pre-read: 5.0 scope freeze", "Dana Whitfield", "2026-12-07", "Leadership", ""),
)
DECISION = ("Should we open the two SRE reqs now?",
            ["Open the two SRE reqs now to protect uptime", "Wait for the 2027 budget"])


def start_xvfb() -> subprocess.Popen:
    display = ":97"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    os.environ.pop("QT_QPA_PLATFORM", None)
    return proc


def main() -> int:
    if not shutil.which("Xvfb"):
        print("Xvfb is missing: run `make test` once (it installs the Debian packages).", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    xvfb = start_xvfb()
    home = Path(tempfile.mkdtemp(prefix="reflex-shots-"))
    try:
        return shoot(home)
    finally:
        xvfb.terminate()
        shutil.rmtree(home, ignore_errors=True)


def shoot(home: Path) -> int:
    import keyring

    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    os.environ.pop("REFLEX_PASSPHRASE", None)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.demo import demo_timezone, load_demo
    from app.gui import GuiApp
    from app.single_instance import SingleInstance

    ctx = AppContext(home=home, log=False)
    store = ctx.create_store()
    load_demo(store)
    seed_asana_tasks(store)
    app = QApplication([])
    instance = SingleInstance(home)
    instance.acquire()
    gui = GuiApp(ctx, app=app, instance=instance)
    gui.services.indexer.run()

    def wait(signal, timeout_ms: int = 120000) -> None:  # noqa: ANN001 - a Qt signal
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    OUT.mkdir(parents=True, exist_ok=True)
    gui.services.save_settings(theme="light", timezone=demo_timezone(), gallery_offer_dismissed=True)
    gui.start()
    window = gui.window
    window.resize(1280, 800)
    settle(800)
    chat = window.show_page("chat")
    gui.quick_ask()  # the tray popup, shown over the main window as a user would see it
    popup = gui.popup
    for asker, ask, question, shot, name in ((chat, chat.send, QUESTION, window, "chat"),
                                             (popup, popup.ask, POPUP_QUESTION, popup, "quick-ask")):
        asker.input.setText(question)
        ask()
        wait(asker.session.answer_finished)
        settle()
        save(shot, name)
    popup.hide()
    for name in ("today", "inbox", "meetings", "people", "tasks", "insights", "decisions", "settings"):
        view = window.show_page(name)
        if name == "inbox" and window.tasks.running("triage", window) is not None:
            wait(window.triage_finished, 60000)
        view.refresh()
        wait(view.loaded, 60000)
        if name == "decisions":
            view.question.setText(DECISION[0])
            view.options.setPlainText("\n".join(DECISION[1]))
            view.record()
            wait(view.loaded, 20000)
        if name == "inbox" and view.list.count():
            view.list.setCurrentRow(0)
            wait(view.thread_loaded, 20000)
        if name == "people":
            view.show_person("Priya Raman")
            wait(view.dossier_shown, 20000)
        if name == "meetings" and view.list.count():
            view.list.setCurrentRow(0)
            wait(view.loaded, 20000)
            view.summarize()
            wait(view.summarized, 20000)
            view.tabs.setCurrentIndex(1)
        settle()
        save(window, name)
    with connected_asana(gui.services, window, wait, settle):
        shoot_settings_tabs(window, wait, settle)
    # Dark appearance of the Today page.
    from ui.theme import apply_theme

    apply_theme(app, "dark")
    today = window.show_page("today")
    today.refresh()
    wait(today.loaded, 20000)
    settle()
    save(window, "today-dark")
    gui.close()
    instance.release()
    ctx.close()
    return 0


def save(widget, name: str) -> None:  # noqa: ANN001 - a QWidget
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"saved {name}.png")


def seed_asana_tasks(store) -> None:  # noqa: ANN001 - the throwaway Store
    from datetime import date

    from models.tasks import Task

    store.tasks.upsert(Task(account=ASANA_ACCOUNT, provider_id=gid, title=title, notes=notes, assignee_name=who,
                            due=date.fromisoformat(due), projects=[project])
                       for gid, title, who, due, project, notes in ASANA_TASKS)


@contextlib.contextmanager
def connected_asana(services, window, wait, settle):  # noqa: ANN001, ANN201
    """Asana connected in Settings → Accounts (typed token, Connect, projects ticked) against the test suite's fake
    Asana API on 127.0.0.1, so the picture shows the panel in use; its projects are the tasks' projects."""
    from tests.fakes.asana_server import FakeAsana

    with FakeAsana() as asana:
        for project in dict.fromkeys(task[4] for task in ASANA_TASKS):
            asana.add_project(project)
        services.save_settings(asana_api=asana.endpoints().api)
        panel = window.show_page("settings").workspace
        panel.provider.setCurrentIndex(panel.provider.findData("asana"))
        panel.token.setText("pat-good")
        panel.connect_service()
        wait(panel.connected, 30000)
        for _ in range(100):  # the projects are listed on a worker: at most 20 s
            if panel.choices.count() == len(asana.projects):
                break
            settle(200)
        for project in ("Q1 Sales", "Customer Success"):
            panel.choices.tick(project)
        panel.save_choice()
        settle(1000)
        yield


def shoot_settings_tabs(window, wait, settle) -> None:  # noqa: ANN001
    """Settings → Privacy at store care, Settings → Accounts at Slack and Asana, Settings → Diagnostics run."""
    settings = window.show_page("settings")
    settings.tabs.setCurrentWidget(settings.diagnostics)
    settings.diagnostics.run_checks()
    wait(settings.diagnostics.checked, 120000)
    settle(500)
    save(window, "settings-diagnostics")
    for tab, name, target in (("Privacy", "settings-privacy", settings.store_care),
                              ("Accounts", "settings-accounts", settings.workspace)):
        index = next(i for i in range(settings.tabs.count()) if settings.tabs.tabText(i) == tab)
        settings.tabs.setCurrentIndex(index)
        settle()
        scroll = settings.tabs.widget(index)  # both tabs scroll: bring the section to the top
        scroll.verticalScrollBar().setValue(target.mapTo(scroll.widget(), target.rect().topLeft()).y() - 8)
        settle()
        save(window, name)


if __name__ == "__main__":
    sys.exit(main())
