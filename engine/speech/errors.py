"""Speech error types.

All derive from `engine.errors.SpeechError`, so the CLI/UI edge can show `err.human()` without
knowing which step failed. Each carries a `next_step` the user can act on.
"""

from __future__ import annotations

from engine.errors import SpeechError


class AudioDecodeError(SpeechError):
    """The file is not audio we can decode (corrupt, truncated, or random bytes)."""


class UnsupportedAudioFormat(AudioDecodeError):
    """The file's extension is not one of the formats we import."""


class EmptyAudio(AudioDecodeError):
    """The file holds no audio samples at all (0 bytes, or a container without sound)."""


class AudioTooShort(AudioDecodeError):
    """The audio is shorter than the shortest clip worth transcribing."""


class NoSpeechFound(SpeechError):
    """The audio decoded fine but contains no speech (silence or noise only)."""


class ModelInvalid(SpeechError):
    """A Whisper model folder is missing files or cannot be loaded by CTranslate2."""


class TranscriptionCancelled(SpeechError):
    """The caller set the cancel event; nothing was saved."""


class RecordingError(SpeechError):
    """The recording session was used out of order (e.g. push after stop) or its storage failed."""
