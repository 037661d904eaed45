"""Synthetic speech for the speech tests: espeak-ng reads scripts (tests/speech/scripts/) to stdout
and PyAV decodes the WAV from memory, so not even the test inputs leave a plaintext WAV behind
(the canary test relies on that). Plus WER scoring with jiwer."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np
import pytest

from engine.speech import SAMPLE_RATE, decode_audio

SCRIPTS = Path(__file__).parent / "scripts"


@dataclass(frozen=True)
class Clip:
    """Generated speech: float32 16 kHz mono `audio`, the `text` spoken, and per-sentence spans."""

    audio: np.ndarray
    text: str
    sentences: tuple[tuple[float, float, str], ...]

    @property
    def duration(self) -> float:
        return self.audio.size / SAMPLE_RATE


def speak(text: str) -> np.ndarray:
    """espeak-ng (en-us, 150 wpm) -> 16 kHz mono float32, all in memory."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: run `make test` (or apt-get install -y espeak-ng sox)")
    wav = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", text],
                         check=True, capture_output=True).stdout
    return decode_audio(wav)


def sentences_clip(text: str, gap_s: float) -> Clip:
    """One sentence per line, spoken separately and joined with `gap_s` of silence."""
    silence = np.zeros(int(gap_s * SAMPLE_RATE), dtype=np.float32)
    pieces, spans, at = [], [], 0.0
    for line in filter(None, (ln.strip() for ln in text.splitlines())):
        audio = speak(line)
        pieces += [audio, silence]
        spans.append((at, at + audio.size / SAMPLE_RATE, line))
        at += (audio.size + silence.size) / SAMPLE_RATE
    return Clip(np.concatenate(pieces), " ".join(s[2] for s in spans), tuple(spans))


def wer(reference: str, hypothesis: str) -> float:
    def norm(text: str) -> str:
        return re.sub(r"[^a-z' ]+", " ", text.lower()).strip()

    return jiwer.wer(norm(reference), norm(hypothesis))
