"""Speech engine: transcription (faster-whisper), VAD, file import, recording with live transcription,
encrypted audio storage, speaker turns and meeting-to-event linking. Never imports Qt.

Typical wiring (app layer):

    transcriber = Transcriber()                      # bundled tiny.en, int8, cores-1 threads
    recover_interrupted(store)                       # once at start-up: close crashed recordings
    session = RecordingSession(store, transcriber=transcriber, on_segments=ui_callback,
                               consent_notice=settings.recording_consent_notice)
    qt_audio_adapter.sink = session                  # pushes 16 kHz mono int16 frames
    # a device that only does 48 kHz stereo: ResamplingSink(session, rate=48000, channels=2)
    # mic + system audio: mixer = AudioMixer(session); mic.sink = mixer.input(); monitor.sink = mixer.input()
    ... session.pause(); session.resume(); session.mark("action item")
    meeting = session.stop()                         # or session.discard()
"""

from engine.speech.audio import SAMPLE_RATE, SUPPORTED_EXTENSIONS, decode_audio, float32_to_pcm16, pcm16_to_float32
from engine.speech.capture import AudioMixer, AudioSink, ResamplingSink, frames_to_pcm16, play_into
from engine.speech.errors import (
    AudioDecodeError,
    AudioTooShort,
    EmptyAudio,
    ModelInvalid,
    NoSpeechFound,
    RecordingError,
    TranscriptionCancelled,
    UnsupportedAudioFormat,
)
from engine.speech.linking import apply_event, link_event
from engine.speech.live import LiveTranscriber
from engine.speech.meetings import import_file, recover_interrupted, transcribe_meeting
from engine.speech.model_files import (
    BASE_MODEL_SHA256,
    assemble_base_model,
    base_model_available,
    default_model_path,
    default_threads,
    validate_model_dir,
)
from engine.speech.recording import MARKER_KINDS, Marker, RecordingSession
from engine.speech.storage import AuditLog, MeetingAudioRepository, SpeechStore, load_audio
from engine.speech.transcriber import Transcriber, Transcript, Word
from engine.speech.turns import (Turn, merge_turns, rename_speaker, segment_turns, set_turn_speaker, speaker_choices,
                                 split_turn)

__all__ = [
    "BASE_MODEL_SHA256", "MARKER_KINDS", "SAMPLE_RATE", "SUPPORTED_EXTENSIONS",
    "AudioDecodeError", "AuditLog", "AudioMixer", "AudioSink", "AudioTooShort", "EmptyAudio", "LiveTranscriber", "Marker",
    "MeetingAudioRepository", "ModelInvalid", "NoSpeechFound", "RecordingError", "RecordingSession", "ResamplingSink",
    "SpeechStore", "Transcriber", "Transcript", "TranscriptionCancelled", "Turn", "UnsupportedAudioFormat",
    "Word", "apply_event", "assemble_base_model", "base_model_available", "decode_audio", "default_model_path",
    "default_threads", "float32_to_pcm16", "frames_to_pcm16", "import_file", "link_event", "load_audio",
    "pcm16_to_float32", "play_into", "recover_interrupted", "rename_speaker", "segment_turns",
    "set_turn_speaker", "speaker_choices", "split_turn", "merge_turns", "transcribe_meeting", "validate_model_dir",
]
