"""One running desktop app per data dir: a second launch asks the first to show its window and exits.

How: a `QLockFile` in the data dir decides who is first (it is PID-aware, so a crashed instance's stale
lock is taken over), and the first instance listens on a `QLocalServer` whose name is derived from the
data dir. A later launch that cannot take the lock connects and sends one line (`raise`, `quick-ask` from
`gui --quick-ask`, which a desktop keyboard shortcut can run, or `open reflex://KIND/ID` from `gui --url`, which
the desktop's link handler runs); the first emits `message_received`. Anything else is dropped: the socket is
per-user, but a link is outside input, so it must match `LINK` exactly. Needs a QCoreApplication; GUI thread only.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "gui.lock"
MESSAGES = ("raise", "quick-ask")
#: The links the app opens: a kind it knows, a numeric id, at most a time (`t`, seconds) or a page.
LINK = re.compile(r"reflex://(?:email|event|meeting|doc|note|segment)/[1-9][0-9]{0,17}"
                  r"(?:\?(?:t=[0-9]{1,7}(?:\.[0-9]{1,6})?|page=[1-9][0-9]{0,5}))?")
_OPEN = "open "
_MAX_LINE = 200
_TIMEOUT_MS = 1000


def is_link(text: str) -> bool:
    """True when `text` is exactly one link the app can open (see `LINK`)."""
    return LINK.fullmatch(text) is not None


def parse_request(line: str) -> str | None:
    """The request a line asks for ("raise", "quick-ask" or "open <link>"), or None for anything else."""
    line = line.strip()
    if len(line) > _MAX_LINE:
        return None
    if line in MESSAGES:
        return line
    if line.startswith(_OPEN) and is_link(line.removeprefix(_OPEN)):
        return line
    return None


def server_name(home: Path) -> str:
    """A per-user, per-data-dir socket name (short: some platforms limit socket path length)."""
    digest = hashlib.sha256(str(Path(home).resolve()).encode()).hexdigest()[:16]
    return f"reflex-{digest}"


class SingleInstance(QObject):
    """Call `acquire()`: True means this process is the one instance; False means another one was told
    to raise its window (this process should exit 0)."""

    message_received = Signal(str)
    """A second launch sent a request: "raise" (show the main window), "quick-ask" (open the popup) or
    "open reflex://KIND/ID" (show that item)."""

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = Path(home)
        self._name = server_name(self._home)
        self._lock = QLockFile(str(self._home / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # only a dead PID makes a lock stale, never its age
        self._server: QLocalServer | None = None

    def acquire(self, message: str = "raise") -> bool:
        """Become the instance, or pass `message` to the running one and return False."""
        self._home.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                self._notify_running(message)
                return False
            log.warning("gui lock unavailable (%s); continuing without single-instance guard", self._lock.error())
            return True
        QLocalServer.removeServer(self._name)  # a crashed instance may have left its socket behind
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        if not self._server.listen(self._name):
            log.warning("single-instance server could not listen: %s", self._server.errorString())
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _notify_running(self, message: str) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if socket.waitForConnected(_TIMEOUT_MS):
            socket.write(message.encode("ascii") + b"\n")
            socket.waitForBytesWritten(_TIMEOUT_MS)
            socket.disconnectFromServer()
        else:
            log.warning("another Reflex holds the lock but did not answer")

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)

    @Slot()
    def _on_ready_read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        for line in bytes(socket.readAll()).decode("ascii", errors="replace").splitlines():
            request = parse_request(line)
            if request is not None:
                self.message_received.emit(request)
            else:
                log.info("single-instance request ignored (%d characters)", len(line))
