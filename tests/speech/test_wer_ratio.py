"""The pipeline must not lose what the model hears (#19): a two-minute version of bench/speech_wer_bench.py.

Two generated meetings (bench/meeting_speech.py: espeak-ng voices, pitches and paces the other tests do not use)
are transcribed by the bundled tiny.en called directly through faster-whisper and by the product's file and live
paths; the product's pooled WER over the model's must stay within the bounds below. No words are asserted: only
ratios of error counts on the same audio in the same run, so a CPU that hears differently hears so on both sides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faster_whisper import WhisperModel

from bench.meeting_speech import (MeetingFile, build_corpus, corpus_wer, transcribe_direct, transcribe_file,
                                  transcribe_live)
from engine.speech import Transcriber, default_model_path
from engine.store import Store

pytestmark = [pytest.mark.model, pytest.mark.slow]

FILE_RATIO = 1.10
"""With 40-s blocks, so that two-minute files cross block boundaries as a long file crosses 10-minute ones:
measured 1.00 here; blocks decoded without lookahead and context, as before #19, measured 1.56. (Two minutes
hold ~400 words, so the bound leaves a few words of noise; the benchmark holds 37 minutes to 1.02.)"""
LIVE_RATIO = 1.85
"""Live decoding hears each phrase on its own, without the speech that follows it: measured 1.60 here with beam 5
and the emitted text as prompt; greedy decoding, as before #19, measured 2.13."""


@pytest.fixture(scope="module")
def meetings(tmp_path_factory: pytest.TempPathFactory) -> list[MeetingFile]:
    return build_corpus(tmp_path_factory.mktemp("wer_meetings"), [60.0, 60.0], seed=4100)


@pytest.fixture(scope="module")
def direct_wer(meetings: list[MeetingFile]) -> float:
    """The model's own WER: faster-whisper with its VAD filter at the product's settings. (The benchmark also
    compares with no VAD at all; on two minutes which of the two Whisper does better on is a coin toss.)"""
    model = WhisperModel(str(default_model_path()), device="cpu", compute_type="int8", num_workers=1,
                         local_files_only=True)
    references = [m.reference for m in meetings]
    return corpus_wer(references, [transcribe_direct(model, m.path, vad=True) for m in meetings])


def test_file_transcription_loses_nothing_at_block_boundaries(meetings: list[MeetingFile], direct_wer: float) -> None:
    transcriber = Transcriber(block_s=40.0)  # a 10-minute block's boundary, three times per file
    product = corpus_wer([m.reference for m in meetings], [transcribe_file(transcriber, m.path) for m in meetings])
    assert product / direct_wer <= FILE_RATIO, (product, direct_wer)


def test_live_transcription_stays_close_to_the_model(meetings: list[MeetingFile], direct_wer: float,
                                                     transcriber: Transcriber, store: Store) -> None:
    product = corpus_wer([m.reference for m in meetings],
                         [transcribe_live(transcriber, store, m.path) for m in meetings])
    assert product / direct_wer <= LIVE_RATIO, (product, direct_wer)


def test_corpus_is_cached_and_deterministic(meetings: list[MeetingFile], tmp_path: Path) -> None:
    again = build_corpus(meetings[0].path.parent, [60.0, 60.0], seed=4100)
    assert [(m.path, m.reference) for m in again] == [(m.path, m.reference) for m in meetings]
    fresh = build_corpus(tmp_path, [60.0], seed=4100)
    assert fresh[0].reference == meetings[0].reference
    assert fresh[0].path.read_bytes() == meetings[0].path.read_bytes()
