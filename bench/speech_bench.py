"""Speech engine vs faster-whisper called directly, on the same ~5-minute generated clip in one run.

- Real-time factor (RTF = processing seconds / audio seconds) of tiny.en int8 on 2 threads through
  `engine.speech.Transcriber`, and the ratio engine/direct with identical decoding options (VAD on,
  beam 5). Runs alternate and the best of each is kept, so a noisy neighbour hurts both alike.
- WER of the engine's transcript against the script (jiwer).
- Live transcription at real-time pace through a `RecordingSession` on an encrypted store: p95 of the
  lag from a segment's last audio arriving to its text being emitted.
- Peak RSS of the process.

Usage: python bench/speech_bench.py [--minutes 5] [--live-seconds 40] [--runs 2]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jiwer  # noqa: E402
import numpy as np  # noqa: E402
from faster_whisper import WhisperModel  # noqa: E402
from faster_whisper.vad import VadOptions  # noqa: E402

from bench._report import bench_line  # noqa: E402
from engine.speech import SAMPLE_RATE, RecordingSession, Transcriber, decode_audio, default_model_path, play_into  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402

SCRIPTS = Path(__file__).resolve().parents[1] / "tests" / "speech" / "scripts"
THREADS = 2


def speech(lines: list[str], seconds: float, gap_s: float = 0.6) -> tuple[np.ndarray, str]:
    """espeak-ng sentences joined by pauses, cycled until `seconds` long (in memory)."""
    gap = np.zeros(int(gap_s * SAMPLE_RATE), np.float32)
    spoken = []
    for line in lines:
        wav = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", line],
                             check=True, capture_output=True).stdout
        spoken.append(decode_audio(wav))
    pieces, words, total, index = [], [], 0, 0
    while total < seconds * SAMPLE_RATE:
        pieces += [spoken[index % len(spoken)], gap]
        words.append(lines[index % len(lines)])
        total += spoken[index % len(spoken)].size + gap.size
        index += 1
    return np.concatenate(pieces), " ".join(words)


def normalise(text: str) -> str:
    return re.sub(r"[^a-z' ]+", " ", text.lower()).strip()


def timed(fn) -> tuple[float, str]:  # noqa: ANN001
    start = time.perf_counter()
    text = fn()
    return time.perf_counter() - start, text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--live-seconds", type=float, default=40.0)
    parser.add_argument("--runs", type=int, default=2)
    opts = parser.parse_args()

    lines = [ln.strip() for f in sorted(SCRIPTS.glob("*.txt")) for ln in f.read_text().splitlines() if ln.strip()]
    audio, reference = speech(lines, opts.minutes * 60)
    duration = audio.size / SAMPLE_RATE
    print(f"clip: {duration:.0f} s of espeak-ng speech, {len(lines)} distinct sentences")

    engine = Transcriber(threads=THREADS)
    direct = WhisperModel(str(default_model_path()), device="cpu", compute_type="int8", cpu_threads=THREADS,
                          num_workers=1, local_files_only=True)

    def run_direct() -> str:
        segments, _ = direct.transcribe(audio, beam_size=5, vad_filter=True,
                                        vad_parameters=VadOptions(min_silence_duration_ms=500, speech_pad_ms=300))
        return " ".join(s.text.strip() for s in segments)

    def run_engine() -> str:
        return engine.transcribe(audio).text

    short = audio[: 20 * SAMPLE_RATE]  # warm both (first call pays one-off allocations)
    engine.transcribe(short)
    list(direct.transcribe(short, beam_size=5)[0])
    direct_times, engine_times, engine_text = [], [], ""
    for _ in range(opts.runs):
        seconds, _ = timed(run_direct)
        direct_times.append(seconds)
        seconds, engine_text = timed(run_engine)
        engine_times.append(seconds)
    print(f"direct faster-whisper: {', '.join(f'{t:.2f}' for t in direct_times)} s")
    print(f"engine Transcriber:    {', '.join(f'{t:.2f}' for t in engine_times)} s")
    ratio = min(engine_times) / min(direct_times)
    rtf = min(engine_times) / duration
    error = jiwer.wer(normalise(reference), normalise(engine_text))

    live_audio, _ = speech(lines[-5:], opts.live_seconds, gap_s=1.0)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "reflex.db", StoreKey(passphrase="bench only"))
        session = RecordingSession(store, title="bench", transcriber=engine)
        play_into(session, live_audio, pace=1.0)
        session.stop()
        lags = session.live_lags
        store.close()
    lag_p95 = statistics.quantiles(lags, n=20, method="inclusive")[-1] if len(lags) > 1 else lags[0]
    print(f"live: {len(lags)} segments, lag median {statistics.median(lags):.2f} s, max {max(lags):.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    results = [
        bench_line("speech.engine_vs_direct_ratio", ratio, "x", "<=", 1.05),
        bench_line("speech.rtf_tiny_int8_2t", rtf, "x", "<=", 0.05),
        bench_line("speech.wer_tiny_en", error, "ratio", "<=", 0.15),
        bench_line("speech.live_lag_p95", lag_p95, "s", "<=", 2.0),
        bench_line("speech.peak_rss", peak_mb, "MB", "<=", 800),
    ]
    return 0 if all(line.endswith("PASS") for line in results) else 1


if __name__ == "__main__":
    sys.exit(main())
