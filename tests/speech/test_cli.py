"""`transcribe FILE` and `meetings list|show|transcribe` through their handlers and a real store."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from speech_helpers import Clip, wer
from test_audio import encode

from app.commands.speech import register
from app.context import AppContext
from engine.errors import EngineError
from engine.speech import SAMPLE_RATE, RecordingSession, play_into

pytestmark = pytest.mark.model


def run(home: Path, *argv: str, json_output: bool = False) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    ctx = AppContext(home=home, json_output=json_output, log=False)
    try:
        return args.handler(args, ctx)
    finally:
        ctx.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    AppContext(home=home, log=False).create_store().close()
    return home


@pytest.fixture(scope="module")
def clip_mp3(tmp_path_factory: pytest.TempPathFactory, budget_clip: Clip) -> Path:
    return encode(tmp_path_factory.mktemp("cli") / "board.mp3", budget_clip.audio, "libmp3lame", SAMPLE_RATE)


def test_transcribe_no_save_prints_timestamped_segments(tmp_path: Path, clip_mp3: Path, budget_clip: Clip,
                                                        capsys) -> None:
    assert run(tmp_path / "nohome", "transcribe", str(clip_mp3), "--no-save") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("[00:00.0 -> ")
    assert wer(budget_clip.text, " ".join(line.split("] ", 1)[1] for line in lines)) <= 0.15
    assert not (tmp_path / "nohome" / "reflex.db").exists()


def test_transcribe_saves_a_meeting_then_list_and_show(home: Path, clip_mp3: Path, capsys) -> None:
    assert run(home, "transcribe", str(clip_mp3), "--title", "Board prep") == 0
    out = capsys.readouterr().out
    assert "Saved as meeting 1" in out
    assert run(home, "meetings", "list", json_output=True) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["id"], m["title"], m["status"], m["source"]) for m in listed] == [(1, "Board prep", "transcribed",
                                                                                   "import")]
    assert run(home, "meetings", "show", "1") == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Board prep — ") and "quarterly budget" in shown.lower()


def test_record_later_then_transcribe_by_id(home: Path, budget_clip: Clip, capsys) -> None:
    ctx = AppContext(home=home, log=False)
    session = RecordingSession(ctx.store, title="Hallway chat")
    play_into(session, budget_clip.audio, pace=0)
    session.mark("action item", "send forecast")
    meeting_id = session.stop().id
    ctx.close()
    assert run(home, "meetings", "show", str(meeting_id)) == 0
    assert "no transcript yet" in capsys.readouterr().out
    assert run(home, "meetings", "transcribe", str(meeting_id), "--drop-audio") == 0
    capsys.readouterr()
    assert run(home, "meetings", "show", str(meeting_id), json_output=True) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "transcribed" and shown["markers"][0]["kind"] == "action item"
    assert wer(budget_clip.text, " ".join(s["text"] for s in shown["segments"])) <= 0.15


def test_errors_are_engine_errors_with_next_steps(tmp_path: Path, home: Path) -> None:
    with pytest.raises(EngineError, match="no meeting 42") as err:
        run(home, "meetings", "show", "42")
    assert "meetings list" in err.value.next_step
    with pytest.raises(EngineError, match="no store") as err:
        run(tmp_path / "empty-home", "meetings", "list")
    assert "init" in err.value.next_step
    with pytest.raises(EngineError, match="not a CTranslate2 Whisper model"):
        run(home, "transcribe", str(tmp_path / "x.wav"), "--model", str(tmp_path))
