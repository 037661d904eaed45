"""Render each main-window page and the quick-ask popup against the demo workspace and save PNGs to
build/screenshots/ (run by `make screenshots`). Starts its own Xvfb display, uses a throwaway data dir with an
in-memory keyring, indexes the demo and asks one real question so Chat and the popup show a cited answer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "screenshots"
QUESTION = "What did Harborview ask for?"
POPUP_QUESTION = "When is the Pinecrest uptime review?"
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
    gui.services.save_settings(theme="light", timezone=demo_timezone())
    gui.start()
    window = gui.window
    window.resize(1280, 800)
    settle(800)
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
        window.grab().save(str(OUT / f"{name}.png"))
        print(f"saved {name}.png")
    chat = window.show_page("chat")
    chat.input.setText(QUESTION)
    chat.send()
    wait(chat.session.answer_finished)
    settle()
    window.grab().save(str(OUT / "chat.png"))
    print("saved chat.png")
    # The tray popup, shown over the main window as a user would see it.
    gui.quick_ask()
    popup = gui.popup
    popup.input.setText(POPUP_QUESTION)
    popup.ask()
    wait(popup.session.answer_finished)
    settle()
    popup.grab().save(str(OUT / "quick-ask.png"))
    print("saved quick-ask.png")
    # Dark appearance of the Today page.
    from ui.theme import apply_theme

    apply_theme(app, "dark")
    popup.hide()
    today = window.show_page("today")
    today.refresh()
    wait(today.loaded, 20000)
    settle()
    window.grab().save(str(OUT / "today-dark.png"))
    print("saved today-dark.png")
    gui.close()
    instance.release()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
