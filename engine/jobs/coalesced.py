"""One background worker thread whose runs coalesce: the shape of the app's catch-up jobs (indexing, mail reading).

Why: new data arrives while a run is going (a sync finishing mid-run); it must not be lost nor start a second run
beside the first. `request()` from any thread starts a run on the job's one worker thread, or marks that one more
run is wanted when a run is going (any number of requests during a run = one more run). `cancel()` stops the
current run at its next step (the subclass checks the event it is given) and drops a pending one; `close()` also
refuses later requests and waits for the worker (app exit). `hold()` stops and waits like `close()` but keeps the
requests that arrive meanwhile for `release()` (store care closes the store under it). `finished` is set whenever
the worker goes idle.
"""

from __future__ import annotations

import threading

__all__ = ["CoalescedJob"]


class CoalescedJob:
    """Subclasses implement `_run_once(cancel)`; it runs on the worker thread and must not raise."""

    def __init__(self, thread_name: str) -> None:
        self._thread_name = thread_name
        self._lock = threading.Lock()
        self._wanted = False
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._held = False
        self.finished = threading.Event()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def request(self) -> None:
        """Run now, or right after the current run. Returns at once."""
        with self._lock:
            if self._closed:
                return
            self._wanted = True
            if self._held:
                return  # run on release()
            self.finished.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._thread_name, daemon=True)
                self._thread.start()

    def cancel(self) -> None:
        """Stop the current run at its next step and drop a pending one."""
        with self._lock:
            self._wanted = False
            self._cancel.set()

    def close(self, timeout: float = 10.0) -> None:
        """Cancel and wait for the worker (app exit); later requests are ignored."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self.cancel()
        if thread is not None:
            thread.join(timeout)

    def hold(self, timeout: float = 30.0) -> None:
        """Stop the current run at its next step, wait for the worker, and start no run until `release()`;
        requests meanwhile are kept (one run follows the release)."""
        with self._lock:
            self._held = True
            thread = self._thread
            if thread is not None:
                self._wanted = True  # the run cancelled here is caught up on release
        self._cancel.set()
        if thread is not None:
            thread.join(timeout)

    def release(self) -> None:
        """End a `hold()`: run now when a request came meanwhile or a run was cancelled by the hold."""
        with self._lock:
            self._held = False
            wanted = self._wanted
        if wanted:
            self.request()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._wanted or self._closed or self._held:
                    self._thread = None
                    self.finished.set()
                    return
                self._wanted = False
                self._cancel = cancel = threading.Event()
            self._run_once(cancel)

    def _run_once(self, cancel: threading.Event) -> None:
        raise NotImplementedError
