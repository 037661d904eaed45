"""Synthetic meetings for speech WER measurements (#19): espeak-ng talk in many voices, pitches and paces,
with the reference text of each file, and the three ways of transcribing it that the WER benchmark compares.

Why synthetic: nothing can be downloaded here, and a WER *ratio* (the product's pipeline over the same model
called directly, on the same audio in the same run) needs no human recordings to show where the pipeline
loses words. The meetings are built to stress what a pipeline can get wrong: turns of one to ten sentences,
pauses from 0.1 s (a speaker running sentences together) to several seconds, monologues longer than Whisper's
30-s window and the live path's window, short interjections ("Sounds good."), speakers at different levels,
and a low room noise floor in some files. The voices, variants, pitches and speeds are never the ones the
tests use (plain `en-us` at 140-150 wpm and plain `en`): every speaker here has an espeak-ng variant.

Generation is deterministic (seeded) and cached: WAV files (16 kHz mono int16) plus a manifest with the
reference texts, rebuilt only when the parameters or `CORPUS_VERSION` change.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np
from faster_whisper import WhisperModel

from engine.speech import SAMPLE_RATE, RecordingSession, Transcriber, decode_audio, play_into
from engine.speech.transcriber import VAD_OPTIONS
from engine.store import Store

CORPUS_VERSION = 1

_VOICES = ("en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc", "en-us", "en")
_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt4",
             "Alex", "Andy", "annie", "ed", "edward", "john", "linda", "max", "michael", "mike", "paul", "rob",
             "robert", "steph", "zac")

_SLOTS: dict[str, tuple[str, ...]] = {
    "name": ("Anna", "David", "Maria", "Peter", "James", "Laura", "Daniel", "Emma", "Mark", "Susan", "Paul",
             "Karen", "Robert", "Helen", "Michael", "Julia", "Thomas", "Sophie"),
    "project": ("Phoenix", "Atlas", "Horizon", "mobile app", "website redesign", "data platform", "billing system",
                "partner portal"),
    "thing": ("budget proposal", "hiring plan", "product roadmap", "quarterly forecast", "design review",
              "pricing model", "vendor contract", "security audit", "marketing plan", "release schedule",
              "customer report", "training program", "travel policy", "support handbook"),
    "team": ("design", "sales", "marketing", "finance", "support", "engineering", "operations", "legal", "product",
             "research"),
    "feature": ("offline mode", "search feature", "reporting tools", "calendar integration", "mobile notifications",
                "export option", "admin console", "single sign on"),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "month": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"),
    "region": ("Europe", "Asia", "Canada", "Brazil", "Germany", "Japan", "Australia", "Mexico", "India", "France"),
    "count": ("two", "three", "four", "five", "six"),
    "metric": ("customer churn", "response times", "weekly sales", "open tickets", "conversion rates",
               "server costs"),
    "meeting": ("planning meeting", "weekly sync", "team meeting", "board review", "leadership offsite"),
    "period": ("this quarter", "next month", "the last sprint", "the first half of the year", "this week"),
}

_SENTENCES = (
    "Let's move on to the {project} update.",
    "{name}, could you walk us through the {thing} for {period}?",
    "I think we should push the {project} launch back by {count} weeks.",
    "The {team} team finished the {thing} ahead of schedule.",
    "We are still waiting for legal to approve the {thing}.",
    "My main concern is that the {thing} will not be ready before {day}.",
    "Customers keep asking about the {feature}, so it should be our top priority.",
    "I spoke with {name} yesterday and she agreed to take over the {thing}.",
    "If we hire {count} more engineers, we can ship the {feature} {period}.",
    "Does anyone have questions about the {thing} before we continue?",
    "Let me share my screen so you can all see the latest numbers.",
    "Our support queue doubled after the last release of the {project}.",
    "The {team} budget is already stretched, so we need to find savings elsewhere.",
    "I will send a summary of the decisions after this call.",
    "Action item for {name}: follow up with the vendor about the {thing}.",
    "We agreed to revisit the {thing} at the next {meeting}.",
    "Sales closed {count} large deals this month, mostly in {region}.",
    "The pilot with our biggest customer in {region} went better than expected.",
    "Honestly, I am not convinced the {feature} is worth the extra cost.",
    "Could we schedule a separate meeting to go through the details of the {thing}?",
    "The new dashboard makes it much easier to track {metric}.",
    "We lost two good people on the {team} team last month.",
    "Let's make sure the {thing} is reviewed by {name} before {day}.",
    "I would like to hear from {name} on this, because they own the {thing}.",
    "Revenue from {region} grew faster than we planned {period}.",
    "The main risk is the migration of the old customer database.",
    "We should ask the {team} team for a realistic estimate.",
    "Sorry, I was on mute. Could you repeat the last point about {metric}?",
    "Good question. I don't have that number with me, but I can find it by {day}.",
    "The contract with our largest supplier in {region} is due for renewal in {month}.",
    "Security found a problem with the login page, and the {team} team is fixing it now.",
    "Most of the feedback from the beta users of the {feature} was positive.",
    "We need a decision on the {thing} by the end of the week.",
    "I'll take that as an action item and report back on {day}.",
    "The training sessions for the new hires start next {day}.",
    "Marketing wants a bigger share of the budget for the campaign in {region}.",
    "Let's not forget that the {meeting} is in {count} weeks.",
    "Our cloud costs went up again, mostly because of storage.",
    "The customer survey shows that people really like the new onboarding flow.",
    "Can we agree that {name} leads the {project} project from now on?",
    "I'm worried that we are committing to too many things at once.",
    "The office move is planned for the end of {month}.",
    "We should celebrate the work the {team} team did on the {project} release.",
    "According to the latest report, {metric} improved for the third month in a row.",
    "The deadline for the {thing} is tight, but I think we can make it.",
    "{name} and {name} will pair on the {feature} starting {day}.",
    "Before we decide, I want to understand what the {team} team needs from us.",
    "We could run a small experiment in {region} first and see how it goes.",
    "That sounds reasonable, but let's write down the assumptions behind the {thing}.",
    "Nobody has looked at the {thing} since {month}, which worries me.",
    "The partners in {region} asked for a discount if they sign for {count} years.",
    "I'd rather spend the money on the {feature} than on another consultant.",
    "Please add your comments to the shared document by {day} afternoon.",
    "We moved the {meeting} to {day} because half the team is travelling.",
    "The numbers for {period} look healthy, apart from {metric}.",
)

_INTERJECTIONS = (
    "Yes, that works for me.", "Okay.", "Agreed.", "Sure, I can do that.", "Sounds good.",
    "No objections from me.", "Right.", "Thanks, {name}.", "Makes sense.", "I'm not sure about that.",
    "Good point.", "Let's do it.", "Exactly.", "Yes, please.",
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """One espeak-ng voice: `voice+variant` at `speed` words per minute and `pitch` (0-99), scaled by `gain`."""

    voice: str
    variant: str
    speed: int
    pitch: int
    gain: float

    def speak(self, text: str) -> np.ndarray:
        """The sentence as 16 kHz mono float32 (decoded in memory, like the tests' clips)."""
        wav = subprocess.run(["espeak-ng", "-v", f"{self.voice}+{self.variant}", "-s", str(self.speed),
                              "-p", str(self.pitch), "--stdout", text], check=True, capture_output=True).stdout
        return decode_audio(wav) * self.gain


@dataclass(frozen=True, slots=True)
class MeetingFile:
    """A generated meeting on disk: `path` (16 kHz mono int16 WAV), the words spoken, and its length."""

    path: Path
    reference: str
    duration_s: float
    speakers: int


def _fill(template: str, rng: random.Random) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(_SLOTS[m.group(1)]), template)


def _speakers(rng: random.Random, count: int) -> list[Speaker]:
    return [Speaker(voice=rng.choice(_VOICES), variant=rng.choice(_VARIANTS), speed=rng.randint(130, 190),
                    pitch=rng.randint(20, 80), gain=rng.uniform(0.35, 1.0)) for _ in range(count)]


def _turn_sentences(rng: random.Random) -> list[str]:
    """One speaker's turn: an interjection, a few sentences, or (one turn in eight) a monologue."""
    roll = rng.random()
    if roll < 0.2:
        return [_fill(rng.choice(_INTERJECTIONS), rng)]
    count = rng.randint(6, 10) if roll > 0.875 else rng.randint(1, 4)
    return [_fill(rng.choice(_SENTENCES), rng) for _ in range(count)]


def synthesise_meeting(seed: int, seconds: float) -> tuple[np.ndarray, str, int]:
    """A meeting of at least `seconds`: (float32 16 kHz audio, reference text, speaker count). Deterministic."""
    rng = random.Random(seed)
    speakers = _speakers(rng, rng.randint(2, 5))
    noise_floor = rng.choice((0.0, 0.0, 0.002, 0.004))  # a quiet room in half the meetings
    pieces: list[np.ndarray] = [np.zeros(int(rng.uniform(0.2, 1.5) * SAMPLE_RATE), np.float32)]
    said: list[str] = []
    total = pieces[0].size
    previous = -1
    while total < seconds * SAMPLE_RATE:
        who = rng.choice([i for i in range(len(speakers)) if i != previous] or [0])
        previous = who
        sentences = _turn_sentences(rng)
        monologue = len(sentences) > 4
        for index, sentence in enumerate(sentences):
            pieces.append(speakers[who].speak(sentence))
            said.append(sentence)
            last = index == len(sentences) - 1
            if last:  # between turns: usually a beat, sometimes a long think
                gap = rng.uniform(2.5, 6.0) if rng.random() < 0.08 else rng.uniform(0.25, 1.6)
            else:  # within a turn: run-on sentences in monologues, natural breaths otherwise
                gap = rng.uniform(0.08, 0.3) if monologue else rng.uniform(0.15, 0.8)
            pieces.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
            total += pieces[-2].size + pieces[-1].size
    audio = np.concatenate(pieces)
    if noise_floor:
        noise = np.random.default_rng(seed).standard_normal(audio.size).astype(np.float32) * noise_floor
        audio = audio + np.convolve(noise, np.ones(4, np.float32) / 4, mode="same")  # soften the hiss a little
    return np.clip(audio, -1.0, 1.0).astype(np.float32), " ".join(said), len(speakers)


def build_corpus(folder: Path, durations_s: Sequence[float], *, seed: int = 1900) -> list[MeetingFile]:
    """Generate (or reuse from `folder`) one meeting per entry of `durations_s`; files are seeded `seed + i`."""
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is missing: run `make test` (or apt-get install -y espeak-ng sox)")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    wanted = {"version": CORPUS_VERSION, "seed": seed, "durations": list(durations_s)}
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved.get("params") == wanted and all((folder / f["file"]).exists() for f in saved["files"]):
            return [MeetingFile(folder / f["file"], f["reference"], f["duration_s"], f["speakers"])
                    for f in saved["files"]]
    files = []
    for index, seconds in enumerate(durations_s):
        audio, reference, speakers = synthesise_meeting(seed + index, seconds)
        path = folder / f"meeting_{index:02d}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes((audio * 32767).astype("<i2").tobytes())
        files.append(MeetingFile(path, reference, audio.size / SAMPLE_RATE, speakers))
    manifest.write_text(json.dumps({"params": wanted, "files": [
        {"file": f.path.name, "reference": f.reference, "duration_s": f.duration_s, "speakers": f.speakers}
        for f in files]}, indent=1))
    return files


_NUMBERS = {str(i): word for i, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def normalise(text: str) -> str:
    """Lower case, words only: punctuation, hyphens and case are not recognition errors; small numbers are
    spelled out and "ok" is "okay" (Whisper writes either)."""
    words = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split()
    return " ".join(_NUMBERS.get(w, "okay" if w == "ok" else w) for w in words)


def corpus_wer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Word error rate pooled over files: all edits over all reference words."""
    return float(jiwer.wer([normalise(r) for r in references], [normalise(h) for h in hypotheses]))


def transcribe_direct(model: WhisperModel, path: Path, *, vad: bool) -> str:
    """The model on its own: faster-whisper on the file with the product's decoding settings (beam 5, its
    temperature fallback, conditioned on previous text), and with `vad` faster-whisper's own Silero VAD filter
    with the product's VAD settings; nothing else (no blocks, no chunking)."""
    segments, _ = model.transcribe(str(path), beam_size=5, vad_filter=vad,
                                   vad_parameters=VAD_OPTIONS)
    return " ".join(s.text.strip() for s in segments)


def transcribe_file(transcriber: Transcriber, path: Path) -> str:
    """What `reflex-assistant transcribe FILE` (and `import_file`) does: decode in memory, `Transcriber`."""
    return transcriber.transcribe(decode_audio(path)).text


def transcribe_live(transcriber: Transcriber, store: Store, path: Path) -> str:
    """What the recorder does: a `RecordingSession` with live transcription, fed 100-ms blocks like the
    microphone adapter. Without sleeping: the live worker examines the audio every `step_s` of *audio* and its
    decisions depend only on the audio and the order of blocks, so the segments are the ones real time gives
    (only the lag figures differ, and they are not measured here)."""
    session = RecordingSession(store, title=path.stem, transcriber=transcriber)
    play_into(session, decode_audio(path), block_s=0.1, pace=0)
    meeting = session.stop()
    return " ".join(s.text for s in meeting.segments)
