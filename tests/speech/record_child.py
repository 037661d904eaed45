"""A recorder process for the kill -9 test: stdin stands in for the microphone.

Usage: python record_child.py DB_PATH  (the raw store key, hex, in REFLEX_TEST_STORE_KEY)
Reads int16 16 kHz mono PCM from stdin in 0.1 s blocks (so the parent's pace is the capture pace),
pushes it into a live-transcribing RecordingSession, and reports on stdout: "meeting <id>" once, then
"segments <n>" after each committed batch. It never stops by itself: the test kills it with SIGKILL.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from engine.speech import RecordingSession, Transcriber
from engine.store import Store, StoreKey

BLOCK_BYTES = 3200  # 0.1 s of int16 at 16 kHz


def main() -> None:
    store = Store.open(Path(sys.argv[1]), StoreKey(raw=bytes.fromhex(os.environ["REFLEX_TEST_STORE_KEY"])))
    committed = 0

    def report(segments: list) -> None:
        nonlocal committed
        committed += len(segments)
        print(f"segments {committed}", flush=True)

    session = RecordingSession(store, title="Crash test", transcriber=Transcriber(), on_segments=report)
    print(f"meeting {session.meeting_id}", flush=True)
    while block := sys.stdin.buffer.read(BLOCK_BYTES):
        session.push(block)


if __name__ == "__main__":
    main()
