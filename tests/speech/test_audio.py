"""Decoding files to 16 kHz mono float32 in memory, and the clear errors for bad input."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import SpeechError
from engine.speech import (
    SAMPLE_RATE,
    AudioDecodeError,
    AudioMixer,
    AudioSink,
    ResamplingSink,
    AudioTooShort,
    EmptyAudio,
    TranscriptionCancelled,
    UnsupportedAudioFormat,
    decode_audio,
    float32_to_pcm16,
    frames_to_pcm16,
    pcm16_to_float32,
)

# extension -> (codec, encoder sample rate)
FORMATS = {
    ".wav": ("pcm_s16le", 22050),
    ".mp3": ("libmp3lame", 44100),
    ".m4a": ("aac", 44100),
    ".ogg": ("libopus", 48000),
    ".webm": ("libopus", 48000),
    ".mp4": ("aac", 48000),
}


def tone(seconds: float, rate: int = SAMPLE_RATE, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode(path: Path, audio: np.ndarray, codec: str, rate: int) -> Path:
    """Write `audio` (mono float32 at `rate`) with PyAV, as a user's recorder app would."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=rate,
                                      frame_size=stream.codec_context.frame_size or None)
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
    return path


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_every_import_format_decodes_to_16k_mono(tmp_path: Path, ext: str) -> None:
    codec, rate = FORMATS[ext]
    path = encode(tmp_path / f"clip{ext}", tone(2.0, rate), codec, rate)
    audio = decode_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert audio.size / SAMPLE_RATE == pytest.approx(2.0, abs=0.1)  # encoder padding is a few ms
    # The 440 Hz tone survives: its FFT peak is where it should be after resampling.
    spectrum = np.abs(np.fft.rfft(audio[: SAMPLE_RATE]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)


def test_container_is_detected_from_content_not_extension(tmp_path: Path) -> None:
    wav = encode(tmp_path / "clip.wav", tone(1.0), "pcm_s16le", SAMPLE_RATE)
    renamed = wav.rename(tmp_path / "clip.mp3")
    assert decode_audio(renamed).size == SAMPLE_RATE


def test_bytes_and_file_objects_decode(tmp_path: Path) -> None:
    wav = encode(tmp_path / "clip.wav", tone(1.0), "pcm_s16le", SAMPLE_RATE)
    assert decode_audio(wav.read_bytes()).size == SAMPLE_RATE
    with open(wav, "rb") as fh:
        assert decode_audio(fh).size == SAMPLE_RATE


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(EmptyAudio, match="empty") as err:
        decode_audio(tmp_path / "empty.wav")
    assert err.value.next_step


def test_point_two_seconds_is_too_short(tmp_path: Path) -> None:
    path = encode(tmp_path / "short.wav", tone(0.2), "pcm_s16le", SAMPLE_RATE)
    with pytest.raises(AudioTooShort, match="0.2 s"):
        decode_audio(path)


def test_random_bytes_are_reported_as_not_audio(tmp_path: Path) -> None:
    (tmp_path / "noise.wav").write_bytes(os.urandom(20_000))
    with pytest.raises(AudioDecodeError, match="not a readable audio"):
        decode_audio(tmp_path / "noise.wav")


def test_wrong_extension_is_refused_before_reading(tmp_path: Path) -> None:
    path = encode(tmp_path / "clip.wav", tone(1.0), "pcm_s16le", SAMPLE_RATE).rename(tmp_path / "notes.txt")
    with pytest.raises(UnsupportedAudioFormat, match=r"'\.txt'") as err:
        decode_audio(path)
    assert ".mp3" in err.value.next_step


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError, match="cannot read"):
        decode_audio(tmp_path / "gone.wav")


def test_valid_wav_without_samples_is_empty(tmp_path: Path) -> None:
    with wave.open(str(tmp_path / "none.wav"), "wb") as out:  # a well-formed header, zero frames
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
    with pytest.raises(EmptyAudio, match="no audio samples"):
        decode_audio(tmp_path / "none.wav")


def test_truncated_header_is_reported_as_damaged(tmp_path: Path) -> None:
    path = encode(tmp_path / "clip.wav", tone(1.0), "pcm_s16le", SAMPLE_RATE)
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(AudioDecodeError, match="damaged"):
        decode_audio(path)


def test_every_decode_error_is_a_speech_error() -> None:
    for kind in (AudioDecodeError, AudioTooShort, EmptyAudio, UnsupportedAudioFormat, TranscriptionCancelled):
        assert issubclass(kind, SpeechError)


def test_decode_reports_progress_and_cancels(tmp_path: Path) -> None:
    path = encode(tmp_path / "long.mp3", tone(120.0, 44100), "libmp3lame", 44100)
    seen: list[float] = []
    assert decode_audio(path, on_progress=seen.append).size == pytest.approx(120 * SAMPLE_RATE, rel=0.01)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 3
    cancel = threading.Event()
    with pytest.raises(TranscriptionCancelled):
        decode_audio(path, on_progress=lambda f: cancel.set() if f > 0.1 else None, cancel=cancel)


@given(st.lists(st.integers(-32768, 32767), max_size=400))
def test_pcm16_round_trips_through_float32(samples: list[int]) -> None:
    pcm = np.array(samples, dtype=np.int16)
    assert float32_to_pcm16(pcm16_to_float32(pcm.tobytes())) == pcm.astype("<i2").tobytes()
    assert np.array_equal(frames_to_pcm16(pcm.tobytes()), pcm)
    assert np.array_equal(frames_to_pcm16(pcm16_to_float32(pcm)), pcm)


@given(st.binary(max_size=64))
def test_frames_to_pcm16_accepts_even_bytes_only(data: bytes) -> None:
    if len(data) % 2:
        with pytest.raises(ValueError):
            frames_to_pcm16(data)
    else:
        assert frames_to_pcm16(data).size == len(data) // 2


def test_frames_to_pcm16_rejects_other_sample_types() -> None:
    with pytest.raises(ValueError, match="int16 or float32"):
        frames_to_pcm16(np.zeros(4, dtype=np.int32))


class Collector:
    def __init__(self) -> None:
        self.frames: list[np.ndarray] = []

    def push(self, frames: np.ndarray) -> None:
        self.frames.append(frames)

    @property
    def audio(self) -> np.ndarray:
        return np.concatenate(self.frames) if self.frames else np.zeros(0, np.int16)


def test_mixer_sums_mic_and_system_audio_in_timeline_order() -> None:
    out = Collector()
    mixer = AudioMixer(out)
    mic, system = mixer.input(), mixer.input()
    assert isinstance(mic, AudioSink)
    a = frames_to_pcm16(tone(1.0, freq=300))
    b = frames_to_pcm16(tone(1.0, freq=1000))
    for start in range(0, a.size, 1600):  # devices deliver at different block sizes and times
        mic.push(a[start: start + 1600].tobytes())
        system.push(b[start: start + 1600].astype(np.float32) / 32768)
    expected = np.clip(a.astype(np.int32) + b, -32768, 32767).astype(np.int16)
    assert np.array_equal(out.audio, expected[: out.audio.size]) and out.audio.size >= a.size - 1


def test_mixer_keeps_recording_when_one_device_stalls() -> None:
    out = Collector()
    mixer = AudioMixer(out, max_skew_s=0.5)
    mic, _system = mixer.input(), mixer.input()  # the monitor never delivers
    mic.push(frames_to_pcm16(tone(2.0)))
    assert out.audio.size == int(1.5 * SAMPLE_RATE)  # all but the allowed skew, mixed with silence
    assert np.array_equal(out.audio, frames_to_pcm16(tone(2.0))[: out.audio.size])


@pytest.mark.parametrize("channels", [1, 2])
def test_resampling_sink_turns_48k_device_audio_into_16k_mono(channels: int) -> None:
    out = Collector()
    sink = ResamplingSink(out, rate=48000, channels=channels)
    assert isinstance(sink, AudioSink)
    device = frames_to_pcm16(tone(2.0, rate=48000, freq=440))
    interleaved = np.repeat(device, channels)  # L R L R ... for stereo
    for start in range(0, interleaved.size, 4800 * channels):  # 0.1 s device buffers
        sink.push(interleaved[start: start + 4800 * channels].tobytes())
    audio = out.audio
    assert audio.dtype == np.int16 and audio.size == pytest.approx(2 * SAMPLE_RATE, abs=200)
    spectrum = np.abs(np.fft.rfft(audio[SAMPLE_RATE // 2: SAMPLE_RATE // 2 + SAMPLE_RATE]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)
    assert np.abs(audio[SAMPLE_RATE // 2:]).max() == pytest.approx(0.3 * 32768, rel=0.1)  # no gain change
