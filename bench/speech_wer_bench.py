"""Does the speech pipeline lose what the model hears? (#19) WER of the product over WER of the model alone.

Over >= 30 minutes of generated meetings (bench/meeting_speech.py: espeak-ng, many voices, pitches and paces,
none of the tests' voices), in one run, with the bundled tiny.en (int8, 2 threads):
1. direct: faster-whisper on each file, beam 5, the product's decoding settings, nothing else; and
   direct_vad: the same plus faster-whisper's own VAD filter with the product's VAD settings;
2. file:   the product's file path (`reflex-assistant transcribe FILE`: decode, `Transcriber.transcribe`);
3. live:   the product's recorder (`RecordingSession` + live transcription) fed the same audio in 100-ms blocks
           with the live path's own chunking and VAD, without sleeping (simulated real time: the live worker's
           decisions depend on the audio and the block order only, so the text is what real time gives).
Ratios: pooled WER of (2) and (3) over the better of the two direct runs (on espeak meetings the VAD filter
helps the model: without it Whisper skips whole sentences after long pauses). Targets: file <= 1.02,
live <= 1.10.

The audio is generated once into bench/out/speech_wer/ and reused. About 15-25 minutes on 2 busy cores.
Usage: python bench/speech_wer_bench.py [--minutes 30] [--only direct,file,live]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faster_whisper import WhisperModel  # noqa: E402

from bench._report import bench_line  # noqa: E402
from bench.meeting_speech import (build_corpus, corpus_wer, transcribe_direct, transcribe_file,  # noqa: E402
                                  transcribe_live)
from engine.speech import Transcriber, default_model_path  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402

THREADS = 2
CACHE = ROOT / "bench" / "out" / "speech_wer"
# One file longer than the file path's 10-minute block, the rest 2-5 minutes: 36.5 minutes in all.
DURATIONS_S = (660, 300, 240, 240, 180, 180, 150, 120, 120)
TARGETS = {"file": 1.02, "live": 1.10}


def durations_for(minutes: float) -> list[float]:
    """The standard set (36.5 minutes) when `minutes` >= 30, else files of about 2 minutes adding up to `minutes`."""
    if minutes >= 30:
        return list(DURATIONS_S)
    count = max(1, round(minutes / 2))
    return [minutes * 60 / count] * count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="audio to generate (>= 30: the standard set)")
    parser.add_argument("--only", default="direct,direct_vad,file,live", help="paths to run, comma-separated")
    opts = parser.parse_args()
    paths = opts.only.split(",")

    began = time.perf_counter()
    durations = durations_for(opts.minutes)
    folder = CACHE if durations == list(DURATIONS_S) else CACHE.with_name(f"speech_wer_{opts.minutes:g}min")
    files = build_corpus(folder, durations)
    total_s = sum(f.duration_s for f in files)
    print(f"corpus: {len(files)} meetings, {total_s / 60:.1f} min, {sum(len(f.reference.split()) for f in files)} "
          f"words, in {folder} ({time.perf_counter() - began:.0f} s)", flush=True)

    transcriber = Transcriber(threads=THREADS)
    direct = WhisperModel(str(default_model_path()), device="cpu", compute_type="int8", cpu_threads=THREADS,
                          num_workers=1, local_files_only=True)
    hypotheses: dict[str, list[str]] = {name: [] for name in paths}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "reflex.db", StoreKey(passphrase="bench only"))
        runners = {"direct": lambda f: transcribe_direct(direct, f.path, vad=False),
                   "direct_vad": lambda f: transcribe_direct(direct, f.path, vad=True),
                   "file": lambda f: transcribe_file(transcriber, f.path),
                   "live": lambda f: transcribe_live(transcriber, store, f.path)}
        for f in files:
            row = []
            for name in paths:
                start = time.perf_counter()
                hypotheses[name].append(runners[name](f))
                row.append(f"{name} {corpus_wer([f.reference], [hypotheses[name][-1]]):.3f} "
                           f"({time.perf_counter() - start:.0f} s)")
            print(f"{f.path.name} {f.duration_s:5.0f} s, {f.speakers} speakers: " + ", ".join(row), flush=True)
        store.close()

    references = [f.reference for f in files]
    wers = {name: corpus_wer(references, texts) for name, texts in hypotheses.items()}
    print("pooled WER: " + ", ".join(f"{name} {value:.4f}" for name, value in wers.items()))
    print(f"total {time.perf_counter() - began:.0f} s")
    if "direct" not in wers and "direct_vad" not in wers:
        return 0
    baseline = min((wers[name], name) for name in ("direct", "direct_vad") if name in wers)
    print(f"baseline: {baseline[1]} ({baseline[0]:.4f})")
    results = [bench_line(f"speech.{name}_vs_direct_wer_ratio", wers[name] / baseline[0], "x", "<=", target)
               for name, target in TARGETS.items() if name in wers]
    return 0 if all(line.endswith("PASS") for line in results) else 1


if __name__ == "__main__":
    sys.exit(main())
